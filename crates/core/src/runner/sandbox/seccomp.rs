//! The seccomp filter: system calls sandboxed code has no use for, denied.
//!
//! A deny list, not an allow list: cargo, rustc, the linker and test binaries
//! use hundreds of calls, and an allow list that misses one breaks a learner's
//! check in ways nobody can explain. What is denied is what an attacker needs:
//! sockets, debugging other processes, new namespaces and mounts, kernel
//! keyrings and modules, `io_uring` (which bypasses seccomp), pushing input into
//! a terminal, and (when Landlock cannot scope signals) signals to the runner.

use std::collections::BTreeMap;

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

use super::Phase;

/// Calls denied outright, whatever their arguments.
const DENIED: &[i64] = &[
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_kcmp,
    libc::SYS_pidfd_getfd,
    libc::SYS_perf_event_open,
    libc::SYS_bpf,
    libc::SYS_userfaultfd,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_move_mount,
    libc::SYS_open_tree,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    // open_tree_attr (numbered alike on every architecture).
    467,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_reboot,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_acct,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_clock_adjtime,
    libc::SYS_adjtimex,
    libc::SYS_sethostname,
    libc::SYS_setdomainname,
    libc::SYS_quotactl,
    libc::SYS_syslog,
    libc::SYS_vhangup,
    libc::SYS_name_to_handle_at,
    libc::SYS_open_by_handle_at,
    libc::SYS_personality,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_fanotify_init,
    libc::SYS_fanotify_mark,
    libc::SYS_lookup_dcookie,
    // Watching files by name: a test could see the instructor's home or the
    // course change while it runs (Landlock does not mediate watches).
    libc::SYS_inotify_init1,
    libc::SYS_inotify_add_watch,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_inotify_init,
    // Advice about, and pages of, other processes' memory.
    libc::SYS_process_madvise,
    libc::SYS_process_mrelease,
];

/// Calls that change a process named in their first argument, where 0
/// means the caller: allowed only with 0. In a user namespace that maps the
/// test to the instructor's own uid, the kernel's same-owner checks pass for
/// every process of that user, so without this a test could lower the
/// runner's limits, renice or pin another student's check, and so on. The
/// calls that only read (`sched_getaffinity` …) stay open: a thread asks
/// them about itself by its own id, which a filter cannot tell from another
/// process's, and refused, they cost rustc and LLVM their worker threads.
const SELF_ONLY: &[i64] = &[
    libc::SYS_prlimit64,
    libc::SYS_sched_setaffinity,
    libc::SYS_sched_setscheduler,
    libc::SYS_sched_setparam,
    libc::SYS_sched_setattr,
    libc::SYS_migrate_pages,
    libc::SYS_move_pages,
];

/// Calls of the form `(which, who, ..)`: allowed only for the caller itself
/// (`which` = this value, `who` = 0). `PRIO_USER` would reach every process
/// of the user.
const WHICH_WHO: &[(i64, u64)] = &[
    (libc::SYS_setpriority, libc::PRIO_PROCESS as u64),
    // IOPRIO_WHO_PROCESS
    (libc::SYS_ioprio_set, 1),
];

/// Memory no resident-set count sees: a memfd holds shared memory without
/// being mapped. Denied to tests: the memory budget sums what processes
/// hold resident, and no exercise needs these.
const UNCOUNTED_MEMORY: &[i64] = &[
    libc::SYS_memfd_create,
    libc::SYS_memfd_secret,
    // A System V segment, filled and detached, is in no process's count.
    libc::SYS_shmget,
];

/// Changes to what is said of a file rather than what it holds — its mode,
/// owner, times and extended attributes — which Landlock does not mediate:
/// a file's owner may make them wherever its path can be walked, and a
/// grader running as root owns every file of the machine. Through them a
/// test could lock a classmate's exercise or the course (`chmod 000`), or
/// the machine's tools. Denied to tests (no exercise needs them; the
/// toolchain sets modes and times while it builds, so builds keep them).
const FILE_METADATA: &[i64] = &[
    libc::SYS_fchmod,
    libc::SYS_fchmodat,
    libc::SYS_fchown,
    libc::SYS_fchownat,
    libc::SYS_utimensat,
    libc::SYS_setxattr,
    libc::SYS_lsetxattr,
    libc::SYS_fsetxattr,
    libc::SYS_removexattr,
    libc::SYS_lremovexattr,
    libc::SYS_fremovexattr,
    // Newer calls, numbered alike on every architecture: fchmodat2,
    // setxattrat, removexattrat, file_setattr.
    452,
    463,
    466,
    469,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_chmod,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_chown,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_lchown,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_utime,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_utimes,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_futimesat,
];

/// Namespace flags a `clone` may not carry.
const NEW_NAMESPACES: &[u64] = &[
    libc::CLONE_NEWNS as u64,
    libc::CLONE_NEWUTS as u64,
    libc::CLONE_NEWIPC as u64,
    libc::CLONE_NEWUSER as u64,
    libc::CLONE_NEWPID as u64,
    libc::CLONE_NEWNET as u64,
    libc::CLONE_NEWCGROUP as u64,
];

/// Terminal requests that write into another program's input.
const TERMINAL_INJECTION: &[u64] = &[libc::TIOCSTI, libc::TIOCLINUX];

