//! A model interface: every model in the service answers to one trait.
//!
//! Fill in the two provided (default) methods of `Model`, then implement
//! `Model` for `Linear`, the model y = weight * x + bias.

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

/// y = weight * x + bias
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    pub weight: f64,
    pub bias: f64,
}

impl Model for Linear {
    fn name(&self) -> &'static str {
        "linear"
    }

    fn param_count(&self) -> usize {
        2
    }

    fn predict(&self, x: f64) -> f64 {
        self.weight * x + self.bias
    }
}
