// The bug: the mean is subtracted instead of the largest logit, so logits far apart still overflow.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    if logits.is_empty() {
        return Vec::new();
    }
    let mean = logits.iter().sum::<f32>() / logits.len() as f32;
    let exps: Vec<f32> = logits.iter().map(|&x| (x - mean).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}
