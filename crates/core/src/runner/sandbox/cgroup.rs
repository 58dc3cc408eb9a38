//! A control group per sandboxed run, where the system lets tensorlings make
//! one: the kernel then enforces the memory and process budgets itself,
//! counting what sampling misses (shared memory, tmpfs pages, page cache),
//! instead of the supervisor noticing a spent budget up to one sample late.
//!
//! Both layouts are handled: the unified hierarchy (cgroup v2: `memory.max`,
//! `pids.max`, where the controllers are enabled for the group the
//! supervisor is in or its parent) and the older per-controller one (v1:
//! `memory.limit_in_bytes`, `pids.max`), as on systems that mount both.
//! Where neither can be made (no permission, no delegation), the run goes
//! on without and `doctor` says so; the sampled budgets and the seccomp
//! filter's refusal of uncounted memory still hold.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Budget, Limit};

/// The groups one run was put in; removed by the runner once it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Groups {
    /// The group holding the memory budget.
    pub memory: Option<PathBuf>,
    /// The group holding the process budget (the same as `memory` on v2).
    pub pids: Option<PathBuf>,
}

impl Groups {
    /// Whether both budgets are enforced by the kernel.
    pub fn complete(&self) -> bool {
        self.memory.is_some() && self.pids.is_some()
    }

    /// Moves this process out of its groups, into each one's parent. The
    /// supervisor does this as soon as its command started (the command
    /// stays in them, and so does everything it starts): a move costs the
    /// kernel a wait of milliseconds when no other was made just before, so
    /// it is made right after the one that entered, during the setup, and
    /// removing the groups once the command ended needs none.
    pub fn step_out(&self) {
        use std::io::Write as _;
        let me = std::process::id().to_string();
        for dir in self.dirs() {
            let Some(parent) = dir.parent() else { continue };
            // Written, never created: only a real group has the file.
            let _ = fs::OpenOptions::new()
                .write(true)
                .open(parent.join("cgroup.procs"))
                .and_then(|mut procs| procs.write_all(me.as_bytes()));
        }
    }

    /// Removes the groups, once everything in them has ended. The supervisor
    /// does this after its watch, so no group outlives its check even when
    /// the runner is gone (the runner removes what is left, as before).
    pub fn remove(&self) {
        for dir in self.dirs() {
            let _ = fs::remove_dir(&dir);
        }
    }

    /// Every directory to remove, once.
    pub fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .memory
            .iter()
            .chain(self.pids.iter())
            .cloned()
            .collect();
        dirs.dedup();
        dirs
    }

    /// The budget the kernel enforced, when it had to: a process killed for
    /// memory, or a fork refused for the process count.
    pub fn limit_hit(&self, budget: &Budget) -> Option<Limit> {
        if let Some(dir) = &self.memory {
            let killed = counter(&dir.join("memory.events"), "oom_kill")
                .or_else(|| counter(&dir.join("memory.oom_control"), "oom_kill"))
                .unwrap_or(0);
            if killed > 0 {
                return Some(Limit::Memory {
                    limit: budget.memory,
                });
            }
        }
        if let Some(dir) = &self.pids
            && counter(&dir.join("pids.events"), "max").unwrap_or(0) > 0
        {
            return Some(Limit::Processes {
                limit: budget.processes,
            });
        }
        None
    }
}

/// `name VALUE` from a flat-keyed cgroup file.
fn counter(file: &Path, name: &str) -> Option<u64> {
    let text = fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(' ')?;
        (key == name).then(|| value.trim().parse().ok()).flatten()
    })
}

/// Makes groups with `budget` and moves this process into them, so that
/// everything it starts from now on is counted there. `processes` is the
/// process budget plus what the sandbox itself runs.
pub fn enter(budget: &Budget, name: &str) -> Groups {
    let mounts = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let own = fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    enter_in(&mounts, &own, budget, name)
}

