//! The Feedback tab's text: what the last check found, in the core's words
//! (see [`crate::feedback`]), a banner while a check runs, and the hints
//! revealed so far.

use std::borrow::Cow;

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::document::Lines;
use super::model::{FeedbackView, Next, Pending};
use super::wrap::{hard_wrap, wrap};
use super::{prose, theme};
use crate::feedback::render::render;
use crate::feedback::{Feedback, Step};
use crate::runner::Report;
use crate::tui::checks::{DepState, Phase};
use crate::tui::state::Outcome;

/// The tab's text for the current exercise at `width` columns, without the
/// banner of a check in progress: what `update` caches.
pub fn body(app: &FeedbackView, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let id = &app.exercise.id;
    match app.outcome {
        None if matches!(app.pending, Pending::None) => not_checked(app, width, &mut out),
        None => {}
        Some(Outcome::Failed(message)) => failed(id, message, false, width, &mut out),
        Some(Outcome::FileMissing(message)) => failed(id, message, true, width, &mut out),
        Some(Outcome::Report(report)) => report_lines(app, report, width, &mut out),
    }
    // One blank line between parts, never two.
    out.dedup_by(|a, b| a.width() == 0 && b.width() == 0);
    out
}

/// The tab's text: the banner of a running check, then the body (`cached`,
/// when `update` made it for this width).
pub fn lines<'a>(
    app: &FeedbackView,
    cached: Option<&'a [Line<'static>]>,
    width: usize,
) -> (Vec<Line<'static>>, Cow<'a, [Line<'static>]>) {
    let mut banner = Vec::new();
    running(app, width, &mut banner);
    let body = cached.map_or_else(|| Cow::Owned(body(app, width)), Cow::Borrowed);
    (banner, body)
}

fn failed(id: &str, message: &str, missing: bool, width: usize, out: &mut Vec<Line<'static>>) {
    out.push(Line::styled(
        "The check could not run",
        theme::bad().add_modifier(Modifier::BOLD),
    ));
    out.extend(hard_wrap(message, theme::bad(), width, &[], 0));
    out.push(Line::default());
    let why = if missing {
        format!("Your file for {id} is missing. `tensorlings reset {id}` puts the starter back.")
    } else {
        "This is a problem with the tool or this machine, not with your code.".to_owned()
    };
    out.extend(wrap(&[Span::raw(why)], width, &[], &[]));
}

/// The revealed hints, rendered from Markdown.
pub fn hint_lines(app: &FeedbackView, width: usize) -> Vec<Line<'static>> {
    let exercise = app.exercise;
    let mut out = Vec::new();
    for (i, hint) in exercise.hints.iter().take(app.hints_seen).enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        let mut body = prose::render(hint, width.saturating_sub(3), app.colors);
        if let Some(first) = body.first_mut() {
            first.spans.insert(
                0,
                Span::styled(
                    format!("{}. ", i + 1),
                    theme::warn().add_modifier(Modifier::BOLD),
                ),
            );
        }
        for line in body.iter_mut().skip(1) {
            line.spans.insert(0, Span::raw("   "));
        }
        out.extend(body);
    }
    out
}

/// A line about a check in progress or waiting, if there is one for this exercise.
fn running(app: &FeedbackView, width: usize, out: &mut Vec<Line<'static>>) {
    let id = &app.exercise.id;
    if let Pending::Running { phase, secs } = &app.pending {
        let what = match phase {
            Phase::Starting => "starting".to_owned(),
            Phase::Fetching(set) => format!("downloading the {set} crates (once per machine)"),
            Phase::Compiling => "compiling".to_owned(),
            Phase::Testing => "running the hidden tests".to_owned(),
        };
        let text = format!("{} Checking {id}: {what}… {secs}s", app.spinner);
        out.push(Line::styled(
            text,
            theme::accent().add_modifier(Modifier::BOLD),
        ));
    } else if let Pending::Waiting(dep) = &app.pending {
        let set = app.exercise.deps;
        let text = match dep {
            Some(DepState::Building { done, total, .. }) => format!(
                "Waiting for the {set} crates to finish building ({done} of ~{total}); the check of {id} starts as soon as they are ready."
            ),
            Some(DepState::Queued | DepState::Fetching) => {
                format!(
                    "Waiting for the {set} crates to be downloaded and built; the check of {id} starts as soon as they are ready."
                )
            }
            _ => format!("The check of {id} starts when the one running now ends."),
        };
        out.extend(wrap(
            &[Span::styled(text, theme::warn())],
            width,
            &[Span::raw("⧗ ")],
            &[Span::raw("  ")],
        ));
    }
    if !out.is_empty() && app.outcome.is_some() {
        out.push(Line::styled(
            "The last result, until this check ends:",
            theme::dim(),
        ));
        out.push(Line::default());
    }
}

fn not_checked(app: &FeedbackView, width: usize, out: &mut Vec<Line<'static>>) {
    let name = app.name.clone();
    let id = &app.exercise.id;
    out.push(Line::styled(
        format!("{id} has not been checked yet"),
        theme::strong(),
    ));
    out.push(Line::default());
    let text = [
        Span::raw("Edit "),
        Span::styled(name, theme::code()),
        Span::raw(" in any editor: every save is checked here at once. Or press "),
        Span::styled("e", theme::accent()),
        Span::raw(" to edit it from here, "),
        Span::styled("c", theme::accent()),
        Span::raw(" to check it now, "),
        Span::styled("h", theme::accent()),
        Span::raw(" for a hint."),
    ];
    out.extend(wrap(&text, width, &[], &[]));
}

fn report_lines(app: &FeedbackView, report: &Report, width: usize, out: &mut Vec<Line<'static>>) {
    let exercise = app.exercise;
    let mut steps = Vec::new();
    if report.passed() {
        steps.push(match app.next {
            Next::Exercise(next) => Step::NextExercise {
                id: next.id.clone(),
                title: next.title.clone(),
            },
            Next::Last { passed, total } => Step::LastExercise { passed, total },
        });
        steps.push(Step::Solution(String::new()));
    } else if app.hints_seen < exercise.hints.len() {
        steps.push(Step::Hint);
    }
    let feedback = Feedback::new(exercise, report).with_steps(steps);
    let mut sink = Lines::new(width, app.code, &app.name);
    render(&feedback, &app.name, &mut sink);
    out.extend(sink.finish());
}
