//! The terminal app: the course tree, the lesson, the exercise, feedback as
//! you save, hints and solutions.
//!
//! [`app`] holds the state and changes it only in `update`; [`ui`] draws it
//! from `&App`; [`event`] feeds one channel from the terminal, the file
//! watcher, the check worker and the background build; [`keys`] maps keys to
//! actions. This module wires them together and owns the terminal.

pub mod app;
pub mod checks;
pub mod content;
pub mod event;
pub mod keys;
pub mod layout;
pub mod state;
pub mod terminal;
pub mod ui;
pub mod view;
pub mod watch;

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use ratatui::layout::Rect;

use self::app::{App, Effect};
use self::content::ColorMode;
use self::event::{Event, Input, Job, Tx};
use self::terminal::Term;
use crate::course::Course;
use crate::runner::Runner;
use crate::session::Session;

/// Time between animation frames, sent only while something animates.
const TICK: Duration = Duration::from_millis(100);

/// Runs the app on `course` until the learner quits; `notes` are what the
/// learner should read first (a newer starter, a file the course no longer
/// has); `poll` looks at the files for saves instead of asking the system.
pub fn run(course: &Course, notes: &[String], poll: bool) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "the tensorlings app needs a terminal; without one, use `tensorlings list`, \
             `tensorlings check ID` and `tensorlings hint ID`"
        );
    }
    let (session, warning) = Session::open(course.clone()).context("reading progress")?;
    let session = session.with_builtin_starters(crate::workspace::builtin_starter);
    let (cols, rows) = crossterm::terminal::size().context("reading the terminal size")?;
    let size = Rect::new(0, 0, cols, rows);
    let mut app = App::new(session, size, ColorMode::from_env()).map_err(|e| anyhow!(e))?;
    if !notes.is_empty() {
        app.update(Event::Notice(notes.join("\n\n")));
    }
    if let Some(warning) = warning {
        app.update(Event::Notice(warning.to_string()));
    }
    let (tx, rx) = event::channel();
    let runner = Runner::new().map_err(|err| err.to_string());
    let (jobs, worker) = event::spawn_worker(runner.clone(), tx.clone());
    if let Ok(runner) = &runner {
        sandbox_line(&mut app, runner);
    }
    let prep_cancel = Arc::new(AtomicBool::new(false));
    let prep = match &runner {
        Ok(runner) => {
            let sets = app.plan_deps(|set| runner.cache().is_built(set));
            (!sets.is_empty()).then(|| {
                event::spawn_prep(runner.clone(), sets, tx.clone(), Arc::clone(&prep_cancel))
            })
        }
        Err(err) => {
            app.update(Event::Notice(format!("Checks cannot run: {err}")));
            None
        }
    };
    let watcher = watch_saves(&mut app, course, &tx, poll);
    let mut term = match terminal::enter() {
        Ok(term) => term,
        Err(err) => {
            terminal::leave();
            return Err(err).context("setting up the terminal");
        }
    };
    let input = Input::spawn(tx.clone());
    let result = event_loop(&mut term, &mut app, &rx, &tx, &jobs, &input);
    terminal::leave();
    // Stop background work so no cargo or test process outlives the app.
    prep_cancel.store(true, Ordering::Relaxed);
    if let Some(cancel) = app.running_cancel() {
        cancel.store(true, Ordering::Relaxed);
    }
    drop(watcher);
    drop(jobs);
    let _ = worker.join();
    if let Some(prep) = prep {
        let _ = prep.join();
    }
    result
}

/// Starts the file watcher, telling the app how saves are noticed.
fn watch_saves(app: &mut App, course: &Course, tx: &Tx, poll: bool) -> Option<watch::Watcher> {
    let exercises: Vec<_> = course.exercises().collect();
    let result = watch::watch(&course.root.join("exercises"), &exercises, tx.clone(), poll);
    match result {
        Ok(watcher) => {
            app.update(Event::About(watcher.how.describe()));
            if let watch::How::Polling(why) = &watcher.how {
                app.update(Event::Problem(format!(
                    "saves are noticed by looking at the files every {} ms, because {why}",
                    watch::POLL_EVERY.as_millis()
                )));
            }
            Some(watcher)
        }
        Err(err) => {
            app.update(Event::Problem(format!(
                "saves are not watched ({err}); press c to check"
            )));
            None
        }
    }
}

