//! Checking a learner's file: a temporary crate, cargo, the hidden tests, limits.
//!
//! A check copies the learner's file into a temporary crate named `exercise`,
//! appends the hidden tests as a `#[cfg(test)]` module (the learner's line
//! numbers stay the same), and builds it against the exercise's pinned
//! dependency set in a target directory shared by every check of that set.
//! The test binary then runs in its own process group, with a timeout, an
//! output cap and a cleared environment.

pub mod diagnostics;
pub mod libtest;
mod report;
pub mod sandbox;
mod workdir;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::deps::DepSet;
pub use diagnostics::{Diagnostic, Span, SpanFile};
pub use libtest::TestResult;
pub use report::{CheckRequest, Event, Report, RunError, Status};
use sandbox::{Ending, Limits};
pub use workdir::CacheDir;

/// The default cap on captured test output, per stream.
pub const OUTPUT_CAP: usize = 1024 * 1024;
/// How long a build may take once the dependency set is built.
const WARM_BUILD_LIMIT: Duration = Duration::from_secs(180);
/// How long a build may take when it has to build the dependency set first.
const COLD_BUILD_LIMIT: Duration = Duration::from_secs(60 * 60);

/// Runs checks. Cheap to create; holds only where things are.
#[derive(Debug, Clone)]
pub struct Runner {
    cache: CacheDir,
    cargo: OsString,
    output_cap: usize,
}

impl Runner {
    /// A runner using the user's cache directory (or `TENSORLINGS_CACHE_DIR`)
    /// and `cargo` from PATH (or `TENSORLINGS_CARGO`).
    pub fn new() -> Result<Runner, RunError> {
        Ok(Runner {
            cache: CacheDir::from_env()?,
            cargo: std::env::var_os("TENSORLINGS_CARGO").unwrap_or_else(|| "cargo".into()),
            output_cap: OUTPUT_CAP,
        })
    }

    /// Where built crates are kept.
    pub fn cache(&self) -> &CacheDir {
        &self.cache
    }

