//! Starting and stopping the processes a check runs, per platform: the one
//! place the runner differs between Linux, macOS and Windows.
//!
//! | | Linux | macOS | Windows |
//! |---|---|---|---|
//! | a check's processes | its sandbox supervisor's tree, or a process group | a process group | a Job Object |
//! | ended together on timeout or cancel | yes | yes, unless one left the group (`setsid`) | yes |
//! | ended when tensorlings dies | yes (the supervisor dies with it) | no | yes (kill on job close) |
//! | memory, process, CPU, file limits | yes (supervisor and rlimits) | no | no |
//! | files, network, system calls | Landlock, namespaces, seccomp | no | no |
//!
//! Output caps, timeouts and the environment allow-list are the runner's own
//! and hold everywhere. `tensorlings doctor` says the same per platform.

#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
pub(super) use unix::Spawned;

/// How the runner stops a process it started (the platform's processes use
/// it, so it lives here, below [`super::process`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A sandbox supervisor: asked with SIGTERM to end its whole tree, then
    /// killed if it has not ended within a grace period.
    Supervisor,
    /// A plain process: its process group is killed.
    Group,
}

/// A started process's input, output and error, as the runner holds them.
pub(super) type Streams = (
    Box<dyn std::io::Write + Send>,
    Box<dyn std::io::Read + Send>,
    Box<dyn std::io::Read + Send>,
);
#[cfg(windows)]
pub(super) use windows::Spawned;

/// What this platform provides beyond Linux's sandbox, in plain words, for
/// `doctor` and the app's help screen.
pub fn provides() -> &'static str {
    if cfg!(target_os = "linux") {
        "Linux: checks run in the sandbox below."
    } else if cfg!(windows) {
        "Windows: each check runs in a Job Object, so every process it starts ends with it and when tensorlings ends; time and output are limited, the environment is cleaned. Memory, process count, files and network are not limited here: grade learners' code on Linux."
    } else {
        "macOS: each check runs in its own process group, ended together on timeout; time and output are limited, the environment is cleaned. A process that leaves the group, memory, files and network are not limited here: grade learners' code on Linux."
    }
}

/// Makes every process tensorlings starts end when tensorlings ends, where
/// the platform offers that outside the sandbox (Windows: a job with
/// kill-on-close). The binary calls this once at start. Returns whether
/// tensorlings is so contained.
pub fn contain_this_process() -> bool {
    #[cfg(windows)]
    {
        windows::contain_this_process()
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// Whether [`contain_this_process`] succeeded: every process a check starts
/// then ends with the check and with tensorlings, without the sandbox.
pub fn contained() -> bool {
    #[cfg(windows)]
    {
        windows::contained()
    }
    #[cfg(not(windows))]
    {
        false
    }
}
