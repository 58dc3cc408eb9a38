// The bug: the largest logit is not subtracted first, so logits above about 88 overflow and the outputs turn to NaN.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let exps: Vec<f32> = logits.iter().map(|&x| x.exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}
