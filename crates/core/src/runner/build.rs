//! Building the check's crate with cargo, inside the sandbox.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::diagnostics::{self, Diagnostic};
use super::direct::{Direct, rustc_args};
use super::ending::{self, Phase};
use super::harness::library;
use super::plan::Plan;
use super::process::{self, Ending, Limits, Stop};
use super::sandbox::{Budget, Exit, Limit, SandboxReport};
use super::workdir::io;
use super::{Milestone, RunError, Runner};
use crate::deps::DepSet;

/// What one cargo build produced.
#[derive(Debug, Default)]
pub struct Build {
    /// The test binary, when the build succeeded.
    pub executable: Option<PathBuf>,
    /// Compiler messages about the crate.
    pub diagnostics: Vec<Diagnostic>,
    /// Why the build was stopped before it finished, when it was.
    pub stop: Option<ending::Stop>,
    /// What cargo wrote to standard error (its last lines), for tool errors.
    pub stderr_tail: String,
    /// Whether cargo exited successfully.
    pub success: bool,
    /// The sandbox supervisor's setup time.
    pub sandbox_setup: std::time::Duration,
    /// What cargo reported of the set's crates (for a direct build's plan).
    seen: super::plan::Seen,
    /// Whether rustc built it alone (else cargo did).
    pub by_rustc: bool,
}

/// A cargo subcommand, what to call its work, and how long it may take.
pub struct Step<'a> {
    /// `build` or `clippy`.
    pub subcommand: &'a str,
    /// What the build is, for the learner: compiling their code, building a set.
    pub phase: Phase,
    /// Wall-clock limit.
    pub timeout: Duration,
    /// Resource budgets.
    pub budget: Budget,
    /// Whether rustc may build it directly, when a plan of the set is known
    /// (never for the set's own first build, whose messages make the plan).
    pub direct: bool,
    /// Whether the compiler keeps incremental state (worth it only when the
    /// crate's module names stay from one check to the next).
    pub incremental: bool,
}

impl Runner {
    /// Runs `cargo <step> --bin exercise` on the set's build crate (or, for
    /// the std set, rustc alone), in the build sandbox.
    pub(super) fn cargo_build(
        &self,
        set: DepSet,
        krate: &Path,
        step: &Step<'_>,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Build, RunError> {
        // The std set has no crates to resolve: rustc alone builds it, which
        // spares cargo's own start-up on the most common checks. Another set
        // is built the same way once cargo's own build left a plan of it.
        let plan = (set != DepSet::Std && step.subcommand == "build" && step.direct)
            .then(|| Plan::load(&self.cache.plan_file(set)))
            .flatten();
        let direct = Direct {
            plan: plan.as_ref(),
            harness: self.harness_library(
                set,
                step.direct && step.subcommand == "build",
                plan.as_ref(),
            ),
        };
        let mut build =
            self.build_once(set, krate, step, &direct, display_name, cancel, on_event)?;
        if (direct.plan.is_some() || direct.harness.is_some())
            && build.by_rustc
            && !build.success
            && build.plan_was_stale()
        {
            // The plan named a crate that is gone or was rebuilt, or the
            // harness library no longer fits the compiler: this build goes
            // without them (cargo's messages make a new plan), and the next
            // makes a new library.
            let _ = std::fs::remove_file(self.cache.plan_file(set));
            library::forget(&self.cache.harness_dir(set));
            let fallback = Direct {
                plan: None,
                harness: None,
            };
            build = self.build_once(set, krate, step, &fallback, display_name, cancel, on_event)?;
        }
        if !build.by_rustc
            && build.success
            && set != DepSet::Std
            && step.subcommand == "build"
            && let Some(plan) = build.seen.plan(set.crates())
        {
            plan.save(&self.cache.plan_file(set));
        }
        Ok(build)
    }

