//! Checking a learner's file: a build crate, cargo, the hidden tests, a sandbox.
//!
//! A check writes the learner's file, the course's hidden tests and a small
//! harness into the dependency set's build crate (see [`harness`]), builds it
//! with cargo in a target directory shared by every check of that set, and
//! runs the test binary. Both the build and the run happen inside the
//! [`sandbox`]; the verdict comes from the harness's secret-tagged report
//! checked against the tests the course defines, never from what learner
//! code prints.

mod build;
mod config;
pub mod diagnostics;
pub mod events;
pub mod graph;
pub mod harness;
mod plan;
pub mod platform;
mod process;
mod report;
mod run;
pub mod sandbox;
pub mod tells;
pub mod timeline;
pub mod toolchain;
pub mod unsound;
mod workdir;

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::deps::DepSet;
use build::Step;
pub use config::{LEARNER_BUILD_LIMIT, RunnerConfig};
pub use diagnostics::{Diagnostic, Level, Place, Span, SpanFile};
pub use events::TestResult;
pub use report::{BugResult, CheckRequest, Milestone, Report, RunError, Status, Timing};
use sandbox::Jail;
use toolchain::Toolchain;
pub use workdir::CacheDir;

/// The default cap on captured test output, per stream.
pub const OUTPUT_CAP: usize = 1024 * 1024;
/// How long the first build of a dependency set may take.
const COLD_BUILD_LIMIT: Duration = Duration::from_secs(60 * 60);

/// Runs checks. Cheap to create; holds only where things are.
#[derive(Debug, Clone)]
pub struct Runner {
    cache: CacheDir,
    toolchain: Toolchain,
    jail: Jail,
    output_cap: usize,
    incremental: bool,
    compile_timeout: Duration,
}

impl Runner {
    /// A runner with the settings of this process's environment (read
    /// here, once: see [`RunnerConfig::from_env`]) and the sandbox the
    /// binary installed with [`Jail::install`].
    pub fn new() -> Result<Runner, RunError> {
        Runner::with_config(&RunnerConfig::from_env())
    }

    /// A runner with `config`'s settings and the installed sandbox.
    pub fn with_config(config: &RunnerConfig) -> Result<Runner, RunError> {
        Ok(Runner {
            cache: CacheDir::new(config.cache_dir.as_deref())?,
            toolchain: Toolchain::new(config),
            jail: Jail::installed(),
            output_cap: OUTPUT_CAP,
            incremental: true,
            compile_timeout: config.compile_timeout,
        })
    }

    /// Builds without incremental compilation: for grading, where each
    /// exercise is built once, so what incremental saves for the next build
    /// is never used and only costs time (about a fifth of a grade).
    #[must_use]
    pub fn without_incremental(mut self) -> Runner {
        self.incremental = false;
        self
    }

    /// The sandbox checks run in.
    pub fn jail(&self) -> &Jail {
        &self.jail
    }

    /// The same runner with another sandbox.
    #[must_use]
    pub fn with_jail(mut self, jail: Jail) -> Runner {
        self.jail = jail;
        self
    }

    /// Where built crates are kept.
    pub fn cache(&self) -> &CacheDir {
        &self.cache
    }

