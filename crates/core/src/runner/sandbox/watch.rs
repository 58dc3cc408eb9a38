//! The supervisor's watch: it samples the tree below it until the command
//! ends, a budget is spent or the runner asks to stop, then ends every
//! process below.

use std::os::fd::AsFd;
use std::path::Path;
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::signal::Signal;
use nix::sys::signalfd::SignalFd;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, SysconfVar, getpid, sysconf};

use super::{Exit, Limit, Policy, SandboxReport, cgroup, tree};

/// How often the supervisor samples a test run's tree when nothing else
/// wakes it: learner code runs there, and a storm of processes grows fast.
const SAMPLE: Duration = Duration::from_millis(10);
/// How often it samples a build's: only the toolchain runs there (the
/// learner's crate has no build script or procedural macro), whose memory
/// grows at the speed of page faults and whose every process is capped by
/// its own address-space limit; a sample takes processor time from the
/// compiler it watches.
const BUILD_SAMPLE: Duration = Duration::from_millis(40);
/// Entries of the run directory counted at most when measuring disk use.
pub(super) const MAX_ENTRIES: usize = 20_000;

/// Waits for the command, sampling the tree, until it ends, a budget is
/// spent or the runner asks to stop; then ends every process below.
pub(super) fn watch(
    policy: &Policy,
    tmpfs: bool,
    groups: &cgroup::Groups,
    child: Pid,
    signals: &SignalFd,
    outcome: &mut SandboxReport,
) {
    let me = getpid();
    let page = system_value(SysconfVar::PAGE_SIZE, 4096);
    let ticks = system_value(SysconfVar::CLK_TCK, 100);
    let budget = policy.budget;
    let cpu_limit_ticks = u64::try_from(budget.cpu.as_millis()).unwrap_or(u64::MAX) * ticks / 1000;
    let disk_dir = policy.write.first().filter(|_| budget.disk.is_some());
    let mut rounds = 0u64;
    let every = match policy.phase {
        super::Phase::Build => BUILD_SAMPLE,
        super::Phase::Test => SAMPLE,
    };
    if policy.wait_for_input {
        wait_for_input(signals);
    }
    loop {
        let mut fds = [PollFd::new(signals.as_fd(), PollFlags::POLLIN)];
        let _ = poll(
            &mut fds,
            PollTimeout::try_from(every).unwrap_or(PollTimeout::NONE),
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
        // The kernel enforced a budget of the control group (killed a
        // process for memory, refused a fork): the budget is spent, and the
        // whole check ends now, whichever process the kernel picked.
        if let Some(limit) = groups.limit_hit(&budget) {
            tree::kill_all(me);
            outcome.exit = Exit::Stopped;
            outcome.limit = Some(limit);
            return;
        }
        rounds += 1;
        let pids = tree::descendants(me);
        let usage = tree::usage(&pids, page);
        outcome.peak_memory = outcome.peak_memory.max(usage.memory);
        outcome.peak_processes = outcome.peak_processes.max(usage.tasks.saturating_sub(1));
        let reaped = reaped_cpu_ticks(ticks);
        let disk = || disk_dir.map_or(0, |dir| disk_used(dir, tmpfs, &budget));
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

/// Sleeps until standard input (which the command shares) has something to
/// read or has ended, or a signal came: a run set up early waits there,
/// restricted, for its binary and does nothing a sample could count, so it
/// is not sampled (a check sets several up while its build runs).
fn wait_for_input(signals: &SignalFd) {
    let stdin = std::io::stdin();
    loop {
        let mut fds = [
            PollFd::new(signals.as_fd(), PollFlags::POLLIN),
            PollFd::new(stdin.as_fd(), PollFlags::POLLIN),
        ];
        if poll(&mut fds, PollTimeout::NONE) != Err(nix::errno::Errno::EINTR) {
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

/// A value of the system's configuration, or `default`.
fn system_value(var: SysconfVar, default: u64) -> u64 {
    sysconf(var)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(default)
}

/// The bytes the run directory holds. On the tmpfs, a full file system is
/// the budget spent (writes fail there at the budget); elsewhere the
/// directory is walked.
fn disk_used(dir: &Path, tmpfs: bool, budget: &super::Budget) -> u64 {
    if !tmpfs {
        return tree::disk_use(dir, MAX_ENTRIES);
    }
    let used = used_bytes(dir);
    if used + (1 << 20) >= budget.disk.unwrap_or(u64::MAX) {
        u64::MAX
    } else {
        used
    }
}

/// Bytes used on the file system of `dir`.
fn used_bytes(dir: &Path) -> u64 {
    nix::sys::statvfs::statvfs(dir).map_or(0, |s| {
        s.blocks().saturating_sub(s.blocks_free()) * s.fragment_size()
    })
}
