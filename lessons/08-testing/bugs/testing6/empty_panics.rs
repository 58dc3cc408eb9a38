// The bug: no logits make it panic instead of giving no probabilities.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let mut max = logits[0];
    for &x in logits {
        max = max.max(x);
    }
    let exps: Vec<f32> = logits.iter().map(|&x| (x - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}