    /// Checks `source` as `exercise` asks: its hidden tests for a `code`
    /// exercise; for a `tests` exercise, the learner's tests on the reference
    /// code (all must pass) and then on each of the course's bugs (each must
    /// make one fail). A missed bug is a failed check.
    pub fn check_exercise(
        &self,
        exercise: &crate::course::Exercise,
        source: &Path,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Report, RunError> {
        let request = CheckRequest::of(exercise, source, display_name.to_owned());
        self.check_exercise_as(exercise, &request, cancel, on_event)
    }

    /// Checks `source` as `grade` does: as [`Runner::check_exercise`], with
    /// the exercise's grading-only tests run beside its hidden tests.
    pub fn grade_exercise(
        &self,
        exercise: &crate::course::Exercise,
        source: &Path,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Report, RunError> {
        let request = CheckRequest::for_grading(exercise, source, display_name.to_owned());
        self.check_exercise_as(exercise, &request, cancel, on_event)
    }

    fn check_exercise_as(
        &self,
        exercise: &crate::course::Exercise,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Report, RunError> {
        let bugs: Vec<&Path> = exercise.bugs.iter().map(|b| b.file.as_path()).collect();
        let (mut report, runs) = self.check_variants(request, &bugs, cancel, on_event)?;
        report.with_grading_tests = request.grading.is_some();
        if request.subject.is_none() || report.status != Status::Passed {
            return Ok(report);
        }
        for (bug, run) in exercise.bugs.iter().zip(runs) {
            report.bugs.push(BugResult {
                name: bug.name.clone(),
                description: bug.description.clone(),
                // A failed test, a timeout or a crash all tell the bug apart.
                caught: !run.passed,
                caught_by: run
                    .tests
                    .iter()
                    .filter(|t| !t.passed)
                    .map(|t| t.name.clone())
                    .collect(),
            });
        }
        if report.bugs.iter().any(|b| !b.caught) {
            report.status = Status::TestsFailed;
        }
        Ok(report)
    }

    /// Checks `request.source` against the exercise's hidden tests.
    pub fn check(
        &self,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Report, RunError> {
        self.check_variants(request, &[], cancel, on_event)
            .map(|(report, _)| report)
    }

    /// Checks `request`, and when it passes and `bugs` are given (the
    /// learner wrote the tests), runs the same tests on each bug: one build
    /// holds the reference and every bug, and each runs in a sandboxed
    /// process of its own, with its own time limit. Returns the report of
    /// the reference run and one run per bug (none when it did not pass).
    fn check_variants(
        &self,
        request: &CheckRequest<'_>,
        bugs: &[&Path],
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<(Report, Vec<run::TestRun>), RunError> {
        let started = Instant::now();
        let (learner, tests, cases, subject) = sources(request)?;
        if let Some(mut report) = refused(request, &learner) {
            report.duration = started.elapsed();
            return Ok((report, Vec::new()));
        }
        let mut subjects: Vec<String> = subject.into_iter().collect();
        if !subjects.is_empty() {
            for bug in bugs {
                subjects.push(read_source(bug)?);
            }
        }
        let subjects: Vec<&str> = subjects.iter().map(String::as_str).collect();
        let set = request.deps;
        self.cache.ensure_writable(set)?;
        let mut report = Report::new(request.timeout);
        let mut clock = Clock::start(started);
        clock.lap("read and scan the sources", None);
        // Every check of a set builds the same package into the same target
        // directory: the crate is written, built and its binary taken under
        // one lock, so a concurrent check cannot swap sources or binaries.
        let lock = self.cache.lock(set)?;
        self.ensure_built(set, cancel, on_event)?;
        clock.lap(
            "take the set's lock (and build the set, the first time)",
            None,
        );
        let crates: Vec<&str> = request.crates.iter().map(String::as_str).collect();
        let files =
            harness::crate_files(&learner, &tests, &cases, &crates, request.lints, &subjects);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        clock.lap("write the build crate", None);
        let step = Step {
            subcommand: "build",
            phase: "compiling your code".to_owned(),
            timeout: self.compile_timeout,
            budget: toolchain::learner_build_budget(),
            direct: true,
        };
        let build =
            self.cargo_build(set, &krate, &step, &request.display_name, cancel, on_event)?;
        clock.lap(
            if build.by_rustc {
                "compile with rustc alone"
            } else {
                "compile with cargo"
            },
            Some(build.sandbox_setup),
        );
        report.diagnostics.clone_from(&build.diagnostics);
        let run_dir = workdir::RunDir::create(&self.cache, set)?;
        let binary = match &build.executable {
            Some(executable) if build.success => Some(run_dir.take_binary(executable)?),
            _ => None,
        };
        build::clear_old_binaries(&self.cache.target(set));
        drop(lock);
        clock.lap("take the test binary", None);
        let Some(binary) = binary else {
            report.timings = clock.timings;
            return build_failed(report, &build, started).map(|report| (report, Vec::new()));
        };
        on_event(Milestone::Testing);
        let tests_started = Instant::now();
        let mut runs =
            self.run_variants(&run_dir, &binary, &cases, request, subjects.len(), cancel)?;
        for (variant, run) in runs.iter().enumerate() {
            if let Some(run) = run {
                clock.timings.push(Timing {
                    phase: format!("run the tests (variant {variant})"),
                    took: run.took,
                    sandbox: Some(run.sandbox_setup),
                });
            }
        }
        let mut bug_runs: Vec<run::TestRun> = runs.split_off(1).into_iter().flatten().collect();
        let Some(Some(run)) = runs.pop() else {
            return Err(RunError::Sandbox(
                "the reference run did not happen".to_owned(),
            ));
        };
        take_run(&mut report, run);
        if report.status != Status::Passed {
            bug_runs.clear();
        }
        report.duration = started.elapsed();
        report.test_duration = tests_started.elapsed();
        report.timings = clock.timings;
        Ok((report, bug_runs))
    }

    /// Runs the binary once per variant (one for the course's hidden tests;
    /// where the learner wrote the tests, the reference and then each bug),
    /// in a random order, each in a run directory of its own with its own
    /// copy of the binary: no run can tell from the order, or from what an
    /// earlier run left or changed, whether it runs the reference or a bug.
    /// Stops once the reference failed (the bugs then count for nothing).
    /// Returns the runs by variant; `None` for those not run.
    fn run_variants(
        &self,
        first_dir: &workdir::RunDir,
        binary: &Path,
        cases: &[harness::TestCase],
        request: &CheckRequest<'_>,
        variants: usize,
        cancel: &AtomicBool,
    ) -> Result<Vec<Option<run::TestRun>>, RunError> {
        let variants = variants.max(1);
        let mut runs: Vec<Option<run::TestRun>> = (0..variants).map(|_| None).collect();
        for (n, variant) in harness::shuffled(variants).into_iter().enumerate() {
            let own;
            let (dir, exe) = if n == 0 {
                (first_dir, binary.to_path_buf())
            } else {
                own = workdir::RunDir::create(&self.cache, request.deps)?;
                let exe = own.copy_binary(binary)?;
                (&own, exe)
            };
            let run = self.run_tests(dir, &exe, cases, request.timeout, variant, cancel)?;
            let reference_failed = variant == 0 && !run.passed;
            runs[variant] = Some(run);
            if reference_failed {
                break;
            }
        }
        Ok(runs)
    }

    /// Builds the set's pinned crates the first time (the long budget), so
    /// that the learner's own compile afterwards gets a short one.
    fn ensure_built(
        &self,
        set: DepSet,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<(), RunError> {
        if self.cache.is_built(set) {
            return Ok(());
        }
        // Every crate of the set, so that the first build builds them all.
        let files = harness::crate_files("", "", &[], set.crates(), &[], &[]);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        self.ensure_fetched(set, &krate, cancel, on_event)?;
        let step = Step {
            subcommand: "build",
            phase: format!("building the {set} crates"),
            timeout: COLD_BUILD_LIMIT,
            budget: toolchain::deps_build_budget(),
            direct: false,
        };
        let build = self.cargo_build(set, &krate, &step, "lib.rs", cancel, on_event)?;
        build::clear_old_binaries(&self.cache.target(set));
        if let Some(stopped) = build.stopped {
            return Err(RunError::Cargo(stopped));
        }
        if !build.success {
            return Err(RunError::Cargo(format!(
                "building the {set} crates failed:\n{}",
                build.stderr_tail
            )));
        }
        self.cache.mark_built(set)
    }

    /// The protections a sandboxed run gets on this system, found by running
    /// a trivial command (this binary's `--version`) in the test sandbox.
    pub fn probe_sandbox(&self) -> Result<Vec<sandbox::Protection>, RunError> {
        let Some(exe) = self.jail.exe() else {
            return Ok(Vec::new());
        };
        let dir = tempfile::tempdir().map_err(workdir::io("creating a probe directory"))?;
        let work = dir.path().join("work");
        fs::create_dir(&work).map_err(workdir::io("creating a probe directory"))?;
        let status = dir.path().join("status.json");
        let policy = toolchain::test_policy(exe, &work, Duration::from_secs(10));
        let mut cmd = self.jail.command(&policy, &status, exe);
        toolchain::test_env(&mut cmd, &work);
        cmd.arg("--version");
        let limits = process::Limits {
            timeout: Duration::from_secs(10),
            output_cap: 4096,
            line_cap: usize::MAX,
        };
        let done = process::run(
            cmd,
            process::Stop::Supervisor,
            b"",
            limits,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .map_err(workdir::io("probing the sandbox"))?;
        let outcome = self.jail.outcome(&status, done.status);
        match outcome.exit {
            sandbox::Exit::Code(0) if done.stdout.starts_with(b"tensorlings") => Ok(outcome.active),
            sandbox::Exit::SetupFailed(why) => Err(RunError::Sandbox(why)),
            other => Err(RunError::Sandbox(format!(
                "a trivial command failed in it ({other:?}): {}",
                tail(&done.stderr, 5)
            ))),
        }
    }

    /// Fetches and builds a dependency set so later checks are fast and offline.
    pub fn prepare(
        &self,
        set: DepSet,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<(), RunError> {
        self.cache.ensure_writable(set)?;
        let _lock = self.cache.lock(set)?;
        self.ensure_built(set, cancel, on_event)
    }

    /// Runs clippy (its default lints) on `request.source` as the
    /// exercise's file, and returns the warnings that point into that file.
    /// For course authors: reference solutions should be clippy-clean.
    pub fn lint(
        &self,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
    ) -> Result<Vec<Diagnostic>, RunError> {
        let (learner, tests, cases, subject) = sources(request)?;
        let set = request.deps;
        self.cache.ensure_writable(set)?;
        let _lock = self.cache.lock(set)?;
        self.ensure_built(set, cancel, &mut |_| {})?;
        let crates: Vec<&str> = request.crates.iter().map(String::as_str).collect();
        let subjects: Vec<&str> = subject.as_deref().into_iter().collect();
        let files =
            harness::crate_files(&learner, &tests, &cases, &crates, request.lints, &subjects);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        let step = Step {
            subcommand: "clippy",
            phase: "clippy".to_owned(),
            timeout: COLD_BUILD_LIMIT,
            budget: toolchain::learner_build_budget(),
            direct: false,
        };
        let build = self.cargo_build(
            set,
            &krate,
            &step,
            &request.display_name,
            cancel,
            &mut |_| {},
        )?;
        build::clear_old_binaries(&self.cache.target(set));
        if let Some(stopped) = build.stopped {
            return Err(RunError::Cargo(stopped));
        }
        if !build.success && !build.has_errors() {
            return Err(RunError::Cargo(build.stderr_tail));
        }
        Ok(build
            .diagnostics
            .into_iter()
            .filter(|d| d.primary().is_some_and(|s| s.file == SpanFile::Learner))
            .collect())
    }

    fn ensure_fetched(
        &self,
        set: DepSet,
        dir: &Path,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<(), RunError> {
        if set == DepSet::Std || self.cache.is_fetched(set) {
            return Ok(());
        }
        on_event(Milestone::Fetching(set));
        // The download runs no code of anyone's (build scripts run later, in
        // the sandbox), and needs the network, so it runs outside the sandbox.
        let mut cmd = std::process::Command::new(&self.toolchain.cargo);
        let scratch = tempfile::tempdir_in(self.cache.set_dir(set))
            .map_err(workdir::io("creating a download directory"))?;
        self.toolchain
            .build_env(&mut cmd, &self.cache.target(set), scratch.path());
        self.toolchain.fetch_env(&mut cmd);
        cmd.current_dir(dir).args(["fetch", "--locked"]);
        let limits = process::Limits {
            timeout: Duration::from_secs(30 * 60),
            output_cap: 64 * 1024,
            line_cap: usize::MAX,
        };
        let done = process::run(cmd, process::Stop::Group, b"", limits, cancel, &mut |_| {})
            .map_err(RunError::CargoMissing)?;
        match done.ending {
            process::Ending::Exited if done.status.is_some_and(|s| s.success()) => {
                self.cache.mark_fetched(set)
            }
            process::Ending::Cancelled => Err(RunError::Cancelled),
            _ => Err(RunError::Cargo(format!(
                "could not download the {set} crates (network needed once):\n{}",
                tail(&done.stderr, 20)
            ))),
        }
    }
}

fn build_failed(
    mut report: Report,
    build: &build::Build,
    started: Instant,
) -> Result<Report, RunError> {
    if let Some(stopped) = &build.stopped {
        report.status = Status::TimedOut;
        report.crash = Some(stopped.clone());
        report.limit = build.limit;
    } else if build.has_errors() {
        report.status = Status::CompileError;
    } else {
        return Err(RunError::Cargo(build.stderr_tail.clone()));
    }
    report.duration = started.elapsed();
    Ok(report)
}

/// A report of a compile error when the learner's file has a refused shape:
/// a compiler hole, or a comparison the exercise's starter derives replaced.
fn refused(request: &CheckRequest<'_>, learner: &str) -> Option<Report> {
    let mut refused = unsound::scan(learner);
    if let Some(starter) = request.starter.as_deref().filter(|s| *s != request.source)
        && let Ok(starter) = read_source(starter)
    {
        refused.extend(unsound::replaced_derives(&starter, learner));
    }
    if refused.is_empty() {
        return None;
    }
    let mut report = Report::new(request.timeout);
    report.status = Status::CompileError;
    report.diagnostics = refused
        .iter()
        .map(|u| refusal(u, &request.display_name))
        .collect();
    Some(report)
}

/// What the reference run (variant 0) found, into the report.
fn take_run(report: &mut Report, run: run::TestRun) {
    report.tests = run.tests;
    report.status = if run.timed_out {
        Status::TimedOut
    } else if run.passed {
        Status::Passed
    } else {
        Status::TestsFailed
    };
    report.crash = run.crash;
    report.limit = run.limit;
    report.output_truncated = run.truncated;
    report.losses = run.losses;
    report.sandbox = run.sandbox;
}

/// Laps of a check's phases.
struct Clock {
    last: Instant,
    timings: Vec<Timing>,
}

impl Clock {
    fn start(at: Instant) -> Clock {
        Clock {
            last: at,
            timings: Vec::new(),
        }
    }

    /// Ends the phase `phase` now.
    fn lap(&mut self, phase: &str, sandbox: Option<Duration>) {
        let now = Instant::now();
        self.timings.push(Timing {
            phase: phase.to_owned(),
            took: now - self.last,
            sandbox,
        });
        self.last = now;
    }
}

/// A refused shape as a compiler error on the learner's line, so every front
/// end shows it like one, with the code under it.
fn refusal(found: &unsound::Unsound, display_name: &str) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        message: found.message.clone(),
        code: (found.issue != 0).then(|| format!("rust-lang/rust#{}", found.issue)),
        spans: vec![Span {
            file: SpanFile::Learner,
            line_start: found.line,
            line_end: found.line,
            column_start: found.column,
            column_end: found.column + 1,
            is_primary: true,
            label: Some("refused before compiling".to_owned()),
        }],
        notes: vec![if found.issue == 0 {
            "note: the exercise's starter declares this; the hidden tests rely on it".to_owned()
        } else {
            "note: no exercise needs this shape; tensorlings refuses it so that code checked here cannot read or change the test process's memory".to_owned()
        }],
        rendered: format!(
            "error: {}\n  --> {display_name}:{}:{}\n",
            found.message, found.line, found.column
        ),
    }
}

/// The most a file to check may hold: far more than any exercise.
const MAX_SOURCE: u64 = 1 << 20;

/// Reads a file to check: a regular file (a FIFO would block for ever, a
/// device read until memory ran out) of at most [`MAX_SOURCE`] bytes, in UTF-8.
fn read_source(path: &Path) -> Result<String, RunError> {
    use std::io::Read as _;
    let refuse = |reason: String| RunError::Source {
        path: crate::course::tidy(path),
        reason,
    };
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => RunError::SourceMissing(crate::course::tidy(path)),
        _ => refuse(err.to_string()),
    })?;
    let meta = file.metadata().map_err(|err| refuse(err.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file; check a .rs file".to_owned()));
    }
    if meta.len() > MAX_SOURCE {
        return Err(refuse(format!(
            "{} KiB is far larger than any exercise (at most {} KiB)",
            meta.len() >> 10,
            MAX_SOURCE >> 10
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE)
        .read_to_end(&mut bytes)
        .map_err(|err| refuse(err.to_string()))?;
    String::from_utf8(bytes).map_err(|err| {
        refuse(format!(
            "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
            err.utf8_error().valid_up_to()
        ))
    })
}

/// The learner's source, the tests' source, the test list and the subject of
/// a check. Usually the tests are the course's hidden tests; where the
/// learner writes the tests, their file is the test list and the subject is
/// the code the tests run against.
type Sources = (String, String, Vec<harness::TestCase>, Option<String>);

fn sources(request: &CheckRequest<'_>) -> Result<Sources, RunError> {
    // The learner wrote the tests: theirs are the test list, and the subject
    // is the code they run against.
    if let Some(subject) = request.subject {
        let source = read_source(request.source)?;
        let (cases, blanked) = harness::scan(&source).map_err(|err| RunError::Tests {
            path: std::path::PathBuf::from(&request.display_name),
            reason: err.to_string(),
        })?;
        // The registry calls the learner's test functions by name.
        let tests = "#[allow(unused_imports)]\nuse super::*;\n".to_owned();
        return Ok((blanked, tests, cases, Some(read_source(subject)?)));
    }
    let learner = read_source(request.source)?;
    let (mut cases, mut tests) = scan_tests(request.tests)?;
    if let Some(grading) = request.grading {
        // Grading-only tests join the hidden tests' module (so they may use
        // its helpers), after them.
        let (more, text) = scan_tests(grading)?;
        if let Some(clash) = more.iter().find(|m| cases.iter().any(|c| c.name == m.name)) {
            return Err(RunError::Tests {
                path: crate::course::tidy(grading),
                reason: format!(
                    "the test `{}` is also in {}; give it another name",
                    clash.name,
                    crate::course::tidy(request.tests).display()
                ),
            });
        }
        cases.extend(more);
        if !tests.ends_with('\n') {
            tests.push('\n');
        }
        tests.push_str(&text);
    }
    Ok((learner, tests, cases, None))
}

/// The tests of a hidden tests file, and its text with test attributes blanked.
fn scan_tests(path: &Path) -> Result<(Vec<harness::TestCase>, String), RunError> {
    let source = read_source(path)?;
    harness::scan(&source).map_err(|err| RunError::Tests {
        path: crate::course::tidy(path),
        reason: err.to_string(),
    })
}

/// The last `n` lines of a byte stream, for error messages.
fn tail(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
