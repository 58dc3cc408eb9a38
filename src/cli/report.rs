//! `tensorlings report`: progress per lesson and exercise, for a learner,
//! an instructor or a team lead.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::course::Course;
use crate::course::progress::Progress;

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}

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

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
    let session = super::open_session(course)?;
    let rows = rows(session.course(), session.progress());
    let text = match args.format {
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