    /// Checks `request.source` against the exercise's hidden tests.
    pub fn check(
        &self,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Report, RunError> {
        let started = Instant::now();
        let exercise = request.exercise;
        let learner = read_source(request.source)?;
        let tests = read_source(&exercise.tests)?;
        let set = exercise.deps;
        self.cache.ensure_writable(set)?;
        // Every check of a set builds the same package into the same target
        // directory. cargo decides whether to rebuild by comparing source
        // mtimes with its last build, so the crate is written, built and its
        // test binary copied under one lock: a concurrent check can neither
        // make these sources look stale nor swap the binary in between.
        let lock = self.cache.lock(set)?;
        let krate = workdir::BuildCrate::write(&self.cache, set, &learner, &tests)?;
        self.ensure_fetched(set, krate.path(), cancel, on_event)?;
        let build = self.build(set, krate.path(), &request.display_name, cancel, on_event)?;
        let run_dir = workdir::RunDir::create(&self.cache, set)?;
        let binary = match &build.executable {
            Some(executable) => Some(run_dir.take_binary(executable)?),
            None => None,
        };
        drop(lock);
        let Some(binary) = binary else {
            let status = if build.timed_out {
                Status::TimedOut
            } else {
                Status::CompileError
            };
            return Ok(Report {
                status,
                tests: Vec::new(),
                diagnostics: build.diagnostics,
                crash: build
                    .timed_out
                    .then(|| "the build took too long and was stopped".to_owned()),
                output_truncated: false,
                losses: BTreeMap::new(),
                timeout: exercise.timeout,
                duration: started.elapsed(),
                test_duration: Duration::ZERO,
            });
        };
        on_event(Event::Testing);
        let tests_started = Instant::now();
        let mut run = self.run_tests(run_dir.path(), &binary, exercise.timeout, cancel)?;
        for test in &mut run.parsed.tests {
            if let Some(location) = test.location.as_mut() {
                *location = location
                    .replace(diagnostics::LEARNER_SRC, &request.display_name)
                    .replace(diagnostics::TESTS_SRC, "<hidden tests>");
            }
        }
        let status = match (
            run.timed_out,
            run.crash.is_some(),
            run.parsed.tests.iter().all(|t| t.passed),
        ) {
            (true, _, _) => Status::TimedOut,
            (false, false, true) if !run.parsed.tests.is_empty() => Status::Passed,
            _ => Status::TestsFailed,
        };
        let crash = run.crash.or_else(|| {
            run.parsed
                .tests
                .is_empty()
                .then(|| "no hidden tests ran".to_owned())
        });
        Ok(Report {
            status,
            tests: run.parsed.tests,
            diagnostics: build.diagnostics,
            crash,
            output_truncated: run.truncated,
            losses: run.parsed.losses,
            timeout: exercise.timeout,
            duration: started.elapsed(),
            test_duration: tests_started.elapsed(),
        })
    }

    /// Fetches and builds a dependency set so later checks are fast and offline.
    pub fn prepare(
        &self,
        set: DepSet,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), RunError> {
        self.cache.ensure_writable(set)?;
        let _lock = self.cache.lock(set)?;
        let krate = workdir::BuildCrate::write(&self.cache, set, "", "")?;
        self.ensure_fetched(set, krate.path(), cancel, on_event)?;
        let build = self.build(set, krate.path(), "lib.rs", cancel, on_event)?;
        if build.executable.is_some() {
            Ok(())
        } else {
            Err(RunError::Cargo(format!("building the {set} crates failed")))
        }
    }

    /// Runs clippy (its default lints) on `request.source` as the
    /// exercise's file, and returns the warnings that point into that file.
    /// For course authors: reference solutions should be clippy-clean.
    pub fn lint(
        &self,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
    ) -> Result<Vec<Diagnostic>, RunError> {
        let learner = read_source(request.source)?;
        let tests = read_source(&request.exercise.tests)?;
        let set = request.exercise.deps;
        self.cache.ensure_writable(set)?;
        let _lock = self.cache.lock(set)?;
        let krate = workdir::BuildCrate::write(&self.cache, set, &learner, &tests)?;
        self.ensure_fetched(set, krate.path(), cancel, &mut |_| {})?;
        let mut cmd = self.cargo(set, krate.path());
        cmd.args([
            "clippy",
            "--lib",
            "--offline",
            "--locked",
            "--message-format=json",
        ]);
        let limits = Limits {
            timeout: COLD_BUILD_LIMIT,
            output_cap: 64 * 1024,
        };
        let mut build = Build::default();
        let mut on_line = |line: &str| build.take(line, set, &request.display_name, &mut |_| {});
        let done =
            sandbox::run(cmd, limits, cancel, &mut on_line).map_err(RunError::CargoMissing)?;
        match done.ending {
            Ending::Cancelled => Err(RunError::Cancelled),
            Ending::TimedOut => Err(RunError::Cargo("clippy took too long".to_owned())),
            Ending::Exited(status) if !status.success() && build.diagnostics.is_empty() => {
                Err(RunError::Cargo(tail(&done.stderr, 20)))
            }
            Ending::Exited(_) => Ok(build
                .diagnostics
                .into_iter()
                .filter(|d| d.primary().is_some_and(|s| s.file == SpanFile::Learner))
                .collect()),
        }
    }

    fn cargo(&self, set: DepSet, dir: &Path) -> Command {
        let mut cmd = Command::new(&self.cargo);
        sandbox::clear_env(&mut cmd, sandbox::BUILD_ENV);
        cmd.current_dir(dir)
            .env("CARGO_TARGET_DIR", self.cache.target(set))
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    fn ensure_fetched(
        &self,
        set: DepSet,
        dir: &Path,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), RunError> {
        if set == DepSet::Std || self.cache.is_fetched(set) {
            return Ok(());
        }
        on_event(Event::Fetching(set));
        let mut cmd = self.cargo(set, dir);
        for key in sandbox::FETCH_ENV {
            if let Some(value) = std::env::var_os(key) {
                cmd.env(key, value);
            }
        }
        cmd.args(["fetch", "--locked"]);
        let limits = Limits {
            timeout: Duration::from_secs(30 * 60),
            output_cap: 64 * 1024,
        };
        let done =
            sandbox::run(cmd, limits, cancel, &mut |_| {}).map_err(RunError::CargoMissing)?;
        match done.ending {
            Ending::Exited(status) if status.success() => self.cache.mark_fetched(set),
            Ending::Cancelled => Err(RunError::Cancelled),
            _ => Err(RunError::Cargo(format!(
                "could not download the {set} crates (network needed once):\n{}",
                tail(&done.stderr, 20)
            ))),
        }
    }

    fn build(
        &self,
        set: DepSet,
        dir: &Path,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Build, RunError> {
        let mut cmd = self.cargo(set, dir);
        cmd.args([
            "test",
            "--lib",
            "--no-run",
            "--offline",
            "--locked",
            "--message-format=json",
        ]);
        let timeout = if self.cache.is_built(set) {
            WARM_BUILD_LIMIT
        } else {
            COLD_BUILD_LIMIT
        };
        let limits = Limits {
            timeout,
            output_cap: 64 * 1024,
        };
        let mut build = Build::default();
        let mut on_line = |line: &str| build.take(line, set, display_name, on_event);
        let done =
            sandbox::run(cmd, limits, cancel, &mut on_line).map_err(RunError::CargoMissing)?;
        match done.ending {
            Ending::Cancelled => return Err(RunError::Cancelled),
            Ending::TimedOut => {
                build.executable = None;
                build.timed_out = true;
            }
            Ending::Exited(status) if status.success() => {
                if build.executable.is_none() {
                    return Err(RunError::Cargo(
                        "the build produced no test binary".to_owned(),
                    ));
                }
                self.cache.mark_built(set)?;
            }
            Ending::Exited(_) => {
                build.executable = None;
                if !build.diagnostics.iter().any(Diagnostic::is_error) {
                    return Err(RunError::Cargo(tail(&done.stderr, 20)));
                }
            }
        }
        Ok(build)
    }

    fn run_tests(
        &self,
        dir: &Path,
        binary: &Path,
        timeout: Duration,
        cancel: &AtomicBool,
    ) -> Result<TestRun, RunError> {
        let mut cmd = sandbox::limited(binary);
        sandbox::clear_env(&mut cmd, sandbox::TEST_ENV);
        cmd.current_dir(dir)
            .env("RUST_BACKTRACE", "0")
            .args(["--show-output", "--color", "never"]);
        let limits = Limits {
            timeout,
            output_cap: self.output_cap,
        };
        let done =
            sandbox::run(cmd, limits, cancel, &mut |_| {}).map_err(|source| RunError::Io {
                context: "running the hidden tests".to_owned(),
                source,
            })?;
        let stdout = String::from_utf8_lossy(&done.stdout);
        let crash = match done.ending {
            Ending::Cancelled => return Err(RunError::Cancelled),
            // What the process said last on stderr (such as "memory allocation
            // of N bytes failed") is the most specific reason there is.
            Ending::Exited(status) => crash_reason(status).map(|reason| {
                let said = tail(&done.stderr, 3);
                if said.trim().is_empty() {
                    reason
                } else {
                    format!("{reason}; it said: {}", said.trim())
                }
            }),
            Ending::TimedOut => None,
        };
        // Only a run cut short leaves tests without a verdict; ask the binary
        // for its full list then, and only then, to keep the usual path short.
        let cut_short = crash.is_some() || done.ending == Ending::TimedOut;
        let expected = if cut_short {
            self.list_tests(binary, dir, cancel)?
        } else {
            Vec::new()
        };
        let parsed = libtest::parse(&stdout, &expected);
        Ok(TestRun {
            parsed,
            crash,
            timed_out: done.ending == Ending::TimedOut,
            truncated: done.truncated,
        })
    }

    fn list_tests(
        &self,
        binary: &Path,
        dir: &Path,
        cancel: &AtomicBool,
    ) -> Result<Vec<String>, RunError> {
        let mut cmd = Command::new(binary);
        sandbox::clear_env(&mut cmd, sandbox::TEST_ENV);
        cmd.current_dir(dir).args(["--list", "--format", "terse"]);
        let limits = Limits {
            timeout: Duration::from_secs(10),
            output_cap: self.output_cap,
        };
        let done =
            sandbox::run(cmd, limits, cancel, &mut |_| {}).map_err(|source| RunError::Io {
                context: "listing the hidden tests".to_owned(),
                source,
            })?;
        Ok(String::from_utf8_lossy(&done.stdout)
            .lines()
            .filter_map(|line| line.strip_suffix(": test"))
            .map(str::to_owned)
            .collect())
    }
}

/// What the build step produced.
#[derive(Default)]
struct Build {
    executable: Option<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    timed_out: bool,
}

impl Build {
    fn take(
        &mut self,
        line: &str,
        set: DepSet,
        display_name: &str,
        on_event: &mut dyn FnMut(Event),
    ) {
        use cargo_metadata::Message;
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            return;
        };
        match message {
            Message::CompilerArtifact(artifact) => {
                if let Some(exe) = artifact.executable {
                    self.executable = Some(exe.into_std_path_buf());
                } else {
                    on_event(Event::Compiled {
                        set,
                        name: artifact.target.name.clone(),
                        fresh: artifact.fresh,
                    });
                }
            }
            Message::CompilerMessage(msg) if msg.target.name == "exercise" => {
                self.diagnostics
                    .extend(diagnostics::convert(&msg.message, display_name));
            }
            _ => {}
        }
    }
}

struct TestRun {
    parsed: libtest::Parsed,
    crash: Option<String>,
    timed_out: bool,
    truncated: bool,
}

fn crash_reason(status: std::process::ExitStatus) -> Option<String> {
    use std::os::unix::process::ExitStatusExt;
    let signal = status.signal()?;
    let what = match signal {
        6 => {
            "aborted (SIGABRT): `std::process::abort`, a panic while panicking, or a failed allocation"
        }
        9 => "was killed (SIGKILL)",
        11 => "crashed (SIGSEGV): often a stack overflow from unbounded recursion",
        _ => "was stopped by a signal",
    };
    Some(format!("the test process {what} [signal {signal}]"))
}

fn read_source(path: &Path) -> Result<String, RunError> {
    let bytes = fs::read(path).map_err(|err| RunError::Source {
        path: crate::course::tidy(path),
        reason: match err.kind() {
            io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => err.to_string(),
        },
    })?;
    String::from_utf8(bytes).map_err(|err| RunError::Source {
        path: crate::course::tidy(path),
        reason: format!(
            "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
            err.utf8_error().valid_up_to()
        ),
    })
}

/// The last `n` lines of a byte stream, for error messages.
fn tail(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
