//! Scheduling checks: one runs at a time, a save of the running exercise
//! cancels it and queues a fresh one, and exercises whose dependency set is
//! still building wait for it. No save is dropped: every request ends in a check
//! of the file as it is when that check starts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::app::{App, Effect, Level, Tab};
use super::event::{PrepEvent, RunFailure};
use crate::deps::DepSet;
use crate::runner::{self, Report, Status};

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
    next_run: u64,
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
    pub fn progress(&mut self, run: u64, event: &runner::Event) {
        let Some(running) = self.running.as_mut().filter(|r| r.run == run) else {
            return;
        };
        running.phase = match event {
            runner::Event::Fetching(set) => Phase::Fetching(*set),
            runner::Event::Compiled { .. } => Phase::Compiling,
            runner::Event::Testing => Phase::Testing,
        };
    }

    fn state_mut(&mut self, set: DepSet) -> Option<&mut DepState> {
        self.deps
            .iter_mut()
            .find(|(s, _)| *s == set)
            .map(|(_, state)| state)
    }
}

impl App {
    /// Notes which dependency sets the course needs and which are built;
    /// returns the ones to build in the background, lightest first.
    pub fn plan_deps(&mut self, is_built: impl Fn(DepSet) -> bool) -> Vec<DepSet> {
        let mut sets: Vec<DepSet> = self
            .course()
            .exercises()
            .map(|e| e.deps)
            .filter(|s| *s != DepSet::Std)
            .collect();
        sets.sort_unstable();
        sets.dedup();
        self.checks.deps = sets
            .iter()
            .map(|&set| {
                (
                    set,
                    if is_built(set) {
                        DepState::Ready
                    } else {
                        DepState::Queued
                    },
                )
            })
            .collect();
        sets.into_iter().filter(|&set| !is_built(set)).collect()
    }

    /// Asks for a check of `exercise`: now, after the running one, or once its
    /// dependency set is built. A check of the exercise already running is
    /// cancelled, since the file it read is out of date.
    pub(super) fn request_check(&mut self, exercise: usize) {
        self.tab = Tab::Feedback;
        if let Some(running) = &self.checks.running
            && running.exercise == exercise
        {
            running.cancel.store(true, Ordering::Relaxed);
        }
        if !self.checks.queue.contains(&exercise) {
            self.checks.queue.push(exercise);
        }
        let set = self.exercise(exercise).deps;
        if !self.checks.ready(set) {
            self.say(
                Level::Info,
                format!("the check waits until the {set} crates are built; std-only exercises can be checked meanwhile"),
            );
        }
        self.start_next();
    }

    /// Starts the oldest waiting check whose dependencies are ready, if none runs.
    fn start_next(&mut self) {
        if self.checks.running.is_some() {
            return;
        }
        let Some(position) = self
            .checks
            .queue
            .iter()
            .position(|&e| self.checks.ready(self.exercise(e).deps))
        else {
            return;
        };
        let exercise = self.checks.queue.remove(position);
        let run = self.checks.next_run;
        self.checks.next_run += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        self.checks.running = Some(Running {
            run,
            exercise,
            cancel: Arc::clone(&cancel),
            phase: Phase::Starting,
            started_tick: self.ticks,
        });
        self.effect(Effect::Check {
            run,
            exercise,
            cancel,
        });
    }

    /// A check ended: record it, update progress, start the next one waiting.
    pub(super) fn on_finished(&mut self, run: u64, outcome: Result<Report, RunFailure>) {
        let Some(running) = self.checks.running.as_ref().filter(|r| r.run == run) else {
            return;
        };
        let exercise = running.exercise;
        self.checks.running = None;
        if let Ok(report) = &outcome {
            let id = self.exercise(exercise).id.clone();
            let passed = report.status == Status::Passed;
            let first_pass = match self.session.record_check(&id, passed) {
                Ok(recorded) => recorded.first_pass,
                Err(err) => {
                    self.say(Level::Warn, format!("progress was not saved: {err}"));
                    false
                }
            };
            if first_pass {
                let next = if exercise + 1 < self.exercise_count() {
                    "; n goes to the next exercise"
                } else {
                    ""
                };
                self.say(Level::Good, format!("{id} passed{next}"));
            }
        }
        if !matches!(outcome, Err(RunFailure::Cancelled)) {
            let file = self.exercise(exercise).file.clone();
            self.view.forget(&file);
        }
        self.record(exercise, outcome);
        self.start_next();
    }

    /// The background build moved on: update its gauge; start checks it held back.
    pub(super) fn on_prep(&mut self, event: PrepEvent) {
        match event {
            PrepEvent::Started { set, total } => {
                if let Some(state) = self.checks.state_mut(set) {
                    *state = DepState::Building {
                        done: 0,
                        total,
                        last: String::new(),
                    };
                }
            }
            PrepEvent::Fetching(set) => {
                if let Some(state) = self.checks.state_mut(set) {
                    *state = DepState::Fetching;
                }
            }
            PrepEvent::Compiled { set, name } => {
                let total = set.crate_count();
                if let Some(state) = self.checks.state_mut(set) {
                    let done = match state {
                        DepState::Building { done, .. } => *done + 1,
                        _ => 1,
                    };
                    *state = DepState::Building {
                        done,
                        total,
                        last: name,
                    };
                }
            }
            PrepEvent::Done { set, error } => {
                if error.is_some() {
                    self.say(
                        Level::Warn,
                        format!("building the {set} crates failed; checks of {set} exercises will try again"),
                    );
                } else {
                    self.say(
                        Level::Good,
                        format!(
                            "the {set} crates are built; this machine will not build them again"
                        ),
                    );
                }
                if let Some(state) = self.checks.state_mut(set) {
                    *state = error.map_or(DepState::Ready, DepState::Failed);
                }
                self.start_next();
            }
        }
    }
}
