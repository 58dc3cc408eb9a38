//! `tensorlings class`: a picture of a whole class from students' workspaces
//! or saved grades, as a table, Markdown, JSON, or one HTML page with a chart
//! that opens in any browser without a network (see [`page`]): per student
//! (those needing help first, where each is and where each is stuck) and per
//! exercise.

mod page;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::class::{
    ExerciseSummary, Source, StuckRule, StudentSummary, Summary, read_student, summarize,
};
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
    /// A student is stuck on an exercise not passed after this many checks.
    #[arg(long, value_name = "N", default_value_t = StuckRule::default().attempts)]
    pub stuck_attempts: u32,
    /// A student is stuck on an exercise not passed this many minutes after
    /// first opening it (up to the latest check).
    #[arg(long, value_name = "MINUTES", default_value_t = StuckRule::default().minutes)]
    pub stuck_minutes: u64,
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
    let rule = StuckRule {
        attempts: args.stuck_attempts.max(1),
        minutes: args.stuck_minutes,
    };
    let summary = summarize(course, &students, rule);
    let now = crate::course::progress::now();
    let text = match args.format {
        ClassFormat::Json => serde_json::to_string_pretty(&summary)? + "\n",
        ClassFormat::Text => table(&summary, now),
        ClassFormat::Markdown => markdown(&summary, now),
        ClassFormat::Html => page::html(&summary, now),
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

fn count(x: Option<impl std::fmt::Display>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| x.to_string())
}

/// How long ago `then` was, from `now`.
fn ago(now: u64, then: Option<u64>) -> String {
    let Some(then) = then else {
        return "—".to_owned();
    };
    let minutes = now.saturating_sub(then) / 60;
    match minutes {
        0 => "just now".to_owned(),
        1..60 => format!("{minutes} min ago"),
        60..2880 => format!("{} h ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    }
}

/// `1 student`, `3 students`.
fn students(n: usize) -> String {
    if n == 1 {
        "1 student".to_owned()
    } else {
        format!("{n} students")
    }
}

/// Where a student is stuck, in words: `ana on traits2 and traits4`.
fn stuck_words(s: &StudentSummary) -> String {
    format!("{} on {}", s.id, s.stuck_on.join(" and "))
}

/// The first line: who needs help, worded for the class's size.
fn headline(summary: &Summary) -> String {
    let stuck: Vec<&StudentSummary> = summary.students.iter().filter(|s| s.stuck).collect();
    let size = summary.class_size;
    let mut named: Vec<String> = stuck.iter().take(5).map(|s| stuck_words(s)).collect();
    if stuck.len() > 5 {
        named.push(format!("{} more", stuck.len() - 5));
    }
    let named = named.join(", ");
    match (size, stuck.len()) {
        (1, 0) => {
            let s = &summary.students[0];
            let at = s.current.as_deref().unwrap_or("the end");
            format!("{} is not stuck; at {at}.", s.id)
        }
        (1, _) => format!("{named}: stuck."),
        (2, 0) => "Neither student is stuck.".to_owned(),
        (_, 0) => format!("None of the {size} students is stuck."),
        (2, 2) => format!("Both students are stuck: {named}."),
        (_, k) if k == size => format!("All {size} students are stuck: {named}."),
        (_, 1) => format!("1 of {size} students is stuck: {named}."),
        (_, k) => format!("{k} of {size} students are stuck: {named}."),
    }
}

fn sources_line(summary: &Summary) -> String {
    let from_progress = summary
        .sources
        .values()
        .filter(|s| **s == Source::Progress)
        .count();
    let from_grades = summary.class_size - from_progress;
    format!(
        "{}: {from_grades} from saved grades, {from_progress} from progress files (as their own tensorlings reported)",
        students(summary.class_size)
    )
}

/// Where a student is, with a mark when that exercise has passed.
fn at(s: &StudentSummary) -> String {
    match &s.current {
        Some(id) if s.current_passed => format!("{id} ✓"),
        Some(id) => id.clone(),
        None => "—".to_owned(),
    }
}

fn stuck_cell(s: &StudentSummary) -> String {
    if s.stuck_on.is_empty() {
        "—".to_owned()
    } else {
        s.stuck_on.join(", ")
    }
}

fn minutes(m: Option<u64>) -> String {
    m.map_or_else(|| "—".to_owned(), |m| format!("{m} min"))
}

fn table(summary: &Summary, now: u64) -> String {
    let mut out = format!("{}\n{}\n\n", headline(summary), sources_line(summary));
    let width = summary
        .students
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(
        out,
        "{:<width$}  {:<16} {:>7} {:>6} {:>8} {:>6}  {:<16} last active",
        "student", "at", "passed", "tries", "time", "hints", "stuck on"
    );
    for s in &summary.students {
        let _ = writeln!(
            out,
            "{:<width$}  {:<16} {:>7} {:>6} {:>8} {:>6}  {:<16} {}",
            s.id,
            at(s),
            format!("{}/{}", s.passed, s.total),
            count(s.attempts_on_current),
            minutes(s.minutes_on_current),
            count(s.hints),
            stuck_cell(s),
            ago(now, s.last_active)
        );
    }
    out.push_str("\nat: the exercise each student last worked on (✓ passed); tries and time: on that exercise; hints: in all\n\n");
    let _ = writeln!(
        out,
        "{:<14} {:>7} {:>6} {:>9} {:>10} {:>6} {:>5} {:>6}",
        "exercise", "passed", "tried", "attempts", "to pass", "hints", "here", "stuck"
    );
    for e in &summary.exercises {
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>6} {:>9} {:>10} {:>6} {:>5} {:>6}",
            e.id,
            format!("{}/{}", e.passed, summary.class_size),
            e.tried,
            number(e.median_attempts),
            duration(e.median_seconds_to_pass),
            e.hints,
            e.here,
            e.stuck
        );
    }
    let blockers = blockers(summary);
    if !blockers.is_empty() {
        let named: Vec<String> = blockers.iter().map(|e| blocker_words(e)).collect();
        let _ = writeln!(out, "\nStuck at: {}", named.join("; "));
    }
    let _ = writeln!(
        out,
        "\nattempts and to pass: medians among those who passed; here: students at it now; {}",
        summary.stuck_means
    );
    out
}

