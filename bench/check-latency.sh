#!/usr/bin/env bash
# Edit→verdict latency of `tensorlings check`, against bare cargo and rustc on the same code.
#
#   bench/check-latency.sh [RUNS]          warm std-only and candle figures
#   bench/check-latency.sh --cold-ml       also the cold build of the ml set (minutes)
#   bench/check-latency.sh --cold-async    also the cold build of the async set (tokio)
#
# Prints the median and the minimum of RUNS runs (default 7) for each way of
# checking, and the ratios the project aims for: tensorlings ≤ 0.9× the
# `rustc --test` floor on a std-only exercise, ≤ 1.3× it where the learner
# wrote the tests, ≤ 1.0× bare `cargo test` on a candle, tract or tokio
# exercise, and the sandbox's own cost (the same check with
# TENSORLINGS_SANDBOX_OFF=all) at most 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=7
cold=no
cold_async=no
for arg in "$@"; do
  case $arg in
    --cold-ml) cold=yes ;;
    --cold-async) cold_async=yes ;;
    *) runs=$arg ;;
  esac
done

cargo build --release --quiet
bin=$PWD/target/release/tensorlings
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

# time_runs LABEL COMMAND... : runs the command $runs times, prints median/min in ms.
time_runs() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(now_ms)
    "$@" >/dev/null 2>&1 || true
    end=$(now_ms)
    times+=($((end - start)))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local median min
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  min=$(echo "$sorted" | head -1)
  printf '%-44s median %6d ms   min %6d ms\n' "$label" "$median" "$min" >&2
  echo "$median"
}

# paired_runs LABEL_A CMD_A LABEL_B CMD_B : runs A then B, 2*$runs+1 times,
# prints each one's median and min, and echoes "medianA medianB medianOf(A-B)".
paired_runs() {
  local la=$1 a=$2 lb=$3 b=$4
  local n=$((2 * runs + 1)) ta=() tb=() td=()
  for _ in $(seq "$n"); do
    local s m e
    s=$(now_ms); $a >/dev/null 2>&1 || true; m=$(now_ms); $b >/dev/null 2>&1 || true; e=$(now_ms)
    ta+=($((m - s))); tb+=($((e - m))); td+=($(( (m - s) - (e - m) )))
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
  local ma mb md
  ma=$(median "${ta[@]}"); mb=$(median "${tb[@]}"); md=$(median "${td[@]}")
  printf '%-44s median %6d ms   min %6d ms\n' "$la" "$ma" "$(printf '%s\n' "${ta[@]}" | sort -n | head -1)" >&2
  printf '%-44s median %6d ms   min %6d ms\n' "$lb" "$mb" "$(printf '%s\n' "${tb[@]}" | sort -n | head -1)" >&2
  printf '%-44s median %6d ms   (of %d pairs)\n' "sandbox cost (paired difference)" "$md" "$n" >&2
  echo "$ma $mb $md"
}

# A crate laid out exactly as the runner lays it out, for bare cargo and rustc.
make_crate() { # SET SOURCE TESTS DIR
  mkdir -p "$4/src"
  cp "deps/$1/Cargo.toml" "deps/$1/Cargo.lock" "$4/"
  cp "$2" "$4/src/lib.rs"
  printf '\n#[cfg(test)]\n#[path = "hidden_tests.rs"]\nmod hidden_tests;\n' >> "$4/src/lib.rs"
  cp "$3" "$4/src/hidden_tests.rs"
}

# An edit: append a comment so every run really recompiles.
edit() { echo "// edit $RANDOM$RANDOM" >> "$1"; }

echo "== std-only exercise (traits4, solution), $runs runs each ==" >&2
std_src=solutions/01-traits/traits4.rs
std_tests=lessons/01-traits/tests/traits4.rs
make_crate std "$std_src" "$std_tests" "$work/std"
cp "$std_src" "$work/edited.rs"
"$bin" check traits4 --file "$work/edited.rs" >/dev/null   # warm the shared target
check_std() { edit "$work/edited.rs"; "$bin" check traits4 --file "$work/edited.rs"; }
check_std_bare() { edit "$work/edited.rs"; TENSORLINGS_SANDBOX_OFF=all "$bin" check traits4 --file "$work/edited.rs"; }
bare_std() { edit "$work/std/src/lib.rs"; (cd "$work/std" && CARGO_TARGET_DIR="$work/std-target" cargo test --lib --offline --locked -q); }
floor_std() {
  edit "$work/std/src/lib.rs"
  rustc --edition 2024 --test -C debuginfo=0 --crate-name exercise "$work/std/src/lib.rs" -o "$work/floor" && "$work/floor" -q
}
bare_std >/dev/null 2>&1 || true   # warm its own target
# The sandbox's cost is a difference of a few milliseconds between two
# figures that each vary by more on a busy machine: the two are measured in
# alternation, and the cost is the median of the paired differences.
read -r t_check t_nosandbox t_sandbox < <(paired_runs "tensorlings check" check_std "tensorlings check, sandbox off" check_std_bare)
t_bare=$(time_runs "cargo test --lib (same crate)" bare_std)
t_floor=$(time_runs "rustc --test + run (the floor)" floor_std)
awk -v c="$t_check" -v b="$t_bare" -v f="$t_floor" -v n="$t_nosandbox" \
  -v s="$t_sandbox" 'BEGIN { printf "ratio: check/floor %.2fx (target <= 0.9x), check/cargo %.2fx; sandbox cost %d ms (target <= 10; sandbox off %d ms)\n\n", c/f, c/b, s, n }' >&2

