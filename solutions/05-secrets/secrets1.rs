//! Read an API key from the environment without ever panicking.
//!
//! `read_key` takes the environment as a parameter: a lookup function shaped
//! like `std::env::var`. A missing key, a blank key and a key that is not
//! UTF-8 each become their own `KeyError`; a usable key comes back trimmed.
//! `read_key_from_env` is the thin wrapper that uses the real environment.

use std::env::VarError;
use std::fmt;

/// Why a key could not be read. It names the variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The variable is not set at all.
    Missing { name: String },
    /// The variable is set, but to nothing or only whitespace.
    Empty { name: String },
    /// The variable is set, but its bytes are not valid UTF-8.
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

/// Reads the key called `name` through `lookup`.
///
/// # Errors
/// `Missing` when the variable is absent, `Empty` when it holds only
/// whitespace, `NotUnicode` when its bytes are not UTF-8.
pub fn read_key(
    name: &str,
    lookup: impl Fn(&str) -> Result<String, VarError>,
) -> Result<String, KeyError> {
    let name = name.to_owned();
    match lookup(&name) {
        Ok(value) => {
            let value = value.trim();
            if value.is_empty() {
                Err(KeyError::Empty { name })
            } else {
                Ok(value.to_owned())
            }
        }
        Err(VarError::NotPresent) => Err(KeyError::Missing { name }),
        // The payload is the raw value: drop it, it may be the secret.
        Err(VarError::NotUnicode(_)) => Err(KeyError::NotUnicode { name }),
    }
}

/// The same, reading the real process environment.
///
/// # Errors
/// As for [`read_key`].
pub fn read_key_from_env(name: &str) -> Result<String, KeyError> {
    read_key(name, |var| std::env::var(var))
}
