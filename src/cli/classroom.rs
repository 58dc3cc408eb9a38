//! Commands for instructors and teams: `report` and `grade`.

use std::fmt::Write as _;
use std::path::Path;
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
    /// Tell-tale signs of gaming the check, for the instructor's eye.
    flags: Vec<String>,
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
    // Students' files are copied here before their checks: read once, from
    // inside the workspace only, never through a link or from a device.
    let copies = tempfile::tempdir().context("creating a temporary directory")?;
    let work = |exercise: &&Exercise| grade_one(&runner, exercise, args.workspace, copies.path());
    let show = |graded: &Result<Graded>| {
        if let (false, Ok(g)) = (args.json, graded) {
            errln!(
                "{:<6} {:<12} {}",
                if g.status == "passed" { "pass" } else { "FAIL" },
                g.id,
                g.status
            );
            if !g.flags.is_empty() {
                errln!("       {:<12} flagged: {}", "", g.flags.join("; "));
            }
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

fn grade_one(
    runner: &Runner,
    exercise: &Exercise,
    workspace: &Path,
    copies: &Path,
) -> Result<Graded> {
    let relative = format!("exercises/{}/{}.rs", exercise.lesson, exercise.id);
    let mut graded = Graded {
        id: exercise.id.clone(),
        lesson: exercise.lesson.clone(),
        status: "missing".to_owned(),
        failed_tests: Vec::new(),
        detail: None,
        flags: Vec::new(),
        duration_ms: 0,
    };
    let text = match read_student_file(workspace, &relative) {
        Ok(text) => text,
        Err(why) => {
            graded.detail = Some(format!("{relative}: {why}"));
            return Ok(graded);
        }
    };
    graded.flags = crate::runner::tells::tells(&text);
    let copy = copies.join(format!("{}.rs", exercise.id));
    std::fs::write(&copy, &text).with_context(|| format!("copying {relative}"))?;
    let request = CheckRequest {
        exercise,
        source: &copy,
        display_name: relative,
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

/// The most a student's exercise file may hold.
const MAX_STUDENT_FILE: u64 = 1 << 20;

/// Reads `relative` inside `workspace` without following a link anywhere on
/// the way (a link could point at the instructor's solutions or any file of
/// the grader's), and only if it is a regular file of a sensible size (a
/// FIFO would block the grader for ever).
fn read_student_file(workspace: &Path, relative: &str) -> std::result::Result<String, String> {
    use std::io::Read as _;
    let mut path = workspace.to_path_buf();
    for part in relative.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(
                    "is a link (or sits under one); grading does not follow links".to_owned(),
                );
            }
            Ok(_) => {}
            Err(_) => return Err("is missing".to_owned()),
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK);
    }
    let file = options
        .open(&path)
        .map_err(|e| format!("cannot be read: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".to_owned());
    }
    if meta.len() > MAX_STUDENT_FILE {
        return Err(format!("is larger than {} KiB", MAX_STUDENT_FILE >> 10));
    }
    let mut text = String::new();
    file.take(MAX_STUDENT_FILE)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot be read as UTF-8 text: {e}"))?;
    Ok(text)
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
            for flag in &g.flags {
                case.add_property(quick_junit::Property::new("flag", flag.as_str()));
            }
            case.set_classname(lesson).set_time(Duration::from_millis(
                u64::try_from(g.duration_ms).unwrap_or(u64::MAX),
            ));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    Ok(report.to_string()?)
}
