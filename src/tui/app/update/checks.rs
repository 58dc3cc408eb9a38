//! Checks: the queue (one runs at a time; checks of a set wait for its
//! crates), and what a finished check records. Part of `App::update`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::runner::Report;
use crate::session::Checked;
use crate::tui::app::App;
use crate::tui::checks::{Phase, Running};
use crate::tui::event::RunFailure;
use crate::tui::state::{Effect, Level, Tab};

impl App {
    /// Notes which dependency sets the course needs and which are built;
    /// returns the ones to build in the background, lightest first.
    pub(in crate::tui::app) fn request_check(&mut self, exercise: usize) {
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
    pub(in crate::tui::app) fn start_next(&mut self) {
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
    pub(in crate::tui::app) fn on_finished(
        &mut self,
        run: u64,
        outcome: Result<Box<Report>, RunFailure>,
    ) {
        let Some(running) = self.checks.running.as_ref().filter(|r| r.run == run) else {
            return;
        };
        let exercise = running.exercise;
        self.checks.running = None;
        if let Ok(report) = &outcome {
            let id = self.exercise(exercise).id.clone();
            let passed = report.passed();
            match self.session.record_check(&id, passed) {
                Ok(checked) => self.on_checked(exercise, &checked),
                Err(err) => {
                    // The verdict stands, though it was not saved.
                    let verdict = if passed {
                        Checked::PassedAgain
                    } else {
                        Checked::Failed
                    };
                    self.on_checked(exercise, &verdict);
                    self.say(Level::Warn, format!("progress was not saved: {err}"));
                }
            }
        }
        if !matches!(outcome, Err(RunFailure::Cancelled)) {
            let file = self.exercise(exercise).file.clone();
            self.view.forget(&file);
        }
        self.record(exercise, outcome);
        self.start_next();
    }

    /// What the session answered for a check: a pass puts the reference
    /// solution in place (for `s`); a first pass says where to go next.
    fn on_checked(&mut self, exercise: usize, checked: &Checked) {
        if checked.passed() {
            let ex = self.exercise(exercise).clone();
            if let Err(err) = crate::workspace::reveal_solution(self.course(), &ex) {
                self.say(
                    Level::Warn,
                    format!("the reference solution could not be written: {err}"),
                );
            }
            self.view.forget(&ex.solution);
        }
        if let Checked::FirstPass { next } = checked {
            let id = &self.exercise(exercise).id;
            let message = match next {
                Some(_) if exercise + 1 < self.exercise_count() => {
                    format!("{id} passed; n goes to the next exercise")
                }
                Some(next) => format!("{id} passed; {next} is still to do (/ finds it)"),
                None => format!("{id} passed; every exercise of the course has passed"),
            };
            self.say(Level::Good, message);
        }
    }
}
