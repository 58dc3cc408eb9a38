//! `tensorlings class`: a picture of a whole class from students' workspaces
//! or saved grades, as a table, Markdown, JSON, or one HTML page with a chart
//! that opens in any browser without a network.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::class::{ExerciseSummary, Source, Summary, read_student, summarize};
use crate::course::Course;

/// Arguments of `class`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Students' workspaces (directories) or grades saved with
    /// `grade --format json` (files), in any mix.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ClassFormat,
}

/// Output formats of `class`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ClassFormat {
    /// A table for a terminal.
    #[default]
    Text,
    /// JSON for programs.
    Json,
    /// Markdown for an issue or a wiki.
    Markdown,
    /// One self-contained HTML page with a chart.
    Html,
}

pub fn run(course: &Course, args: &Args) -> Result<ExitCode> {
    let mut students = Vec::new();
    let mut problems = Vec::new();
    for path in &args.paths {
        match read_student(path) {
            Ok(student) => students.push(student),
            Err(why) => problems.push(why),
        }
    }
    for problem in &problems {
        errln!("skipped: {problem}");
    }
    if students.is_empty() {
        bail!("no student could be read");
    }
    let summary = summarize(course, &students);
    let text = match args.format {
        ClassFormat::Json => serde_json::to_string_pretty(&summary)? + "\n",
        ClassFormat::Text => table(&summary),
        ClassFormat::Markdown => markdown(&summary),
        ClassFormat::Html => html(&summary),
    };
    out!("{text}");
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Seconds as people say them.
fn duration(seconds: Option<f64>) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let Some(s) = seconds.map(|s| s.round() as u64) else {
        return "—".to_owned();
    };
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    }
}

fn number(x: Option<f64>) -> String {
    x.map_or_else(
        || "—".to_owned(),
        |x| {
            let text = format!("{x:.1}");
            text.trim_end_matches(".0").to_owned()
        },
    )
}

/// The exercises most students are stuck on, most first.
fn blockers(summary: &Summary) -> Vec<&ExerciseSummary> {
    let mut stuck: Vec<&ExerciseSummary> = summary
        .exercises
        .iter()
        .filter(|e| e.stuck_here > 0)
        .collect();
    stuck.sort_by_key(|e| std::cmp::Reverse(e.stuck_here));
    stuck.truncate(3);
    stuck
}

fn sources_line(summary: &Summary) -> String {
    let from_progress = summary
        .sources
        .values()
        .filter(|s| **s == Source::Progress)
        .count();
    let from_grades = summary.students - from_progress;
    format!(
        "{} students: {from_grades} from saved grades, {from_progress} from progress files (as their own tensorlings reported)",
        summary.students
    )
}

fn table(summary: &Summary) -> String {
    let mut out = format!("{}\n\n", sources_line(summary));
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>6} {:>9} {:>10} {:>6} {:>6}",
        "exercise", "passed", "tried", "attempts", "to pass", "hints", "stuck"
    );
    for e in &summary.exercises {
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>6} {:>9} {:>10} {:>6} {:>6}",
            e.id,
            format!("{}/{}", e.passed, summary.students),
            e.tried,
            number(e.median_attempts),
            duration(e.median_seconds_to_pass),
            e.hints,
            e.stuck_here
        );
    }
    let blockers = blockers(summary);
    if !blockers.is_empty() {
        let named: Vec<String> = blockers
            .iter()
            .map(|e| format!("{} ({} stuck)", e.id, e.stuck_here))
            .collect();
        let _ = writeln!(out, "\nMost students are stuck at: {}", named.join(", "));
    }
    out.push_str("\nattempts and to pass: medians among those who passed; stuck: the first exercise a student has not passed\n");
    out
}

fn markdown(summary: &Summary) -> String {
    let mut out = format!("## The class\n\n{}\n\n", sources_line(summary));
    out.push_str("| exercise | passed | tried | median attempts | median time to pass | hints | stuck here |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for e in &summary.exercises {
        let _ = writeln!(
            out,
            "| `{}` {} | {}/{} | {} | {} | {} | {} | {} |",
            e.id,
            e.title.replace('|', "\\|"),
            e.passed,
            summary.students,
            e.tried,
            number(e.median_attempts),
            duration(e.median_seconds_to_pass),
            e.hints,
            e.stuck_here
        );
    }
    out
}

