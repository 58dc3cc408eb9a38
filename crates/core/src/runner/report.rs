//! What a check reports: the outcome, per-test results, diagnostics, progress
//! events, and the tool's own errors (kept apart from the learner's).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::sandbox::{Limit, Protection};
use super::{Diagnostic, TestResult};
use crate::course::Exercise;
use crate::deps::DepSet;

/// The learner-facing outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Compiled and every hidden test passed.
    Passed,
    /// The file did not compile.
    CompileError,
    /// It compiled, and at least one hidden test failed or the tests crashed.
    TestsFailed,
    /// The tests ran past the exercise's time limit and were stopped.
    TimedOut,
}

impl Status {
    /// The name used in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::CompileError => "compile_error",
            Status::TestsFailed => "tests_failed",
            Status::TimedOut => "timed_out",
        }
    }
}

/// Everything a check found out.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The outcome.
    pub status: Status,
    /// Per-test results (empty when it did not compile).
    pub tests: Vec<TestResult>,
    /// Compiler errors and warnings about the learner's crate.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the test process ended early (a signal, an abort), when it did.
    pub crash: Option<String>,
    /// Whether output was cut at the cap.
    pub output_truncated: bool,
    /// Loss series that tests printed, by test name.
    pub losses: BTreeMap<String, Vec<(u64, f64)>>,
    /// The time limit the tests ran under.
    pub timeout: Duration,
    /// Wall-clock time of the whole check.
    pub duration: Duration,
    /// Wall-clock time of the hidden tests alone (zero when they did not run).
    pub test_duration: Duration,
    /// The limit that stopped the build or the tests, when one did.
    pub limit: Option<Limit>,
    /// The sandbox's protections that were in force for the tests.
    pub sandbox: Vec<Protection>,
    /// For an exercise where the learner writes the tests: how they fared
    /// against each of the course's bugs (empty until they pass on the
    /// reference code).
    pub bugs: Vec<BugResult>,
    /// Where the check's time went, phase by phase, for `TENSORLINGS_TRACE`.
    #[serde(skip)]
    pub timings: Vec<Timing>,
    /// Whether the exercise's grading-only tests ran too (in `grade` and
    /// `verify`, never in a learner's check).
    pub with_grading_tests: bool,
}

/// One phase of a check and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// What happened: "compile", "run (variant 0)" …
    pub phase: String,
    /// How long it took, wall clock.
    pub took: Duration,
    /// Of that, the sandbox supervisor's setup, when the phase ran in it.
    pub sandbox: Option<Duration>,
}

/// How the learner's tests fared against one buggy version of the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BugResult {
    /// The bug's name.
    pub name: String,
    /// What is wrong, in plain words.
    pub description: String,
    /// Whether some test failed on it (or ran out of time).
    pub caught: bool,
    /// The tests that failed on it.
    pub caught_by: Vec<String>,
}

impl Report {
    /// An empty report of a check that has not run yet: not passed.
    pub fn new(timeout: Duration) -> Report {
        Report {
            status: Status::TestsFailed,
            tests: Vec::new(),
            diagnostics: Vec::new(),
            crash: None,
            output_truncated: false,
            losses: BTreeMap::new(),
            timeout,
            duration: Duration::ZERO,
            test_duration: Duration::ZERO,
            limit: None,
            sandbox: Vec::new(),
            bugs: Vec::new(),
            timings: Vec::new(),
            with_grading_tests: false,
        }
    }
}

/// How far a check or a build has got, reported as it goes.
#[derive(Debug, Clone)]
pub enum Milestone {
    /// Downloading the set's crates (first use only).
    Fetching(DepSet),
    /// cargo finished one unit of the build; `fresh` when it was already built.
    Compiled {
        /// The dependency set being built.
        set: DepSet,
        /// The crate's name.
        name: String,
        /// Whether cargo reused an earlier build.
        fresh: bool,
    },
    /// The build is done; the hidden tests are running.
    Testing,
}

/// A failure of the tool itself, as opposed to anything the learner did.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// cargo could not be started.
    #[error(
        "cargo was not found ({0}); install the Rust toolchain with rustup and make sure `cargo` is on PATH"
    )]
    CargoMissing(io::Error),
    /// The cache directory for built crates is not writable.
    #[error(
        "cannot write the build cache at {path}: {source}; set TENSORLINGS_CACHE_DIR to a writable directory"
    )]
    CacheUnwritable {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file to check is not there (deleted, renamed).
    #[error("{}: no such file", .0.display())]
    SourceMissing(PathBuf),
    /// The file to check could not be read.
    #[error("{path}: {reason}")]
    Source {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// cargo failed for a reason other than the learner's code.
    #[error("cargo failed: {0}")]
    Cargo(String),
    /// Any other I/O failure in the tool.
    #[error("{context}: {source}")]
    Io {
        /// What the tool was doing.
        context: String,
        /// The error.
        source: io::Error,
    },
    /// The course's hidden tests cannot be used.
    #[error("{path}: {reason}")]
    Tests {
        /// The hidden tests file.
        path: PathBuf,
        /// What is wrong, with the line.
        reason: String,
    },
    /// The sandbox could not be set up.
    #[error(
        "the sandbox could not be set up: {0}; `tensorlings doctor` shows what this system provides"
    )]
    Sandbox(String),
    /// The caller cancelled the check.
    #[error("the check was cancelled")]
    Cancelled,
}

