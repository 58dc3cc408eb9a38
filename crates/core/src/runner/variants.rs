//! The test runs of a check: one per variant (the course's hidden tests;
//! where the learner wrote the tests, the reference and each bug), each set
//! up in its sandbox while the build runs.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::{CheckRequest, Ending, RunError, Runner, harness, run, workdir};

impl Runner {
    /// Runs the binary once per variant (one for the course's hidden tests;
    /// where the learner wrote the tests, the reference and then each bug),
    /// in a random order, each in a run directory of its own with its own
    /// copy of the binary: no run can tell from the order, or from what an
    /// earlier run left or changed, whether it runs the reference or a bug.
    /// Two run at once (each sandboxed on its own, with its own limits): the
    /// runs are short and a sandboxed start is mostly waiting. No run starts
    /// once the reference failed (the bugs then count for nothing).
    /// Returns the runs by variant; `None` for those not run.
    pub(super) fn run_variants(
        &self,
        prepared: Vec<Prepared>,
        binary: &Path,
        cases: &[harness::TestCase],
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
    ) -> Result<Vec<Option<run::TestRun>>, RunError> {
        let variants = prepared.len();
        let order = harness::shuffled(variants);
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        // The directories stay until every run ended: the first holds the
        // binary the others copy.
        let (dirs, pending): (Vec<workdir::RunDir>, Vec<_>) = prepared
            .into_iter()
            .map(|p| {
                let slot = Slot {
                    run: p.pending,
                    // The first directory has the binary; each other gets a copy.
                    copied: false,
                };
                (p.dir, Mutex::new(Some(slot)))
            })
            .unzip();
        let runs: Mutex<Vec<Option<run::TestRun>>> =
            Mutex::new((0..variants).map(|_| None).collect());
        let one = |n: usize| -> Result<(), RunError> {
            let variant = order[n];
            let dir = &dirs[n];
            let taken = pending[n]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let Some(Slot {
                run: pending,
                copied,
            }) = taken
            else {
                return Ok(());
            };
            let exe = match n {
                0 => binary.to_path_buf(),
                _ if copied => dir.binary(),
                _ => dir.copy_binary(binary)?,
            };
            let pending = match pending {
                Some(pending) => pending,
                None => self.start_run(dir, &exe, request.timeout, false)?,
            };
            let run = self.finish_run(pending, cases, request.timeout, variant, cancel)?;
            if variant == 0 && run.ending != Ending::Passed {
                stop.store(true, Ordering::SeqCst);
            }
            runs.lock().unwrap_or_else(PoisonError::into_inner)[variant] = Some(run);
            Ok(())
        };
        let worker = || -> Result<(), RunError> {
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= variants || stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                if let Err(err) = one(n) {
                    stop.store(true, Ordering::SeqCst);
                    return Err(err);
                }
            }
        };
        let workers = if variants > 1 { PARALLEL_RUNS } else { 1 };
        let done = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(worker)).collect();
            // Meanwhile, this thread gets the runs after the first ones
            // ready: each directory its copy of the binary, and (sandboxed)
            // each run set up in its sandbox, to wait there for its turn. A
            // setup is mostly waiting for the kernel, better done beside the
            // runs than before each; a sandbox is started on this thread,
            // which outlives the runs (a sandbox ends with the thread that
            // started it). A run a worker reaches first, it readies itself.
            for (n, dir) in dirs.iter().enumerate().skip(1) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let mut entry = pending[n].lock().unwrap_or_else(PoisonError::into_inner);
                let Some(slot) = &mut *entry else { continue };
                if !slot.copied {
                    slot.copied = dir.copy_binary(binary).is_ok();
                }
                if slot.run.is_none() && slot.copied && self.jail.is_active() {
                    slot.run = self
                        .start_run(dir, &dir.binary(), request.timeout, true)
                        .ok();
                }
            }
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(RunError::Sandbox("a test run's thread panicked".to_owned()))
                    })
                })
                .collect::<Result<Vec<()>, RunError>>()
        });
        // Runs no longer needed (the reference failed) end unstarted.
        let mut left: Vec<run::PendingRun> = pending
            .into_iter()
            .filter_map(|p| p.into_inner().unwrap_or_else(PoisonError::into_inner))
            .filter_map(|slot| slot.run)
            .collect();
        left.iter_mut().for_each(run::PendingRun::abandon);
        drop(left);
        drop(dirs);
        done?;
        Ok(runs.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A run not yet taken by a worker: set up in its sandbox or not, its
/// binary copied into its directory or not.
struct Slot {
    run: Option<run::PendingRun>,
    copied: bool,
}

/// How many variants run at once. Never more than two: runs that run at
/// the same time can always signal each other somehow (a lock on a file
/// both may read, the processor's load), and three or more could then vote
/// on what the code under test returns, the majority being the reference:
/// tests that pass only where they agree with the majority would catch
/// every bug without testing anything. Two cannot tell which of them is
/// the reference.
pub(super) const PARALLEL_RUNS: usize = 2;

/// A run directory, and the test run set up in it and waiting for the
/// binary (sandboxed checks only).
pub(super) struct Prepared {
    pub dir: workdir::RunDir,
    pub pending: Option<run::PendingRun>,
}

/// Lets every run set up but not started go at once (each ends as its
/// input does), before any is waited for.
pub(super) fn abandon(runs: &mut [Prepared]) {
    for run in runs.iter_mut() {
        if let Some(pending) = &mut run.pending {
            pending.abandon();
        }
    }
}
