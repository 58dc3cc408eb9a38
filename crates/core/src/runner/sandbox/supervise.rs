//! The first step: a supervisor that outlives nothing it watches.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use nix::sched::{CloneFlags, unshare};
use nix::sys::prctl;
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::unistd::{Pid, getgid, getpid, getppid, getuid, setsid};
use serde::{Deserialize, Serialize};

use super::watch::{MAX_ENTRIES, watch};
use super::{Exit, Policy, Protection, SandboxReport, cgroup, detect};

/// What the supervisor asks the confine step to apply.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Plan {
    /// The policy the runner gave.
    pub policy: Policy,
    /// The Landlock ABI to enforce in full (0: none).
    pub landlock: u8,
    /// Whether to install the seccomp filter.
    pub seccomp: bool,
    /// Whether `RLIMIT_NPROC` counts only this run (a fresh user namespace).
    pub nproc: bool,
    /// Processes the filter keeps signals away from (when Landlock cannot).
    pub shielded: Vec<i32>,
    /// The supervisor's pid, to check the parent-death signal is armed in time.
    pub supervisor: i32,
}

/// Entry: `__sandbox POLICY STATUS PARENT -- PROGRAM ARGS...`.
pub fn main(args: &[OsString]) -> ExitCode {
    let Some((policy, status, parent, program, rest)) = parse(args) else {
        eprintln!("tensorlings: the sandbox step was started with bad arguments");
        return ExitCode::from(125);
    };
    let outcome = supervise(&policy, parent, &program, &rest);
    let code = match outcome.exit {
        Exit::Code(code) => u8::try_from(code).unwrap_or(1),
        Exit::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
        Exit::Stopped => 137,
        Exit::SetupFailed(_) => 125,
    };
    if let Err(err) = write_atomically(&status, &outcome) {
        eprintln!("tensorlings: cannot write the sandbox's report: {err}");
        return ExitCode::from(125);
    }
    ExitCode::from(code)
}

type Parsed = (Policy, PathBuf, i32, OsString, Vec<OsString>);

fn parse(args: &[OsString]) -> Option<Parsed> {
    let [policy, status, parent, dashes, program, rest @ ..] = args else {
        return None;
    };
    if dashes != "--" {
        return None;
    }
    let policy: Policy = serde_json::from_str(policy.to_str()?).ok()?;
    let parent: i32 = parent.to_str()?.parse().ok()?;
    Some((
        policy,
        PathBuf::from(status),
        parent,
        program.clone(),
        rest.to_vec(),
    ))
}

fn supervise(policy: &Policy, parent: i32, program: &OsString, args: &[OsString]) -> SandboxReport {
    let started = std::time::Instant::now();
    let mut outcome = SandboxReport {
        exit: Exit::Stopped,
        limit: None,
        active: Vec::new(),
        peak_memory: 0,
        peak_processes: 0,
        cgroups: Vec::new(),
        setup_us: 0,
    };
    // A new session has no controlling terminal: nothing below can open
    // /dev/tty, and a Ctrl-C meant for tensorlings does not reach it.
    let _ = setsid();
    // The runner's death (any death, kill -9 included) sends SIGTERM here,
    // which ends the whole tree below.
    if prctl::set_pdeathsig(Signal::SIGTERM).is_err() || getppid().as_raw() != parent {
        return outcome;
    }
    let signals = match stop_signals() {
        Ok(fd) => fd,
        Err(err) => {
            outcome.exit = Exit::SetupFailed(format!("signal handling: {err}"));
            return outcome;
        }
    };
    // Who runs this, read before the namespaces map it (see `inside`).
    let root = getuid().is_root();
    let Isolated {
        groups,
        userns,
        tmpfs,
    } = isolate(policy, &mut outcome.active);
    outcome.cgroups = groups.dirs();
    let plan = plan(policy, parent, userns && !root, &mut outcome.active);
    let Ok(exe) = std::env::current_exe() else {
        outcome.exit = Exit::SetupFailed("cannot find the tensorlings binary".to_owned());
        return outcome;
    };
    outcome.setup_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let child = Command::new(exe)
        .arg(super::CONFINE)
        .arg(serde_json::to_string(&plan).unwrap_or_default())
        .arg("--")
        .arg(program)
        .args(args)
        .spawn();
    let child = match child {
        Ok(child) => Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX)),
        Err(err) => {
            outcome.exit = Exit::SetupFailed(format!("cannot start the confine step: {err}"));
            return outcome;
        }
    };
    groups.step_out();
    watch(policy, tmpfs, &groups, child, &signals, &mut outcome);
    groups.remove();
    outcome
}

/// What the supervisor set up around the command before it starts.
struct Isolated {
    /// The control groups it entered (none where they cannot be made).
    groups: cgroup::Groups,
    /// Whether it is in user namespaces of its own.
    userns: bool,
    /// Whether the run directory is a tmpfs of the disk budget's size.
    tmpfs: bool,
}

