// The bug: the shift is the wrong way round, so the largest logit gets the smallest probability.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let Some(max) = logits.iter().copied().reduce(f32::max) else {
        return Vec::new();
    };
    let exps: Vec<f32> = logits.iter().map(|&x| (max - x).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}
