//! Running the test binary in the sandbox and reading its verdict.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

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
    /// Whether every hidden test passed, by the harness's own report, and the
    /// process exited with 0 by itself within every limit.
    pub passed: bool,
    /// Why the run ended early, in plain words, when it did.
    pub crash: Option<String>,
    /// Whether the time limit ran out.
    pub timed_out: bool,
    /// The limit that stopped it, when one did.
    pub limit: Option<Limit>,
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
    pub(super) fn run_tests(
        &self,
        run_dir: &RunDir,
        binary: &Path,
        cases: &[TestCase],
        timeout: Duration,
        variant: usize,
        cancel: &AtomicBool,
    ) -> Result<TestRun, RunError> {
        let started = std::time::Instant::now();
        let work = run_dir.work();
        let status = run_dir.status();
        let policy = toolchain::test_policy(binary, &work, timeout);
        let mut cmd = self.jail.command(&policy, &status, binary);
        toolchain::test_env(&mut cmd, &work);
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
        let done = process::run(
            cmd,
            self.stop(),
            stdin.as_bytes(),
            limits,
            cancel,
            &mut |line| {
                collector.line(line);
            },
        )
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
        let (tests, reported_pass) = collector.results(cases);
        let timed_out = done.ending == Ending::TimedOut;
        let limit = outcome.limit.or_else(|| memory_limit(&done.stderr));
        let passed = is_pass(reported_pass, timed_out, limit, &outcome.exit);
        let crash = if passed || timed_out {
            None
        } else {
            crash_reason(&outcome, limit, &collector, &done.stderr)
        };
        Ok(TestRun {
            tests,
            passed,
            crash,
            timed_out,
            limit,
            truncated: done.truncated || done.dropped_lines > 0,
            losses: collector.losses(),
            sandbox_setup: Duration::from_micros(outcome.setup_us),
            took: started.elapsed(),
            sandbox: outcome.active,
        })
    }
}

/// A pass needs all of: every hidden test the course defines reported passed
/// with the secret (and the final count), the process ending by itself with
/// 0, in time, within every limit.
fn is_pass(reported_pass: bool, timed_out: bool, limit: Option<Limit>, exit: &Exit) -> bool {
    reported_pass && !timed_out && limit.is_none() && *exit == Exit::Code(0)
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

/// Why the run did not reach a clean end, when it did not: a limit, a signal,
/// an exit before every test reported.
fn crash_reason(
    outcome: &SandboxReport,
    limit: Option<Limit>,
    collector: &Collector,
    stderr: &[u8],
) -> Option<String> {
    let said = super::tail(stderr, 3);
    let said = said.trim();
    let with_said = |reason: String| {
        if said.is_empty() {
            reason
        } else {
            format!("{reason}; it said: {said}")
        }
    };
    if let Some(limit) = limit {
        return Some(with_said(format!("the tests were stopped: {limit}")));
    }
    let during = collector
        .running()
        .map(|name| format!(" during `{name}`"))
        .unwrap_or_default();
    match &outcome.exit {
        Exit::Signal(signal) => Some(with_said(format!(
            "the test process {}{during} [signal {signal}]",
            signal_words(*signal)
        ))),
        Exit::Code(0 | 101) if collector.finished() => None,
        Exit::Code(code) => Some(with_said(format!(
            "the test process exited{during} (code {code}) before every hidden test reported; \
             code that calls std::process::exit ends the tests with it"
        ))),
        Exit::Stopped => Some("the test process was stopped".to_owned()),
        Exit::SetupFailed(why) => Some(format!("the sandbox failed: {why}")),
    }
}

fn signal_words(signal: i32) -> &'static str {
    match signal {
        6 => {
            "aborted (SIGABRT): `std::process::abort`, a panic while panicking, or a failed allocation"
        }
        9 => "was killed (SIGKILL)",
        11 => "crashed (SIGSEGV): often a stack overflow from unbounded recursion",
        _ => "was stopped by a signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clean_end_with_every_report_is_a_pass() {
        assert!(is_pass(true, false, None, &Exit::Code(0)));
        // Every report, but something else is off.
        assert!(!is_pass(true, false, None, &Exit::Code(101)));
        assert!(!is_pass(true, true, None, &Exit::Code(0)));
        assert!(!is_pass(
            true,
            false,
            Some(Limit::Disk { limit: 1 }),
            &Exit::Code(0)
        ));
        assert!(!is_pass(true, false, None, &Exit::Signal(9)));
        assert!(!is_pass(true, false, None, &Exit::Stopped));
        // A clean exit without the reports (exit(0) mid-run).
        assert!(!is_pass(false, false, None, &Exit::Code(0)));
    }

    #[test]
    fn an_exit_before_every_report_names_the_test_and_the_likely_cause() {
        let mut collector = Collector::new("00112233445566778899aabbccddeeff");
        collector.line(r#"tensorlings-report:00112233445566778899aabbccddeeff {"event":"start","name":"adds"}"#);
        let outcome = SandboxReport {
            exit: Exit::Code(0),
            limit: None,
            active: Vec::new(),
            peak_memory: 0,
            peak_processes: 0,
            cgroups: Vec::new(),
            setup_us: 0,
        };
        let reason = crash_reason(&outcome, None, &collector, b"").unwrap();
        assert!(reason.contains("during `adds`"), "{reason}");
        assert!(reason.contains("std::process::exit"), "{reason}");
    }

    #[test]
    fn a_limit_is_named_with_what_the_process_said() {
        let collector = Collector::new("00112233445566778899aabbccddeeff");
        let outcome = SandboxReport {
            exit: Exit::Signal(6),
            limit: None,
            active: Vec::new(),
            peak_memory: 0,
            peak_processes: 0,
            cgroups: Vec::new(),
            setup_us: 0,
        };
        let limit = memory_limit(b"memory allocation of 17179869184 bytes failed\n");
        let reason = crash_reason(
            &outcome,
            limit,
            &collector,
            b"memory allocation of 17179869184 bytes failed",
        )
        .unwrap();
        assert!(
            reason.starts_with("the tests were stopped: a process asked for more than 4 GiB"),
            "{reason}"
        );
        assert!(reason.contains("17179869184"), "{reason}");
    }
}
