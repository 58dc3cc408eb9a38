// The bug: the outputs are not divided by their sum, so the largest is always 1.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let Some(max) = logits.iter().copied().reduce(f32::max) else {
        return Vec::new();
    };
    logits.iter().map(|&x| (x - max).exp()).collect()
}
