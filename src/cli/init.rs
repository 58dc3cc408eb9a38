//! `tensorlings init`: a learner workspace from the course built into the binary.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new workspace's directory (must not exist or be empty).
    pub dir: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let dir = &args.dir;
    let created = crate::workspace::init(dir)?;
    outln!(
        "Created a tensorlings workspace with {} exercises in {}.\n\nNext:\n  cd {}\n  tensorlings            # open the tutorial\n  tensorlings prepare    # optional: build the ML crates now, then work offline",
        created.exercises,
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
