//! The Feedback tab's text: what the last check found, in the core's words
//! (see [`crate::feedback`]), a banner while a check runs, and the hints
//! revealed so far.

use std::borrow::Cow;

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::model::{FeedbackView, Next, Pending};
use super::wrap::{hard_wrap, wrap};
use super::{diagnostic, graph, prose, theme, timeline};
use crate::feedback::Feedback;
use crate::runner::graph::Graph;
use crate::runner::timeline::Timeline;
use crate::runner::{Report, Status};
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
    let feedback = Feedback::new(exercise, report);
    let headline = &feedback.headline;
    let style = theme::tone(headline.tone).add_modifier(Modifier::BOLD);
    out.extend(wrap(
        &[Span::styled(headline.text.clone(), style)],
        width,
        &[],
        &[],
    ));
    if let Some(advice) = headline.advice {
        out.extend(wrap(&[Span::raw(advice)], width, &[], &[]));
    }
    out.push(Line::default());
    if report.status == Status::Passed {
        passed_next_steps(app, width, out);
    }
    let graph = report.graph_to_draw();
    let marked = graph.is_some_and(|(_, g)| g.has_marks());
    if marked {
        graph_lines(graph, width, out);
    }
    let timeline = report.timeline_to_draw();
    let timeline_marked = timeline.is_some_and(|(_, t)| t.has_marks());
    if timeline_marked {
        timeline_lines(timeline, width, out);
    }
    let (code, name) = (app.code, &app.name);
    for diag in &feedback.diagnostics {
        out.extend(diagnostic::lines(diag, code, name, width));
        out.push(Line::default());
    }
    for failure in &feedback.failures {
        super::failure::lines(failure, code, name, width, out);
    }
    for note in feedback.crash.iter().map(String::as_str) {
        out.extend(wrap(
            &[Span::styled(note.to_owned(), theme::bad())],
            width,
            &[],
            &[],
        ));
        out.push(Line::default());
    }
    if let Some(note) = feedback.truncated {
        out.extend(wrap(&[Span::styled(note, theme::warn())], width, &[], &[]));
        out.push(Line::default());
    }
    if let Some(note) = feedback.more_at_grading {
        out.extend(wrap(&[Span::styled(note, theme::dim())], width, &[], &[]));
        out.push(Line::default());
    }
    if !marked {
        graph_lines(graph, width, out);
    }
    if !timeline_marked {
        timeline_lines(timeline, width, out);
    }
    let style = if report.status == Status::Passed {
        theme::good()
    } else {
        theme::dim()
    };
    for test in &feedback.passed {
        out.push(Line::styled(format!("✓ {test}"), style));
    }
    if report.status != Status::Passed
        && !exercise.hints.is_empty()
        && app.hints_seen < exercise.hints.len()
    {
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled("Stuck? ", theme::dim()),
            Span::styled("h", theme::accent()),
            Span::styled(" reveals a hint.", theme::dim()),
        ]));
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
}

/// The timeline with a caption, fitted to the width, and a line per mark.
fn timeline_lines(picked: Option<(&str, &Timeline)>, width: usize, out: &mut Vec<Line<'static>>) {
    let Some((test, picture)) = picked else {
        return;
    };
    let drawing = timeline::draw(picture, width);
    if drawing.is_empty() {
        return;
    }
    out.extend(wrap(
        &[
            Span::styled("When each task ran in".to_owned(), theme::strong()),
            Span::raw(" "),
            Span::styled(test.to_owned(), theme::code()),
            Span::styled(
                " (virtual time; █ finished, ▒→ still running)".to_owned(),
                theme::dim(),
            ),
        ],
        width,
        &[],
        &[],
    ));
    out.extend(drawing);
    for why in timeline::marks(picture) {
        out.extend(wrap(
            &[Span::styled(format!("✗ {why}"), theme::bad())],
            width,
            &[],
            &[],
        ));
    }
    out.push(Line::default());
}

/// The drawing with a caption, and a line per marked node. Its rows are
/// tagged (see [`graph::GRAPH_ROW`]) so the tab can scroll them sideways.
fn graph_lines(picked: Option<(&str, &Graph)>, width: usize, out: &mut Vec<Line<'static>>) {
    let Some((test, graph)) = picked else { return };
    let drawing = graph::draw(graph);
    if drawing.is_empty() {
        return;
    }
    let what = match graph {
        Graph::Autograd { .. } => "The graph your code built in",
        Graph::Onnx { .. } => "The model graph in",
    };
    let key = match graph {
        Graph::Autograd { nodes, .. } if nodes.iter().all(|n| n.grad.is_none()) => {
            "d: value; gradients appear once backward runs"
        }
        Graph::Autograd { .. } => "d: value, g: gradient",
        Graph::Onnx { .. } => "op or role, name, shape",
    };
    let wide = graph::width(&drawing) > width;
    let scroll = if wide { "; < > scroll it sideways" } else { "" };
    out.extend(wrap(
        &[
            Span::styled(what.to_owned(), theme::strong()),
            Span::raw(" "),
            Span::styled(test.to_owned(), theme::code()),
            Span::styled(format!(" ({key}{scroll})"), theme::dim()),
        ],
        width,
        &[],
        &[],
    ));
    out.extend(
        drawing
            .into_iter()
            .map(|line| line.alignment(graph::GRAPH_ROW)),
    );
    if let Graph::Autograd {
        truncated: true, ..
    }
    | Graph::Onnx {
        truncated: true, ..
    } = graph
    {
        out.extend(wrap(
            &[Span::styled(
                "Only the first 200 nodes are drawn.".to_owned(),
                theme::warn(),
            )],
            width,
            &[],
            &[],
        ));
    }
    for (name, why) in graph::marks(graph) {
        out.extend(wrap(
            &[
                Span::styled(
                    format!("✗ {name}: "),
                    theme::bad().add_modifier(Modifier::BOLD),
                ),
                Span::raw(why),
            ],
            width,
            &[],
            &[],
        ));
    }
    out.push(Line::default());
}

fn passed_next_steps(app: &FeedbackView, width: usize, out: &mut Vec<Line<'static>>) {
    let key = |k: &'static str| Span::styled(k, theme::accent().add_modifier(Modifier::BOLD));
    if let Next::Exercise(exercise) = app.next {
        let text = [
            key("n"),
            Span::raw(" next exercise: "),
            Span::styled(exercise.id.clone(), theme::strong()),
            Span::raw(format!(" · {}", exercise.title)),
        ];
        out.extend(wrap(&text, width, &[Span::raw("  ")], &[Span::raw("    ")]));
    } else if let Next::Last { passed, total } = app.next {
        let text = format!("That was the last exercise: {passed} of {total} passed.");
        out.extend(wrap(
            &[Span::styled(text, theme::good())],
            width,
            &[Span::raw("  ")],
            &[Span::raw("  ")],
        ));
    }
    let text = [key("s"), Span::raw(" compare with the reference solution")];
    out.extend(wrap(&text, width, &[Span::raw("  ")], &[Span::raw("    ")]));
    out.push(Line::default());
}
