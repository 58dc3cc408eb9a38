//! `tensorlings list`: lessons and exercises with their status.

use std::process::ExitCode;

use anyhow::Result;

use super::Format;
use crate::course::Course;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
    let session = super::open_session(course)?;
    let course = session.course();
    let progress = session.progress();
    let status = |id: &str| match progress.exercises.get(id) {
        Some(record) if record.passed => "passed",
        Some(record) if record.attempts > 0 => "attempted",
        _ => "not_started",
    };
    if args.format == Format::Json {
        let rows: Vec<serde_json::Value> = course
            .exercises()
            .map(|e| {
                serde_json::json!({
                    "id": e.id,
                    "lesson": e.lesson,
                    "title": e.title,
                    "status": status(&e.id),
                    "kind": e.kind,
                    "more_tests_when_graded": e.graded_with_more,
                    "file": course.display_path(&e.file).to_string(),
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    let total = course.exercises().count();
    let passed = course.exercises().filter(|e| session.passed(&e.id)).count();
    outln!("tensorlings — {passed}/{total} exercises passed\n");
    // Ids line up however long the longest is.
    let width = course
        .exercises()
        .map(|e| e.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    for lesson in &course.lessons {
        outln!("{}  {}", lesson.id, lesson.title);
        for e in &lesson.exercises {
            let mark = match status(&e.id) {
                "passed" => "✓",
                "attempted" => "…",
                _ => " ",
            };
            outln!("  [{mark}] {:<width$} {}", e.id, e.title);
        }
    }
    outln!("\nCheck one with `tensorlings check ID`; edit its file under exercises/.");
    Ok(ExitCode::SUCCESS)
}
