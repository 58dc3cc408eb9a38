//! `.env` files with dotenvy, where the real environment always wins.
//!
//! `parse_dotenv` and `read_dotenv` turn `.env` text into a map without
//! touching the process environment. `layered` puts that map UNDER a real
//! lookup: the file only fills in names the environment does not have.

use std::collections::HashMap;
use std::env::VarError;
use std::path::Path;

/// Parses `.env` text (comments, `export`, quotes) into a map.
///
/// # Errors
/// `dotenvy::Error::LineParse` for a line that is not `NAME=value`.
pub fn parse_dotenv(text: &str) -> Result<HashMap<String, String>, dotenvy::Error> {
    dotenvy::from_read_iter(text.as_bytes()).collect()
}

/// Reads a `.env` file into a map. A missing file is an empty map: in
/// production there is usually no `.env` at all.
///
/// # Errors
/// Any read error other than "not found", and parse errors.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, dotenvy::Error> {
    match dotenvy::from_path_iter(path) {
        Ok(items) => items.collect(),
        Err(e) if e.not_found() => Ok(HashMap::new()),
        Err(e) => Err(e),
    }
}

/// A lookup that asks `env` first and falls back to `file` only when `env`
/// says the name is not present. A name set in `env`, even to an empty or
/// non-UTF-8 value, is never replaced by the file.
#[allow(clippy::implicit_hasher)]
pub fn layered(
    env: impl Fn(&str) -> Result<String, VarError>,
    file: HashMap<String, String>,
) -> impl Fn(&str) -> Result<String, VarError> {
    move |name| match env(name) {
        Err(VarError::NotPresent) => file.get(name).cloned().ok_or(VarError::NotPresent),
        found => found,
    }
}

/// The real environment over the `.env` file at `path`. `use<>` says the
/// returned closure borrows nothing from `path`.
///
/// # Errors
/// As for [`read_dotenv`].
pub fn env_with_dotenv(
    path: &Path,
) -> Result<impl Fn(&str) -> Result<String, VarError> + use<>, dotenvy::Error> {
    Ok(layered(|name| std::env::var(name), read_dotenv(path)?))
}
