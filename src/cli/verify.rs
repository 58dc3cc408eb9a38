//! `tensorlings verify`: prove a course — every starter fails its hidden
//! tests, every solution passes (clippy-clean with `--clippy`).

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use crate::course::{Course, Exercise};
use crate::runner::{Runner, Status};

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this lesson (its directory name, such as 01-traits).
    #[arg(long, value_name = "ID")]
    pub lesson: Option<String>,
    /// Checks to run at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub jobs: usize,
    /// Also require every solution to be clean under clippy's default lints.
    #[arg(long)]
    pub clippy: bool,
}

pub fn run(course: &Course, args: &Args) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = match &args.lesson {
        Some(id) => {
            let lesson = course.lesson(id).ok_or_else(|| {
                let ids: Vec<&str> = course.lessons.iter().map(|l| l.id.as_str()).collect();
                anyhow!("no lesson `{id}`; the lessons are: {}", ids.join(", "))
            })?;
            lesson.exercises.iter().collect()
        }
        None => course.exercises().collect(),
    };
    let runner = Runner::new()?;
    let started = std::time::Instant::now();
    let options = crate::verify::Options {
        jobs: args.jobs,
        clippy: args.clippy,
    };
    let verdicts = crate::verify::verify(course, &exercises, &runner, options, &|verdict| {
        let show = |s: Option<Status>| s.map_or("-", Status::as_str);
        let mark = if verdict.ok() { "ok  " } else { "FAIL" };
        outln!(
            "{mark} {:<12} starter: {:<13} solution: {:<13} {:.1}s",
            verdict.id,
            show(verdict.starter),
            show(verdict.solution),
            verdict.duration.as_secs_f64()
        );
        for problem in &verdict.problems {
            outln!("       {} {problem}", verdict.id);
        }
    });
    let bad: Vec<&str> = verdicts
        .iter()
        .filter(|v| !v.ok())
        .map(|v| v.id.as_str())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    if bad.is_empty() {
        outln!("verified {} exercises in {elapsed:.1}s", verdicts.len());
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "{} of {} exercises have problems: {}",
            bad.len(),
            verdicts.len(),
            bad.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}