fn event_loop(
    term: &mut Term,
    app: &mut App,
    rx: &Receiver<Event>,
    tx: &Tx,
    jobs: &Sender<Job>,
    input: &Input,
) -> Result<()> {
    term.draw(|frame| ui::draw(frame, &app.screen()))?;
    let mut last_tick = Instant::now();
    loop {
        // Block until something happens; wake for animation only while it runs.
        let event = if app.animating() {
            match rx.recv_timeout(TICK.saturating_sub(last_tick.elapsed())) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => Event::Tick,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(event) => event,
                Err(_) => return Ok(()),
            }
        };
        app.update(event);
        // Take whatever else is waiting before drawing once.
        while let Ok(event) = rx.try_recv() {
            app.update(event);
        }
        if app.animating() && last_tick.elapsed() >= TICK {
            app.update(Event::Tick);
            last_tick = Instant::now();
        }
        for effect in app.take_effects() {
            carry_out(effect, term, app, tx, jobs, input)?;
        }
        if app.quitting() {
            return Ok(());
        }
        term.draw(|frame| ui::draw(frame, &app.screen()))?;
    }
}

fn carry_out(
    effect: Effect,
    term: &mut Term,
    app: &mut App,
    tx: &Tx,
    jobs: &Sender<Job>,
    input: &Input,
) -> Result<()> {
    match effect {
        Effect::Check {
            run,
            exercise,
            cancel,
        } => {
            let job = Job {
                run,
                exercise: app.exercise(exercise).clone(),
                display_name: app.display_name(exercise),
                cancel,
            };
            if jobs.send(job).is_err() {
                app.update(Event::Problem(
                    "the check worker stopped; restart tensorlings".to_owned(),
                ));
            }
        }
        Effect::Edit(exercise) => {
            let path = app.exercise(exercise).file.clone();
            input.pause();
            let error = terminal::edit(term, &path);
            input.resume();
            let error = error.context("restoring the terminal after the editor")?;
            if let Ok((cols, rows)) = crossterm::terminal::size() {
                app.update(Event::Resize(cols, rows));
            }
            let id = app.exercise(exercise).id.clone();
            // Through the channel, after any saves the watcher saw meanwhile.
            let _ = tx.send(Event::EditorClosed {
                exercise: id,
                error,
            });
        }
    }
    Ok(())
}

/// Tells the learner what the sandbox provides here: a line on the help
/// screen always, and a status message when something is missing.
fn sandbox_line(app: &mut App, runner: &Runner) {
    use crate::runner::sandbox::Protection;
    let line = match runner.probe_sandbox() {
        Ok(_) if !runner.jail().is_active() && cfg!(target_os = "linux") => {
            "Sandbox: none on this system; checks run as ordinary processes (tensorlings doctor)."
                .to_owned()
        }
        Ok(_) if !runner.jail().is_active() => format!(
            "Sandbox: {} (tensorlings doctor)",
            crate::runner::sandbox::provides()
        ),
        Ok(active) => {
            let off: Vec<&str> = Protection::ALL
                .iter()
                .filter(|p| !active.contains(p))
                .map(|p| p.name())
                .collect();
            if off.is_empty() {
                "Sandbox: every protection is on; checks touch nothing but their own run (tensorlings doctor).".to_owned()
            } else {
                let line = format!(
                    "Sandbox: without {} here, so learner code is less contained (tensorlings doctor).",
                    off.join(", ")
                );
                app.update(Event::Problem(line.clone()));
                line
            }
        }
        Err(err) => {
            let line = format!("Sandbox: {err}");
            app.update(Event::Notice(line.clone()));
            line
        }
    };
    app.update(Event::About(line));
}