/// The filters for `phase`. `shielded` are processes (the runner and the
/// supervisor) that may not be signalled; pass them when Landlock cannot
/// scope signals.
pub fn filters(phase: Phase, shielded: &[i32]) -> Result<Vec<BpfProgram>, String> {
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> = BTreeMap::new();
    for &call in DENIED {
        rules.insert(call, Vec::new());
    }
    if phase == Phase::Test {
        for &call in UNCOUNTED_MEMORY.iter().chain(FILE_METADATA) {
            rules.insert(call, Vec::new());
        }
    }
    for &call in SELF_ONLY {
        rules.insert(call, vec![rule(&[(0, SeccompCmpOp::Ne, 0)])?]);
    }
    for &(call, which) in WHICH_WHO {
        rules.insert(
            call,
            vec![
                rule(&[(0, SeccompCmpOp::Ne, which)])?,
                rule(&[(1, SeccompCmpOp::Ne, 0)])?,
            ],
        );
    }
    argument_rules(&mut rules)?;
    rules.insert(libc::SYS_socket, socket_rules(phase)?);
    if phase == Phase::Test {
        // A pair of connected sockets needs no network, but its buffers hold
        // memory and no test needs one.
        rules.insert(libc::SYS_socketpair, Vec::new());
    }
    signal_rules(&mut rules, shielded)?;
    compile(rules)
}

/// Calls denied by their arguments: a `clone` into new namespaces, an
/// `ioctl` that writes into a terminal's input.
fn argument_rules(rules: &mut BTreeMap<i64, Vec<SeccompRule>>) -> Result<(), String> {
    // glibc tries clone3 first and falls back to clone, whose flags a filter
    // can read; clone3 takes them behind a pointer, so it reports "no such call".
    let clone_rules = NEW_NAMESPACES
        .iter()
        .map(|&flag| rule(&[(0, SeccompCmpOp::MaskedEq(flag), flag)]))
        .collect::<Result<Vec<_>, _>>()?;
    rules.insert(libc::SYS_clone, clone_rules);
    let ioctl_rules = TERMINAL_INJECTION
        .iter()
        .map(|&request| rule(&[(1, SeccompCmpOp::MaskedEq(0xffff_ffff), request)]))
        .collect::<Result<Vec<_>, _>>()?;
    rules.insert(libc::SYS_ioctl, ioctl_rules);
    Ok(())
}

/// Signals (and pidfds) aimed at a shielded process, its group, or every
/// process.
fn signal_rules(
    rules: &mut BTreeMap<i64, Vec<SeccompRule>>,
    shielded: &[i32],
) -> Result<(), String> {
    for call in [
        libc::SYS_kill,
        libc::SYS_tkill,
        libc::SYS_tgkill,
        libc::SYS_rt_sigqueueinfo,
        libc::SYS_rt_tgsigqueueinfo,
        libc::SYS_pidfd_open,
    ] {
        let mut targets: Vec<SeccompRule> = Vec::new();
        for &pid in shielded {
            targets.push(rule(&[(0, SeccompCmpOp::Eq, dword(pid))])?);
            if call == libc::SYS_kill {
                // kill(-pgid) signals a whole group; kill(-1) every process.
                targets.push(rule(&[(0, SeccompCmpOp::Eq, dword(-pid))])?);
            }
        }
        if call == libc::SYS_kill && !shielded.is_empty() {
            targets.push(rule(&[(0, SeccompCmpOp::Eq, dword(-1))])?);
        }
        if !targets.is_empty() {
            rules.insert(call, targets);
        }
    }
    Ok(())
}

/// The rules as BPF programs: the denials (EPERM), and clone3 answering
/// ENOSYS so that glibc falls back to clone, whose flags a filter can read.
fn compile(rules: BTreeMap<i64, Vec<SeccompRule>>) -> Result<Vec<BpfProgram>, String> {
    let arch = TargetArch::try_from(std::env::consts::ARCH).map_err(|e| e.to_string())?;
    let filter: BpfProgram = SeccompFilter::new(
        rules,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .and_then(TryInto::try_into)
    .map_err(|e: seccompiler::BackendError| e.to_string())?;
    // clone3 answers ENOSYS so that glibc falls back to clone (see above).
    let enosys: BpfProgram = SeccompFilter::new(
        BTreeMap::from([(libc::SYS_clone3, Vec::new())]),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .and_then(TryInto::try_into)
    .map_err(|e: seccompiler::BackendError| e.to_string())?;
    Ok(vec![enosys, filter])
}

/// Installs the filters on this thread; they are inherited across `exec`, and
/// the kernel applies the strictest answer of all of them.
pub fn apply(programs: &[BpfProgram]) -> Result<(), String> {
    for program in programs {
        seccompiler::apply_filter(program).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Which sockets may be created: none for tests; for builds only local ones
/// (cargo's job server and the linker never need a network).
fn socket_rules(phase: Phase) -> Result<Vec<SeccompRule>, String> {
    match phase {
        Phase::Test => Ok(Vec::new()),
        Phase::Build => Ok(vec![rule(&[(0, SeccompCmpOp::Ne, libc::AF_UNIX as u64)])?]),
    }
}

fn rule(conditions: &[(u8, SeccompCmpOp, u64)]) -> Result<SeccompRule, String> {
    let conditions = conditions
        .iter()
        .map(|(arg, op, value)| {
            SeccompCondition::new(*arg, SeccompCmpArgLen::Dword, op.clone(), *value)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    SeccompRule::new(conditions).map_err(|e| e.to_string())
}

/// A pid as the 32-bit pattern the kernel compares.
fn dword(pid: i32) -> u64 {
    u64::from(pid.cast_unsigned())
}
