//! A registry of models chosen by name at run time.
//!
//! Serving code gets a model name from a request or a config file and must
//! find the model, or say clearly that there is none.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

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

/// Why the registry said no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryError {
    /// The model's name is empty or only whitespace.
    EmptyName,
    /// A model is already registered under this key (the normalised name).
    Duplicate(String),
    /// No model is registered under this name (as the caller gave it).
    UnknownModel(String),
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => write!(f, "a model needs a non-empty name"),
            Self::Duplicate(key) => write!(f, "a model named `{key}` is already registered"),
            Self::UnknownModel(name) => write!(f, "no model named `{name}`"),
        }
    }
}

impl std::error::Error for RegistryError {}

/// The key a name is stored and looked up under: trimmed and lower-cased,
/// so `"Linear"`, `"linear"` and `" LINEAR "` are one model.
#[must_use]
pub fn registry_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Models of any type, found by name.
///
/// Rules:
/// - a model is stored under `registry_key(model.name())`, and every lookup
///   goes through `registry_key` too, so names are case-insensitive;
/// - registering an empty (or whitespace-only) name is `Err(EmptyName)`;
/// - registering a name that is already taken is `Err(Duplicate(key))` and
///   KEEPS the model already there: a second deploy never silently replaces
///   the model that is serving;
/// - an unknown name is `None` from `get` and `Err(UnknownModel(name))` from
///   `predict`, never a panic.
#[derive(Default)]
pub struct ModelRegistry {
    models: HashMap<String, Box<dyn Model>>,
}

impl ModelRegistry {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `model` under its own name.
    ///
    /// # Errors
    /// `EmptyName` or `Duplicate`, as described on the type.
    pub fn register(&mut self, model: Box<dyn Model>) -> Result<(), RegistryError> {
        let key = registry_key(model.name());
        if key.is_empty() {
            return Err(RegistryError::EmptyName);
        }
        match self.models.entry(key) {
            Entry::Occupied(taken) => Err(RegistryError::Duplicate(taken.key().clone())),
            Entry::Vacant(free) => {
                free.insert(model);
                Ok(())
            }
        }
    }

    /// The model registered under `name`, if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&dyn Model> {
        self.models.get(&registry_key(name)).map(Box::as_ref)
    }

    /// Runs the model registered under `name` on `x`.
    ///
    /// # Errors
    /// `UnknownModel(name)` with the name as given.
    pub fn predict(&self, name: &str, x: f64) -> Result<f64, RegistryError> {
        self.get(name)
            .map(|model| model.predict(x))
            .ok_or_else(|| RegistryError::UnknownModel(name.to_owned()))
    }

    /// The registered keys, sorted, so logs and listings are stable.
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.models.keys().cloned().collect();
        names.sort();
        names
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.models.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }
}