/// [`enter`], with the mounts and this process's groups as read from
/// `/proc/self/mountinfo` and `/proc/self/cgroup`.
fn enter_in(mounts: &str, own: &str, budget: &Budget, name: &str) -> Groups {
    let mut groups = Groups::default();
    let pids = u64::from(budget.processes) + 4;
    // The unified hierarchy first: one group for both budgets.
    if let Some((mount, base)) = unified_group(mounts, own) {
        // Beside this process's own group when that cannot hold one, but
        // never outside the hierarchy: above its mount point is another
        // file system (a tmpfs holding the mounts, say), where a directory
        // and files can be made that no kernel counts anything in.
        let parent = base
            .parent()
            .filter(|p| p.starts_with(&mount))
            .map(Path::to_path_buf);
        for parent in std::iter::once(base).chain(parent) {
            let Some(dir) = make_group(&parent, name) else {
                continue;
            };
            let memory = write(&dir, "memory.max", budget.memory)
                && (write(&dir, "memory.swap.max", 0) || !dir.join("memory.swap.max").exists());
            let tasks = write(&dir, "pids.max", pids);
            if (memory || tasks) && write_self(&dir) {
                groups.memory = memory.then(|| dir.clone());
                groups.pids = tasks.then(|| dir.clone());
                break;
            }
            let _ = fs::remove_dir(&dir);
        }
    }
    // The per-controller hierarchies, for what the unified one lacks.
    if groups.memory.is_none()
        && let Some(base) = controller_group(mounts, own, "memory")
        && let Some(dir) = make_group(&base, name)
    {
        let swap = dir.join("memory.memsw.limit_in_bytes");
        let set = write(&dir, "memory.limit_in_bytes", budget.memory)
            && (!swap.exists() || write(&dir, "memory.memsw.limit_in_bytes", budget.memory));
        if set && write_self(&dir) {
            groups.memory = Some(dir);
        } else {
            let _ = fs::remove_dir(&dir);
        }
    }
    if groups.pids.is_none()
        && let Some(base) = controller_group(mounts, own, "pids")
        && let Some(dir) = make_group(&base, name)
    {
        if write(&dir, "pids.max", pids) && write_self(&dir) {
            groups.pids = Some(dir);
        } else {
            let _ = fs::remove_dir(&dir);
        }
    }
    groups
}

/// Makes the group `name` in `parent`. A group of that name may be left by
/// a run whose supervisor had this process's number and was killed before
/// it could remove it: it is removed first (the kernel removes only a group
/// no process is in). One still in use (a supervisor of the same number in
/// another process namespace) is left alone, and the group gets a name of
/// its own instead: a name taken never costs a run its group.
fn make_group(parent: &Path, name: &str) -> Option<PathBuf> {
    let dir = parent.join(name);
    match fs::create_dir(&dir) {
        Ok(()) => return Some(dir),
        Err(err) if err.kind() != std::io::ErrorKind::AlreadyExists => return None,
        Err(_) => {}
    }
    if fs::remove_dir(&dir).is_ok() && fs::create_dir(&dir).is_ok() {
        return Some(dir);
    }
    // A random suffix (the standard library's hash keys come from the
    // system's randomness).
    let suffix = {
        use std::hash::BuildHasher as _;
        std::collections::hash_map::RandomState::new().hash_one(name)
    };
    let unique = parent.join(format!("{name}-{suffix:016x}"));
    fs::create_dir(&unique).ok().map(|()| unique)
}

fn write(dir: &Path, file: &str, value: u64) -> bool {
    fs::write(dir.join(file), value.to_string()).is_ok()
}

/// Moves this process into the group at `dir`.
fn write_self(dir: &Path) -> bool {
    fs::write(dir.join("cgroup.procs"), std::process::id().to_string()).is_ok()
}

/// The unified hierarchy's mount point and this process's directory in it,
/// when it is mounted.
fn unified_group(mountinfo: &str, own: &str) -> Option<(PathBuf, PathBuf)> {
    let mount = mount_point(mountinfo, |fstype, _| fstype == "cgroup2")?;
    let path = own.lines().find_map(|l| l.strip_prefix("0::"))?;
    let dir = join(&mount, path);
    Some((mount, dir))
}

