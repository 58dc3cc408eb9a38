#!/usr/bin/env bash
# Mutation score of the course's hidden tests. For each exercise, cargo-mutants
# changes the reference solution in small ways (a `<` for a `<=`, a function
# that returns a default, a deleted match arm) and runs the hidden tests
# against every change. A change the tests still pass is a mistake a learner
# could make and be told "passed".
#
#   scripts/mutants.sh                        every exercise of the course
#   scripts/mutants.sh 05-secrets             every exercise of one lesson
#   scripts/mutants.sh secrets5 traits1       some exercises
#   scripts/mutants.sh --course DIR [..]      another course (its lessons/, solutions/, exercises/)
#   scripts/mutants.sh --all [..]             also mutate the code the starter gives
#
# By default only the code the learner writes is mutated: the lines where the
# solution differs from the starter (cargo-mutants' --in-diff). Prints one row
# per exercise, `id set caught/total percent`, then each missed mutant by its
# line in the solution. Caught counts tests that failed and tests that timed
# out; a mutant that does not compile (unviable) is left out, the compiler
# already refuses it. The target is 95% caught, every miss explained.
#
# Each exercise is built the way a check builds it: the dependency set named
# by its `crates:` (the lightest of std, light, async, ml that has them all), that
# set's pinned Cargo.toml and Cargo.lock from deps/, edition and lints
# included. The solution is src/lib.rs of a throwaway crate with the hidden
# tests as its `#[cfg(test)]` module, and `cargo test` runs them one at a
# time, as the runner does. One target directory per set is kept between
# runs (the ml set's first build takes minutes), under
# $TENSORLINGS_MUTANTS_DIR, default ~/.cache/tensorlings-mutants.
#
# Needs cargo-mutants: `cargo install cargo-mutants --locked`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
course=$repo
whole=no
wanted=()
while (($#)); do
  case $1 in
    --course) course=$(cd "$2" && pwd); shift 2 ;;
    --all) whole=yes; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) wanted+=("$1"); shift ;;
  esac
done

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "cargo-mutants is not installed. Install it with:" >&2
  echo "    cargo install cargo-mutants --locked" >&2
  exit 2
fi

work=${TENSORLINGS_MUTANTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tensorlings-mutants}
mkdir -p "$work"

# Every exercise of the course as `lesson id crate,crate`, in course order.
# lesson.yaml is read for its exercise ids and `crates:` lists only; both the
# flow form (`crates: [a, b]`) and the block form are understood.
exercises() {
  local yaml
  for yaml in "$course"/lessons/*/lesson.yaml; do
    awk -v lesson="$(basename "$(dirname "$yaml")")" '
      function flush() { if (id != "") print lesson, id, (crates == "" ? "-" : crates) }
      function unquote(s) { gsub(/["'\''[:space:]]/, "", s); return s }
      /^exercises:/ { inside = 1; next }
      !inside { next }
      /^  - id:/ { flush(); id = unquote(substr($0, index($0, ":") + 1)); crates = ""; block = 0; next }
      /^    crates:/ {
        rest = substr($0, index($0, ":") + 1)
        if (rest ~ /\[/) { gsub(/[][]/, "", rest); crates = unquote(rest); block = 0 } else { block = 1 }
        next
      }
      block && /^      - / { c = unquote(substr($0, index($0, "-") + 1)); crates = (crates == "" ? c : crates "," c); next }
      /^    [a-z_]+:/ { block = 0 }
      END { flush() }
    ' "$yaml"
  done
}

# The dependency names a set's manifest lists.
set_crates() {
  awk '/^\[dependencies\]/ { d = 1; next } /^\[/ { d = 0 } d && /^[A-Za-z0-9_-]+[[:space:]]*=/ { sub(/[[:space:]]*=.*/, ""); print }' \
    "$repo/deps/$1/Cargo.toml"
}

