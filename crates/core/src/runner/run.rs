//! Running the test binary in the sandbox and reading its verdict.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::ending::{Ending as CheckEnding, Phase, Stop};
use super::events::{Collector, TestResult};
use super::harness::{self, TestCase};
use super::process::{self, Ending, Limits};
use super::sandbox::{Exit, Limit, Protection, SandboxReport};
use super::toolchain;
use super::workdir::RunDir;
use super::{RunError, Runner};

/// What one run of the hidden tests showed.
pub struct TestRun {
    /// Per-test results, in the course's order.
    pub tests: Vec<TestResult>,
    /// How it ended: passed only when every hidden test passed, by the
    /// harness's own report, and the process exited with 0 by itself within
    /// every limit.
    pub ending: CheckEnding,
    /// What the tests last wrote to standard error, when the run stopped early.
    pub said: Option<String>,
    /// Whether output was cut at the cap.
    pub truncated: bool,
    /// Loss series the tests printed.
    pub losses: std::collections::BTreeMap<String, Vec<(u64, f64)>>,
    /// The protections the run had.
    pub sandbox: Vec<Protection>,
    /// The sandbox supervisor's setup time.
    pub sandbox_setup: Duration,
    /// The whole run, wall clock.
    pub took: Duration,
}

impl Runner {
    /// Sets a test run up in `run_dir`. With `early`, the binary need not be
    /// there yet: the sandbox is set up around the run directory's `bin/`
    /// and the run waits, restricted, until [`Runner::finish_run`] gives it
    /// its input — the binary must be in place by then (only a sandboxed
    /// run can wait so: a plain one would start at once).
    pub(super) fn start_run(
        &self,
        run_dir: &RunDir,
        binary: &Path,
        timeout: Duration,
        early: bool,
    ) -> Result<PendingRun, RunError> {
        let work = run_dir.work();
        let status = run_dir.status();
        let allowed = match binary.parent() {
            Some(bin) if early => bin,
            _ => binary,
        };
        let mut policy = toolchain::test_policy(allowed, &work, timeout);
        policy.wait_for_input = early;
        let mut cmd = self.jail.command(&policy, &status, binary);
        toolchain::test_env(&mut cmd, &work);
        let process = process::start(cmd, self.stop()).map_err(|source| RunError::Io {
            context: "running the hidden tests".to_owned(),
            source,
        })?;
        Ok(PendingRun {
            process: Some(process),
            status,
            jail: self.jail.clone(),
        })
    }

    /// Lets a run go (its input is the secret and the variant) and judges it.
    pub(super) fn finish_run(
        &self,
        pending: PendingRun,
        cases: &[TestCase],
        timeout: Duration,
        variant: usize,
        cancel: &AtomicBool,
    ) -> Result<TestRun, RunError> {
        let started = std::time::Instant::now();
        let mut pending = pending;
        let process = pending
            .process
            .take()
            .ok_or_else(|| RunError::Sandbox("the test run was already used".to_owned()))?;
        let status = pending.status.clone();
        let secret = harness::random_hex();
        let mut collector = Collector::new(&secret);
        let limits = Limits {
            timeout,
            output_cap: self.output_cap,
            line_cap: self.output_cap,
        };
        // The secret, and which variant to run (the learner's tests on the
        // reference code is 0, then one per bug).
        let stdin = format!("{secret} {variant}\n");
        let done = process
            .finish(stdin.as_bytes(), limits, cancel, &mut |line| {
                collector.line(line);
            })
            .map_err(|source| RunError::Io {
                context: "running the hidden tests".to_owned(),
                source,
            })?;
        if done.ending == Ending::Cancelled {
            return Err(RunError::Cancelled);
        }
        let outcome = self.jail.outcome(&status, done.status);
        if let Exit::SetupFailed(why) = &outcome.exit
            && done.ending != Ending::TimedOut
        {
            return Err(RunError::Sandbox(why.clone()));
        }
        let mut run = judge(&collector, cases, &done, outcome, timeout);
        run.took = started.elapsed();
        Ok(run)
    }
}

/// A test run set up and waiting for its input.
pub struct PendingRun {
    /// `None` once it ran.
    process: Option<process::Started>,
    status: std::path::PathBuf,
    jail: super::sandbox::Jail,
}

impl PendingRun {
    /// Ends its input without starting it; it ends by itself and is waited
    /// for when dropped.
    pub fn abandon(&mut self) {
        if let Some(process) = &mut self.process {
            process.abandon();
        }
    }
}

impl Drop for PendingRun {
    /// A run dropped unstarted ends, and what its sandbox made for it (its
    /// control groups) is removed, as after any run.
    fn drop(&mut self) {
        if let Some(process) = self.process.take() {
            drop(process);
            let _ = self.jail.outcome(&self.status, None);
        }
    }
}

