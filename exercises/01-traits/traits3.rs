//! A baseline model, and an override that keeps the contract.
//!
//! `MeanBaseline` always predicts the mean of the targets it was fitted on:
//! the number every real model has to beat. Write `fit`, implement `Model`
//! for it, and override `predict_batch` with a faster body that still
//! means exactly what the provided one means.

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
        // TODO
        let _ = targets;
        todo!()
    }
}

// TODO: implement `Model` for `MeanBaseline`.
// Name: "mean". Parameters: 1 (the mean).
// Override `predict_batch`: no need to call `predict` per input when every
// answer is the same number, but the result must still have one prediction
// per input, equal to what `predict` gives. Leave `describe` to the default.
impl Model for MeanBaseline {
    fn name(&self) -> &'static str {
        todo!()
    }

    fn param_count(&self) -> usize {
        todo!()
    }

    fn predict(&self, x: f64) -> f64 {
        let _ = x;
        todo!()
    }

    fn predict_batch(&self, xs: &[f64]) -> Vec<f64> {
        let _ = xs;
        todo!()
    }
}
