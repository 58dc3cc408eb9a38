//! An incomplete impl does not compile.
//!
//! THIS FILE DOES NOT COMPILE ON PURPOSE. `Logistic` claims to be a `Model`
//! but breaks the contract in three places. Read the compiler's errors, fix
//! the impl until it honours `Model`, then make sure it also behaves:
//! predict(x) = sigmoid(weight * x + bias), a probability between 0 and 1.

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

// TODO: make this impl honour the contract above. The compiler lists what is
// missing or wrong; change the impl, not the trait.
// Name: "logistic". Parameters: 2.
impl Model for Logistic {
    fn param_count(&self) -> u32 {
        2
    }

    fn predict(&self, x: f32) -> f32 {
        // TODO: sigmoid(z) = 1 / (1 + e^(-z)), with z = weight * x + bias
        let _ = x;
        todo!()
    }

    // A "fast path" copied over from the linear model.
    // TODO: once it compiles, check that it agrees with `predict`.
    fn predict_batch(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.weight * x + self.bias).collect()
    }
}

/// Serving code only ever sees the trait.
#[must_use]
pub fn boxed_logistic(weight: f64, bias: f64) -> Box<dyn Model> {
    Box::new(Logistic { weight, bias })
}
