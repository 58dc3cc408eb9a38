#!/usr/bin/env bash
# Edit→verdict latency of `tensorlings check`, against bare cargo and rustc on the same code.
#
#   bench/check-latency.sh [RUNS]          warm std-only and candle figures
#   bench/check-latency.sh --cold-ml       also the cold build of the ml set (minutes)
#   bench/check-latency.sh --cold-async    also the cold build of the async set (tokio)
#
# Prints the median and the minimum of 2×RUNS+1 runs (RUNS defaults to 7)
# for each way of checking, each measured in alternation with what it is
# compared with, and the ratios the project aims for: tensorlings ≤ 0.9× the
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


# pair LABEL_A CMD_A LABEL_B CMD_B : runs A then B, 2*$runs+1 times, and
# prints each one's median and min. A ratio or a difference of a few percent
# between two figures that each drift by more on a busy machine is only seen
# when the two are measured in alternation: echoes "medianA medianB
# medianOf(A/B) medianOf(A-B)", the last two over the pairs.
pair() {
  local la=$1 a=$2 lb=$3 b=$4
  local n=$((2 * runs + 1)) ta=() tb=() td=() tr=()
  for _ in $(seq "$n"); do
    local s m e
    s=$(now_ms); $a >/dev/null 2>&1 || true; m=$(now_ms); $b >/dev/null 2>&1 || true; e=$(now_ms)
    ta+=($((m - s))); tb+=($((e - m))); td+=($(( (m - s) - (e - m) )))
    tr+=($(awk -v x=$((m - s)) -v y=$((e - m)) 'BEGIN { printf "%.4f", x / (y > 0 ? y : 1) }'))
  done
  median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
  least() { printf '%s\n' "$@" | sort -g | head -1; }
  printf '%-48s median %6d ms   min %6d ms\n' "$la" "$(median "${ta[@]}")" "$(least "${ta[@]}")" >&2
  printf '%-48s median %6d ms   min %6d ms   (%d pairs)\n' "$lb" "$(median "${tb[@]}")" "$(least "${tb[@]}")" "$n" >&2
  echo "$(median "${ta[@]}") $(median "${tb[@]}") $(median "${tr[@]}") $(median "${td[@]}")"
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

echo "== std-only exercise (traits4, solution), 2×$runs+1 runs each ==" >&2
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
read -r _ _ r_floor _ < <(pair "tensorlings check" check_std "rustc --test + run (the floor)" floor_std)
read -r _ _ r_cargo _ < <(pair "tensorlings check" check_std "cargo test --lib (same crate)" bare_std)
read -r _ t_off _ t_sandbox < <(pair "tensorlings check" check_std "tensorlings check, sandbox off" check_std_bare)
awk -v f="$r_floor" -v c="$r_cargo" -v s="$t_sandbox" -v n="$t_off" \
  'BEGIN { printf "ratio: check/floor %.2fx (target <= 0.9x), check/cargo %.2fx; sandbox cost %d ms (target <= 10; sandbox off %d ms)\n\n", f, c, s, n }' >&2

echo "== learner-written tests (testing4, solution: its tests on the reference and on each bug), 2×$runs+1 runs each ==" >&2
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
read -r _ _ r_kt _ < <(pair "tensorlings check (one build, a run per variant)" check_kt "rustc --test + run, reference only (floor)" floor_kt)
awk -v r="$r_kt" -v v="$kt_variants" \
  'BEGIN { printf "ratio: check/floor %.2fx (target <= 1.3x) over %d variants\n\n", r, v }' >&2

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
  echo "== $label exercise ($id, solution), 2×$runs+1 runs each ==" >&2
  cp "$src" "$work/edited-$id.rs"
  "$bin" check "$id" --file "$work/edited-$id.rs" >/dev/null || true   # builds the set if needed
  make_crate "$set" "$src" "$tests" "$work/$id"
  check_set() { edit "$work/edited-$id.rs"; "$bin" check "$id" --file "$work/edited-$id.rs"; }
  bare_set() { edit "$work/$id/src/lib.rs"; (cd "$work/$id" && CARGO_TARGET_DIR="$target" cargo test --lib --offline --locked -q); }
  local r
  read -r _ _ r _ < <(pair "tensorlings check" check_set "cargo test --lib (same crate, same target)" bare_set)
  awk -v r="$r" 'BEGIN { printf "ratio: check/cargo %.2fx (target <= 1.0x)\n\n", r }' >&2
}

bench_set ml candle autograd6 03-autograd
bench_set ml tract onnx3 04-onnx
bench_set async tokio async3 10-async
