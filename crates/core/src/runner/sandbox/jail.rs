//! How the runner starts a sandboxed command, and the binary's entry to the
//! two hidden steps.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};
use std::sync::OnceLock;

use super::{Exit, Policy, Protection, SandboxReport};

/// Starts commands inside the sandbox by re-running the tensorlings binary.
#[derive(Debug, Clone)]
pub struct Jail {
    /// The tensorlings binary, which has the hidden steps; `None` runs commands
    /// directly (only the library's own unit tests do that).
    exe: Option<PathBuf>,
    /// Protections the user chose to leave off.
    off: Vec<Protection>,
}

/// The sandbox the binary installed for every runner of this process.
static INSTALLED: OnceLock<Jail> = OnceLock::new();

impl Jail {
    /// Makes `jail` the sandbox of every [`Runner`](crate::runner::Runner)
    /// created from now on. The binary does this at start; a program that
    /// never does (the library's unit tests) runs commands unsandboxed.
    pub fn install(jail: Jail) {
        let _ = INSTALLED.set(jail);
    }

    /// The installed sandbox, or none.
    pub fn installed() -> Jail {
        INSTALLED.get().cloned().unwrap_or_else(Jail::none)
    }

    /// The sandbox of the running tensorlings binary. Call only from that
    /// binary: another program (a test harness, say) has no hidden steps.
    pub fn of_this_binary() -> Jail {
        // `TENSORLINGS_SANDBOX_OFF=all` runs without the steps at all: for
        // measuring what the sandbox costs, and for systems where it breaks.
        let none = std::env::var("TENSORLINGS_SANDBOX_OFF")
            .is_ok_and(|v| v.split(',').any(|p| p.trim() == "all"));
        Jail {
            exe: if none {
                None
            } else {
                std::env::current_exe().ok()
            },
            off: off_from_env(),
        }
    }

    /// No sandbox at all: commands run directly, in their own process group.
    pub fn none() -> Jail {
        Jail {
            exe: None,
            off: Vec::new(),
        }
    }

    /// Leaves these protections off, on top of any the environment names.
    #[must_use]
    pub fn without(mut self, off: &[Protection]) -> Jail {
        self.off.extend_from_slice(off);
        self.off.sort_unstable();
        self.off.dedup();
        self
    }

    /// The tensorlings binary that runs the sandbox's steps, when active.
    pub fn exe(&self) -> Option<&Path> {
        self.exe.as_deref().filter(|_| cfg!(target_os = "linux"))
    }

    /// Whether commands run through the sandbox's steps at all.
    pub fn is_active(&self) -> bool {
        self.exe.is_some() && cfg!(target_os = "linux")
    }

    /// The protections left off on purpose.
    pub fn off(&self) -> &[Protection] {
        &self.off
    }

    /// A command that runs `program` under `policy` and writes its outcome to
    /// `status`. Arguments and environment are set on the returned command as
    /// for `program` itself; the sandbox passes them through.
    pub fn command(&self, policy: &Policy, status: &Path, program: &Path) -> Command {
        match &self.exe {
            Some(exe) if cfg!(target_os = "linux") => {
                let mut policy = policy.clone();
                policy.off.extend_from_slice(&self.off);
                let json = serde_json::to_string(&policy).unwrap_or_default();
                let mut cmd = Command::new(exe);
                cmd.arg(super::SUPERVISE)
                    .arg(json)
                    .arg(status)
                    .arg(std::process::id().to_string())
                    .arg("--")
                    .arg(program);
                cmd
            }
            _ => Command::new(program),
        }
    }

    /// What happened to a command started with [`Jail::command`], given the
    /// exit status the runner saw. Without the sandbox's steps the outcome is
    /// the exit status itself, with no protections active.
    pub fn outcome(&self, status: &Path, exit: Option<ExitStatus>) -> SandboxReport {
        if self.is_active() {
            if let Some(outcome) = std::fs::read(status)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<SandboxReport>(&bytes).ok())
            {
                // The run has ended: its control groups are empty now.
                for dir in &outcome.cgroups {
                    let _ = std::fs::remove_dir(dir);
                }
                return outcome;
            }
            let why = match exit {
                Some(exit) => format!("the sandbox ended without a report ({exit})"),
                None => "the sandbox was stopped before it reported".to_owned(),
            };
            return SandboxReport {
                exit: Exit::SetupFailed(why),
                limit: None,
                active: Vec::new(),
                peak_memory: 0,
                peak_processes: 0,
                cgroups: Vec::new(),
                setup_us: 0,
            };
        }
        // Without the steps, the platform may still hold a check's processes
        // together (a Windows Job Object).
        let active = if crate::runner::platform::contained() {
            vec![Protection::Containment]
        } else {
            Vec::new()
        };
        SandboxReport {
            exit: exit.map_or(Exit::Stopped, exit_of),
            limit: None,
            active,
            peak_memory: 0,
            peak_processes: 0,
            cgroups: Vec::new(),
            setup_us: 0,
        }
    }
}

/// Protections named in `TENSORLINGS_SANDBOX_OFF` (comma-separated), for
/// trying the weaker sandbox of another machine on this one.
fn off_from_env() -> Vec<Protection> {
    std::env::var("TENSORLINGS_SANDBOX_OFF")
        .unwrap_or_default()
        .split(',')
        .filter_map(|name| Protection::from_name(name.trim()))
        .collect()
}

/// An exit status as the sandbox reports it.
pub(super) fn exit_of(status: ExitStatus) -> Exit {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Exit::Signal(signal);
        }
    }
    Exit::Code(status.code().unwrap_or(-1))
}

/// Marks every descriptor above standard error close-on-exec: nothing the
/// shell or a CI script left open (`3>>results.csv`, a secret on fd 5)
/// reaches a build, a sandbox step or learner code. Descriptors Rust opens
/// are close-on-exec already; this catches those inherited. The binary
/// calls it first thing in `main`, for the app, the commands and each step.
pub fn forget_inherited_descriptors() {
    #[cfg(unix)]
    close_fds::set_fds_cloexec(3, &[]);
}

/// Runs a hidden step when the binary was started as one; `None` otherwise.
/// The binary calls this first thing in `main`, before anything else runs.
pub fn jail_main() -> Option<ExitCode> {
    let mut args = std::env::args_os();
    let _program = args.next();
    let step = args.next()?;
    let rest: Vec<OsString> = args.collect();
    if step == super::SUPERVISE {
        Some(run_step(super::SUPERVISE, &rest))
    } else if step == super::CONFINE {
        Some(run_step(super::CONFINE, &rest))
    } else {
        None
    }
}

#[cfg(target_os = "linux")]
fn run_step(step: &str, args: &[OsString]) -> ExitCode {
    if step == super::SUPERVISE {
        super::supervise::main(args)
    } else {
        super::confine::main(args)
    }
}

#[cfg(not(target_os = "linux"))]
fn run_step(_step: &str, _args: &[OsString]) -> ExitCode {
    eprintln!("tensorlings: the sandbox steps exist only on Linux");
    ExitCode::from(125)
}
