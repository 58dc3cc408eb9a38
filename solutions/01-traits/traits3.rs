//! A baseline model, and an override that keeps the contract.
//!
//! `MeanBaseline` always predicts the mean of the targets it was fitted on:
//! the number every real model has to beat.

/// The contract every model honours.
pub trait Model {
    /// Short identifier such as `"linear"`.
    fn name(&self) -> &str;

    /// How many learned parameters the model has.
    fn param_count(&self) -> usize;

    /// The prediction for one input.
    fn predict(&self, x: f64) -> f64;

    /// One prediction per input, in the same order, built from `predict`.
    fn predict_batch(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.predict(x)).collect()
    }

    /// A one-line summary for logs, e.g. `linear(params=2)`.
    fn describe(&self) -> String {
        format!("{}(params={})", self.name(), self.param_count())
    }
}

/// Predicts the mean training target, whatever the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanBaseline {
    pub mean: f64,
}

impl MeanBaseline {
    /// Fits the baseline: the arithmetic mean of `targets`.
    ///
    /// Returns `None` when there is nothing to learn from: `targets` is empty,
    /// or any target is NaN or infinite (one bad label would poison the mean).
    #[must_use]
    pub fn fit(targets: &[f64]) -> Option<Self> {
        if targets.is_empty() || !targets.iter().all(|t| t.is_finite()) {
            return None;
        }
        #[allow(clippy::cast_precision_loss)] // exact below 2^53 targets
        let n = targets.len() as f64;
        Some(Self {
            mean: targets.iter().sum::<f64>() / n,
        })
    }
}

impl Model for MeanBaseline {
    fn name(&self) -> &'static str {
        "mean"
    }

    fn param_count(&self) -> usize {
        1
    }

    fn predict(&self, _x: f64) -> f64 {
        self.mean
    }

    /// Same meaning as the provided method, without a call per input.
    fn predict_batch(&self, xs: &[f64]) -> Vec<f64> {
        vec![self.mean; xs.len()]
    }
}