/// What a finished run showed: each test's result by the harness's report,
/// and how the run ended.
fn judge(
    collector: &Collector,
    cases: &[TestCase],
    done: &process::Finished,
    outcome: SandboxReport,
    timeout: Duration,
) -> TestRun {
    let (tests, reported_pass) = collector.results(cases);
    let limit = outcome.limit.or_else(|| memory_limit(&done.stderr));
    let during = Phase::Testing {
        test: collector.running().map(str::to_owned),
    };
    let timed_out = (done.ending == Ending::TimedOut).then_some(timeout);
    let run = Run {
        reported_pass,
        finished: collector.finished(),
        exit: &outcome.exit,
        limit,
        timed_out,
    };
    let ending = run.ending(during);
    let said = super::tail(&done.stderr, 3);
    let said = (timed_out.is_none() && ending.stop().is_some() && !said.trim().is_empty())
        .then(|| said.trim().to_owned());
    TestRun {
        tests,
        ending,
        said,
        truncated: done.truncated || done.dropped_lines > 0,
        losses: collector.losses(),
        sandbox_setup: Duration::from_micros(outcome.setup_us),
        took: Duration::ZERO,
        sandbox: outcome.active,
    }
}

/// A failed allocation under the address-space limit: Rust's runtime says so
/// on standard error, then aborts.
fn memory_limit(stderr: &[u8]) -> Option<Limit> {
    String::from_utf8_lossy(stderr)
        .contains("memory allocation of")
        .then_some(Limit::ProcessMemory {
            limit: toolchain::TEST_MEMORY,
        })
}

/// What a finished test process showed, as the verdict needs it.
struct Run<'a> {
    /// Every hidden test reported passed, with the final count.
    reported_pass: bool,
    /// The harness's final report arrived.
    finished: bool,
    exit: &'a Exit,
    limit: Option<Limit>,
    /// The time limit, when it ran out.
    timed_out: Option<Duration>,
}

impl Run<'_> {
    /// How the run ended. A pass needs every hidden test the course defines
    /// reported passed with the secret (and the final count), the process
    /// ending by itself with 0, in time, within every limit; anything short
    /// of a clean end is a stop: the time limit, a limit, a signal, an exit
    /// before every test reported.
    fn ending(&self, during: Phase) -> CheckEnding {
        if let Some(after) = self.timed_out {
            return CheckEnding::Stopped(Stop::Timeout {
                phase: during,
                after,
            });
        }
        if let Some(limit) = self.limit {
            return CheckEnding::Stopped(Stop::Limit {
                phase: during,
                limit,
            });
        }
        let stop = match self.exit {
            Exit::Signal(signal) => Stop::Signal {
                signal: *signal,
                during,
            },
            Exit::Code(0) if self.finished && self.reported_pass => return CheckEnding::Passed,
            Exit::Code(0 | 101) if self.finished => return CheckEnding::TestsFailed,
            Exit::Code(code) => Stop::EarlyExit {
                code: *code,
                during,
            },
            Exit::Stopped => Stop::Supervisor,
            Exit::SetupFailed(why) => Stop::SandboxFailed(why.clone()),
        };
        CheckEnding::Stopped(stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ending(
        reported_pass: bool,
        timed_out: bool,
        limit: Option<Limit>,
        exit: &Exit,
    ) -> CheckEnding {
        Run {
            reported_pass,
            finished: true,
            exit,
            limit,
            timed_out: timed_out.then_some(Duration::from_secs(1)),
        }
        .ending(Phase::Testing { test: None })
    }

    #[test]
    fn only_a_clean_end_with_every_report_is_a_pass() {
        assert_eq!(
            ending(true, false, None, &Exit::Code(0)),
            CheckEnding::Passed
        );
        // Every report, but something else is off.
        assert_eq!(
            ending(true, false, None, &Exit::Code(101)),
            CheckEnding::TestsFailed
        );
        assert!(ending(true, true, None, &Exit::Code(0)).stop().is_some());
        let disk = Limit::Disk { limit: 1 };
        assert_eq!(
            ending(true, false, Some(disk), &Exit::Code(0))
                .stop()
                .and_then(Stop::limit),
            Some(disk)
        );
        assert!(matches!(
            ending(true, false, None, &Exit::Signal(9)),
            CheckEnding::Stopped(Stop::Signal { signal: 9, .. })
        ));
        assert_eq!(
            ending(true, false, None, &Exit::Stopped),
            CheckEnding::Stopped(Stop::Supervisor)
        );
        // A clean exit without the reports (exit(0) mid-run).
        assert_eq!(
            ending(false, false, None, &Exit::Code(0)),
            CheckEnding::TestsFailed
        );
        let early = Run {
            reported_pass: false,
            finished: false,
            exit: &Exit::Code(0),
            limit: None,
            timed_out: None,
        };
        assert_eq!(
            early.ending(Phase::Testing {
                test: Some("adds".to_owned())
            }),
            CheckEnding::Stopped(Stop::EarlyExit {
                code: 0,
                during: Phase::Testing {
                    test: Some("adds".to_owned())
                }
            })
        );
    }

    #[test]
    fn a_failed_allocation_is_the_memory_limit() {
        let limit = memory_limit(b"memory allocation of 17179869184 bytes failed\n");
        assert!(matches!(limit, Some(Limit::ProcessMemory { .. })));
        assert_eq!(memory_limit(b"thread panicked"), None);
    }
}
