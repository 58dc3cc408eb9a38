//! `class --format html`: one self-contained page (inline styles and SVG;
//! nothing to fetch, nothing to run) that works offline and can be sent as
//! an attachment. Every bar carries its numbers as text for screen readers.

use std::fmt::Write as _;

use super::{ago, at, blocker_words, blockers, count, duration, headline, minutes, number};
use super::{sources_line, stuck_cell};
use crate::class::{ExerciseSummary, Mark, StudentSummary, Summary};

/// Text safe inside HTML.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const PASSED: &str = "#2e9e5b";
const TRIED: &str = "#e3a72f";
const STUCK: &str = "#c0392b";
const NOT_TRIED: &str = "#e4e4e4";

/// The width of the chart's exercise names, left of the bars.
const LABEL: usize = 130;
/// The width of a whole bar: the class.
const BAR: usize = 420;

/// The chart: a bar per exercise (passed, tried, not tried) and how many are
/// at it and stuck on it, as inline SVG. Each bar is an image with its
/// numbers as its label.
fn chart(summary: &Summary) -> String {
    const ROW: usize = 22;
    let height = summary.exercises.len() * ROW + 40;
    let width = LABEL + BAR + 170;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="group" aria-label="Exercises passed and tried by the class">"#
    );
    let mut lesson = "";
    for (i, e) in summary.exercises.iter().enumerate() {
        let y = 30 + i * ROW;
        if e.lesson != lesson {
            lesson = &e.lesson;
            let _ = write!(
                svg,
                r##"<line x1="0" x2="{width}" y1="{}" y2="{}" stroke="#ccc" aria-hidden="true"/>"##,
                y - 3,
                y - 3
            );
        }
        svg.push_str(&bar(e, y, summary.class_size));
    }
    svg.push_str(&legend(LABEL));
    svg.push_str("</svg>");
    svg
}

/// One exercise's bar at height `y`, out of `class_size` students: its name,
/// the bar, and the counts after it (red when someone is stuck).
fn bar(e: &ExerciseSummary, y: usize, class_size: usize) -> String {
    let students = class_size.max(1);
    let passed = BAR * e.passed / students;
    let tried = BAR * e.tried.max(e.passed) / students - passed;
    let words = format!(
        "{}: {} of {} passed, {} tried without passing, {} at it now, {} stuck",
        e.id,
        e.passed,
        class_size,
        e.tried.saturating_sub(e.passed),
        e.here,
        e.stuck
    );
    let mut svg = format!(
        r#"<g class="bar" role="img" aria-label="{}"><title>{}</title><text x="0" y="{}" font-size="13" font-family="monospace">{}</text><rect x="{LABEL}" y="{y}" width="{BAR}" height="14" fill="{NOT_TRIED}"/><rect x="{LABEL}" y="{y}" width="{passed}" height="14" fill="{PASSED}"/><rect x="{}" y="{y}" width="{tried}" height="14" fill="{TRIED}"/>"#,
        escape(&words),
        escape(&words),
        y + 12,
        escape(&e.id),
        LABEL + passed,
    );
    let mut label = format!("{}/{}", e.passed, class_size);
    if e.here > 0 {
        let _ = write!(label, " · {} here", e.here);
    }
    if e.stuck > 0 {
        let _ = write!(label, " · {} stuck", e.stuck);
    }
    let colour = if e.stuck > 0 { STUCK } else { "#333" };
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" font-size="12" font-family="sans-serif" fill="{colour}">{}</text></g>"#,
        LABEL + BAR + 6,
        y + 12,
        escape(&label)
    );
    svg
}

fn legend(left: usize) -> String {
    let mut out = String::from(r#"<g aria-hidden="true">"#);
    for (i, (colour, what)) in [
        (PASSED, "passed"),
        (TRIED, "tried, not passed"),
        (NOT_TRIED, "not tried"),
    ]
    .iter()
    .enumerate()
    {
        let x = left + i * 130;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/><text x="{}" y="14" font-size="12" font-family="sans-serif">{what}</text>"#,
            x + 16
        );
    }
    out.push_str("</g>");
    out
}

