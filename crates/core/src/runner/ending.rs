//! How a check, a build and each hidden test ended: facts, never words.
//! The sentences a learner reads about them are written in one place,
//! `feedback::words`.

use std::time::Duration;

use serde::Serialize;

use super::Place;
use super::sandbox::Limit;
use crate::deps::DepSet;

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// It compiled and every hidden test passed.
    Passed,
    /// The learner's file did not compile.
    CompileError,
    /// It compiled, ran to its end, and some test failed (or, where the
    /// learner writes the tests, some bug went uncaught).
    TestsFailed,
    /// The build or the tests did not reach their own end.
    Stopped(Stop),
}

/// What a build or a test run was doing when it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Building a dependency set's crates (the first use of the set).
    BuildingSet(DepSet),
    /// Compiling the learner's code with the tests.
    Compiling,
    /// Running clippy over it.
    Linting,
    /// Running the hidden tests; `test` was running when it stopped, when
    /// the harness had said so.
    Testing {
        /// The test that had started and not ended.
        test: Option<String>,
    },
}

/// Why a build or a test run did not reach its own end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// It ran past its time limit.
    Timeout {
        /// What it was doing.
        phase: Phase,
        /// The limit.
        after: Duration,
    },
    /// It went past one of the sandbox's limits.
    Limit {
        /// What it was doing.
        phase: Phase,
        /// The limit it hit.
        limit: Limit,
    },
    /// A signal ended the test process.
    Signal {
        /// The signal's number.
        signal: i32,
        /// What it was doing.
        during: Phase,
    },
    /// The test process exited by itself before every test had reported.
    EarlyExit {
        /// Its exit code.
        code: i32,
        /// What it was doing.
        during: Phase,
    },
    /// The sandbox's supervisor stopped it for a reason it did not name.
    Supervisor,
    /// The sandbox failed while the run was under way.
    SandboxFailed(String),
}

impl Stop {
    /// The limit behind this stop, when a limit was.
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Stop::Limit { limit, .. } => Some(*limit),
            _ => None,
        }
    }

    /// Whether the tests had been built and were running when it stopped.
    pub fn while_testing(&self) -> bool {
        matches!(
            self,
            Stop::Timeout {
                phase: Phase::Testing { .. },
                ..
            } | Stop::Limit {
                phase: Phase::Testing { .. },
                ..
            } | Stop::Signal { .. }
                | Stop::EarlyExit { .. }
                | Stop::Supervisor
                | Stop::SandboxFailed(_)
        )
    }
}

impl Ending {
    /// The coarse outcome `check --format json`, `grade` and progress use.
    pub fn status(&self) -> Status {
        match self {
            Ending::Passed => Status::Passed,
            Ending::CompileError => Status::CompileError,
            Ending::Stopped(Stop::Timeout { .. }) => Status::TimedOut,
            Ending::Stopped(stop @ Stop::Limit { .. }) if !stop.while_testing() => Status::TimedOut,
            Ending::TestsFailed | Ending::Stopped(_) => Status::TestsFailed,
        }
    }

    /// The stop, when it was one.
    pub fn stop(&self) -> Option<&Stop> {
        match self {
            Ending::Stopped(stop) => Some(stop),
            _ => None,
        }
    }
}

/// The coarse outcome of a check, by which progress, `grade` and the JSON
/// of `check` sort it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Compiled and every hidden test passed.
    Passed,
    /// The file did not compile.
    CompileError,
    /// It compiled, and at least one hidden test failed or the tests crashed.
    TestsFailed,
    /// The tests ran past the exercise's time limit, or the build was
    /// stopped, and were stopped.
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

/// How one hidden test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// It reported a pass.
    Passed,
    /// It panicked (or returned an error).
    Failed(Panic),
    /// It started and never reported its end: the run stopped during it.
    DidNotFinish,
    /// It never started: the run stopped before its turn.
    DidNotRun,
    /// It reported its end more than once, which the harness never does.
    ReportedTwice,
}

/// A failed test's panic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Panic {
    /// The message, without an assertion's two sides.
    pub message: String,
    /// The left value of a failed `assert_eq!`/`assert_ne!`.
    pub left: Option<String>,
    /// The right value of a failed `assert_eq!`/`assert_ne!`.
    pub right: Option<String>,
    /// Where it panicked.
    pub location: Option<Place>,
}

impl TestOutcome {
    /// Whether the test passed.
    pub fn passed(&self) -> bool {
        *self == TestOutcome::Passed
    }

    /// The panic, when the test failed by one.
    pub fn panic(&self) -> Option<&Panic> {
        match self {
            TestOutcome::Failed(panic) => Some(panic),
            _ => None,
        }
    }

    /// Whether the test started at all. One that never did failed for
    /// another test's sake, so nothing about it (an author's explanation of
    /// its failure, say) can be about what it checks.
    pub fn ran(&self) -> bool {
        *self != TestOutcome::DidNotRun
    }
}
