//! The supervisor's view of its process tree, read from `/proc`.
//!
//! The supervisor is a child subreaper, so every process the sandboxed
//! command starts stays below it: one that calls `setsid`, leaves its group
//! or double-forks is re-parented to the supervisor, not to init. Walking
//! `/proc/<pid>/task/<tid>/children` from the supervisor therefore finds all
//! of them.

use std::fs;
use std::path::Path;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// Every process below `root` (not `root` itself).
pub fn descendants(root: Pid) -> Vec<Pid> {
    let mut found = Vec::new();
    let mut queue = vec![root];
    while let Some(pid) = queue.pop() {
        for child in children(pid) {
            if !found.contains(&child) {
                found.push(child);
                queue.push(child);
            }
        }
    }
    found
}

/// The direct children of `pid`, from every one of its threads.
fn children(pid: Pid) -> Vec<Pid> {
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for task in tasks.flatten() {
        let Ok(list) = fs::read_to_string(task.path().join("children")) else {
            continue;
        };
        out.extend(
            list.split_whitespace()
                .filter_map(|n| n.parse().ok())
                .map(Pid::from_raw),
        );
    }
    out
}

/// What a set of processes holds right now.
#[derive(Debug, Default, Clone, Copy)]
pub struct Usage {
    /// Processes and threads alive.
    pub tasks: u32,
    /// Resident memory, in bytes.
    pub memory: u64,
    /// CPU time used so far, in clock ticks.
    pub cpu_ticks: u64,
}

/// The usage of `pids`, skipping any that ended meanwhile.
pub fn usage(pids: &[Pid], page_size: u64) -> Usage {
    let mut total = Usage::default();
    for pid in pids {
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name (field 2) is in parentheses and may hold spaces;
        // the fields after the last ')' are plain numbers.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // After the name: state(3) ... utime(14) stime(15) ... num_threads(20) ... rss(24).
        let field =
            |n: usize| -> u64 { fields.get(n - 3).and_then(|v| v.parse().ok()).unwrap_or(0) };
        if fields.first() == Some(&"Z") {
            total.cpu_ticks += field(14) + field(15);
            continue;
        }
        total.tasks += u32::try_from(field(20).max(1)).unwrap_or(u32::MAX);
        total.cpu_ticks += field(14) + field(15);
        total.memory += field(24) * page_size;
    }
    total
}

/// Bytes held by the files under `dir`, counting at most `max_entries`
/// entries (a directory with more counts as full).
pub fn disk_use(dir: &Path, max_entries: usize) -> u64 {
    let mut total = 0u64;
    let mut seen = 0usize;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > max_entries {
                return u64::MAX;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                // Blocks actually used: a sparse file of "1 TB" costs nothing.
                total += std::os::unix::fs::MetadataExt::blocks(&meta) * 512;
            }
        }
    }
    total
}

/// Kills every process below `root` and reaps them, until none is left.
/// Processes that fork while this runs are found on the next pass.
pub fn kill_all(root: Pid) {
    for _ in 0..1000 {
        let below = descendants(root);
        for pid in &below {
            let _ = kill(*pid, Signal::SIGKILL);
        }
        let reaped = reap_any();
        if below.is_empty() && !reaped {
            return;
        }
        if below.is_empty() {
            continue;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Reaps every child that has ended; true when at least one was.
pub fn reap_any() -> bool {
    let mut any = false;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::StillAlive) | Err(_) => return any,
            Ok(_) => any = true,
        }
    }
}