echo "== learner-written tests (testing4, solution: its tests on the reference and on each bug), $runs runs each ==" >&2
kt_src=solutions/08-testing/testing4.rs
cp "$kt_src" "$work/edited-kt.rs"
"$bin" check testing4 --file "$work/edited-kt.rs" >/dev/null || true
check_kt() { edit "$work/edited-kt.rs"; "$bin" check testing4 --file "$work/edited-kt.rs"; }
# The floor: the learner's tests built once with rustc against the reference, and run.
mkdir -p "$work/kt"
cp lessons/08-testing/tests/testing4.rs "$work/kt/lib.rs"
printf '\n#[cfg(test)]\n#[path = "learner.rs"]\nmod learner;\n' >> "$work/kt/lib.rs"
cp "$kt_src" "$work/kt/learner.rs"
floor_kt() {
  edit "$work/kt/learner.rs"
  rustc --edition 2024 --test -C debuginfo=0 --crate-name exercise "$work/kt/lib.rs" -o "$work/kt-floor" && "$work/kt-floor" -q
}
kt_variants=$(( $(find lessons/08-testing/bugs/testing4 -name '*.rs' | wc -l) + 1 ))
t_kt=$(time_runs "tensorlings check (one build, a run per variant)" check_kt)
t_ktf=$(time_runs "rustc --test + run, reference only (floor)" floor_kt)
awk -v c="$t_kt" -v f="$t_ktf" \
  -v v="$kt_variants" 'BEGIN { printf "ratio: check/floor %.2fx (target <= 1.3x); one build per variant would cost about %d floors (%d ms)\n\n", c/f, v, v*f }' >&2

if [ "$cold" = yes ]; then
  echo "== cold build of the ml set (fresh cache dir, crates already downloaded) ==" >&2
  cold_cache=$(mktemp -d)
  start=$(now_ms)
  TENSORLINGS_CACHE_DIR=$cold_cache "$bin" check autograd6 --file solutions/03-autograd/autograd6.rs >/dev/null || true
  end=$(now_ms)
  printf 'cold ml build + first check: %d s, target dir %s\n\n' $(( (end - start) / 1000 )) "$(du -sh "$cold_cache" | cut -f1)" >&2
  rm -rf "$cold_cache"
fi

if [ "$cold_async" = yes ]; then
  echo "== cold build of the async set (fresh cache dir, crates already downloaded) ==" >&2
  cold_cache=$(mktemp -d)
  start=$(now_ms)
  TENSORLINGS_CACHE_DIR=$cold_cache "$bin" check async3 --file solutions/10-async/async3.rs >/dev/null || true
  end=$(now_ms)
  printf 'cold async build + first check: %d s, target dir %s\n\n' $(( (end - start) / 1000 )) "$(du -sh "$cold_cache" | cut -f1)" >&2
  rm -rf "$cold_cache"
fi

cache_root=${TENSORLINGS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tensorlings}

# bench_set SET LABEL ID LESSON : a warm edit loop on an exercise of a prebuilt
# set, against bare cargo on the same crate in the same target (so only the
# exercise compiles).
bench_set() {
  local set=$1 label=$2 id=$3 lesson=$4
  local src=solutions/$lesson/$id.rs tests=lessons/$lesson/tests/$id.rs
  local target=$cache_root/$set/target
  echo "== $label exercise ($id, solution), $runs runs each ==" >&2
  cp "$src" "$work/edited-$id.rs"
  "$bin" check "$id" --file "$work/edited-$id.rs" >/dev/null || true   # builds the set if needed
  make_crate "$set" "$src" "$tests" "$work/$id"
  check_set() { edit "$work/edited-$id.rs"; "$bin" check "$id" --file "$work/edited-$id.rs"; }
  bare_set() { edit "$work/$id/src/lib.rs"; (cd "$work/$id" && CARGO_TARGET_DIR="$target" cargo test --lib --offline --locked -q); }
  local c b
  c=$(time_runs "tensorlings check" check_set)
  b=$(time_runs "cargo test --lib (same crate, same target)" bare_set)
  awk -v c="$c" -v b="$b" 'BEGIN { printf "ratio: check/cargo %.2fx (target <= 1.0x)\n\n", c/b }' >&2
}

bench_set ml candle autograd6 03-autograd
bench_set ml tract onnx3 04-onnx
bench_set async tokio async3 10-async