/// Sets up what the policy asks for and the system allows — containment,
/// control groups, namespaces, the tmpfs run directory — and records each
/// protection in `active`.
fn isolate(policy: &Policy, active: &mut Vec<Protection>) -> Isolated {
    let off = |p: Protection| policy.off.contains(&p);
    if !off(Protection::Containment) && prctl::set_child_subreaper(true).is_ok() {
        active.push(Protection::Containment);
    }
    // The kernel's own count of memory and processes, where a group can be
    // made; entered before the namespaces, by the real user.
    // Tests only: a build runs the toolchain, whose memory the sampled
    // budget counts well, and a group costs milliseconds on every check.
    let groups = if off(Protection::ControlGroup) || policy.phase != super::Phase::Test {
        cgroup::Groups::default()
    } else {
        cgroup::enter(&policy.budget, &format!("tensorlings-{}", getpid()))
    };
    if groups.complete() {
        active.push(Protection::ControlGroup);
    }
    let userns = !off(Protection::UserNamespace)
        && enter_namespaces(!off(Protection::NetworkNamespace)).is_ok();
    if userns {
        active.push(Protection::UserNamespace);
        if !off(Protection::NetworkNamespace) {
            active.push(Protection::NetworkNamespace);
        }
    }
    // The run directory as a tmpfs of its own size: the disk budget then
    // counts what the kernel counts (deleted files still open, unnamed ones).
    let tmpfs = match (userns, policy.budget.disk, policy.write.first()) {
        (true, Some(size), Some(dir)) if !off(Protection::DiskQuota) => {
            mount_tmpfs(dir, size).is_ok()
        }
        _ => false,
    };
    if tmpfs {
        active.push(Protection::DiskQuota);
    }
    Isolated {
        groups,
        userns,
        tmpfs,
    }
}

/// A new mount namespace (private: nothing mounted here is seen outside)
/// with a tmpfs of `size` bytes over `dir`, which then becomes the current
/// directory (the command starts there, on the tmpfs, not below it).
fn mount_tmpfs(dir: &Path, size: u64) -> Result<(), String> {
    use nix::mount::{MsFlags, mount};
    unshare(CloneFlags::CLONE_NEWNS).map_err(|e| e.to_string())?;
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .map_err(|e| e.to_string())?;
    let options = format!("size={size},nr_inodes={MAX_ENTRIES},mode=0700");
    mount(
        Some("tensorlings"),
        dir,
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some(options.as_str()),
    )
    .map_err(|e| e.to_string())?;
    std::env::set_current_dir(dir).map_err(|e| e.to_string())
}

/// Blocks the signals that ask the supervisor to stop (and SIGCHLD) and
/// returns a descriptor that reports them, so one `poll` waits for all.
fn stop_signals() -> nix::Result<SignalFd> {
    let mut mask = SigSet::empty();
    for signal in [
        Signal::SIGTERM,
        Signal::SIGINT,
        Signal::SIGHUP,
        Signal::SIGCHLD,
    ] {
        mask.add(signal);
    }
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&mask), None)?;
    SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
}

/// New user, IPC and (when `net`) network namespaces, keeping the same user
/// and group ids inside — except root's (see [`inside`]).
fn enter_namespaces(net: bool) -> Result<(), String> {
    let (uid, gid) = (getuid().as_raw(), getgid().as_raw());
    let mut flags = CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWIPC;
    if net {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    unshare(flags).map_err(|e| e.to_string())?;
    // Older kernels have no setgroups file; the gid map works without it there.
    let _ = fs::write("/proc/self/setgroups", "deny");
    fs::write("/proc/self/uid_map", format!("{} {uid} 1", inside(uid)))
        .map_err(|e| e.to_string())?;
    fs::write("/proc/self/gid_map", format!("{} {gid} 1", inside(gid)))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The id a user or group has inside the namespace: its own, but root's is
/// another. A process whose user is root inside its namespace keeps every
/// capability there across `exec`, and root's files are mapped in, so a
/// test run by a grader as root could act on every file of the machine
/// wherever Landlock does not look. With another id the command runs with
/// no capability at all (the supervisor keeps its own, from `unshare`); as
/// the same user outside, it still owns what root owns.
fn inside(id: u32) -> u32 {
    if id == 0 { ROOT_INSIDE } else { id }
}

/// The id root has inside a sandbox's namespace.
const ROOT_INSIDE: u32 = 1000;

/// What the confine step applies. `nproc`: whether `RLIMIT_NPROC` may be
/// set (a fresh user namespace counts only this run's processes; root's
/// limit was never set).
fn plan(policy: &Policy, parent: i32, nproc: bool, active: &mut Vec<Protection>) -> Plan {
    let off = |p: Protection| policy.off.contains(&p);
    let mut landlock = if off(Protection::Filesystem) {
        0
    } else {
        detect::landlock_abi()
    };
    if off(Protection::Scoped) {
        landlock = landlock.min(5);
    }
    if off(Protection::TcpDenied) {
        landlock = landlock.min(3);
    }
    if landlock >= 1 {
        active.push(Protection::Filesystem);
    }
    if landlock >= 4 {
        active.push(Protection::TcpDenied);
    }
    if landlock >= 6 {
        active.push(Protection::Scoped);
    }
    let seccomp = !off(Protection::SyscallFilter) && detect::seccomp();
    if seccomp {
        active.push(Protection::SyscallFilter);
    }
    let supervisor = getpid().as_raw();
    Plan {
        policy: policy.clone(),
        landlock,
        seccomp,
        nproc,
        shielded: if landlock >= 6 {
            Vec::new()
        } else {
            vec![parent, supervisor]
        },
        supervisor,
    }
}

/// Writes the report where the runner reads it: whole, in one write, or not
/// at all (a temporary file renamed into place).
fn write_atomically(path: &Path, outcome: &SandboxReport) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&serde_json::to_vec(outcome)?)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