/// Text safe inside HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The chart: a bar per exercise (passed, tried, not passed, not tried) and
/// how many are stuck there, as inline SVG.
fn chart(summary: &Summary) -> String {
    const ROW: usize = 22;
    const LABEL: usize = 130;
    const BAR: usize = 420;
    let height = summary.exercises.len() * ROW + 40;
    let width = LABEL + BAR + 120;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Exercises passed and tried by the class">"#
    );
    let students = summary.students.max(1);
    let mut lesson = "";
    for (i, e) in summary.exercises.iter().enumerate() {
        let y = 30 + i * ROW;
        if e.lesson != lesson {
            lesson = &e.lesson;
            let _ = write!(
                svg,
                r##"<line x1="0" x2="{width}" y1="{}" y2="{}" stroke="#ccc"/>"##,
                y - 3,
                y - 3
            );
        }
        let passed = BAR * e.passed / students;
        let tried = BAR * e.tried.max(e.passed) / students - passed;
        let _ = write!(
            svg,
            r##"<text x="0" y="{}" font-size="13" font-family="monospace">{}</text><rect x="{LABEL}" y="{}" width="{BAR}" height="14" fill="#eee"/><rect x="{LABEL}" y="{}" width="{passed}" height="14" fill="#2e9e5b"><title>{} passed</title></rect><rect x="{}" y="{}" width="{tried}" height="14" fill="#e3a72f"><title>{} tried, not passed</title></rect>"##,
            y + 12,
            escape(&e.id),
            y,
            y,
            e.passed,
            LABEL + passed,
            y,
            e.tried.saturating_sub(e.passed),
        );
        let label = if e.stuck_here > 0 {
            format!("{}/{} · {} stuck", e.passed, summary.students, e.stuck_here)
        } else {
            format!("{}/{}", e.passed, summary.students)
        };
        let colour = if e.stuck_here > 0 { "#c0392b" } else { "#333" };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="12" font-family="sans-serif" fill="{colour}">{}</text>"#,
            LABEL + BAR + 6,
            y + 12,
            escape(&label)
        );
    }
    let _ = write!(
        svg,
        r##"<rect x="{LABEL}" y="4" width="12" height="12" fill="#2e9e5b"/><text x="{}" y="14" font-size="12" font-family="sans-serif">passed</text><rect x="{}" y="4" width="12" height="12" fill="#e3a72f"/><text x="{}" y="14" font-size="12" font-family="sans-serif">tried, not passed</text><rect x="{}" y="4" width="12" height="12" fill="#eee"/><text x="{}" y="14" font-size="12" font-family="sans-serif">not tried</text></svg>"##,
        LABEL + 16,
        LABEL + 80,
        LABEL + 96,
        LABEL + 220,
        LABEL + 236
    );
    svg
}

/// One page: the chart, where students are stuck, and the table. Inline
/// styles and SVG only: nothing to fetch, nothing to run.
fn html(summary: &Summary) -> String {
    let svg = chart(summary);
    let mut rows = String::new();
    for e in &summary.exercises {
        let _ = write!(
            rows,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}/{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.id),
            escape(&e.title),
            e.passed,
            summary.students,
            e.tried,
            number(e.median_attempts),
            duration(e.median_seconds_to_pass),
            e.hints,
            e.stuck_here
        );
    }
    let blockers: Vec<String> = blockers(summary)
        .iter()
        .map(|e| format!("<code>{}</code> ({} stuck)", escape(&e.id), e.stuck_here))
        .collect();
    let stuck = if blockers.is_empty() {
        String::new()
    } else {
        format!(
            "<p><strong>Most students are stuck at:</strong> {}</p>",
            blockers.join(", ")
        )
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>tensorlings: the class</title>
<style>body{{font-family:sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse;margin-top:1.5em}}td,th{{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}}td:nth-child(-n+2),th:nth-child(-n+2){{text-align:left}}</style>
</head><body>
<h1>The class</h1>
<p>{}</p>
{stuck}
{svg}
<table><tr><th>exercise</th><th>title</th><th>passed</th><th>tried</th><th>median attempts</th><th>median time to pass</th><th>hints</th><th>stuck here</th></tr>
{rows}</table>
<p><small>Attempts and time to pass are medians among the students who passed. Stuck: the first exercise, in course order, a student has not passed.</small></p>
</body></html>
"#,
        escape(&sources_line(summary))
    )
}
