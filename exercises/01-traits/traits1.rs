//! A model interface: every model in the service answers to one trait.
//!
//! Fill in the two provided (default) methods of `Model`, then implement
//! `Model` for `Linear`, the model y = weight * x + bias.
//! Name: "linear". Parameters: 2 (the weight and the bias).

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
        // TODO: call `self.predict` once for each input. This body is shared
        // by every model that does not write its own.
        let _ = xs;
        todo!()
    }

    /// A one-line summary for logs, e.g. `linear(params=2)`.
    fn describe(&self) -> String {
        // TODO: build it from `self.name()` and `self.param_count()`.
        todo!()
    }
}

/// y = weight * x + bias
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    pub weight: f64,
    pub bias: f64,
}

impl Model for Linear {
    // An impl may promise more than the trait asks: a `&'static str` is a fine
    // answer where the trait says `&str`.
    fn name(&self) -> &'static str {
        // TODO
        todo!()
    }

    fn param_count(&self) -> usize {
        // TODO
        todo!()
    }

    fn predict(&self, x: f64) -> f64 {
        // TODO: y = weight * x + bias
        let _ = x;
        todo!()
    }

    // The provided methods are inherited: no need to write them here.
}
