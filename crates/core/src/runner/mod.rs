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
mod check;
mod config;
mod diagnostics;
mod direct;
mod ending;
mod events;
pub(crate) mod harness;
mod plan;
mod platform;
mod process;
mod report;
mod run;
pub mod sandbox;
mod sources;
pub(crate) mod tells;
mod toolchain;
pub mod unsound;
mod variants;
mod warm;
mod workdir;

use std::fs;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::deps::DepSet;
use build::Step;
pub use config::{LEARNER_BUILD_LIMIT, RunnerConfig};
pub use diagnostics::{Diagnostic, Level, Place, Span, SpanFile};
pub use ending::{Ending, Panic, Phase, Status, Stop, TestOutcome};
pub use events::TestResult;
pub use report::{
    BugResult, CheckRequest, LearnerTests, Milestone, Report, RunError, Timing, Work,
};
use sandbox::Jail;
use toolchain::Toolchain;
pub use toolchain::test_policy;
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
    /// The next check's build, set up ahead (see [`Runner::warm_up`]).
    warm: warm::Warm,
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
            warm: warm::Warm::default(),
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
        let files = harness::crate_files("", "", &[], set.crates(), &[], &[], true);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        self.ensure_fetched(set, &krate, cancel, on_event)?;
        let step = Step {
            subcommand: "build",
            phase: Phase::BuildingSet(set),
            timeout: COLD_BUILD_LIMIT,
            budget: toolchain::deps_build_budget(),
            direct: false,
            incremental: self.incremental,
        };
        let build =
            self.cargo_build(set, &krate, &step, "lib.rs", cancel, on_event, &mut || {
                Ok(())
            })?;
        build::clear_old_binaries(&self.cache.target(set));
        if let Some(stop) = build.stop {
            return Err(RunError::Stopped(stop));
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
        let sources = sources::sources(request)?;
        let set = request.deps;
        self.cache.ensure_writable(set)?;
        let _lock = self.cache.lock(set)?;
        self.ensure_built(set, cancel, &mut |_| {})?;
        let subjects: Vec<&str> = sources.subject.as_deref().into_iter().collect();
        let files = sources.crate_files(request, &subjects, true);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        let step = Step {
            subcommand: "clippy",
            phase: Phase::Linting,
            timeout: COLD_BUILD_LIMIT,
            budget: toolchain::learner_build_budget(),
            direct: false,
            incremental: self.incremental,
        };
        let build = self.cargo_build(
            set,
            &krate,
            &step,
            &request.display_name,
            cancel,
            &mut |_| {},
            &mut || Ok(()),
        )?;
        build::clear_old_binaries(&self.cache.target(set));
        if let Some(stop) = build.stop {
            return Err(RunError::Stopped(stop));
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

/// The last `n` lines of a byte stream, for error messages.
pub(crate) fn tail(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
