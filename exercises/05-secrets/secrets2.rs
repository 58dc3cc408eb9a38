//! A key type that cannot leak through `{:?}` or `{}`.
//!
//! `ApiKey` wraps the key's text. Its `Debug` writes `ApiKey([REDACTED])`,
//! its `Display` writes `[REDACTED]`, and the only way to the value is the
//! explicit `expose()`. `hint()` gives a log-safe reminder of which key it is.

use std::fmt;

/// An API key. Formatting it never shows the value.
// TODO: this derived `Debug` prints the key. Remove it and write `Debug` by hand.
#[derive(Debug)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(value: impl Into<String>) -> Self {
        ApiKey(value.into())
    }

    /// The key itself, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        // TODO
        todo!()
    }

    /// `"..."` plus the last four characters when the key has at least 16
    /// characters; just `"..."` for shorter keys, where four characters
    /// would give away too much of it.
    #[must_use]
    pub fn hint(&self) -> String {
        // TODO: count and take CHARACTERS, not bytes.
        todo!()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: write a fixed marker, never `self.0`.
        let _ = f;
        todo!()
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
