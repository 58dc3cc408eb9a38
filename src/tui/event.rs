//! The one event channel and the threads that feed it: terminal input, the
//! check worker and the background build of dependency sets (the file
//! watcher, the fourth, is in [`super::watch`]).
//!
//! Every thread only sends; the app's loop blocks on the receiving end, so an
//! idle app sleeps. Nothing here touches app state.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// How long the input thread waits for a terminal event before it looks
/// whether it should park. On Unix a signal wakes it for a pause, so the wait
/// can be long; elsewhere it must be short, or it would take the first key
/// meant for the editor.
const POLL: Duration = if cfg!(unix) {
    Duration::from_secs(10)
} else {
    Duration::from_millis(100)
};

use crossterm::event::{self as term, KeyEvent, MouseEvent};

use crate::course::Exercise;
use crate::deps::DepSet;
use crate::runner::{self, CheckRequest, Report, RunError, Runner};

/// Everything the app reacts to, from every source.
#[derive(Debug)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event (the wheel scrolls, a click selects).
    Mouse(MouseEvent),
    /// The terminal was resized to columns × rows.
    Resize(u16, u16),
    /// Time passed while something animates (sent only then).
    Tick,
    /// An exercise file was saved, by any editor; carries the exercise id.
    FileChanged(String),
    /// A check reported progress.
    Progress {
        /// The run it belongs to.
        run: u64,
        /// What happened.
        event: runner::Milestone,
    },
    /// A check ended.
    Finished {
        /// The run it belongs to.
        run: u64,
        /// The report, or why there is none.
        outcome: Result<Box<Report>, RunFailure>,
    },
    /// The background build of a dependency set moved on.
    Prep(PrepEvent),
    /// The editor launched with `e` exited; `error` says why it could not run.
    EditorClosed {
        /// The exercise that was edited.
        exercise: String,
        /// Why the editor could not be started or failed.
        error: Option<String>,
    },
    /// Something went wrong outside a check (the watcher, the terminal).
    Problem(String),
    /// Something the learner should read before going on (a newer starter,
    /// progress set aside, checks that cannot run): a box over everything.
    Notice(String),
    /// A line about this system for the help screen (the sandbox, how saves
    /// are noticed).
    About(String),
}

/// Why a check produced no report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunFailure {
    /// A newer save cancelled it; a new check follows.
    Cancelled,
    /// The learner's file is not there to check (deleted, renamed); says which.
    FileMissing(String),
    /// The tool failed (cargo missing, cache unwritable …), not the learner.
    Tool(String),
}

/// Progress of the background build of a dependency set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepEvent {
    /// The sets the course needs beyond std, each with whether it is built.
    Planned(Vec<(DepSet, bool)>),
    /// Building `set` began; about `total` crates will be compiled.
    Started {
        /// The set.
        set: DepSet,
        /// Crates in its lockfile.
        total: usize,
    },
    /// Its crates are being downloaded (first use only).
    Fetching(DepSet),
    /// One crate of it finished compiling.
    Compiled {
        /// The set.
        set: DepSet,
        /// The crate.
        name: String,
    },
    /// The set is ready, or could not be built.
    Done {
        /// The set.
        set: DepSet,
        /// Why it failed, if it did.
        error: Option<String>,
    },
}

/// The sending half handed to every thread.
pub type Tx = Sender<Event>;

/// A new event channel.
pub fn channel() -> (Tx, Receiver<Event>) {
    mpsc::channel()
}

/// Controls the terminal input thread, which must stop reading while an
/// editor owns the terminal.
#[derive(Clone)]
pub struct Input {
    paused: Arc<(Mutex<bool>, Condvar)>,
    parked: Arc<Mutex<Receiver<()>>>,
    parked_tx: Sender<()>,
}

impl Input {
    /// Starts the input thread.
    pub fn spawn(tx: Tx) -> Input {
        let (parked_tx, parked) = mpsc::channel();
        let input = Input {
            paused: Arc::new((Mutex::new(false), Condvar::new())),
            parked: Arc::new(Mutex::new(parked)),
            parked_tx,
        };
        let control = input.clone();
        thread::spawn(move || control.read_loop(&tx));
        input
    }

    fn read_loop(&self, tx: &Tx) {
        loop {
            self.wait_while_paused();
            match term::poll(POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(err) => {
                    let _ = tx.send(Event::Problem(format!(
                        "reading the terminal failed: {err}"
                    )));
                    return;
                }
            }
            let event = match term::read() {
                Ok(term::Event::Key(key)) => Event::Key(key),
                Ok(term::Event::Mouse(mouse)) => Event::Mouse(mouse),
                Ok(term::Event::Resize(cols, rows)) => Event::Resize(cols, rows),
                Ok(_) => continue,
                Err(err) => Event::Problem(format!("reading the terminal failed: {err}")),
            };
            if tx.send(event).is_err() {
                return;
            }
        }
    }

