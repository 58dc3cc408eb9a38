//! Building the check's crate with cargo, inside the sandbox.

use std::ffi::OsString;
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
use super::workdir::{Scratch, io};
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
    /// Whether its sandbox was set up before the check came.
    pub ahead: bool,
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
    /// the std set, rustc alone), in the build sandbox. `started` is called
    /// once the build is under way (what else the check sets up then costs
    /// the build no time).
    #[allow(clippy::too_many_arguments)] // the build's inputs, each needed
    pub(super) fn cargo_build(
        &self,
        set: DepSet,
        krate: &Path,
        step: &Step<'_>,
        display_name: &str,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
        started: &mut dyn FnMut() -> Result<(), RunError>,
    ) -> Result<Build, RunError> {
        let plan = self.plan_for(set, step);
        let direct = Direct {
            plan: plan.as_ref(),
            harness: self.harness_library(
                set,
                step.direct && step.subcommand == "build",
                plan.as_ref(),
                true,
            ),
        };
        let mut build = self.build_once(
            set,
            krate,
            step,
            &direct,
            display_name,
            cancel,
            on_event,
            started,
        )?;
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
            build = self.build_once(
                set,
                krate,
                step,
                &fallback,
                display_name,
                cancel,
                on_event,
                started,
            )?;
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

    /// The plan of the set's prebuilt crates a build by rustc alone links,
    /// when the step may be built so and cargo left one.
    pub(super) fn plan_for(&self, set: DepSet, step: &Step<'_>) -> Option<Plan> {
        (set != DepSet::Std && step.subcommand == "build" && step.direct)
            .then(|| Plan::load(&self.cache.plan_file(set)))
            .flatten()
    }

    /// One build: rustc alone for the std set or with a plan, else cargo;
    /// the one set up ahead for it, when there is one (see [`super::warm`]).
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
        started: &mut dyn FnMut() -> Result<(), RunError>,
    ) -> Result<Build, RunError> {
        let invocation = self.invocation(set, krate, step, plan)?;
        let ahead = self.warm.take(&invocation);
        let was_ahead = ahead.is_some();
        let running = match ahead {
            Some(running) => running,
            None => self.start_build(invocation, false)?,
        };
        let StartedBuild {
            process,
            scratch: _scratch,
            status,
            invocation,
            waits,
        } = running;
        let direct = invocation.direct;
        let output = self.cache.target(set).join("debug").join("exercise");
        let mut build = Build {
            by_rustc: direct,
            ahead: was_ahead,
            ..Build::default()
        };
        let mut on_line = |line: &str| build.take(line, set, display_name, on_event);
        let limits = Limits {
            timeout: step.timeout,
            output_cap: if direct { 1 << 20 } else { 64 * 1024 },
            // cargo's messages are all read: the test binary's path is among them.
            line_cap: usize::MAX,
        };
        // A build set up ahead starts at its first byte of input (neither
        // rustc nor cargo reads it); what else the check sets up now runs
        // beside the compiler.
        let mut process = process;
        if waits {
            process.give(b"\n");
        }
        started()?;
        let done = process
            .finish(b"", limits, cancel, &mut on_line)
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

    /// What a build of the crate in `krate` runs: rustc alone for the std
    /// set or with a plan, else cargo.
    pub(super) fn invocation(
        &self,
        set: DepSet,
        krate: &Path,
        step: &Step<'_>,
        with: &Direct<'_>,
    ) -> Result<Invocation, RunError> {
        let Some(cargo) = &self.toolchain.cargo_path else {
            return Err(RunError::CargoMissing(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not there", self.toolchain.cargo.to_string_lossy()),
            )));
        };
        let plan = with.plan;
        let target = self.cache.target(set);
        let direct = ((set == DepSet::Std && step.subcommand == "build") || plan.is_some())
            .then(|| self.toolchain.rustc(self.cache.root()))
            .flatten();
        let harness = with.harness.as_deref().filter(|_| direct.is_some());
        let output = target.join("debug").join("exercise");
        let args = if direct.is_some() {
            let mut args = rustc_args(&target, &output, step.incremental, harness);
            if let Some(plan) = plan {
                args.extend(plan.args(&target));
            }
            args
        } else {
            let mut args: Vec<OsString> = vec![
                step.subcommand.into(),
                "--manifest-path".into(),
                krate.join("Cargo.toml").into(),
            ];
            args.extend(CARGO_ARGS.iter().map(OsString::from));
            args
        };
        let harness_dir = harness.and_then(Path::parent).map(Path::to_path_buf);
        let anchors = [Some(krate), Some(target.as_path()), harness_dir.as_deref()]
            .into_iter()
            .map(|dir| dir.and_then(identity))
            .collect();
        Ok(Invocation {
            set,
            krate: krate.to_path_buf(),
            direct: direct.is_some(),
            program: direct.unwrap_or_else(|| cargo.clone()),
            args,
            incremental: step.incremental,
            budget: step.budget,
            harness_dir,
            anchors,
        })
    }

    /// Starts `invocation` in the build sandbox, with a scratch directory
    /// (its `TMPDIR`) of its own. With `wait`, the sandbox is set up and the
    /// build waits, restricted, for a byte of input before it starts.
    pub(super) fn start_build(
        &self,
        invocation: Invocation,
        wait: bool,
    ) -> Result<StartedBuild, RunError> {
        let set = invocation.set;
        let scratch = Scratch::new(&self.cache.set_dir(set), "build-")
            .map_err(io("creating a build directory"))?;
        let tmp = scratch.path().join("tmp");
        std::fs::create_dir(&tmp).map_err(io("creating a build directory"))?;
        let status = scratch.path().join("status.json");
        let target = self.cache.target(set);
        std::fs::create_dir_all(&target).map_err(io("creating the target directory"))?;
        if invocation.direct {
            // rustc writes beside its output but, unlike cargo, does not make
            // the directory (its incremental cache would, when there is one).
            let dir = target.join("debug");
            std::fs::create_dir_all(&dir).map_err(|source| RunError::Io {
                context: format!("creating {}", dir.display()),
                source,
            })?;
        }
        let home = self.toolchain.build_home(self.cache.root());
        let mut policy = self.toolchain.build_policy(
            &invocation.krate,
            &target,
            &tmp,
            home.as_deref(),
            invocation.budget,
        );
        policy.read.extend(invocation.harness_dir.iter().cloned());
        policy.wait_for_input = wait;
        let mut cmd = self.jail.command(&policy, &status, &invocation.program);
        self.toolchain.build_env(&mut cmd, &target, &tmp);
        if !invocation.incremental {
            cmd.env("CARGO_INCREMENTAL", "0");
        }
        place(
            &mut cmd,
            invocation.direct,
            &invocation.krate,
            home.as_deref(),
        );
        cmd.args(&invocation.args);
        let process = process::start(cmd, self.stop()).map_err(RunError::CargoMissing)?;
        Ok(StartedBuild {
            process,
            scratch,
            status,
            invocation,
            waits: wait,
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

/// What a build runs, apart from its scratch directory: the same for every
/// check of a set with the same settings, so a build set up before its
/// check came is used only by a check that would run exactly it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Invocation {
    set: DepSet,
    /// The build crate.
    krate: PathBuf,
    /// rustc, or cargo.
    program: PathBuf,
    args: Vec<OsString>,
    /// Whether rustc builds it alone.
    direct: bool,
    incremental: bool,
    budget: Budget,
    /// The harness library's directory, which the build may read.
    harness_dir: Option<PathBuf>,
    /// Which directories the sandbox's rules name (device and inode): rules
    /// hold directories, not names, so a directory made anew since (a
    /// cache removed while the app ran) makes another invocation.
    anchors: Vec<Option<(u64, u64)>>,
}

/// A directory's device and inode.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        meta.is_dir().then_some((0, 0))
    }
}

/// A build started (or set up, waiting for its input) in its sandbox.
pub(super) struct StartedBuild {
    /// First, so that a build dropped unstarted has ended (and is waited
    /// for) before its scratch directory goes.
    process: process::Started,
    /// The build's scratch directory (its `TMPDIR`), removed when dropped.
    scratch: Scratch,
    /// Where the sandbox writes how the build ended.
    status: PathBuf,
    invocation: Invocation,
    /// Whether it waits for a byte of input to start.
    waits: bool,
}

impl StartedBuild {
    /// What it runs.
    pub(super) fn invocation(&self) -> &Invocation {
        &self.invocation
    }

    /// Whether it has ended already (its sandbox stopped it, or it could
    /// not be set up).
    pub(super) fn ended(&mut self) -> bool {
        self.process.ended()
    }

    /// Ends its input: a build waiting for it ends without starting.
    pub(super) fn abandon(&mut self) {
        self.process.abandon();
    }
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
