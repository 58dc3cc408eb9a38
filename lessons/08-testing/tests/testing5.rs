//! The correct `top_k`: the code the learner's tests run against.

use std::cmp::Ordering;

/// The indices of the `k` highest scores, highest first: the `k` most
/// likely tokens of a model's output, say. Equal scores come out in index
/// order, the earlier index first. A NaN score is never picked. When fewer
/// than `k` scores can be picked, all of them come back.
pub fn top_k(scores: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| !scores[i].is_nan()).collect();
    // No NaN is left, so every pair compares. The sort is stable: equal
    // scores keep their index order.
    order.sort_by(|&a, &b| scores[b].partial_cmp(&scores[a]).unwrap_or(Ordering::Equal));
    order.truncate(k);
    order
}
