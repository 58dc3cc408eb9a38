//! Write the tests: a top-k with bugs to catch.
//!
//! The course has this function, and several broken versions of it:
//!
//! ```text
//! pub fn top_k(scores: &[f32], k: usize) -> Vec<usize>
//! ```
//!
//! It returns the indices of the `k` highest scores, highest first: the
//! `k` most likely tokens of a model's output, say. Equal scores come out
//! in index order, the earlier index first. A NaN score is never picked.
//! When fewer than `k` scores can be picked, all of them come back.
//!
//! For example, `top_k(&[0.1, 0.9, 0.5, 0.9], 3)` is `[1, 3, 2]`.
//!
//! Every test must pass on the correct `top_k`, and every broken version
//! must fail at least one of them. Each sentence of the description above
//! is a promise a version could break; so are the inputs it does not
//! mention (negative scores, say).

use super::*;

#[test]
fn picks_the_highest_first() {
    assert_eq!(top_k(&[0.1, 0.9, 0.5], 2), vec![1, 2]);
}

// TODO: a test for each promise above.
