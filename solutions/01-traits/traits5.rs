//! Generics or `dyn`: pick the one the job needs.
//!
//! - `mean_squared_error` is generic, and `?Sized` lets it take `dyn Model` too;
//! - `fit_and_score` must be generic: it builds a model from a type;
//! - `best_by_mse` must use `dyn`: its models are of different types.

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

/// Predicts the mean training target, whatever the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanBaseline {
    pub mean: f64,
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
    fn predict_batch(&self, xs: &[f64]) -> Vec<f64> {
        vec![self.mean; xs.len()]
    }
}

/// Paired inputs and targets, borrowed from wherever the data lives.
#[derive(Debug, Clone, Copy)]
pub struct Data<'a> {
    pub xs: &'a [f64],
    pub ys: &'a [f64],
}

impl Data<'_> {
    /// True when there is at least one pair, both columns have the same
    /// length, and every value is finite.
    #[must_use]
    pub fn is_usable(&self) -> bool {
        !self.xs.is_empty()
            && self.xs.len() == self.ys.len()
            && self.xs.iter().chain(self.ys).all(|v| v.is_finite())
    }
}

/// Models that can be built from data. `Sized` because `fit` returns `Self`
/// by value; that also means there is no `dyn Trainable`, and none is needed.
/// (`fit` could instead sit in `Model` as `fn fit(..) -> Option<Self> where
/// Self: Sized`, and `Model` would stay dyn compatible: a separate trait is a
/// design choice, not something the compiler demands.)
pub trait Trainable: Model + Sized {
    /// Fits a model, or `None` when the data cannot give one.
    fn fit(data: Data<'_>) -> Option<Self>;
}

impl Trainable for Linear {
    /// Ordinary least squares on one feature.
    /// `None` for unusable data or when every x is the same (no slope to find).
    fn fit(data: Data<'_>) -> Option<Self> {
        if !data.is_usable() {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        let n = data.xs.len() as f64;
        let mean_x = data.xs.iter().sum::<f64>() / n;
        let mean_y = data.ys.iter().sum::<f64>() / n;
        let (mut cov, mut var) = (0.0, 0.0);
        for (x, y) in data.xs.iter().zip(data.ys) {
            cov += (x - mean_x) * (y - mean_y);
            var += (x - mean_x) * (x - mean_x);
        }
        if var == 0.0 {
            return None;
        }
        let weight = cov / var;
        Some(Self {
            weight,
            bias: mean_y - weight * mean_x,
        })
    }
}

impl Trainable for MeanBaseline {
    fn fit(data: Data<'_>) -> Option<Self> {
        if !data.is_usable() {
            return None;
        }
        #[allow(clippy::cast_precision_loss)]
        let n = data.ys.len() as f64;
        Some(Self {
            mean: data.ys.iter().sum::<f64>() / n,
        })
    }
}

/// Mean of (prediction - target)^2 over `data`.
///
/// `None` when `data` is empty or its columns differ in length.
///
/// Generic: one copy of this function is compiled for every model type it is
/// used with (static dispatch, calls can be inlined). `M: ?Sized` also allows
/// `M = dyn Model`, and then calls go through the vtable.
#[must_use]
pub fn mean_squared_error<M: Model + ?Sized>(model: &M, data: Data<'_>) -> Option<f64> {
    if data.xs.is_empty() || data.xs.len() != data.ys.len() {
        return None;
    }
    let predictions = model.predict_batch(data.xs);
    let total: f64 = predictions
        .iter()
        .zip(data.ys)
        .map(|(p, y)| (p - y) * (p - y))
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let n = data.xs.len() as f64;
    Some(total / n)
}

/// Fits a `T` on `train`, then scores it on `test`.
/// `None` if fitting fails or the score is `None`.
#[must_use]
pub fn fit_and_score<T: Trainable>(train: Data<'_>, test: Data<'_>) -> Option<(T, f64)> {
    let model = T::fit(train)?;
    let score = mean_squared_error(&model, test)?;
    Some((model, score))
}

/// The model with the lowest mean squared error on `data`.
///
/// Models whose error is `None`, NaN or infinite are skipped. A tie goes to
/// the model that comes first. `None` when no model has a finite error.
#[must_use]
pub fn best_by_mse<'m>(models: &'m [Box<dyn Model>], data: Data<'_>) -> Option<&'m dyn Model> {
    let mut best: Option<(&'m dyn Model, f64)> = None;
    for model in models {
        let Some(score) = mean_squared_error(model.as_ref(), data) else {
            continue;
        };
        if !score.is_finite() {
            continue;
        }
        if best.is_none_or(|(_, best_score)| score < best_score) {
            best = Some((model.as_ref(), score));
        }
    }
    best.map(|(model, _)| model)
}
