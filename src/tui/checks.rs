//! Scheduling checks: one runs at a time, a save of the running exercise
//! cancels it and queues a fresh one, and exercises whose dependency set is
//! still building wait for it. No save is dropped: every request ends in a check
//! of the file as it is when that check starts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::deps::DepSet;
use crate::runner;

/// What a running check is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Queued on the worker.
    Starting,
    /// Downloading crates (first use of a set).
    Fetching(DepSet),
    /// Compiling.
    Compiling,
    /// Running the hidden tests.
    Testing,
}

/// The check in progress.
#[derive(Debug, Clone)]
pub struct Running {
    /// Its run number.
    pub run: u64,
    /// The exercise, by index in course order.
    pub exercise: usize,
    /// Set to cancel it.
    pub cancel: Arc<AtomicBool>,
    /// What it is doing.
    pub phase: Phase,
    /// Animation frame when it started, for the elapsed time shown.
    pub started_tick: u64,
}

/// The background build of one dependency set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DepState {
    /// Not started yet.
    Queued,
    /// Downloading its crates.
    Fetching,
    /// Compiling: `done` of about `total` crates, the last one `last`.
    Building {
        /// Crates compiled so far.
        done: usize,
        /// Crates in the lockfile.
        total: usize,
        /// The crate compiled last.
        last: String,
    },
    /// Built; checks of its exercises are fast.
    Ready,
    /// The build failed; checks try again themselves.
    Failed(String),
}

/// Checks running and waiting, and the dependency sets being built.
#[derive(Debug, Default)]
pub struct Checks {
    pub(crate) next_run: u64,
    /// The check in progress.
    pub running: Option<Running>,
    /// Exercises waiting for a check, oldest first, each at most once.
    pub queue: Vec<usize>,
    /// The dependency sets the course needs beyond std, with their state.
    pub deps: Vec<(DepSet, DepState)>,
}

impl Checks {
    /// Whether checks of `set`'s exercises may start (built, or its build gave up).
    pub fn ready(&self, set: DepSet) -> bool {
        self.deps
            .iter()
            .find(|(s, _)| *s == set)
            .is_none_or(|(_, state)| matches!(state, DepState::Ready | DepState::Failed(_)))
    }

    /// The set being built now, if any.
    pub fn building(&self) -> Option<(DepSet, &DepState)> {
        self.deps
            .iter()
            .find(|(_, state)| matches!(state, DepState::Fetching | DepState::Building { .. }))
            .map(|(set, state)| (*set, state))
    }

    /// Whether a check of `exercise` is running (and not cancelled) or waiting.
    pub fn pending(&self, exercise: usize) -> bool {
        self.queue.contains(&exercise)
            || self
                .running
                .as_ref()
                .is_some_and(|r| r.exercise == exercise && !r.cancel.load(Ordering::Relaxed))
    }

    /// Records a running check's progress.
    pub fn progress(&mut self, run: u64, event: &runner::Milestone) {
        let Some(running) = self.running.as_mut().filter(|r| r.run == run) else {
            return;
        };
        running.phase = match event {
            runner::Milestone::Fetching(set) => Phase::Fetching(*set),
            runner::Milestone::Compiled { .. } => Phase::Compiling,
            runner::Milestone::Testing => Phase::Testing,
        };
    }

    pub(crate) fn state_mut(&mut self, set: DepSet) -> Option<&mut DepState> {
        self.deps
            .iter_mut()
            .find(|(s, _)| *s == set)
            .map(|(_, state)| state)
    }
}
