//! Configuration from the environment, with EVERY problem reported at once.
//!
//! `load_config` reads four variables through a lookup function. The key and
//! the model are required; the timeout and the retry count have defaults and
//! must parse as numbers in range. Blank values are errors. On failure it
//! returns all the problems it found, not just the first.

use secrecy::SecretString;
use std::env::VarError;
use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

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
    let mut errors = Vec::new();
    let api_key = required(&lookup, API_KEY, &mut errors);
    let model = required(&lookup, MODEL, &mut errors);
    let timeout_secs = number(
        &lookup,
        TIMEOUT_SECS,
        DEFAULT_TIMEOUT_SECS,
        &TIMEOUT_RANGE,
        &mut errors,
    );
    let max_retries = number(
        &lookup,
        MAX_RETRIES,
        DEFAULT_MAX_RETRIES,
        &RETRY_RANGE,
        &mut errors,
    );

    match (api_key, model, timeout_secs, max_retries) {
        (Some(api_key), Some(model), Some(timeout_secs), Some(max_retries)) => Ok(Config {
            api_key: SecretString::from(api_key),
            model,
            timeout_secs,
            max_retries,
        }),
        _ => Err(errors),
    }
}

/// `Ok(None)` when unset, `Ok(Some(trimmed))` when set, or the error.
fn read(
    lookup: &impl Fn(&str) -> Result<String, VarError>,
    var: &'static str,
) -> Result<Option<String>, ConfigError> {
    match lookup(var) {
        Ok(value) if value.trim().is_empty() => Err(ConfigError::Empty { var }),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => Err(ConfigError::NotUnicode { var }),
    }
}

fn required(
    lookup: &impl Fn(&str) -> Result<String, VarError>,
    var: &'static str,
    errors: &mut Vec<ConfigError>,
) -> Option<String> {
    match read(lookup, var) {
        Ok(Some(value)) => Some(value),
        Ok(None) => {
            errors.push(ConfigError::Missing { var });
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn number<T>(
    lookup: &impl Fn(&str) -> Result<String, VarError>,
    var: &'static str,
    default: T,
    range: &RangeInclusive<T>,
    errors: &mut Vec<ConfigError>,
) -> Option<T>
where
    T: FromStr + PartialOrd + fmt::Display,
{
    let value = match read(lookup, var) {
        Ok(None) => return Some(default),
        Ok(Some(value)) => value,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    match value.parse::<T>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(ConfigError::Invalid {
                var,
                value,
                expected: format!("a whole number from {} to {}", range.start(), range.end()),
            });
            None
        }
    }
}
