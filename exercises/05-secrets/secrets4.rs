//! Configuration from the environment, with EVERY problem reported at once.
//!
//! `load_config` reads four variables through a lookup function. The key and
//! the model are required; the timeout and the retry count have defaults and
//! must parse as numbers in range. Blank values are errors. On failure it
//! returns all the problems it found, not just the first.
//!
//! Write `load_config`; small helper functions of your own are welcome.

use secrecy::SecretString;
use std::env::VarError;
use std::fmt;
use std::ops::RangeInclusive;

pub const API_KEY: &str = "LLM_API_KEY";
pub const MODEL: &str = "LLM_MODEL";
pub const TIMEOUT_SECS: &str = "LLM_TIMEOUT_SECS";
pub const MAX_RETRIES: &str = "LLM_MAX_RETRIES";

pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// Allowed timeouts, in seconds.
pub const TIMEOUT_RANGE: RangeInclusive<u64> = 1..=600;
/// Allowed retry counts.
pub const RETRY_RANGE: RangeInclusive<u32> = 0..=10;

#[derive(Debug)]
pub struct Config {
    pub api_key: SecretString,
    pub model: String,
    pub timeout_secs: u64,
    pub max_retries: u32,
}

/// One problem with the environment. `Invalid` shows the bad value, so it is
/// only ever used for variables that are not secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Missing {
        var: &'static str,
    },
    Empty {
        var: &'static str,
    },
    NotUnicode {
        var: &'static str,
    },
    Invalid {
        var: &'static str,
        value: String,
        expected: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing { var } => write!(f, "{var} is not set"),
            ConfigError::Empty { var } => write!(f, "{var} is set but blank"),
            ConfigError::NotUnicode { var } => write!(f, "{var} is not valid UTF-8"),
            ConfigError::Invalid {
                var,
                value,
                expected,
            } => {
                write!(f, "{var}={value:?} is not {expected}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads all settings through `lookup`.
///
/// # Errors
/// Every `ConfigError` found, in the order of the fields.
pub fn load_config(
    lookup: impl Fn(&str) -> Result<String, VarError>,
) -> Result<Config, Vec<ConfigError>> {
    // TODO: read all four variables, pushing each problem onto one Vec,
    // and only then decide between `Ok(Config)` and `Err(errors)`.
    // Unset optional numbers take their DEFAULT_*; blank is always an error;
    // numbers must parse and sit inside TIMEOUT_RANGE / RETRY_RANGE.
    let _ = lookup;
    todo!()
}
