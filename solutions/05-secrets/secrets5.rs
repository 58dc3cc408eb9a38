//! `.env` files with dotenvy, where the real environment always wins.
//!
//! `parse_dotenv` and `read_dotenv` turn `.env` text into a map without
//! touching the process environment. `layered` puts that map UNDER a real
//! lookup: the file only fills in names the environment does not have.
//! Errors say where a bad line is, never what it says: it may be a key.

use std::collections::HashMap;
use std::env::VarError;
use std::fmt;
use std::fs;
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
    let mut vars = HashMap::new();
    let mut last: Option<String> = None;
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        // dotenvy's error carries the bad line, and that line may be a key:
        // keep only where it was.
        let Ok((name, value)) = item else {
            return Err(DotenvError::Parse { after: last });
        };
        last = Some(name.clone());
        vars.insert(name, value);
    }
    Ok(vars)
}

/// Reads a `.env` file into a map. A missing file is an empty map: in
/// production there is usually no `.env` at all.
///
/// # Errors
/// `Read` for any failure to read other than "not found"; `Parse` as above.
pub fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, DotenvError> {
    match fs::read_to_string(path) {
        Ok(text) => parse_dotenv(&text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(e) => Err(DotenvError::Read(e)),
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
) -> Result<impl Fn(&str) -> Result<String, VarError> + use<>, DotenvError> {
    Ok(layered(|name| std::env::var(name), read_dotenv(path)?))
}
