//! The sandbox every build and test run happens in.
//!
//! Learner code is hostile by assumption: `grade` runs a whole class's code on
//! an instructor's machine. A sandboxed command is started through two short
//! steps of the tensorlings binary itself (hidden subcommands), so no `unsafe`
//! code is needed to restrict a child before it runs:
//!
//! 1. **supervise** starts a new session (no controlling terminal), dies with
//!    the runner (a parent-death signal), becomes a child subreaper so that
//!    every descendant stays in its tree (also after `setsid` or a double
//!    fork), enters new user, network and IPC namespaces when the system
//!    allows it, and then watches the tree: total memory, process count, CPU
//!    time and disk use are budgets for the whole run, not per process. When
//!    the command ends, or a budget is spent, or the runner asks it to stop,
//!    it kills every process in the tree and writes what happened to a status
//!    file the sandboxed code cannot reach.
//! 2. **confine** sets resource limits, `no_new_privs`, a Landlock ruleset
//!    (which files may be read, written or executed; no TCP; no signals or
//!    abstract sockets outside the sandbox) and a seccomp filter (no sockets,
//!    ptrace, namespaces, mounts, keyrings or terminal injection), and then
//!    executes the command, which inherits all of it.
//!
//! Where a protection is missing (an old kernel, another OS) the command still
//! runs, and the [`SandboxReport`] says which protections were active, so the front
//! ends can say so loudly.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[cfg(target_os = "linux")]
mod cgroup;
#[cfg(target_os = "linux")]
mod confine;
#[cfg(target_os = "linux")]
mod detect;
#[cfg(target_os = "linux")]
mod landlock_rules;
#[cfg(target_os = "linux")]
mod seccomp;
#[cfg(target_os = "linux")]
mod supervise;
#[cfg(target_os = "linux")]
mod tree;
#[cfg(target_os = "linux")]
mod watch;

mod jail;

pub use super::platform::{contain_this_process, provides};
pub use jail::{Jail, forget_inherited_descriptors, jail_main};

/// The hidden subcommand of the first step.
pub const SUPERVISE: &str = "__sandbox";
/// The hidden subcommand of the second step.
pub const CONFINE: &str = "__confine";

/// What a sandboxed command may do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    /// Files and directories it may read.
    pub read: Vec<PathBuf>,
    /// Files and directories it may read and execute.
    pub exec: Vec<PathBuf>,
    /// Directories it may read, write, and create and remove files in.
    pub write: Vec<PathBuf>,
    /// Which seccomp profile applies.
    pub phase: Phase,
    /// Budgets for the whole run.
    pub budget: Budget,
    /// Protections to leave off (a weaker sandbox, asked for explicitly).
    pub off: Vec<Protection>,
    /// Whether the command, all restrictions in force, waits to start until
    /// its standard input has something to read (and never starts if it
    /// ends first): the runner sets a test run up while the build still
    /// runs, and lets it go once the binary is in place.
    #[serde(default)]
    pub wait_for_input: bool,
}

/// What runs in the sandbox, which decides the system calls it may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// cargo, rustc, the linker and the pinned crates' build scripts.
    Build,
    /// The test binary: the learner's code with the hidden tests.
    Test,
}

/// Budgets for one sandboxed run, counted over every process in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Resident memory of all processes together, in bytes.
    pub memory: u64,
    /// Address space of any one process, in bytes (`RLIMIT_AS`).
    pub process_memory: u64,
    /// Processes alive at once.
    pub processes: u32,
    /// CPU time of all processes together.
    pub cpu: Duration,
    /// Size of any one file written, in bytes.
    pub file_size: u64,
    /// Bytes in the first writable directory, when limited.
    pub disk: Option<u64>,
}

/// One protection of the sandbox, as `tensorlings doctor` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protection {
    /// Landlock limits which files may be read, written and executed.
    #[serde(rename = "filesystem")]
    Filesystem,
    /// Landlock denies TCP connections and listening sockets.
    #[serde(rename = "tcp")]
    TcpDenied,
    /// Landlock denies signals and abstract sockets outside the sandbox.
    #[serde(rename = "scope")]
    Scoped,
    /// A seccomp filter denies sockets, ptrace, namespaces, mounts and more.
    #[serde(rename = "seccomp")]
    SyscallFilter,
    /// A network namespace with no interfaces.
    #[serde(rename = "netns")]
    NetworkNamespace,
    /// A user namespace, which also makes the process limit per run.
    #[serde(rename = "userns")]
    UserNamespace,
    /// The supervisor is a child subreaper and dies with tensorlings.
    #[serde(rename = "containment")]
    Containment,
    /// The run directory is a size-limited tmpfs in the run's own mount
    /// namespace, so the disk budget counts what the kernel counts.
    #[serde(rename = "tmpfs")]
    DiskQuota,
    /// A control group per run: the kernel enforces memory and processes.
    #[serde(rename = "cgroup")]
    ControlGroup,
}

impl Protection {
    /// Every protection, in the order `doctor` lists them.
    pub const ALL: [Protection; 9] = [
        Protection::Containment,
        Protection::Filesystem,
        Protection::TcpDenied,
        Protection::Scoped,
        Protection::SyscallFilter,
        Protection::UserNamespace,
        Protection::NetworkNamespace,
        Protection::DiskQuota,
        Protection::ControlGroup,
    ];

