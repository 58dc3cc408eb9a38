use super::*;

// Mutation testing leaves one change alive, and it is equivalent: in
// `largest`, replacing the top when `item >= top` instead of `item > top`
// swaps an item for an equal one. The comparisons are the same, and equal
// items under a total order are interchangeable (`Scored` is never equal to
// another `Scored`, its index breaks every tie).
use std::cell::Cell;
use std::cmp::Ordering;

// An item that counts what it costs: every comparison, and how many items
// are alive at once (made by the test, not yet dropped by `largest`). It is
// not `Clone`, so an item is alive only while something holds it. Tests run
// one per thread, so the thread-local counts start at 0 in each.
thread_local! {
    static COMPARISONS: Cell<u64> = const { Cell::new(0) };
    static ALIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn comparisons() -> u64 {
    COMPARISONS.with(Cell::get)
}

fn compared() {
    COMPARISONS.with(|c| c.set(c.get() + 1));
}

#[derive(Debug)]
struct Counted(u64);

impl Counted {
    fn new(value: u64) -> Counted {
        let alive = ALIVE.with(|a| {
            a.set(a.get() + 1);
            a.get()
        });
        PEAK.with(|p| p.set(p.get().max(alive)));
        Counted(value)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        ALIVE.with(|a| a.set(a.get() - 1));
    }
}

impl PartialEq for Counted {
    fn eq(&self, other: &Counted) -> bool {
        compared();
        self.0 == other.0
    }
}

impl Eq for Counted {}

impl Ord for Counted {
    fn cmp(&self, other: &Counted) -> Ordering {
        compared();
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Counted {
    fn partial_cmp(&self, other: &Counted) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Pseudo-random numbers in a fixed order (splitmix64): the same on every run.
fn random_values(n: usize, seed: u64) -> Vec<u64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        })
        .collect()
}

/// What a heap of size k may spend on n items in random order: one
/// comparison with the heap's top per item, plus up to 2·log2(k) to sift
/// each item that gets in, with room to spare: n · (1 + 2·log2 k), rounded.
fn heap_budget(n: usize, k: usize) -> u64 {
    let log_k = (k.max(2) as f64).log2();
    (n as f64 * (1.0 + 2.0 * log_k)).round() as u64
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

#[test]
fn largest_gives_the_k_greatest_greatest_first() {
    let got: Vec<i32> = largest(vec![5, 1, 9, 3, 7, 9, 2], 3);
    assert_eq!(
        got,
        vec![9, 9, 7],
        "the 3 greatest of [5, 1, 9, 3, 7, 9, 2], greatest first, are [9, 9, 7]"
    );
    let all: Vec<i32> = largest(vec![2, 3, 1], 10);
    assert_eq!(
        all,
        vec![3, 2, 1],
        "with k = 10 and only 3 items, all 3 come back, greatest first"
    );
    let none: Vec<i32> = largest(vec![2, 3, 1], 0);
    assert!(none.is_empty(), "with k = 0, nothing comes back");
    let empty: Vec<i32> = largest(Vec::<i32>::new(), 4);
    assert!(empty.is_empty(), "no items, nothing comes back");
    let values = random_values(5_000, 7);
    let mut expected = values.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    expected.truncate(25);
    let got: Vec<u64> = largest(values, 25);
    assert_eq!(
        got, expected,
        "the 25 greatest of 5 000 random numbers, greatest first"
    );
}

#[test]
fn top_k_of_100_000_makes_n_log_k_comparisons_not_n_log_n() {
    let n = 100_000;
    let k = 10;
    let values = random_values(n, 42);
    let mut expected = values.clone();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    expected.truncate(k);
    let before = comparisons();
    let got: Vec<Counted> = largest(values.into_iter().map(Counted::new), k);
    let made = comparisons() - before;
    let got: Vec<u64> = got.iter().map(|c| c.0).collect();
    assert_eq!(got, expected, "the 10 greatest of 100 000, greatest first");
    let budget = heap_budget(n, k);
    let sort = (n as f64 * (n as f64).log2()).round() as u64;
    assert!(
        made <= budget,
        "top-k of 100 000 scores with k = 10 made {} comparisons; a heap of size 10 needs at most about {} (n · (1 + 2·log2 k)), while sorting all of them costs about {} (n · log2 n)",
        thousands(made),
        thousands(budget),
        thousands(sort)
    );
}

#[test]
fn top_k_holds_k_items_at_a_time_not_all_n() {
    let n = 100_000;
    let k = 10;
    PEAK.with(|p| p.set(0));
    let got: Vec<Counted> = largest(random_values(n, 3).into_iter().map(Counted::new), k);
    let peak = PEAK.with(Cell::get);
    assert_eq!(got.len(), k, "largest(100 000 items, 10) should return 10");
    assert!(
        peak <= 2 * k + 1,
        "top-k of 100 000 items with k = 10 held {} items at once; a heap of size 10 holds at most 11 (the 10 best and the one arriving). Collecting the stream first holds all n",
        thousands(peak as u64)
    );
    drop(got);
    let left = ALIVE.with(Cell::get);
    assert_eq!(left, 0, "every item should be dropped once largest is done");
}

#[test]
fn equal_scores_rank_the_lower_index_first() {
    let scores = [0.5, 0.9, 0.5, 0.9, 0.1, 0.5];
    let got: Vec<(usize, f32)> = top_k(&scores, 4);
    assert_eq!(
        got,
        vec![(1, 0.9), (3, 0.9), (0, 0.5), (2, 0.5)],
        "two 0.9s at 1 and 3, then the first two of three 0.5s (at 0 and 2): equal scores rank the lower index first"
    );
    let a = Scored {
        score: 0.5,
        index: 2,
    };
    let b = Scored {
        score: 0.5,
        index: 7,
    };
    let order: Ordering = a.cmp(&b);
    assert_eq!(
        order,
        Ordering::Greater,
        "Scored {{ 0.5, index 2 }} should rank above Scored {{ 0.5, index 7 }}: Greater means better"
    );
    let higher = Scored {
        score: 0.6,
        index: 9,
    };
    assert_eq!(
        higher.cmp(&a),
        Ordering::Greater,
        "a higher score ranks above a lower one, whatever the indices"
    );
    assert_eq!(a.cmp(&a), Ordering::Equal, "a Scored equals itself");
}

#[test]
fn nan_scores_are_skipped_and_infinities_rank_normally() {
    let scores = [
        f32::NAN,
        0.3,
        -f32::NAN,
        f32::INFINITY,
        -1.0,
        f32::NEG_INFINITY,
    ];
    let got: Vec<(usize, f32)> = top_k(&scores, 3);
    assert!(
        got.iter().all(|(_, s)| !s.is_nan()),
        "NaN scores must be skipped, but top_k returned {got:?}; `total_cmp` ranks a positive NaN above +inf"
    );
    assert_eq!(
        got,
        vec![(3, f32::INFINITY), (1, 0.3), (4, -1.0)],
        "with the NaNs skipped, the best 3 are +inf, 0.3 and -1.0"
    );
    let all: Vec<(usize, f32)> = top_k(&scores, 10);
    assert_eq!(
        all.len(),
        4,
        "4 scores are not NaN, so top_k(.., 10) should return those 4"
    );
    let only_nan: Vec<(usize, f32)> = top_k(&[f32::NAN, f32::NAN], 2);
    assert!(only_nan.is_empty(), "NaN scores rank nowhere");
}

#[test]
fn top_k_of_many_scores_matches_a_full_sort() {
    let scores: Vec<f32> = random_values(20_000, 11)
        .into_iter()
        .map(|v| (v % 1000) as f32 / 7.0 - 50.0)
        .collect();
    let mut expected: Vec<(usize, f32)> = scores.iter().copied().enumerate().collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    expected.truncate(50);
    let got: Vec<(usize, f32)> = top_k(&scores, 50);
    assert_eq!(
        got, expected,
        "the best 50 of 20 000 scores (many equal) should be those a full sort by score, then index, puts first"
    );
}
