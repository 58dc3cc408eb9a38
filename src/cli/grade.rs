//! `tensorlings grade`: every exercise of a learner's workspace checked
//! against the course's hidden tests, in the full sandbox, for CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::course::{Course, Exercise};
use crate::grade::formats::{classroom, exercism, junit};
use crate::grade::{GradeReport, Graded, grade_one};
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
    /// What to print: a summary for people, the full grade as JSON, `JUnit`
    /// XML, exercism's test-runner results (version 3), or GitHub Classroom's
    /// autograding result (version 1).
    #[arg(long, value_enum, default_value_t)]
    pub format: GradeFormat,
    /// Checks to run at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub jobs: usize,
    /// Grade even where the sandbox lacks some protections (`tensorlings
    /// doctor` lists them); students' code is then less contained.
    #[arg(long)]
    pub allow_weak_sandbox: bool,
}

/// What `grade` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum GradeFormat {
    /// A line per exercise and the score, for people.
    #[default]
    Text,
    /// The whole grade: score, and per exercise its tests, points and flags.
    Json,
    /// `JUnit` XML, one case per exercise.
    Junit,
    /// exercism's test-runner `results.json`, version 3.
    Exercism,
    /// GitHub Classroom's autograding result, version 1.
    Classroom,
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
        crate::workspace::write_course(builtin.path()).context("writing the built-in course")?;
        super::load_course(Some(builtin.path()))?
    };
    grade(&course, args)
}

fn grade(course: &Course, args: &Args) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = course.exercises().collect();
    let runner = Runner::new()?.without_incremental();
    // Students' files are copied here before their checks: read once, from
    // inside the workspace only, never through a link or from a device.
    let copies = tempfile::tempdir().context("creating a temporary directory")?;
    let text = args.format == GradeFormat::Text;
    let work = |exercise: &&Exercise| {
        grade_one(&runner, course, exercise, &args.dir, copies.path()).map_err(anyhow::Error::from)
    };
    let show = |graded: &Result<Graded>| {
        if let (true, Ok(g)) = (text, graded) {
            show_progress(g);
        }
    };
    let results = crate::parallel::map_in_order(&exercises, args.jobs, &work, &show);
    let graded: Vec<Graded> = results.into_iter().collect::<Result<_>>()?;
    if let Some(path) = &args.junit {
        write_atomically(path, junit(&graded)?.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let report = GradeReport::new(graded);
    print_report(course, &report, args.format)?;
    Ok(if report.passed == report.total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One graded exercise's line on stderr, as the text format goes along.
fn show_progress(g: &Graded) {
    errln!(
        "{:<6} {:<12} {:>6} / {:<4} {}",
        if g.passed() { "pass" } else { "FAIL" },
        g.id,
        points(g.score),
        points(g.max_score),
        if g.untouched {
            "the starter, untouched"
        } else {
            g.status.as_str()
        }
    );
    if !g.flags.is_empty() {
        errln!("       {:<12} flagged: {}", "", g.flags.join("; "));
    }
}

/// The grade on stdout, in `format`.
fn print_report(course: &Course, report: &GradeReport, format: GradeFormat) -> Result<()> {
    let file_of = |g: &Graded| {
        course
            .exercise(&g.id)
            .map(|e| course.relative_file(e).display().to_string())
            .unwrap_or_default()
    };
    match format {
        GradeFormat::Text => outln!(
            "{} of {} exercises passed; score {} / {}",
            report.passed,
            report.total,
            points(report.score),
            points(report.max_score)
        ),
        GradeFormat::Json => outln!("{}", serde_json::to_string_pretty(report)?),
        GradeFormat::Junit => outln!("{}", junit(&report.exercises)?),
        GradeFormat::Exercism => outln!("{}", serde_json::to_string_pretty(&exercism(report))?),
        GradeFormat::Classroom => outln!(
            "{}",
            serde_json::to_string_pretty(&classroom(report, &file_of))?
        ),
    }
    Ok(())
}

/// Points as people write them: `3`, `2.5`.
fn points(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
