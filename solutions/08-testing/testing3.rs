//! Golden files: compare output with a file that is checked in.
//!
//! Some output is too long to write into an `assert_eq!`: a rendered
//! prompt, an evaluation report, a tokenised document. A golden file holds
//! the expected text; the test compares the output with it and shows a
//! readable diff when they differ. When a change is on purpose, you run the
//! tests in update mode, which rewrites the file, and review the change in
//! git like any other.
//!
//! The mode is a parameter, not something `check_golden` reads from the
//! environment: the one place that decides (a test helper reading an
//! `UPDATE_GOLDEN` variable, say) passes it in, and this code stays easy to
//! test.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What `check_golden` does with the golden file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Compare and fail on any difference. Never writes. What CI runs.
    Check,
    /// Write the output as the new golden file. What you run on purpose,
    /// after a change you meant.
    Update,
}

/// Why the output does not match its golden file.
#[derive(Debug)]
pub enum GoldenError {
    /// There is no golden file yet. Check mode does not create one.
    Missing { path: PathBuf },
    /// The output differs; `diff` is `line_diff(golden, output)` of the
    /// normalised texts.
    Mismatch { path: PathBuf, diff: String },
    /// The file could not be read or written.
    Io { path: PathBuf, source: io::Error },
}

impl fmt::Display for GoldenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GoldenError::Missing { path } => write!(
                f,
                "the golden file {} does not exist; run with Mode::Update to create it",
                path.display()
            ),
            GoldenError::Mismatch { path, diff } => write!(
                f,
                "the output differs from the golden file {} (- golden, + output); \
                 if the change is meant, run with Mode::Update and review it:\n{diff}",
                path.display()
            ),
            GoldenError::Io { path, source } => {
                write!(f, "cannot use the golden file {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for GoldenError {}

/// The text as it is compared and written: every `\r\n` becomes `\n`, and
/// a text that does not end in a newline gets one (an empty text stays
/// empty). A checkout on Windows or an editor that adds a last newline then
/// changes nothing.
pub fn normalise(text: &str) -> String {
    let mut out = text.replace("\r\n", "\n");
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The lines that differ, one block per line number (from 1):
///
/// ```text
/// line 2:
/// - "golden line"
/// + "output line"
/// ```
///
/// A line only the golden text has gets just its `-` row; a line only the
/// output has, just its `+` row. Lines are quoted with `{:?}`, so a
/// trailing space or a tab shows. Equal texts give an empty string.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for index in 0..expected.len().max(actual.len()) {
        let (old, new) = (expected.get(index), actual.get(index));
        if old == new {
            continue;
        }
        let number = index + 1;
        out.push_str(&format!("line {number}:\n"));
        if let Some(old) = old {
            out.push_str(&format!("- {old:?}\n"));
        }
        if let Some(new) = new {
            out.push_str(&format!("+ {new:?}\n"));
        }
    }
    out
}

/// Compares `actual` with the golden file at `path`, or rewrites the file.
///
/// `Check`: both texts are normalised and must be equal; a missing file is
/// `Missing` (and is not created), any other read error `Io`. `Update`:
/// creates the folders and writes the normalised output, whatever was there.
///
/// # Errors
/// As described above.
pub fn check_golden(path: &Path, actual: &str, mode: Mode) -> Result<(), GoldenError> {
    let io_error = |source| GoldenError::Io {
        path: path.to_owned(),
        source,
    };
    let actual = normalise(actual);
    match mode {
        Mode::Update => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io_error)?;
            }
            std::fs::write(path, actual).map_err(io_error)
        }
        Mode::Check => {
            let expected = match std::fs::read_to_string(path) {
                Ok(text) => normalise(&text),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return Err(GoldenError::Missing {
                        path: path.to_owned(),
                    });
                }
                Err(err) => return Err(io_error(err)),
            };
            if expected == actual {
                Ok(())
            } else {
                Err(GoldenError::Mismatch {
                    path: path.to_owned(),
                    diff: line_diff(&expected, &actual),
                })
            }
        }
    }
}
