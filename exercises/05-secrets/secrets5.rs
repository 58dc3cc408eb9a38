//! `.env` files with dotenvy, where the real environment always wins.
//!
//! `parse_dotenv` and `read_dotenv` turn `.env` text into a map without
//! touching the process environment. `layered` puts that map UNDER a real
//! lookup: the file only fills in names the environment does not have.
//! Errors say where a bad line is, never what it says: it may be a key.

use std::collections::HashMap;
use std::env::VarError;
use std::fmt;
use std::io;
use std::path::Path;

/// Why a `.env` file could not be used. Unlike `dotenvy::Error`, it never
/// holds text from the file: a line that does not parse may be a key.
#[derive(Debug)]
pub enum DotenvError {
    /// A line is not `NAME=value`. `after` is the last name read before
    /// it, or `None` when the bad line comes before any variable.
    Parse { after: Option<String> },
    /// The file is there but could not be read: a directory, a path through
    /// a regular file, no permission, bytes that are not UTF-8.
    Read(io::Error),
}

impl fmt::Display for DotenvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DotenvError::Parse { after: Some(name) } => write!(
                f,
                "a line after {name} is not NAME=value (its text is left out: it may hold a key)"
            ),
            DotenvError::Parse { after: None } => write!(
                f,
                "a line before the first variable is not NAME=value (its text is left out: it may hold a key)"
            ),
            DotenvError::Read(e) => write!(f, "the .env file is there but cannot be read: {e}"),
        }
    }
}

impl std::error::Error for DotenvError {}

/// Parses `.env` text (comments, `export`, quotes) into a map.
///
/// # Errors
/// `Parse` for a line that is not `NAME=value`, naming the variable before it.
pub fn parse_dotenv(text: &str) -> Result<HashMap<String, String>, DotenvError> {
    // TODO: dotenvy reads from any `io::Read`, and `&[u8]` is one. Walk its
    // items and insert each (name, value) into a map, remembering the last
    // name. On an error, return `DotenvError::Parse` and drop dotenvy's
    // error: its text is the bad line.
    let _ = text;
    todo!()
}

/// Reads a `.env` file into a map. A missing file is an empty map: in
/// production there is usually no `.env` at all.
///
/// # Errors
/// `Read` for any failure to read other than "not found"; `Parse` as above.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, DotenvError> {
    // TODO: read the file as text and parse it. Only `io::ErrorKind::NotFound`
    // means "no file"; every other failure to read is `DotenvError::Read`.
    // Never load the file into the process environment.
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
) -> Result<impl Fn(&str) -> Result<String, VarError> + use<>, DotenvError> {
    Ok(layered(|name| std::env::var(name), read_dotenv(path)?))
}
