//! `tensorlings doctor`: what the sandbox provides on this system.

use std::process::ExitCode;

use anyhow::{Result, bail};
use serde::Serialize;

use super::Format;
use crate::runner::Runner;
use crate::runner::sandbox::Protection;

/// Arguments of `doctor`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Serialize)]
struct JsonDoctor {
    /// The operating system, as Rust names it (linux, macos, windows).
    os: &'static str,
    /// What this platform provides, in plain words.
    platform: &'static str,
    protections: Vec<JsonProtection>,
    complete: bool,
}

#[derive(Serialize)]
struct JsonProtection {
    name: &'static str,
    active: bool,
    essential: bool,
    chosen_off: bool,
    what: &'static str,
}

/// The protections a sandboxed run gets here: tried for real, with a
/// sandboxed run of a trivial command.
pub fn active() -> Result<Vec<Protection>> {
    let runner = Runner::new()?;
    Ok(runner.probe_sandbox()?)
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let runner = Runner::new()?;
    let active = runner.probe_sandbox()?;
    let off = runner.jail().off();
    if args.format == Format::Json {
        print_json(&active, off)?;
    } else {
        print_text(&active, off);
    }
    Ok(ExitCode::SUCCESS)
}

/// Every protection, whether it is on, and whether it is complete, as JSON.
fn print_json(active: &[Protection], off: &[Protection]) -> Result<()> {
    let json = JsonDoctor {
        os: std::env::consts::OS,
        platform: crate::runner::sandbox::provides(),
        protections: Protection::ALL
            .iter()
            .map(|&p| JsonProtection {
                name: p.name(),
                active: active.contains(&p),
                essential: p.essential(),
                chosen_off: off.contains(&p),
                what: p.describe(),
            })
            .collect(),
        complete: Protection::ALL.iter().all(|p| active.contains(p)),
    };
    outln!("{}", serde_json::to_string_pretty(&json)?);
    Ok(())
}

/// The platform, a line per protection, and what that means for checks and
/// `grade`.
fn print_text(active: &[Protection], off: &[Protection]) {
    outln!("{}\n", crate::runner::sandbox::provides());
    outln!("The sandbox checks run in, on this system:\n");
    for p in Protection::ALL {
        let state = if active.contains(&p) {
            "on "
        } else if off.contains(&p) {
            "off (TENSORLINGS_SANDBOX_OFF)"
        } else {
            "off"
        };
        let mark = if p.essential() { "*" } else { " " };
        outln!("  {state:<4} {:<12}{mark} {}", p.name(), p.describe());
    }
    outln!("\n  * needed by `grade`; the others add depth.\n");
    print_verdict(active);
}

/// What the protections found mean: contained, enough for `grade`, or not.
fn print_verdict(active: &[Protection]) {
    let complete = Protection::ALL.iter().all(|p| active.contains(p));
    let essentials = Protection::ALL
        .iter()
        .filter(|p| p.essential())
        .all(|p| active.contains(p));
    if complete {
        outln!("Every protection is active: learner code is contained, and `grade` runs here.");
    } else if essentials {
        outln!(
            "The protections `grade` needs are active; the ones marked off are missing, with\n\
             stand-ins (seccomp refuses sockets and shields tensorlings from signals; the\n\
             supervisor counts every process). Landlock needs Linux 6.7 for TCP rules and 6.12\n\
             for scopes; namespaces need unprivileged user namespaces enabled."
        );
    } else if cfg!(target_os = "linux") {
        outln!(
            "Checks still run, with the protections marked off missing. `grade` refuses to\n\
             run here unless given --allow-weak-sandbox. Landlock needs Linux 5.13; seccomp\n\
             filters need a kernel built with them."
        );
    } else {
        outln!(
            "Checks still run, with the protections marked off missing: the sandbox is Linux's.\n\
             `grade` refuses to run here unless given --allow-weak-sandbox; grade a class on Linux."
        );
    }
}

/// Stops `grade` where the sandbox is incomplete, unless the instructor
/// explicitly accepted that.
pub fn require_full_sandbox(allow_weak: bool) -> Result<()> {
    let active = active()?;
    let missing: Vec<&str> = Protection::ALL
        .iter()
        .filter(|p| p.essential() && !active.contains(p))
        .map(|p| p.name())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if allow_weak {
        errln!(
            "warning: grading with a weaker sandbox (off: {}); students' code is less contained",
            missing.join(", ")
        );
        return Ok(());
    }
    bail!(
        "the sandbox on this system lacks: {}. Students' code could reach more than its own \
         run. `tensorlings doctor` explains; pass --allow-weak-sandbox to grade anyway",
        missing.join(", ")
    )
}