/// A v1 controller's directory for this process, when it is mounted.
fn controller_group(mountinfo: &str, own: &str, controller: &str) -> Option<PathBuf> {
    let mount = mount_point(mountinfo, |fstype, options| {
        fstype == "cgroup" && options.split(',').any(|o| o == controller)
    })?;
    let path = own.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        controllers
            .split(',')
            .any(|c| c == controller)
            .then_some(path)
    })?;
    Some(join(&mount, path))
}

/// The mount point of the first mount whose type and super options match.
fn mount_point(mountinfo: &str, matches: impl Fn(&str, &str) -> bool) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
        let (before, after) = line.split_once(" - ")?;
        let mount = before.split(' ').nth(4)?;
        let mut after = after.split(' ');
        let (fstype, _source, options) = (after.next()?, after.next()?, after.next()?);
        matches(fstype, options).then(|| PathBuf::from(mount))
    })
}

fn join(mount: &Path, path: &str) -> PathBuf {
    mount.join(path.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
35 24 0:30 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
36 35 0:31 / /sys/fs/cgroup/unified rw,nosuid shared:5 - cgroup2 cgroup2 rw
40 35 0:35 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory
41 35 0:36 / /sys/fs/cgroup/pids rw,nosuid shared:10 - cgroup cgroup rw,pids
";
    const OWN: &str = "8:pids:/\n4:memory:/jobs/a1\n0::/user.slice\n";

    #[test]
    fn groups_are_found_in_both_layouts() {
        assert_eq!(
            unified_group(MOUNTINFO, OWN),
            Some((
                PathBuf::from("/sys/fs/cgroup/unified"),
                PathBuf::from("/sys/fs/cgroup/unified/user.slice")
            ))
        );
        assert_eq!(
            controller_group(MOUNTINFO, OWN, "memory"),
            Some(PathBuf::from("/sys/fs/cgroup/memory/jobs/a1"))
        );
        assert_eq!(
            controller_group(MOUNTINFO, OWN, "pids"),
            Some(PathBuf::from("/sys/fs/cgroup/pids"))
        );
        assert_eq!(controller_group(MOUNTINFO, OWN, "cpu"), None);
    }

    #[test]
    fn an_oom_kill_or_a_refused_fork_names_its_budget() {
        let dir = tempfile::tempdir().unwrap();
        let budget = Budget {
            memory: 1 << 30,
            process_memory: 1 << 30,
            processes: 8,
            cpu: std::time::Duration::from_secs(1),
            file_size: 1,
            disk: None,
        };
        let groups = Groups {
            memory: Some(dir.path().to_path_buf()),
            pids: Some(dir.path().to_path_buf()),
        };
        fs::write(
            dir.path().join("memory.events"),
            "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n",
        )
        .unwrap();
        fs::write(dir.path().join("pids.events"), "max 0\n").unwrap();
        assert_eq!(groups.limit_hit(&budget), None);
        fs::write(dir.path().join("pids.events"), "max 2\n").unwrap();
        assert_eq!(
            groups.limit_hit(&budget),
            Some(Limit::Processes { limit: 8 })
        );
        fs::write(dir.path().join("memory.events"), "oom_kill 1\n").unwrap();
        assert_eq!(
            groups.limit_hit(&budget),
            Some(Limit::Memory { limit: 1 << 30 })
        );
    }

    fn budget() -> Budget {
        Budget {
            memory: 1 << 30,
            process_memory: 1 << 30,
            processes: 8,
            cpu: std::time::Duration::from_secs(1),
            file_size: 1,
            disk: None,
        }
    }

    /// A cgroup v2 system (the unified hierarchy holds every controller):
    /// one group holds both budgets, and this process is moved into it.
    /// The hierarchy is a plain directory here, standing in for cgroupfs.
    #[test]
    fn on_the_unified_hierarchy_one_group_holds_both_budgets() {
        let root = tempfile::tempdir().unwrap();
        let own = root.path().join("user.slice");
        fs::create_dir(&own).unwrap();
        let mounts = format!(
            "36 24 0:31 / {} rw,nosuid shared:5 - cgroup2 cgroup2 rw\n",
            root.path().display()
        );
        let groups = enter_in(&mounts, "0::/user.slice\n", &budget(), "tensorlings-1");
        let dir = own.join("tensorlings-1");
        assert_eq!(groups.memory.as_deref(), Some(dir.as_path()));
        assert_eq!(groups.pids.as_deref(), Some(dir.as_path()));
        assert!(groups.complete());
        assert_eq!(
            groups.dirs(),
            std::slice::from_ref(&dir),
            "one directory to remove"
        );
        let read = |file: &str| fs::read_to_string(dir.join(file)).unwrap();
        assert_eq!(read("memory.max"), (1u64 << 30).to_string());
        assert_eq!(read("memory.swap.max"), "0");
        assert_eq!(read("pids.max"), "12", "the budget and the sandbox's own");
        assert_eq!(read("cgroup.procs"), std::process::id().to_string());
    }

    /// A hybrid system: a tmpfs holds the per-controller mounts and the
    /// unified hierarchy below it, with no controller of its own. No group
    /// is made outside the unified mount (in the tmpfs above, where files
    /// can be written that count nothing), and none is claimed there.
    #[test]
    fn no_group_is_made_above_the_unified_mount() {
        let root = tempfile::tempdir().unwrap();
        // The unified hierarchy refuses every group (here: it is no
        // directory at all).
        let unified = root.path().join("unified");
        fs::write(&unified, "").unwrap();
        let mounts = format!(
            "31 23 0:28 / {} rw - tmpfs tmpfs rw\n\
             41 31 0:38 / {} rw - cgroup2 cgroup2 rw\n",
            root.path().display(),
            unified.display()
        );
        let groups = enter_in(&mounts, "0::/\n", &budget(), "tensorlings-1");
        assert!(groups.dirs().is_empty(), "{:?}", groups.dirs());
        assert!(!root.path().join("tensorlings-1").exists());
    }

    /// A group left by a killed run under this process's name (its
    /// supervisor had the same number) is replaced; one still in use is left
    /// alone and the run's group gets a name of its own. Either way the run
    /// has its group: a taken name used to cost it the protection, silently.
    #[test]
    fn a_name_left_taken_never_costs_a_run_its_group() {
        let root = tempfile::tempdir().unwrap();
        let pids = root.path().join("pids");
        let memory = root.path().join("memory");
        fs::create_dir(&pids).unwrap();
        fs::create_dir(&memory).unwrap();
        let mounts = format!(
            "40 35 0:35 / {} rw,nosuid shared:9 - cgroup cgroup rw,memory\n\
             41 35 0:36 / {} rw,nosuid shared:10 - cgroup cgroup rw,pids\n",
            memory.display(),
            pids.display()
        );
        let own = "8:pids:/\n4:memory:/\n";
        // Left empty by a killed run: replaced.
        fs::create_dir(pids.join("tensorlings-1")).unwrap();
        // Still in use (here: a file in it, so it cannot be removed).
        fs::create_dir(memory.join("tensorlings-1")).unwrap();
        fs::write(memory.join("tensorlings-1").join("in-use"), "").unwrap();
        let groups = enter_in(&mounts, own, &budget(), "tensorlings-1");
        assert!(groups.complete(), "{groups:?}");
        assert_eq!(
            groups.pids.as_deref(),
            Some(pids.join("tensorlings-1").as_path())
        );
        let mine = groups.memory.clone().unwrap();
        assert_ne!(mine, memory.join("tensorlings-1"));
        assert!(
            mine.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tensorlings-1-"),
            "{mine:?}"
        );
        assert!(
            memory.join("tensorlings-1").join("in-use").exists(),
            "taken over"
        );
    }

    /// Where no hierarchy can be written, no group is claimed: the sampled
    /// budgets then hold alone, and `doctor` says the protection is off.
    #[test]
    fn without_a_writable_hierarchy_no_group_is_claimed() {
        let groups = enter_in("", "", &budget(), "tensorlings-1");
        assert!(!groups.complete());
        assert!(groups.dirs().is_empty());
    }
}