    /// One build: rustc alone for the std set or with a plan, else cargo.
    #[allow(clippy::too_many_arguments)] // the build's inputs, each needed
    fn build_once(
        &self,
        set: DepSet,
        krate: &Path,
        step: &Step<'_>,
        plan: &Direct<'_>,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Build, RunError> {
        let Some(cargo) = &self.toolchain.cargo_path else {
            return Err(RunError::CargoMissing(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not there", self.toolchain.cargo.to_string_lossy()),
            )));
        };
        let BuildCommand {
            cmd,
            scratch: _scratch,
            status,
            direct,
        } = self.build_command(set, krate, step, plan, cargo)?;
        let output = self.cache.target(set).join("debug").join("exercise");
        let mut build = Build {
            by_rustc: direct,
            ..Build::default()
        };
        let mut on_line = |line: &str| build.take(line, set, display_name, on_event);
        let limits = Limits {
            timeout: step.timeout,
            output_cap: if direct { 1 << 20 } else { 64 * 1024 },
            // cargo's messages are all read: the test binary's path is among them.
            line_cap: usize::MAX,
        };
        let done = process::run(cmd, self.stop(), b"", limits, cancel, &mut on_line)
            .map_err(RunError::CargoMissing)?;
        if direct {
            // rustc writes its messages to standard error, one JSON object a line.
            for line in String::from_utf8_lossy(&done.stderr).lines() {
                build.take_rustc(line, display_name);
            }
            build.executable = Some(output);
        }
        let outcome = self.jail.outcome(&status, done.status);
        build.sandbox_setup = Duration::from_micros(outcome.setup_us);
        build.stderr_tail = super::tail(&done.stderr, 20);
        match done.ending {
            Ending::Cancelled => return Err(RunError::Cancelled),
            Ending::TimedOut => {
                build.executable = None;
                build.stop = Some(ending::Stop::Timeout {
                    phase: step.phase.clone(),
                    after: step.timeout,
                });
            }
            Ending::Exited => judge_build(&mut build, &outcome, step)?,
        }
        Ok(build)
    }

    /// The command of one build, in the build sandbox: rustc alone for the
    /// std set or with a plan, else cargo; with the scratch directory it
    /// uses (removed when dropped) and the sandbox's status file.
    fn build_command(
        &self,
        set: DepSet,
        krate: &Path,
        step: &Step<'_>,
        with: &Direct<'_>,
        cargo: &Path,
    ) -> Result<BuildCommand, RunError> {
        let plan = with.plan;
        let scratch = tempfile::Builder::new()
            .prefix("build-")
            .tempdir_in(self.cache.set_dir(set))
            .map_err(io("creating a build directory"))?;
        let tmp = scratch.path().join("tmp");
        std::fs::create_dir(&tmp).map_err(io("creating a build directory"))?;
        let status = scratch.path().join("status.json");
        let target = self.cache.target(set);
        std::fs::create_dir_all(&target).map_err(io("creating the target directory"))?;
        let direct = ((set == DepSet::Std && step.subcommand == "build") || plan.is_some())
            .then(|| self.toolchain.rustc(self.cache.root()))
            .flatten();
        let home = self.toolchain.build_home(self.cache.root());
        let mut policy =
            self.toolchain
                .build_policy(krate, &target, &tmp, home.as_deref(), step.budget);
        let harness = with.harness.as_deref().filter(|_| direct.is_some());
        if let Some(dir) = harness.and_then(Path::parent) {
            policy.read.push(dir.to_path_buf());
        }
        let mut cmd = self
            .jail
            .command(&policy, &status, direct.as_deref().unwrap_or(cargo));
        self.toolchain.build_env(&mut cmd, &target, &tmp);
        if !step.incremental {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        place(&mut cmd, direct.is_some(), krate, home.as_deref());
        let output = target.join("debug").join("exercise");
        if direct.is_some() {
            // rustc writes beside its output but, unlike cargo, does not make
            // the directory (its incremental cache would, when there is one).
            if let Some(dir) = output.parent() {
                std::fs::create_dir_all(dir).map_err(|source| RunError::Io {
                    context: format!("creating {}", dir.display()),
                    source,
                })?;
            }
            rustc_args(&mut cmd, &target, &output, step.incremental, harness);
            if let Some(plan) = plan {
                cmd.args(plan.args(&target));
            }
        } else {
            cmd.arg(step.subcommand)
                .arg("--manifest-path")
                .arg(krate.join("Cargo.toml"))
                .args(CARGO_ARGS);
        }
        Ok(BuildCommand {
            cmd,
            scratch,
            status,
            direct: direct.is_some(),
        })
    }

    /// How the runner stops what it started: through the supervisor when
    /// there is a sandbox.
    pub(super) fn stop(&self) -> Stop {
        if self.jail.is_active() {
            Stop::Supervisor
        } else {
            Stop::Group
        }
    }
}

