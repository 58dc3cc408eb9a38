// The bug: the k picked scores come out lowest first.
use std::cmp::Ordering;

pub fn top_k(scores: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| !scores[i].is_nan()).collect();
    order.sort_by(|&a, &b| scores[b].partial_cmp(&scores[a]).unwrap_or(Ordering::Equal));
    order.truncate(k);
    // Kept the way a min-heap of the best k hands them back: worst first.
    order.sort_by(|&a, &b| {
        scores[a]
            .partial_cmp(&scores[b])
            .unwrap_or(Ordering::Equal)
            .then(b.cmp(&a))
    });
    order
}
