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
        // TODO: one short sentence per variant that names the variable,
        // e.g. "OPENAI_API_KEY is not set".
        let _ = f;
        todo!()
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
    // TODO: call `lookup(name)` and `match` on all three outcomes.
    // No `unwrap`, and a blank value is not a key.
    let _ = (name, lookup);
    todo!()
}

/// The same, reading the real process environment.
///
/// # Errors
/// As for [`read_key`].
pub fn read_key_from_env(name: &str) -> Result<String, KeyError> {
    // TODO: one line: `read_key` with a closure over `std::env::var`.
    let _ = name;
    todo!()
}