/// One build's command and what it needs kept while it runs.
struct BuildCommand {
    cmd: std::process::Command,
    /// The build's scratch directory (its `TMPDIR`), removed when dropped.
    scratch: tempfile::TempDir,
    /// Where the sandbox writes how the build ended.
    status: PathBuf,
    /// Whether rustc builds it alone.
    direct: bool,
}

/// Where a build starts and which cargo home it sees. rustc needs none (the
/// learner's `env!` finds none). cargo reads the configuration of every
/// directory above the one it starts in (the user's home among them, where
/// the cache usually is): it starts at the root, finds the crate by its
/// manifest, and sees only the build home's sanitized settings.
fn place(cmd: &mut std::process::Command, direct: bool, krate: &Path, home: Option<&Path>) {
    if direct {
        cmd.env_remove("CARGO_HOME").current_dir(krate);
    } else {
        if let Some(home) = home {
            cmd.env("CARGO_HOME", home);
        }
        cmd.current_dir("/");
    }
}

/// What cargo is told after its subcommand.
const CARGO_ARGS: [&str; 5] = [
    "--bin",
    "exercise",
    "--offline",
    "--locked",
    "--message-format=json",
];

fn judge_build(
    build: &mut Build,
    outcome: &SandboxReport,
    step: &Step<'_>,
) -> Result<(), RunError> {
    if let Exit::SetupFailed(why) = &outcome.exit {
        return Err(RunError::Sandbox(why.clone()));
    }
    if let Some(limit) = outcome.limit {
        build.executable = None;
        build.stop = Some(ending::Stop::Limit {
            phase: step.phase.clone(),
            limit,
        });
        return Ok(());
    }
    build.success = outcome.exit == Exit::Code(0);
    if !build.success {
        build.executable = None;
        if build.stderr_tail.contains("memory allocation of") {
            let limit = Limit::ProcessMemory {
                limit: step.budget.process_memory,
            };
            build.stop = Some(ending::Stop::Limit {
                phase: step.phase.clone(),
                limit,
            });
        }
    }
    Ok(())
}

impl Build {
    fn take(
        &mut self,
        line: &str,
        set: DepSet,
        display_name: &str,
        on_event: &mut dyn FnMut(Milestone),
    ) {
        use cargo_metadata::Message;
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            return;
        };
        self.seen.take(&message);
        match message {
            Message::CompilerArtifact(artifact) => {
                if let Some(exe) = artifact.executable {
                    self.executable = Some(exe.into_std_path_buf());
                } else {
                    on_event(Milestone::Compiled {
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

    fn take_rustc(&mut self, line: &str, display_name: &str) {
        if let Ok(diag) = serde_json::from_str::<cargo_metadata::diagnostic::Diagnostic>(line) {
            self.diagnostics
                .extend(diagnostics::convert(&diag, display_name));
        }
    }

    /// Whether a failed direct build failed for its plan's sake.
    fn plan_was_stale(&self) -> bool {
        let codes: Vec<&str> = self
            .diagnostics
            .iter()
            .filter_map(|d| d.code.as_deref())
            .collect();
        super::plan::is_stale(&codes, &self.stderr_tail)
    }

    /// Whether the compiler reported an error in the crate.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Removes the previous test binary from the target directory, so that no
/// later build (another exercise's, another student's) can read it.
pub fn clear_old_binaries(target: &Path) {
    let deps = target.join("debug").join("deps");
    let Ok(entries) = std::fs::read_dir(&deps) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("exercise-") && !name.contains('.') {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let _ = std::fs::remove_file(target.join("debug").join("exercise"));
}
