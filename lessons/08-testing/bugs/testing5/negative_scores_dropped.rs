// The bug: negative scores (log-probabilities, say) are never picked.
use std::cmp::Ordering;

pub fn top_k(scores: &[f32], k: usize) -> Vec<usize> {
    // `>= 0.0` is false for NaN, so this drops NaN, and every negative score with it.
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] >= 0.0).collect();
    order.sort_by(|&a, &b| scores[b].partial_cmp(&scores[a]).unwrap_or(Ordering::Equal));
    order.truncate(k);
    order
}