# The lightest set that has every crate in the comma-separated list.
set_for() {
  local set krate ok
  for set in std light async ml; do
    ok=yes
    for krate in ${1//,/ }; do
      [[ $krate == - ]] && continue
      set_crates "$set" | grep -qx -- "$krate" || ok=no
    done
    if [[ $ok == yes ]]; then echo "$set"; return; fi
  done
  echo "no dependency set has all of: $1" >&2
  return 1
}

# The set's manifest with the runner's [[bin]] target replaced by a library.
lib_manifest() {
  awk '
    /^\[\[bin\]\]/ { skip = 1; print "[lib]\npath = \"src/lib.rs\"\ndoctest = false\n"; next }
    skip && /^\[/ { skip = 0 }
    !skip { print }
  ' "$repo/deps/$1/Cargo.toml"
}

# Writes the throwaway crate of one exercise; prints its directory.
make_crate() {
  local lesson=$1 id=$2 set=$3
  local dir=$work/crates/$id
  rm -rf "$dir"
  mkdir -p "$dir/src"
  lib_manifest "$set" >"$dir/Cargo.toml"
  cp "$repo/deps/$set/Cargo.lock" "$dir/Cargo.lock"
  {
    cat "$course/solutions/$lesson/$id.rs"
    printf '\n#[cfg(test)]\n#[path = "hidden_tests.rs"]\nmod hidden_tests;\n'
  } >"$dir/src/lib.rs"
  cp "$course/lessons/$lesson/tests/$id.rs" "$dir/src/hidden_tests.rs"
  # The lines the learner writes: where the solution differs from the starter.
  diff -u --label a/src/lib.rs --label b/src/lib.rs \
    "$course/exercises/$lesson/$id.rs" "$dir/src/lib.rs" >"$dir/learner.diff" || true
  echo "$dir"
}

# How many mutants cargo-mutants listed under one outcome.
count() { if [[ -f $out/$1.txt ]]; then grep -c . "$out/$1.txt" || true; else echo 0; fi; }

list=$(exercises)
selected=()
while read -r lesson id crates; do
  if ((${#wanted[@]} == 0)); then
    selected+=("$lesson $id $crates")
    continue
  fi
  for w in "${wanted[@]}"; do
    if [[ $w == "$lesson" || $w == "$id" ]]; then
      selected+=("$lesson $id $crates")
      break
    fi
  done
done <<<"$list"
if ((${#selected[@]} == 0)); then
  echo "no exercise matches: ${wanted[*]:-} (give lesson directories or exercise ids)" >&2
  exit 2
fi

total_caught=0
total_all=0
summary=()
for entry in "${selected[@]}"; do
  read -r lesson id crates <<<"$entry"
  set=$(set_for "$crates")
  dir=$(make_crate "$lesson" "$id" "$set")
  args=(--in-place --dir "$dir" --file src/lib.rs --output "$dir" --no-shuffle --colors never)
  [[ $whole == no ]] && args+=(--in-diff "$dir/learner.diff")
  echo "== $id ($lesson, $set set)" >&2
  status=0
  CARGO_TARGET_DIR=$work/target-$set cargo mutants "${args[@]}" -- -- --test-threads=1 >"$dir/mutants.log" 2>&1 || status=$?
  out=$dir/mutants.out
  # cargo-mutants exits 0 when every mutant was caught, 2 when some were
  # missed, 3 on timeouts; anything else (a baseline that fails, a tool
  # error) means no score.
  if [[ $status != 0 && $status != 2 && $status != 3 ]] || [[ ! -d $out ]]; then
    summary+=("$(printf '%-12s %-5s  error: cargo mutants exited %s, see %s' "$id" "$set" "$status" "$dir/mutants.log")")
    continue
  fi
  caught=$(count caught)
  timeout=$(count timeout)
  missed=$(count missed)
  unviable=$(count unviable)
  detected=$((caught + timeout))
  all=$((detected + missed))
  total_caught=$((total_caught + detected))
  total_all=$((total_all + all))
  pct=$( ((all > 0)) && echo "$((100 * detected / all))%" || echo "-")
  summary+=("$(printf '%-12s %-5s  %3d/%-3d %5s   (%d timed out, %d unviable)' "$id" "$set" "$detected" "$all" "$pct" "$timeout" "$unviable")")
  if ((missed > 0)); then
    while read -r line; do summary+=("      missed: $line"); done <"$out/missed.txt"
  fi
done

printf '%s\n' "${summary[@]}"
if ((total_all > 0)); then
  printf '%-12s %-5s  %3d/%-3d %4d%%\n' "all" "" "$total_caught" "$total_all" "$((100 * total_caught / total_all))"
fi
