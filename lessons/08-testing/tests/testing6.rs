//! The correct `softmax`: the code the learner's tests run against.

/// Probabilities from logits: `exp(x - m) / sum(exp(x_j - m))`, where `m`
/// is the largest logit. Subtracting `m` changes nothing in exact
/// arithmetic and keeps `exp` from overflowing, as every exponent is at
/// most 0. No logits, no probabilities. The logits are finite.
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let Some(max) = logits.iter().copied().reduce(f32::max) else {
        return Vec::new();
    };
    let exps: Vec<f32> = logits.iter().map(|&x| (x - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}
