use super::*;

// Mutation testing leaves one change alive, and it is equivalent: in
// `jaccard`, which set is walked and which is probed (`<` or `<=` between
// their lengths) changes the cost, never the count of common members.
use std::cell::{Cell, RefCell};
use std::collections::HashSet;

/// Twenty different words; variants below change one of them.
const BASE: &str = "models fail when the evaluation data leaks into training so every corpus needs a careful split before anyone reports numbers";

fn with_word(index: usize, word: &str) -> String {
    let mut words: Vec<&str> = BASE.split_whitespace().collect();
    words[index] = word;
    words.join(" ")
}

fn set(items: &[u64]) -> HashSet<u64> {
    items.iter().copied().collect()
}

#[test]
fn exact_copies_keep_only_the_first() {
    let docs = ["a b", "c", "a b", "d", "c", "a b", "a  b"];
    let kept: Vec<usize> = dedup_exact(&docs, text_hash);
    assert_eq!(
        kept,
        vec![0, 1, 3, 6],
        "keep the first of each text, in order: \"a b\" (0), \"c\" (1), \"d\" (3) and \"a  b\" (6, two spaces: a different text)"
    );
    let none: Vec<usize> = dedup_exact(&[], text_hash);
    assert!(none.is_empty(), "an empty corpus keeps nothing");
}

#[test]
fn a_shared_hash_is_confirmed_by_comparing_the_text() {
    // A terrible hash: the length. Every text of the same length collides.
    let docs = ["cat", "dog", "cat", "owl", "horse", "mouse", "dog"];
    let kept: Vec<usize> = dedup_exact(&docs, |t| t.len() as u64);
    assert_eq!(
        kept,
        vec![0, 1, 3, 4, 5],
        "with a hash that collides for every text of the same length, \"dog\", \"owl\" and \"mouse\" must still be kept: an equal hash is only a candidate until the texts compare equal. Only the second \"cat\" (2) and \"dog\" (6) are copies"
    );
}

#[test]
fn each_document_is_hashed_exactly_once() {
    let docs: Vec<String> = (0..1000).map(|i| format!("document {}", i % 700)).collect();
    let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let calls = Cell::new(0usize);
    let kept = dedup_exact(&docs, |t| {
        calls.set(calls.get() + 1);
        text_hash(t)
    });
    assert_eq!(kept.len(), 700, "1 000 documents, 700 different texts");
    assert_eq!(
        kept,
        (0..700).collect::<Vec<usize>>(),
        "the first 700 are all different; the last 300 repeat them"
    );
    let calls = calls.get();
    assert!(
        calls == 1000,
        "dedup_exact of 1 000 documents hashed {calls} times; once per document is enough (hash it once, keep the hash)"
    );
}

#[test]
fn shingles_are_runs_of_k_words() {
    let seen: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let record = |words: &[&str]| {
        seen.borrow_mut().push(words.join("_"));
        shingle_hash(words)
    };
    let got: HashSet<u64> = shingles("to be or\tnot  to be", 2, record);
    let mut runs = seen.borrow().clone();
    runs.sort();
    assert_eq!(
        runs,
        vec!["be_or", "not_to", "or_not", "to_be", "to_be"],
        "the 2-word shingles of \"to be or not to be\" are every run of 2 consecutive words, split on any whitespace"
    );
    assert_eq!(
        got.len(),
        4,
        "\"to be\" appears twice but is one member of the set: 4 shingles"
    );
    let short = shingles("hello world", 5, shingle_hash);
    assert_eq!(
        short,
        set(&[shingle_hash(&["hello", "world"])]),
        "a text of 2 words with k = 5 is one shingle of both words, so short texts can still match"
    );
    let empty = shingles("   ", 3, shingle_hash);
    assert!(empty.is_empty(), "a blank text has no shingles");
}

#[test]
fn jaccard_is_what_two_sets_share_over_all_they_hold() {
    let half: f64 = jaccard(&set(&[1, 2, 3]), &set(&[2, 3, 4]));
    assert!(
        (half - 0.5).abs() < 1e-12,
        "{{1, 2, 3}} and {{2, 3, 4}} share 2 of 4: 0.5, got {half}"
    );
    let third = jaccard(&set(&[1, 2]), &set(&[2, 3, 4]));
    assert!(
        (third - 0.25).abs() < 1e-12,
        "{{1, 2}} and {{2, 3, 4}} share 1 of 4: 0.25, got {third}"
    );
    assert_eq!(
        jaccard(&set(&[5, 6]), &set(&[6, 5])),
        1.0,
        "equal sets: 1.0"
    );
    assert_eq!(jaccard(&set(&[1]), &set(&[2])), 0.0, "disjoint sets: 0.0");
    let empty = jaccard(&set(&[]), &set(&[]));
    assert!(
        empty == 0.0,
        "two empty sets have nothing to compare: 0.0, never NaN (0 / 0), got {empty}"
    );
}

#[test]
fn near_duplicates_trade_misses_for_false_alarms_by_k_and_threshold() {
    // One word of twenty changed: with k = 3, three of the 18 shingles
    // change, so the two share 15 of 21: 0.714.
    let edited = with_word(10, "sneaks");
    // The same words in another order.
    let swapped = "the mat sat on the cat";
    let docs = [BASE, edited.as_str(), "the cat sat on the mat", swapped];
    let pairs: Vec<(usize, usize)> = near_duplicates(&docs, 3, 0.7, shingle_hash);
    assert_eq!(
        pairs,
        vec![(0, 1)],
        "with k = 3 and threshold 0.7, only the edited copy (0, 1) is a near-duplicate: one changed word of 20 leaves 15 of 21 shingles shared, 0.714"
    );
    let strict = near_duplicates(&docs, 3, 0.8, shingle_hash);
    assert!(
        strict.is_empty(),
        "with threshold 0.8 the edited copy (0.714) is missed: {strict:?}"
    );
    let words = near_duplicates(&docs, 1, 0.7, shingle_hash);
    assert_eq!(
        words,
        vec![(0, 1), (2, 3)],
        "with k = 1 (single words) \"the cat sat on the mat\" and \"the mat sat on the cat\" use the same 5 words: Jaccard 1.0, a false alarm that k = 3 avoids"
    );
    let exact = near_duplicates(&docs, 1, 1.0, shingle_hash);
    assert_eq!(
        exact,
        vec![(2, 3)],
        "with k = 1 the pair (2, 3) scores exactly 1.0, so a threshold of 1.0 includes it: a pair AT the threshold counts (>=)"
    );
}

#[test]
fn near_duplicates_shingles_each_document_once() {
    let texts: Vec<String> = (0..40)
        .map(|i| with_word(i % 20, &format!("w{i}")))
        .collect();
    let docs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let calls = Cell::new(0usize);
    let pairs = near_duplicates(&docs, 3, 0.7, |w: &[&str]| {
        calls.set(calls.get() + 1);
        shingle_hash(w)
    });
    // Each text differs from BASE in one word, so two texts differ in two
    // words, and share at least 12 of 24 shingles: 0.5 at worst.
    assert!(
        !pairs.is_empty() && pairs.iter().all(|&(i, j)| i < j),
        "pairs should be found, each with i < j"
    );
    let calls = calls.get();
    let once = 40 * 18;
    assert!(
        calls == once,
        "near_duplicates of 40 documents of 20 words hashed {calls} shingles; shingling each document once hashes {once} (40 × 18), where shingling both documents of each of the 780 pairs hashes 28 080"
    );
}
