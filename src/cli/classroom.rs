//! Commands for instructors and teams: `report` and `grade`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use super::commands::{load_progress, write_atomically};
use crate::course::progress::Progress;
use crate::course::{Course, Exercise};
use crate::runner::{CheckRequest, Report, Runner, Status};

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ReportFormat {
    /// A table for a terminal.
    #[default]
    Text,
    /// JSON for programs.
    Json,
    /// Markdown for an issue, a wiki or a pull request.
    Markdown,
}

/// One exercise's row in a progress report.
#[derive(Debug, Serialize)]
struct Row<'a> {
    lesson: &'a str,
    id: &'a str,
    title: &'a str,
    passed: bool,
    attempts: u32,
    hints_used: u32,
    /// Seconds from first opening the exercise to passing it.
    seconds_to_pass: Option<u64>,
}

pub fn report(course: &Course, format: ReportFormat) -> Result<ExitCode> {
    let progress = load_progress(course)?;
    let rows = rows(course, &progress);
    let text = match format {
        ReportFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ReportFormat::Markdown => markdown(&rows),
        ReportFormat::Text => plain(&rows),
    };
    out!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn rows<'a>(course: &'a Course, progress: &Progress) -> Vec<Row<'a>> {
    course
        .exercises()
        .map(|e| {
            let record = progress.exercises.get(&e.id).cloned().unwrap_or_default();
            Row {
                lesson: &e.lesson,
                id: &e.id,
                title: &e.title,
                passed: record.passed,
                attempts: record.attempts,
                hints_used: record.hints_used,
                seconds_to_pass: record
                    .passed_at
                    .zip(record.first_opened)
                    .map(|(p, o)| p.saturating_sub(o)),
            }
        })
        .collect()
}

