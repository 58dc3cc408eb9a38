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
    // TODO: dotenvy reads from any `io::Read`, and `&[u8]` is one.
    // Collect the (name, value) results straight into the map.
    let _ = text;
    todo!()
}

/// Reads a `.env` file into a map. A missing file is an empty map: in
/// production there is usually no `.env` at all.
///
/// # Errors
/// Any read error other than "not found", and parse errors.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, dotenvy::Error> {
    // TODO: use the dotenvy function that ITERATES a file; do not call one
    // that loads it into the process environment.
    let _ = path;
    todo!()
}

/// A lookup that asks `env` first and falls back to `file` only when `env`
/// says the name is not present. A name set in `env`, even to an empty or
/// non-UTF-8 value, is never replaced by the file.
pub fn layered(
    env: impl Fn(&str) -> Result<String, VarError>,
    file: HashMap<String, String>,
) -> impl Fn(&str) -> Result<String, VarError> {
    // TODO: ask `env` first; only `Err(VarError::NotPresent)` may fall back
    // to `file`.
    move |name: &str| {
        let _ = (&env, &file, name);
        todo!()
    }
}

/// The real environment over the `.env` file at `path`. (Given: the thin
/// wrapper. `use<>` says the returned closure borrows nothing from `path`.)
///
/// # Errors
/// As for [`read_dotenv`].
pub fn env_with_dotenv(
    path: &Path,
) -> Result<impl Fn(&str) -> Result<String, VarError> + use<>, dotenvy::Error> {
    Ok(layered(|name| std::env::var(name), read_dotenv(path)?))
}
