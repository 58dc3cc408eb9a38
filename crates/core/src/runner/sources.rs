//! The files a check reads: the learner's file, the hidden tests (and the
//! grading-only ones), the code learner-written tests run against — each a
//! regular file of bounded size, in UTF-8.

use std::fs;
use std::io;
use std::path::Path;

use super::{CheckRequest, RunError, Work, harness};

/// The most a file to check may hold: far more than any exercise.
const MAX_SOURCE: u64 = 1 << 20;

/// Reads a file to check: a regular file (a FIFO would block for ever, a
/// device read until memory ran out) of at most [`MAX_SOURCE`] bytes, in UTF-8.
pub(super) fn read_source(path: &Path) -> Result<String, RunError> {
    use std::io::Read as _;
    let refuse = |reason: String| RunError::Source {
        path: crate::course::tidy(path),
        reason,
    };
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => RunError::SourceMissing(crate::course::tidy(path)),
        _ => refuse(err.to_string()),
    })?;
    let meta = file.metadata().map_err(|err| refuse(err.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file; check a .rs file".to_owned()));
    }
    if meta.len() > MAX_SOURCE {
        return Err(refuse(format!(
            "{} KiB is far larger than any exercise (at most {} KiB)",
            meta.len() >> 10,
            MAX_SOURCE >> 10
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE)
        .read_to_end(&mut bytes)
        .map_err(|err| refuse(err.to_string()))?;
    String::from_utf8(bytes).map_err(|err| {
        refuse(format!(
            "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
            err.utf8_error().valid_up_to()
        ))
    })
}

/// What a check builds. Usually the tests are the course's hidden tests;
/// where the learner writes the tests, their file is the test list and the
/// subject is the code the tests run against.
pub(super) struct Sources {
    /// The learner's file (with its test attributes blanked, where the
    /// learner wrote the tests: the registry calls them).
    pub learner: String,
    /// The text of the tests' module.
    pub tests: String,
    /// The tests, in order.
    pub cases: Vec<harness::TestCase>,
    /// The code the learner's tests run against, where they wrote tests.
    pub subject: Option<String>,
}

impl Sources {
    /// The build crate's files for `request`: these sources, the code they
    /// run against (`subjects`), the tests' file under a new random name when
    /// `hide_tests`.
    pub(super) fn crate_files(
        &self,
        request: &CheckRequest<'_>,
        subjects: &[&str],
        hide_tests: bool,
    ) -> Vec<(String, String)> {
        let crates: Vec<&str> = request.crates.iter().map(String::as_str).collect();
        harness::crate_files(
            &self.learner,
            &self.tests,
            &self.cases,
            &crates,
            request.lints,
            subjects,
            hide_tests,
        )
    }
}

pub(super) fn sources(request: &CheckRequest<'_>) -> Result<Sources, RunError> {
    let (tests_file, grading) = match &request.work {
        Work::Tests { reference, .. } => return learner_tests(request, reference),
        Work::Code { tests, grading, .. } => (*tests, *grading),
    };
    let learner = read_source(request.source)?;
    let (mut cases, mut tests) = scan_tests(tests_file)?;
    if let Some(grading) = grading {
        // Grading-only tests join the hidden tests' module (so they may use
        // its helpers), after them.
        let (more, text) = scan_tests(grading)?;
        if let Some(clash) = more.iter().find(|m| cases.iter().any(|c| c.name == m.name)) {
            return Err(RunError::Tests {
                path: crate::course::tidy(grading),
                reason: format!(
                    "the test `{}` is also in {}; give it another name",
                    clash.name,
                    crate::course::tidy(tests_file).display()
                ),
            });
        }
        cases.extend(more);
        if !tests.ends_with('\n') {
            tests.push('\n');
        }
        tests.push_str(&text);
    }
    Ok(Sources {
        learner,
        tests,
        cases,
        subject: None,
    })
}

/// Where the learner wrote the tests: theirs are the test list, and the
/// subject is the code they run against.
fn learner_tests(request: &CheckRequest<'_>, subject: &Path) -> Result<Sources, RunError> {
    let source = read_source(request.source)?;
    let (cases, blanked) = harness::scan(&source).map_err(|err| RunError::Tests {
        path: std::path::PathBuf::from(&request.display_name),
        reason: err.to_string(),
    })?;
    Ok(Sources {
        learner: blanked,
        // The registry calls the learner's test functions by name.
        tests: "#[allow(unused_imports)]\nuse super::*;\n".to_owned(),
        cases,
        subject: Some(read_source(subject)?),
    })
}

/// The tests of a hidden tests file, and its text with test attributes blanked.
fn scan_tests(path: &Path) -> Result<(Vec<harness::TestCase>, String), RunError> {
    let source = read_source(path)?;
    harness::scan(&source).map_err(|err| RunError::Tests {
        path: crate::course::tidy(path),
        reason: err.to_string(),
    })
}