    fn wait_while_paused(&self) {
        let (lock, wake) = &*self.paused;
        let mut paused = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if *paused {
            let _ = self.parked_tx.send(());
            while *paused {
                paused = wake.wait(paused).unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    /// Stops reading the terminal, and returns once the thread is parked (or
    /// after a second). On Unix the thread is woken from its wait with a
    /// SIGWINCH, which the terminal library turns into a harmless resize
    /// event; elsewhere it parks at its next short poll.
    pub fn pause(&self) {
        *self.paused.0.lock().unwrap_or_else(PoisonError::into_inner) = true;
        #[cfg(unix)]
        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH);
        let parked = self.parked.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = parked.recv_timeout(Duration::from_secs(1));
    }

    /// Lets the thread read the terminal again.
    pub fn resume(&self) {
        let (lock, wake) = &*self.paused;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = false;
        wake.notify_all();
    }
}

/// One check for the worker to run.
pub struct Job {
    /// The run's number, so late results of a superseded run are recognised.
    pub run: u64,
    /// The exercise (a copy: the worker owns it).
    pub exercise: Exercise,
    /// The file's name as the learner sees it.
    pub display_name: String,
    /// Set to stop the run early.
    pub cancel: Arc<AtomicBool>,
}

/// Starts the check worker: it runs jobs one at a time and streams their
/// progress and results into the channel. It ends when the job sender is dropped.
pub fn spawn_worker(
    runner: Result<Runner, String>,
    tx: Tx,
) -> (Sender<Job>, thread::JoinHandle<()>) {
    let (jobs, inbox) = mpsc::channel::<Job>();
    let handle = thread::spawn(move || {
        // The first save's build waits, set up in its sandbox, from here (on
        // this thread, as after each check: a sandbox ends with the thread
        // that made it).
        if let Ok(runner) = &runner {
            runner.warm_up();
        }
        for job in inbox {
            let outcome = match &runner {
                Err(err) => Err(RunFailure::Tool(err.clone())),
                Ok(runner) => check(runner, &job, &tx).map(Box::new),
            };
            if tx
                .send(Event::Finished {
                    run: job.run,
                    outcome,
                })
                .is_err()
            {
                return;
            }
            // The next save's build waits, set up in its sandbox.
            if let Ok(runner) = &runner {
                runner.warm_up();
            }
        }
    });
    (jobs, handle)
}

fn check(runner: &Runner, job: &Job, tx: &Tx) -> Result<Report, RunFailure> {
    if job.cancel.load(Ordering::Relaxed) {
        return Err(RunFailure::Cancelled);
    }
    let run = job.run;
    let mut on_event = |event| {
        let _ = tx.send(Event::Progress { run, event });
    };
    let request = CheckRequest::of(&job.exercise, &job.exercise.file, job.display_name.clone());
    runner
        .check(&request, &job.cancel, &mut on_event)
        .map_err(failure_of)
}

/// Why a check gave no report, as the app tells it apart.
fn failure_of(err: RunError) -> RunFailure {
    match err {
        RunError::Cancelled => RunFailure::Cancelled,
        missing @ RunError::SourceMissing(_) => RunFailure::FileMissing(missing.to_string()),
        other => RunFailure::Tool(other.to_string()),
    }
}

/// Builds `sets` one after another in the background, lightest first.
pub fn spawn_prep(
    runner: Runner,
    sets: Vec<DepSet>,
    tx: Tx,
    cancel: Arc<AtomicBool>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for set in sets {
            let _ = tx.send(Event::Prep(PrepEvent::Started {
                set,
                total: set.crate_count(),
            }));
            let mut on_event = |event| match event {
                runner::Milestone::Fetching(set) => {
                    let _ = tx.send(Event::Prep(PrepEvent::Fetching(set)));
                }
                runner::Milestone::Compiled { set, name, .. }
                    if !name.starts_with("build_script") =>
                {
                    let _ = tx.send(Event::Prep(PrepEvent::Compiled { set, name }));
                }
                _ => {}
            };
            let error = match runner.prepare(set, &cancel, &mut on_event) {
                Ok(()) => None,
                Err(RunError::Cancelled) => return,
                Err(err) => Some(err.to_string()),
            };
            if tx
                .send(Event::Prep(PrepEvent::Done { set, error }))
                .is_err()
            {
                return;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_stays_a_missing_file_on_its_way_to_the_app() {
        let missing = RunError::SourceMissing(std::path::PathBuf::from("exercises/a/add.rs"));
        assert_eq!(
            failure_of(missing),
            RunFailure::FileMissing("exercises/a/add.rs: no such file".to_owned())
        );
        assert_eq!(failure_of(RunError::Cancelled), RunFailure::Cancelled);
        assert!(matches!(
            failure_of(RunError::Cargo("boom".to_owned())),
            RunFailure::Tool(_)
        ));
    }

    #[test]
    fn crate_counts_come_from_the_lockfiles() {
        assert_eq!(DepSet::Std.crate_count(), 0);
        assert!(DepSet::Light.crate_count() > 3);
        assert!(DepSet::Async.crate_count() > DepSet::Light.crate_count());
        assert!(DepSet::Ml.crate_count() > DepSet::Async.crate_count());
    }
}
