//! `tensorlings grade`: every exercise of a learner's workspace checked
//! against the course's hidden tests, in the full sandbox, for CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Format;
use crate::course::{Course, Exercise};
use crate::grade::{Graded, grade_one, junit};
use crate::runner::Runner;
use crate::session::write_atomically;

/// Arguments of `grade`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The learner's workspace (the directory holding exercises/).
    pub dir: PathBuf,
    /// Also write a `JUnit` XML report here (for CI test summaries).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Checks to run at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub jobs: usize,
    /// Grade even where the sandbox lacks some protections (`tensorlings
    /// doctor` lists them); students' code is then less contained.
    #[arg(long)]
    pub allow_weak_sandbox: bool,
}

pub fn run(course_dir: Option<&Path>, args: &Args) -> Result<ExitCode> {
    super::doctor::require_full_sandbox(args.allow_weak_sandbox)?;
    // The hidden tests come from --course, or from the course built into the
    // binary; never from the student's workspace.
    let builtin;
    let course = if let Some(dir) = course_dir {
        super::load_course(Some(dir))?
    } else {
        builtin = tempfile::tempdir().context("creating a temporary directory")?;
        crate::workspace::init(&builtin.path().join("course"))?;
        super::load_course(Some(&builtin.path().join("course")))?
    };
    grade(&course, args)
}

fn grade(course: &Course, args: &Args) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = course.exercises().collect();
    let runner = Runner::new()?;
    // Students' files are copied here before their checks: read once, from
    // inside the workspace only, never through a link or from a device.
    let copies = tempfile::tempdir().context("creating a temporary directory")?;
    let json = args.format == Format::Json;
    let work = |exercise: &&Exercise| {
        grade_one(&runner, course, exercise, &args.dir, copies.path()).map_err(anyhow::Error::from)
    };
    let show = |graded: &Result<Graded>| {
        if let (false, Ok(g)) = (json, graded) {
            errln!(
                "{:<6} {:<12} {}",
                if g.passed() { "pass" } else { "FAIL" },
                g.id,
                g.status.as_str()
            );
            if !g.flags.is_empty() {
                errln!("       {:<12} flagged: {}", "", g.flags.join("; "));
            }
        }
    };
    let results = crate::parallel::map_in_order(&exercises, args.jobs, &work, &show);
    let graded: Vec<Graded> = results.into_iter().collect::<Result<_>>()?;
    if let Some(path) = &args.junit {
        write_atomically(path, junit(&graded)?.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let passed = graded.iter().filter(|g| g.passed()).count();
    if json {
        outln!("{}", serde_json::to_string_pretty(&graded)?);
    } else {
        outln!("{passed} of {} exercises passed", graded.len());
    }
    Ok(if passed == graded.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