fn duration(seconds: Option<u64>) -> String {
    match seconds {
        None => "—".to_owned(),
        Some(s) if s < 60 => format!("{s}s"),
        Some(s) if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        Some(s) => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}

fn summary(rows: &[Row<'_>]) -> String {
    let passed = rows.iter().filter(|r| r.passed).count();
    format!("{passed} of {} exercises passed", rows.len())
}

fn markdown(rows: &[Row<'_>]) -> String {
    let mut out = format!("# tensorlings progress\n\n{}.\n", summary(rows));
    let mut lesson = "";
    for row in rows {
        if row.lesson != lesson {
            lesson = row.lesson;
            let _ = write!(
                out,
                "\n## {lesson}\n\n| exercise | passed | attempts | hints | time to pass |\n|---|---|---|---|---|\n"
            );
        }
        let _ = writeln!(
            out,
            "| {} — {} | {} | {} | {} | {} |",
            row.id,
            row.title.replace('|', "\\|"),
            if row.passed { "✓" } else { " " },
            row.attempts,
            row.hints_used,
            duration(row.seconds_to_pass)
        );
    }
    out
}

fn plain(rows: &[Row<'_>]) -> String {
    let mut out = format!("{}\n", summary(rows));
    let mut lesson = "";
    for row in rows {
        if row.lesson != lesson {
            lesson = row.lesson;
            let _ = writeln!(
                out,
                "\n{lesson}\n  {:<12} {:<7} {:>8} {:>6}  time to pass",
                "exercise", "passed", "attempts", "hints"
            );
        }
        let _ = writeln!(
            out,
            "  {:<12} {:<7} {:>8} {:>6}  {}",
            row.id,
            if row.passed { "yes" } else { "no" },
            row.attempts,
            row.hints_used,
            duration(row.seconds_to_pass)
        );
    }
    out
}

/// The result of grading one exercise.
#[derive(Debug, Serialize)]
struct Graded {
    id: String,
    lesson: String,
    status: String,
    failed_tests: Vec<String>,
    detail: Option<String>,
    duration_ms: u128,
}

pub struct GradeArgs<'a> {
    pub workspace: &'a Path,
    pub junit: Option<&'a Path>,
    pub json: bool,
    pub jobs: usize,
}

/// Checks every exercise of a learner's workspace against `course`'s hidden
/// tests (the workspace's own copies of the tests are ignored).
pub fn grade(course: &Course, args: &GradeArgs<'_>) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = course.exercises().collect();
    let runner = Runner::new()?;
    let work = |exercise: &&Exercise| grade_one(&runner, exercise, args.workspace);
    let show = |graded: &Result<Graded>| {
        if let (false, Ok(g)) = (args.json, graded) {
            errln!(
                "{:<6} {:<12} {}",
                if g.status == "passed" { "pass" } else { "FAIL" },
                g.id,
                g.status
            );
        }
    };
    let results = crate::parallel::map_in_order(&exercises, args.jobs, &work, &show);
    let graded: Vec<Graded> = results.into_iter().collect::<Result<_>>()?;
    if let Some(path) = args.junit {
        write_atomically(path, junit(&graded)?.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let passed = graded.iter().filter(|g| g.status == "passed").count();
    if args.json {
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

fn grade_one(runner: &Runner, exercise: &Exercise, workspace: &Path) -> Result<Graded> {
    let file: PathBuf = workspace
        .join("exercises")
        .join(&exercise.lesson)
        .join(format!("{}.rs", exercise.id));
    let mut graded = Graded {
        id: exercise.id.clone(),
        lesson: exercise.lesson.clone(),
        status: "missing".to_owned(),
        failed_tests: Vec::new(),
        detail: None,
        duration_ms: 0,
    };
    if !file.is_file() {
        graded.detail = Some(format!("{} is missing", file.display()));
        return Ok(graded);
    }
    let request = CheckRequest {
        exercise,
        source: &file,
        display_name: format!("exercises/{}/{}.rs", exercise.lesson, exercise.id),
    };
    let report = runner.check(&request, &AtomicBool::new(false), &mut |_| {})?;
    report.status.as_str().clone_into(&mut graded.status);
    graded.failed_tests = report
        .tests
        .iter()
        .filter(|t| !t.passed)
        .map(|t| t.name.clone())
        .collect();
    graded.detail = detail(&report);
    graded.duration_ms = report.duration.as_millis();
    Ok(graded)
}

/// A short explanation of a non-passing report for CI logs.
fn detail(report: &Report) -> Option<String> {
    let mut out = String::new();
    match report.status {
        Status::Passed => return None,
        Status::CompileError => {
            for d in report.diagnostics.iter().filter(|d| d.is_error()) {
                let _ = writeln!(out, "{}", d.rendered.trim_end());
            }
        }
        Status::TestsFailed | Status::TimedOut => {
            for t in report.tests.iter().filter(|t| !t.passed) {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    t.name,
                    t.message.as_deref().unwrap_or("failed")
                );
            }
            if let Some(crash) = &report.crash {
                let _ = writeln!(out, "{crash}");
            }
            if report.status == Status::TimedOut {
                let _ = writeln!(out, "stopped after {}s", report.timeout.as_secs());
            }
        }
    }
    Some(out.trim_end().to_owned())
}

fn junit(graded: &[Graded]) -> Result<String> {
    let mut report = quick_junit::Report::new("tensorlings");
    let mut lessons: Vec<&str> = graded.iter().map(|g| g.lesson.as_str()).collect();
    lessons.dedup();
    for lesson in lessons {
        let mut suite = TestSuite::new(lesson);
        for g in graded.iter().filter(|g| g.lesson == lesson) {
            let status = if g.status == "passed" {
                TestCaseStatus::success()
            } else {
                let kind = if g.status == "compile_error" || g.status == "missing" {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut status = TestCaseStatus::non_success(kind);
                status
                    .set_message(g.status.replace('_', " "))
                    .set_type(g.status.as_str());
                if let Some(detail) = &g.detail {
                    status.set_description(detail.as_str());
                }
                status
            };
            let mut case = TestCase::new(g.id.as_str(), status);
            case.set_classname(lesson).set_time(Duration::from_millis(
                u64::try_from(g.duration_ms).unwrap_or(u64::MAX),
            ));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    Ok(report.to_string()?)
}
