//! The first step: a supervisor that outlives nothing it watches.

use std::ffi::OsString;
use std::fs;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sched::{CloneFlags, unshare};
use nix::sys::prctl;
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, SysconfVar, getgid, getpid, getppid, getuid, setsid, sysconf};
use serde::{Deserialize, Serialize};

use super::{Exit, Limit, Policy, Protection, SandboxReport, cgroup, detect, tree};

/// How often the supervisor samples the tree when nothing else wakes it.
const SAMPLE: Duration = Duration::from_millis(10);
/// Entries of the run directory counted at most when measuring disk use.
const MAX_ENTRIES: usize = 20_000;

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
    let off = |p: Protection| policy.off.contains(&p);
    if !off(Protection::Containment) && prctl::set_child_subreaper(true).is_ok() {
        outcome.active.push(Protection::Containment);
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
    outcome.cgroups = groups.dirs();
    if groups.complete() {
        outcome.active.push(Protection::ControlGroup);
    }
    let userns = !off(Protection::UserNamespace)
        && enter_namespaces(!off(Protection::NetworkNamespace)).is_ok();
    if userns {
        outcome.active.push(Protection::UserNamespace);
        if !off(Protection::NetworkNamespace) {
            outcome.active.push(Protection::NetworkNamespace);
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
        outcome.active.push(Protection::DiskQuota);
    }
    let plan = plan(policy, parent, userns, &mut outcome.active);
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
    watch(policy, tmpfs, &groups, child, &signals, &mut outcome);
    outcome
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

/// Bytes used on the file system of `dir`.
fn used_bytes(dir: &Path) -> u64 {
    nix::sys::statvfs::statvfs(dir).map_or(0, |s| {
        s.blocks().saturating_sub(s.blocks_free()) * s.fragment_size()
    })
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
/// and group ids inside.
fn enter_namespaces(net: bool) -> Result<(), String> {
    let (uid, gid) = (getuid(), getgid());
    let mut flags = CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWIPC;
    if net {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    unshare(flags).map_err(|e| e.to_string())?;
    // Older kernels have no setgroups file; the gid map works without it there.
    let _ = fs::write("/proc/self/setgroups", "deny");
    fs::write("/proc/self/uid_map", format!("{uid} {uid} 1")).map_err(|e| e.to_string())?;
    fs::write("/proc/self/gid_map", format!("{gid} {gid} 1")).map_err(|e| e.to_string())?;
    Ok(())
}

fn plan(policy: &Policy, parent: i32, userns: bool, active: &mut Vec<Protection>) -> Plan {
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
        nproc: userns && !getuid().is_root(),
        shielded: if landlock >= 6 {
            Vec::new()
        } else {
            vec![parent, supervisor]
        },
        supervisor,
    }
}

/// Waits for the command, sampling the tree, until it ends, a budget is
/// spent or the runner asks to stop; then ends every process below.
fn watch(
    policy: &Policy,
    tmpfs: bool,
    groups: &cgroup::Groups,
    child: Pid,
    signals: &SignalFd,
    outcome: &mut SandboxReport,
) {
    let me = getpid();
    let page = sysconf(SysconfVar::PAGE_SIZE)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(4096);
    let ticks = sysconf(SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(100);
    let budget = policy.budget;
    let cpu_limit_ticks = u64::try_from(budget.cpu.as_millis()).unwrap_or(u64::MAX) * ticks / 1000;
    let disk_dir = policy.write.first().filter(|_| budget.disk.is_some());
    let mut rounds = 0u64;
    loop {
        let mut fds = [PollFd::new(signals.as_fd(), PollFlags::POLLIN)];
        let _ = poll(
            &mut fds,
            PollTimeout::try_from(SAMPLE).unwrap_or(PollTimeout::NONE),
        );
        while let Ok(Some(info)) = signals.read_signal() {
            let signal = i32::try_from(info.ssi_signo).unwrap_or(0);
            if signal != Signal::SIGCHLD as i32 {
                tree::kill_all(me);
                outcome.exit = Exit::Stopped;
                return;
            }
        }
        if let Some(exit) = reap(child) {
            outcome.exit = exit;
            tree::kill_all(me);
            outcome.limit =
                limit_of_signal(&outcome.exit, budget).or_else(|| groups.limit_hit(&budget));
            return;
        }
        rounds += 1;
        let pids = tree::descendants(me);
        let usage = tree::usage(&pids, page);
        outcome.peak_memory = outcome.peak_memory.max(usage.memory);
        outcome.peak_processes = outcome.peak_processes.max(usage.tasks.saturating_sub(1));
        let reaped = reaped_cpu_ticks(ticks);
        // On the tmpfs, a full file system is the budget spent (writes fail
        // there at the budget); elsewhere the directory is walked.
        let disk = || {
            disk_dir.map_or(0, |dir| {
                if tmpfs {
                    let used = used_bytes(dir);
                    if used + (1 << 20) >= budget.disk.unwrap_or(u64::MAX) {
                        u64::MAX
                    } else {
                        used
                    }
                } else {
                    tree::disk_use(dir, MAX_ENTRIES)
                }
            })
        };
        let spent = spent(
            &budget,
            usage,
            reaped,
            cpu_limit_ticks,
            rounds.is_multiple_of(5),
            disk,
        );
        if let Some(limit) = spent {
            tree::kill_all(me);
            outcome.exit = Exit::Stopped;
            outcome.limit = Some(limit);
            return;
        }
    }
}

/// The budget `usage` (plus `reaped` CPU ticks) has spent, if any. Disk
/// use is measured only when `measure_disk` (it walks the run directory).
fn spent(
    budget: &super::Budget,
    usage: tree::Usage,
    reaped: u64,
    cpu_limit_ticks: u64,
    measure_disk: bool,
    disk: impl FnOnce() -> u64,
) -> Option<Limit> {
    if usage.memory > budget.memory {
        Some(Limit::Memory {
            limit: budget.memory,
        })
    } else if usage.tasks.saturating_sub(1) > budget.processes {
        Some(Limit::Processes {
            limit: budget.processes,
        })
    } else if usage.cpu_ticks + reaped > cpu_limit_ticks {
        Some(Limit::Cpu {
            limit_ms: u64::try_from(budget.cpu.as_millis()).unwrap_or(u64::MAX),
        })
    } else if let (true, Some(limit)) = (measure_disk, budget.disk) {
        (disk() > limit).then_some(Limit::Disk { limit })
    } else {
        None
    }
}

/// Reaps whatever ended; the command's own exit, when it was among them.
fn reap(child: Pid) -> Option<Exit> {
    let mut exit = None;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(pid, code)) if pid == child => exit = Some(Exit::Code(code)),
            Ok(WaitStatus::Signaled(pid, signal, _)) if pid == child => {
                exit = Some(Exit::Signal(signal as i32));
            }
            Ok(WaitStatus::StillAlive) | Err(_) => return exit,
            Ok(_) => {}
        }
    }
}

/// CPU time of processes already reaped below the supervisor, in ticks.
fn reaped_cpu_ticks(ticks: u64) -> u64 {
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0, |usage| {
        let micros = |t: nix::sys::time::TimeVal| {
            u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000
                + u64::try_from(t.tv_usec()).unwrap_or(0)
        };
        (micros(usage.user_time()) + micros(usage.system_time())) * ticks / 1_000_000
    })
}

/// The limit a signal stands for: the kernel sends SIGXCPU and SIGXFSZ when a
/// process passes its CPU-time or file-size limit.
fn limit_of_signal(exit: &Exit, budget: super::Budget) -> Option<Limit> {
    match exit {
        Exit::Signal(s) if *s == Signal::SIGXCPU as i32 => Some(Limit::Cpu {
            limit_ms: u64::try_from(budget.cpu.as_millis()).unwrap_or(u64::MAX),
        }),
        Exit::Signal(s) if *s == Signal::SIGXFSZ as i32 => Some(Limit::FileSize {
            limit: budget.file_size,
        }),
        _ => None,
    }
}

fn write_atomically(path: &Path, outcome: &SandboxReport) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    serde_json::to_writer(&mut tmp, outcome)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
