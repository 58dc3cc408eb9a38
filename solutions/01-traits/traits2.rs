//! An incomplete impl does not compile.
//!
//! `Logistic` is a `Model`: predict(x) = sigmoid(weight * x + bias), a
//! probability between 0 and 1.

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

/// Logistic regression on one feature: the probability that x is positive-class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logistic {
    pub weight: f64,
    pub bias: f64,
}

impl Model for Logistic {
    fn name(&self) -> &'static str {
        "logistic"
    }

    fn param_count(&self) -> usize {
        2
    }

    fn predict(&self, x: f64) -> f64 {
        let z = self.weight * x + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    // No predict_batch here: the provided one is correct by construction.
}

/// Serving code only ever sees the trait.
#[must_use]
pub fn boxed_logistic(weight: f64, bias: f64) -> Box<dyn Model> {
    Box::new(Logistic { weight, bias })
}