/// The exercises students are stuck on, most first.
fn blockers(summary: &Summary) -> Vec<&ExerciseSummary> {
    let mut stuck: Vec<&ExerciseSummary> =
        summary.exercises.iter().filter(|e| e.stuck > 0).collect();
    stuck.sort_by_key(|e| std::cmp::Reverse(e.stuck));
    stuck.truncate(3);
    stuck
}

/// `traits2: 2 stuck (ana, ben)`.
fn blocker_words(e: &ExerciseSummary) -> String {
    format!(
        "{}: {} stuck ({})",
        e.id,
        e.stuck,
        e.stuck_students.join(", ")
    )
}

fn markdown(summary: &Summary, now: u64) -> String {
    let mut out = format!(
        "## The class\n\n**{}**\n\n{}\n\n### Students, needing help first\n\n",
        headline(summary).replace('|', "\\|"),
        sources_line(summary)
    );
    out.push_str(
        "| student | at | passed | tries there | time there | hints | stuck on | last active |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---|---|\n");
    for s in &summary.students {
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {} | {} | {} | {} | {} |",
            s.id.replace('|', "\\|"),
            at(s),
            s.passed,
            s.total,
            count(s.attempts_on_current),
            minutes(s.minutes_on_current),
            count(s.hints),
            stuck_cell(s),
            ago(now, s.last_active)
        );
    }
    let _ = writeln!(out, "\n_{}_\n\n### Exercises\n", summary.stuck_means);
    out.push_str("| exercise | passed | tried | median attempts | median time to pass | hints | here now | stuck |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for e in &summary.exercises {
        let _ = writeln!(
            out,
            "| `{}` {} | {}/{} | {} | {} | {} | {} | {} | {} |",
            e.id,
            e.title.replace('|', "\\|"),
            e.passed,
            summary.class_size,
            e.tried,
            number(e.median_attempts),
            duration(e.median_seconds_to_pass),
            e.hints,
            e.here,
            e.stuck
        );
    }
    out
}
