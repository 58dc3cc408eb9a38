//! The second step: restrict this process, then become the command.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

use nix::sys::prctl;
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::Signal;
use nix::unistd::getppid;

use super::supervise::Plan;
use super::{landlock_rules, seccomp};

/// Entry: `__confine PLAN -- PROGRAM ARGS...`. Never returns on success: the
/// process becomes PROGRAM, with every restriction in force.
pub fn main(args: &[OsString]) -> ExitCode {
    let [plan, dashes, program, rest @ ..] = args else {
        eprintln!("tensorlings: the confine step was started with bad arguments");
        return ExitCode::from(125);
    };
    let plan: Option<Plan> = plan.to_str().and_then(|p| serde_json::from_str(p).ok());
    let (Some(plan), true) = (plan, dashes == "--") else {
        eprintln!("tensorlings: the confine step was started with bad arguments");
        return ExitCode::from(125);
    };
    if let Err(err) = confine(&plan) {
        eprintln!("tensorlings: the sandbox could not be set up: {err}");
        return ExitCode::from(125);
    }
    if plan.policy.wait_for_input && !input_arrived() {
        // The runner let the run go without starting it (the build failed).
        return ExitCode::from(125);
    }
    let err = Command::new(program).args(rest).exec();
    eprintln!(
        "tensorlings: cannot start {}: {err}",
        program.to_string_lossy()
    );
    ExitCode::from(127)
}

/// Waits until standard input has a byte to read, without taking it (the
/// command reads all of its input itself). False when the input ended
/// first. An input that is no socket (the runner's always is) counts as
/// arrived.
fn input_arrived() -> bool {
    use nix::errno::Errno;
    use nix::sys::socket::{MsgFlags, recv};
    use std::os::fd::AsRawFd;
    let mut byte = [0u8; 1];
    loop {
        match recv(std::io::stdin().as_raw_fd(), &mut byte, MsgFlags::MSG_PEEK) {
            Ok(n) => return n > 0,
            Err(Errno::EINTR) => {}
            Err(_) => return true,
        }
    }
}

fn confine(plan: &Plan) -> Result<(), String> {
    // Dies with the supervisor, even if something kills it with SIGKILL.
    prctl::set_pdeathsig(Signal::SIGKILL).map_err(|e| e.to_string())?;
    if getppid().as_raw() != plan.supervisor {
        return Err("the supervisor ended before the command started".to_owned());
    }
    let budget = plan.policy.budget;
    let cpu_secs = budget.cpu.as_secs().max(1);
    let limits = [
        (Resource::RLIMIT_AS, budget.process_memory),
        (Resource::RLIMIT_FSIZE, budget.file_size),
        (Resource::RLIMIT_CORE, 0),
        // The kernel sends SIGXCPU at the soft limit; the hard one a second
        // later is the backstop.
        (Resource::RLIMIT_CPU, cpu_secs),
    ];
    for (resource, limit) in limits {
        let hard = if resource == Resource::RLIMIT_CPU {
            limit + 1
        } else {
            limit
        };
        setrlimit(resource, limit, hard).map_err(|e| format!("{resource:?}: {e}"))?;
    }
    if plan.nproc {
        let n = u64::from(budget.processes) + 2;
        setrlimit(Resource::RLIMIT_NPROC, n, n).map_err(|e| format!("RLIMIT_NPROC: {e}"))?;
    }
    prctl::set_no_new_privs().map_err(|e| e.to_string())?;
    if plan.landlock > 0 {
        landlock_rules::apply(&plan.policy, plan.landlock)?;
    }
    if plan.seccomp {
        let filters = seccomp::filters(plan.policy.phase, &plan.shielded)?;
        seccomp::apply(&filters)?;
    }
    Ok(())
}