/// What to check and how to show it: only what the runner needs, not the
/// whole exercise.
pub struct CheckRequest<'a> {
    /// The file to check (usually the learner's file).
    pub source: &'a Path,
    /// The hidden tests.
    pub tests: &'a Path,
    /// The pinned crates it builds against.
    pub deps: DepSet,
    /// The crates the hidden tests may name.
    pub crates: &'a [String],
    /// How long the hidden tests may run.
    pub timeout: Duration,
    /// How to name the file in messages.
    pub display_name: String,
    /// Lint levels the course sets for the learner's code.
    pub lints: &'a [crate::course::Lint],
    /// For an exercise where the learner writes the tests: the code they run
    /// against. `source` then holds the learner's tests, and `tests` is not
    /// read.
    pub subject: Option<&'a Path>,
    /// The exercise's starter as shipped, when it is another file than
    /// `source`: the comparisons it derives are part of the exercise's
    /// contract.
    pub starter: Option<PathBuf>,
    /// Tests only grading runs, checked beside `tests` (same rules, one
    /// module: names must not clash).
    pub grading: Option<&'a Path>,
}

/// Where an exercise's starter as shipped is: the pristine copy a workspace
/// keeps (its `exercises/` hold the learner's files), else the course's own
/// file (an instructor's course, a clone's `exercises/`).
fn starter_of(exercise: &Exercise) -> PathBuf {
    let root = exercise
        .file
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent);
    root.map(|root| {
        root.join(crate::course::layout::starter_copy(
            &exercise.lesson,
            &exercise.id,
        ))
    })
    .filter(|kept| kept.is_file())
    .unwrap_or_else(|| exercise.file.clone())
}

impl<'a> CheckRequest<'a> {
    /// A check of `source` against `exercise`'s hidden tests.
    pub fn of(exercise: &'a Exercise, source: &'a Path, display_name: String) -> CheckRequest<'a> {
        CheckRequest {
            source,
            tests: &exercise.tests,
            deps: exercise.deps,
            crates: &exercise.crates,
            timeout: exercise.timeout,
            display_name,
            lints: &exercise.lints,
            // A `tests` exercise runs the learner's tests on the reference.
            subject: (exercise.kind == crate::course::raw::ExerciseKind::Tests)
                .then_some(exercise.tests.as_path()),
            starter: (exercise.kind == crate::course::raw::ExerciseKind::Code)
                .then(|| starter_of(exercise)),
            grading: None,
        }
    }

    /// A check of `source` as `grade` runs it: the hidden tests and the
    /// exercise's grading-only tests, when the course has them.
    pub fn for_grading(
        exercise: &'a Exercise,
        source: &'a Path,
        display_name: String,
    ) -> CheckRequest<'a> {
        CheckRequest {
            grading: exercise.grading_tests.as_deref(),
            ..CheckRequest::of(exercise, source, display_name)
        }
    }
}

impl Report {
    /// The graph a front end should draw: a failed test's with marks first,
    /// then any failed test's, then the first one's; with the test's name.
    pub fn graph_to_draw(&self) -> Option<(&str, &super::graph::Graph)> {
        fn with(test: &TestResult) -> Option<(&str, &super::graph::Graph)> {
            test.graph.as_ref().map(|g| (test.name.as_str(), g))
        }
        let failed = || self.tests.iter().filter(|t| !t.passed);
        failed()
            .filter_map(with)
            .find(|(_, g)| g.has_marks())
            .or_else(|| failed().find_map(with))
            .or_else(|| self.tests.iter().find_map(with))
    }

    /// The timeline a front end should draw, chosen like the graph: a failed
    /// test's with marks first, then any failed test's, then the first one's.
    pub fn timeline_to_draw(&self) -> Option<(&str, &super::timeline::Timeline)> {
        fn with(test: &TestResult) -> Option<(&str, &super::timeline::Timeline)> {
            test.timeline.as_ref().map(|t| (test.name.as_str(), t))
        }
        let failed = || self.tests.iter().filter(|t| !t.passed);
        failed()
            .filter_map(with)
            .find(|(_, t)| t.has_marks())
            .or_else(|| failed().find_map(with))
            .or_else(|| self.tests.iter().find_map(with))
    }
}
