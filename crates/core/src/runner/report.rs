//! What a check reports: the outcome, per-test results, diagnostics, progress
//! events, and the tool's own errors (kept apart from the learner's).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::ending::{Ending, Status, Stop};
use super::sandbox::{Limit, Protection};
use super::{Diagnostic, TestResult};
use crate::course::Exercise;
use crate::deps::DepSet;

/// Everything a check found out.
#[derive(Debug, Clone)]
pub struct Report {
    /// How it ended.
    pub ending: Ending,
    /// Per-test results (empty when it did not compile).
    pub tests: Vec<TestResult>,
    /// Compiler errors and warnings about the learner's crate.
    pub diagnostics: Vec<Diagnostic>,
    /// The last lines the tests wrote to standard error when the run
    /// stopped early (what a crash said), when there were any.
    pub said: Option<String>,
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
    /// The sandbox's protections that were in force for the tests.
    pub sandbox: Vec<Protection>,
    /// Where the learner wrote the tests: how they fared.
    pub learner_tests: Option<LearnerTests>,
    /// Where the check's time went, phase by phase, for `TENSORLINGS_TRACE`.
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

/// How tests the learner wrote fared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LearnerTests {
    /// Against each of the course's bugs (empty until the tests pass on the
    /// reference code).
    pub bugs: Vec<BugResult>,
}

impl LearnerTests {
    /// The bugs no test caught.
    pub fn missed(&self) -> impl Iterator<Item = &BugResult> {
        self.bugs.iter().filter(|b| !b.caught)
    }
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
    /// The coarse outcome: passed, did not compile, failed, stopped.
    pub fn status(&self) -> Status {
        self.ending.status()
    }

    /// Whether every hidden test passed.
    pub fn passed(&self) -> bool {
        self.ending == Ending::Passed
    }

    /// The limit that stopped the build or the tests, when one did.
    pub fn limit(&self) -> Option<Limit> {
        self.ending.stop().and_then(Stop::limit)
    }

    /// An empty report of a check that has not run yet: not passed.
    pub fn new(timeout: Duration) -> Report {
        Report {
            ending: Ending::TestsFailed,
            tests: Vec::new(),
            diagnostics: Vec::new(),
            said: None,
            output_truncated: false,
            losses: BTreeMap::new(),
            timeout,
            duration: Duration::ZERO,
            test_duration: Duration::ZERO,
            sandbox: Vec::new(),
            learner_tests: None,
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
    /// A build the learner did not write (a dependency set's, clippy's) was
    /// stopped: a limit or the time limit.
    #[error("{0}")]
    Stopped(Stop),
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
    /// What the learner writes in it, and what it is checked against.
    pub work: Work<'a>,
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
}

/// What the learner writes, and what checks it.
#[derive(Debug, Clone)]
pub enum Work<'a> {
    /// The learner writes code; the course's hidden tests check it.
    Code {
        /// The hidden tests.
        tests: &'a Path,
        /// Tests only grading runs, checked beside `tests` (same rules, one
        /// module: names must not clash).
        grading: Option<&'a Path>,
        /// The exercise's starter as shipped, when it is another file than
        /// the one checked: the comparisons it derives are part of the
        /// exercise's contract.
        starter: Option<PathBuf>,
    },
    /// The learner writes the tests: they must pass on the reference code
    /// and fail on each of the course's bugs.
    Tests {
        /// The correct code the tests run against.
        reference: &'a Path,
        /// The buggy versions, each of which some test must fail on.
        bugs: &'a [crate::course::Bug],
    },
}

impl Work<'_> {
    /// The grading-only tests, when they run.
    pub fn grading(&self) -> Option<&Path> {
        match self {
            Work::Code { grading, .. } => *grading,
            Work::Tests { .. } => None,
        }
    }
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
        let work = match exercise.kind {
            crate::course::raw::ExerciseKind::Code => Work::Code {
                tests: &exercise.tests,
                grading: None,
                starter: Some(starter_of(exercise)),
            },
            // The learner's tests run on the reference, which the course
            // keeps where a code exercise keeps its hidden tests.
            crate::course::raw::ExerciseKind::Tests => Work::Tests {
                reference: &exercise.tests,
                bugs: &exercise.bugs,
            },
        };
        CheckRequest {
            source,
            work,
            deps: exercise.deps,
            crates: &exercise.crates,
            timeout: exercise.timeout,
            display_name,
            lints: &exercise.lints,
        }
    }

    /// A check of `source` as `grade` runs it: the hidden tests and the
    /// exercise's grading-only tests, when the course has them.
    pub fn for_grading(
        exercise: &'a Exercise,
        source: &'a Path,
        display_name: String,
    ) -> CheckRequest<'a> {
        let mut request = CheckRequest::of(exercise, source, display_name);
        if let Work::Code { grading, .. } = &mut request.work {
            *grading = exercise.grading_tests.as_deref();
        }
        request
    }
}

impl Report {
    /// The graph a front end should draw: a failed test's with marks first,
    /// then any failed test's, then the first one's; with the test's name.
    pub fn graph_to_draw(&self) -> Option<(&str, &crate::graph::Graph)> {
        fn with(test: &TestResult) -> Option<(&str, &crate::graph::Graph)> {
            test.graph.as_ref().map(|g| (test.name.as_str(), g))
        }
        let failed = || self.tests.iter().filter(|t| !t.passed());
        failed()
            .filter_map(with)
            .find(|(_, g)| g.has_marks())
            .or_else(|| failed().find_map(with))
            .or_else(|| self.tests.iter().find_map(with))
    }

    /// The timeline a front end should draw, chosen like the graph: a failed
    /// test's with marks first, then any failed test's, then the first one's.
    pub fn timeline_to_draw(&self) -> Option<(&str, &crate::graph::Timeline)> {
        fn with(test: &TestResult) -> Option<(&str, &crate::graph::Timeline)> {
            test.timeline.as_ref().map(|t| (test.name.as_str(), t))
        }
        let failed = || self.tests.iter().filter(|t| !t.passed());
        failed()
            .filter_map(with)
            .find(|(_, t)| t.has_marks())
            .or_else(|| failed().find_map(with))
            .or_else(|| self.tests.iter().find_map(with))
    }
}