    /// Whether `grade` needs it. The others add depth, and have stand-ins
    /// where the kernel lacks them: without Landlock scopes or TCP rules, the
    /// seccomp filter still refuses sockets and shields tensorlings from
    /// signals; without namespaces, the supervisor still counts every process.
    pub fn essential(self) -> bool {
        matches!(
            self,
            Protection::Containment | Protection::Filesystem | Protection::SyscallFilter
        )
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Protection::Filesystem => "filesystem",
            Protection::TcpDenied => "tcp",
            Protection::Scoped => "scope",
            Protection::SyscallFilter => "seccomp",
            Protection::NetworkNamespace => "netns",
            Protection::UserNamespace => "userns",
            Protection::Containment => "containment",
            Protection::DiskQuota => "tmpfs",
            Protection::ControlGroup => "cgroup",
        }
    }

    /// The protection named `name`, if any.
    pub fn from_name(name: &str) -> Option<Protection> {
        Protection::ALL.into_iter().find(|p| p.name() == name)
    }

    /// What it keeps learner code from doing, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Protection::Containment => {
                "every process a check starts ends with it, also after setsid or a double fork, and when tensorlings ends"
            }
            Protection::Filesystem => {
                "learner code reads only its run directory, the toolchain and the pinned crates, and writes only its run directory (Landlock)"
            }
            Protection::TcpDenied => "no TCP connections or listening sockets (Landlock)",
            Protection::Scoped => {
                "no signals to tensorlings or other processes, no abstract sockets (Landlock scopes)"
            }
            Protection::SyscallFilter => {
                "no sockets, ptrace, namespaces, mounts, keyrings, file watches or terminal input injection; no memory outside every count (memfd, System V shared memory); limits, priorities and CPU pinning only of its own process; tests change no file's mode, owner, times or attributes (seccomp)"
            }
            Protection::UserNamespace => {
                "a user namespace, so the process limit counts only this check's processes"
            }
            Protection::NetworkNamespace => "a network namespace with no interfaces at all",
            Protection::ControlGroup => {
                "a control group per check: the kernel itself enforces the memory and process budgets, counting shared memory and tmpfs pages too"
            }
            Protection::DiskQuota => {
                "the run directory is a size-limited tmpfs of its own, so deleted and unnamed files count against the disk budget too"
            }
        }
    }
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a sandboxed run ended, as its supervisor saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxReport {
    /// How the command ended.
    pub exit: Exit,
    /// The budget or limit that stopped it, if one did.
    pub limit: Option<Limit>,
    /// The protections that were in force.
    pub active: Vec<Protection>,
    /// The most memory the run held at once, in bytes (as sampled).
    pub peak_memory: u64,
    /// The most processes the run had at once (as sampled).
    pub peak_processes: u32,
    /// Control groups the run was in, for the runner to remove once it ended.
    #[serde(default)]
    pub cgroups: Vec<PathBuf>,
    /// How long the supervisor took to set the sandbox up before it started
    /// the command, in microseconds (what the sandbox costs a run, less the
    /// confine step's own few system calls).
    #[serde(default)]
    pub setup_us: u64,
}

/// How the sandboxed command ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it.
    Signal(i32),
    /// The supervisor stopped it (a budget, or the runner asked).
    Stopped,
    /// The sandbox could not be set up; the text says why.
    SetupFailed(String),
}

/// A limit that stopped a run, in the words the front ends show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Limit {
    /// All processes together held more memory than allowed.
    Memory {
        /// The budget, in bytes.
        limit: u64,
    },
    /// One process asked for more address space than allowed.
    ProcessMemory {
        /// The limit, in bytes.
        limit: u64,
    },
    /// More processes than allowed were alive at once.
    Processes {
        /// The budget.
        limit: u32,
    },
    /// All processes together used more CPU time than allowed.
    Cpu {
        /// The budget, in milliseconds.
        limit_ms: u64,
    },
    /// A file grew past the size limit.
    FileSize {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The run directory held more bytes than allowed.
    Disk {
        /// The budget, in bytes.
        limit: u64,
    },
}

/// Bytes in the largest whole unit that fits, for messages.
#[allow(clippy::cast_precision_loss)] // a rounded figure for people to read
pub fn bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let value = n as f64 / size as f64;
            return if value.fract() == 0.0 {
                format!("{value:.0} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_plain_words() {
        assert_eq!(
            Limit::Memory { limit: 2 << 30 }.to_string(),
            "its processes together used more than 2 GiB of memory"
        );
        assert_eq!(
            Limit::Processes { limit: 64 }.to_string(),
            "it started more than 64 processes and threads"
        );
        assert_eq!(
            Limit::Disk { limit: 256 << 20 }.to_string(),
            "it wrote more than 256 MiB to its run directory"
        );
    }

    #[test]
    fn protections_round_trip_through_their_names() {
        for p in Protection::ALL {
            assert_eq!(Protection::from_name(p.name()), Some(p));
        }
        assert_eq!(Protection::from_name("nonsense"), None);
    }
}
