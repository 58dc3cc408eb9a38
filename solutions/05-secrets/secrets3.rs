//! The same idea with the `secrecy` crate: `SecretString` and `ExposeSecret`.
//!
//! `read_secret` reads a key through a lookup function and wraps it in a
//! `SecretString` at once. `ModelClient` keeps its key secret, and
//! `authorization()` builds the `Bearer` header as a secret too.

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
    let name = name.to_owned();
    match lookup(&name) {
        Ok(value) if value.trim().is_empty() => Err(KeyError::Empty { name }),
        Ok(value) => Ok(SecretString::from(value.trim())),
        Err(VarError::NotPresent) => Err(KeyError::Missing { name }),
        Err(VarError::NotUnicode(_)) => Err(KeyError::NotUnicode { name }),
    }
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
        Ok(ModelClient::new(model, read_secret(key_var, lookup)?))
    }

    /// The `Authorization` header value, `Bearer <key>`, still wrapped.
    #[must_use]
    pub fn authorization(&self) -> SecretString {
        SecretString::from(format!("Bearer {}", self.api_key.expose_secret()))
    }
}