/// A student's progress strip: one cell per exercise in course order, with
/// the whole strip in words as its label and each cell's in its title.
fn strip(summary: &Summary, s: &StudentSummary) -> String {
    const CELL: usize = 8;
    let width = s.strip.len() * CELL;
    let mut words = format!("{}: {} of {} passed", s.id, s.passed, s.total);
    if let Some(current) = &s.current {
        let _ = write!(words, ", at {current}");
    }
    if !s.stuck_on.is_empty() {
        let _ = write!(words, ", stuck on {}", s.stuck_on.join(" and "));
    }
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="strip bar" width="{width}" height="14" viewBox="0 0 {width} 14" role="img" aria-label="{}"><title>{}</title>"#,
        escape(&words),
        escape(&words)
    );
    for (i, (mark, e)) in s.strip.iter().zip(&summary.exercises).enumerate() {
        let (colour, what) = match mark {
            Mark::Passed => (PASSED, "passed"),
            Mark::Stuck => (STUCK, "stuck"),
            Mark::Tried => (TRIED, "tried"),
            Mark::NotTried => (NOT_TRIED, "not tried"),
        };
        let _ = write!(
            svg,
            r#"<rect x="{}" y="0" width="{}" height="14" fill="{colour}"><title>{}: {what}</title></rect>"#,
            i * CELL,
            CELL - 1,
            escape(&e.id)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn students_section(summary: &Summary, now: u64) -> String {
    let mut rows = String::new();
    for s in &summary.students {
        let _ = write!(
            rows,
            r#"<tr class="student{}"><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            if s.stuck { " stuck" } else { "" },
            escape(&s.id),
            strip(summary, s),
            escape(&at(s)),
            s.passed,
            s.total,
            count(s.attempts_on_current),
            minutes(s.minutes_on_current),
            count(s.hints),
            escape(&stuck_cell(s)),
            ago(now, s.last_active)
        );
    }
    format!(
        r#"<h2>Students, needing help first</h2>
<table class="students"><thead><tr><th scope="col">student</th><th scope="col">progress</th><th scope="col">at</th><th scope="col">passed</th><th scope="col">tries there</th><th scope="col">time there</th><th scope="col">hints</th><th scope="col">stuck on</th><th scope="col">last active</th></tr></thead>
<tbody>{rows}</tbody></table>
<p><small>At: the exercise each student last worked on (✓ passed); tries and time are on that exercise. In the strips, each cell is an exercise in course order: green passed, amber tried, red stuck, grey not tried. {}.</small></p>
"#,
        escape(&capital(&summary.stuck_means))
    )
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One page: who needs help, the students, the chart, and the table.
pub(super) fn html(summary: &Summary, now: u64) -> String {
    let svg = chart(summary);
    let mut rows = String::new();
    for e in &summary.exercises {
        let _ = write!(
            rows,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}/{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.id),
            escape(&e.title),
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
    let blockers: Vec<String> = blockers(summary)
        .iter()
        .map(|e| escape(&blocker_words(e)))
        .collect();
    let stuck = if blockers.is_empty() {
        String::new()
    } else {
        format!("<p><strong>Stuck at:</strong> {}</p>", blockers.join("; "))
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>tensorlings: the class</title>
<style>body{{font-family:sans-serif;margin:2em;color:#222;background:#fff}}table{{border-collapse:collapse;margin-top:1em}}td,th{{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}}td:nth-child(-n+2),th:nth-child(-n+2){{text-align:left}}td{{white-space:nowrap}}table.students :is(td,th):nth-child(3),table.students :is(td,th):nth-child(8){{text-align:left}}tr.stuck th{{color:{STUCK}}}</style>
</head><body>
<h1>The class</h1>
<p class="headline"><strong>{}</strong></p>
<p>{}</p>
{}
<h2>Exercises</h2>
{stuck}
{svg}
<table class="exercises"><tr><th>exercise</th><th>title</th><th>passed</th><th>tried</th><th>median attempts</th><th>median time to pass</th><th>hints</th><th>here now</th><th>stuck</th></tr>
{rows}</table>
<p><small>Attempts and time to pass are medians among the students who passed.</small></p>
</body></html>
"#,
        escape(&headline(summary)),
        escape(&sources_line(summary)),
        students_section(summary, now)
    )
}
