//! A key type that cannot leak through `{:?}` or `{}`.
//!
//! `ApiKey` wraps the key's text. Its `Debug` writes `ApiKey([REDACTED])`,
//! its `Display` writes `[REDACTED]`, and the only way to the value is the
//! explicit `expose()`. `hint()` gives a log-safe reminder of which key it is.

use std::fmt;

/// An API key. Formatting it never shows the value.
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(value: impl Into<String>) -> Self {
        ApiKey(value.into())
    }

    /// The key itself, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `"..."` plus the last four characters when the key has at least 16
    /// characters; just `"..."` for shorter keys, where four characters
    /// would give away too much of it.
    #[must_use]
    pub fn hint(&self) -> String {
        let count = self.0.chars().count();
        if count < 16 {
            return "...".to_owned();
        }
        let tail: String = self.0.chars().skip(count - 4).collect();
        format!("...{tail}")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([REDACTED])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Settings for a model client. The derived `Debug` is safe because the
/// `ApiKey` inside formats itself safely.
#[derive(Debug)]
pub struct ClientSettings {
    pub model: String,
    pub api_key: ApiKey,
    pub timeout_secs: u64,
}
