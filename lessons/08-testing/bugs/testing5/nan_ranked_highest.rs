// The bug: a NaN score is picked, ahead of every number. `total_cmp` ranks a
// positive NaN (`f32::NAN`, bits 0x7fc00000) above +inf, and a negative one
// below -inf: `(-1f32).sqrt()` gives 0xffc00000 on x86-64, so a test that
// builds its NaN that way sees it ranked last and, with a small k, not picked.
pub fn top_k(scores: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order.truncate(k);
    order
}
