#!/usr/bin/env bash
# How long `grade` takes per student, in the full sandbox, for a simulated class.
#
#   bench/grade-class.sh [STUDENTS]        default 20
#
# Makes STUDENTS workspaces from the course built into the binary, each with a
# different share of exercises solved (the reference solution copied in) and
# the rest left as starters, grades them one after another with --jobs 2 (one
# CI runner of 2 cores), and prints each student's time and score, the median,
# the slowest, and what a class of 200 costs spread over CI runners.
set -euo pipefail
cd "$(dirname "$0")/.."
students=${1:-20}

cargo build --release --quiet
bin=$PWD/target/release/tensorlings
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

# The crates once, so every student is timed warm (a CI cache does the same).
"$bin" prepare >/dev/null 2>&1 || true

mapfile -t files < <(cd solutions && find . -name '*.rs' | sort)
times=()
for n in $(seq -w 1 "$students"); do
  ws=$work/student$n
  "$bin" init "$ws" >/dev/null
  # Student n solved the first n/students of the course.
  solved=$(( ${#files[@]} * 10#$n / students ))
  for f in "${files[@]:0:$solved}"; do
    cp "solutions/$f" "$ws/exercises/$f"
  done
  start=$(now_ms)
  "$bin" --course . grade "$ws" --jobs 2 --format json >"$work/grade$n.json" 2>/dev/null || true
  end=$(now_ms)
  ms=$((end - start))
  times+=("$ms")
  score=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['score']:g}/{d['max_score']:g}\")" "$work/grade$n.json")
  printf 'student%s  %6d ms  score %s\n' "$n" "$ms" "$score"
done

sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
slowest=$(echo "$sorted" | tail -1)
total=$(printf '%s\n' "${times[@]}" | awk '{s+=$1} END {print s}')
echo
echo "per student: median ${median} ms, slowest ${slowest} ms (target: under 20000 ms)"
echo "all ${students} on one runner: $((total / 1000)) s"
# A class of 200 as a CI matrix, one job per student: with 20 jobs at a time
# the class takes 10 waves of the slowest student, plus each job's setup.
echo "a class of 200 in a matrix of 20 runners at a time: about $((10 * slowest / 1000)) s of grading (10 waves), plus each job's setup (checkout, cache restore, cargo install)"
"$bin" --course . class "$work"/grade*.json | tail -4
