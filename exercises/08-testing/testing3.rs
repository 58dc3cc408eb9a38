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
        // TODO: one message per variant. Name the file (`path.display()`);
        // Missing and Mismatch also say to run with `Mode::Update`, and
        // Mismatch ends with the diff.
        let _ = f;
        todo!()
    }
}

impl std::error::Error for GoldenError {}

/// The text as it is compared and written: every `\r\n` becomes `\n`, and
/// a text that does not end in a newline gets one (an empty text stays
/// empty). A checkout on Windows or an editor that adds a last newline then
/// changes nothing.
pub fn normalise(text: &str) -> String {
    // TODO: replace `\r\n` with `\n`, then add a last newline if the
    // text is not empty and lacks one.
    let _ = text;
    todo!()
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
    // TODO: collect both texts' `lines()`, walk up to the longer length
    // and compare `get(i)` of each: `Option`s tell a changed line from a
    // missing or extra one.
    let _ = (expected, actual);
    todo!()
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
    // TODO: normalise the output. Update: `fs::create_dir_all` the
    // parent, then `fs::write`. Check: `fs::read_to_string`, where only
    // `io::ErrorKind::NotFound` means Missing; compare the normalised
    // texts and put `line_diff` into a Mismatch.
    let _ = (path, actual, mode);
    todo!()
}
