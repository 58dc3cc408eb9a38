//! The same idea with the `secrecy` crate: `SecretString` and `ExposeSecret`.
//!
//! `read_secret` reads a key through a lookup function and wraps it in a
//! `SecretString` at once. `ModelClient` keeps its key secret, and
//! `authorization()` builds the `Bearer` header as a secret too.
//!
//! This file does NOT compile, on purpose: read the error in `authorization`.

use secrecy::{ExposeSecret, SecretString};
use std::env::VarError;
use std::fmt;

/// Why a key could not be read. It names the variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Missing { name: String },
    Empty { name: String },
    NotUnicode { name: String },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Missing { name } => write!(f, "{name} is not set"),
            KeyError::Empty { name } => write!(f, "{name} is set but blank"),
            KeyError::NotUnicode { name } => write!(f, "{name} is not valid UTF-8"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Reads `name` through `lookup`, trims it, and wraps it as a secret.
///
/// # Errors
/// `Missing`, `Empty` (blank) or `NotUnicode`, carrying `name`.
pub fn read_secret(
    name: &str,
    lookup: impl Fn(&str) -> Result<String, VarError>,
) -> Result<SecretString, KeyError> {
    // TODO: as in the first exercise, then `SecretString::from(...)`.
    let _ = (name, lookup);
    todo!()
}

/// A client for one model. Its derived `Debug` is safe: `SecretString`
/// prints as `SecretBox<str>([REDACTED])`.
#[derive(Debug)]
pub struct ModelClient {
    pub model: String,
    api_key: SecretString,
}

impl ModelClient {
    pub fn new(model: impl Into<String>, api_key: SecretString) -> Self {
        ModelClient {
            model: model.into(),
            api_key,
        }
    }

    /// Builds a client for `model` with the key read from `key_var`.
    ///
    /// # Errors
    /// The `KeyError` from reading `key_var`.
    pub fn from_lookup(
        model: &str,
        key_var: &str,
        lookup: impl Fn(&str) -> Result<String, VarError>,
    ) -> Result<Self, KeyError> {
        // TODO: `read_secret` and `?`.
        let _ = (model, key_var, lookup);
        todo!()
    }

    /// The `Authorization` header value, `Bearer <key>`, still wrapped.
    #[must_use]
    pub fn authorization(&self) -> SecretString {
        // TODO: this does not compile. `SecretString` has no `Display`, so it
        // cannot be pasted into a string by accident. Say that you mean it.
        SecretString::from(format!("Bearer {}", self.api_key))
    }
}
