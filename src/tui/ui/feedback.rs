//! The Feedback tab: what the last check found, in words a learner can act
//! on, the loss curve of training exercises, and the hints revealed so far.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::wrap::{hard_wrap, wrap};
use super::{chart, diagnostic, prose, spinner, theme};
use crate::feedback::Feedback;
use crate::runner::{Report, Status};
use crate::tui::app::{App, Outcome};
use crate::tui::checks::{DepState, Phase};

/// Where the parts of the Feedback tab go.
pub struct Areas {
    /// The loss chart, for training exercises.
    pub chart: Option<Rect>,
    /// The scrolling text.
    pub text: Rect,
    /// The hints box, once a hint is revealed.
    pub hints: Option<Rect>,
}

/// Splits the tab's inner area for `app`'s current exercise.
pub fn areas(app: &App, inner: Rect) -> Areas {
    let has_chart =
        matches!(app.outcome(app.current), Some(Outcome::Report(r)) if !r.losses.is_empty());
    let chart_height = if has_chart && inner.height >= 16 {
        (inner.height / 2).min(14)
    } else {
        0
    };
    let hint_lines = hint_lines(app, usize::from(inner.width)).len();
    let room = usize::from(inner.height.saturating_sub(chart_height));
    let text_lines = if hint_lines == 0 {
        0
    } else {
        lines(app, usize::from(inner.width)).len()
    };
    let hints_height = if hint_lines == 0 {
        0
    } else {
        // All the hints when the feedback above is short; else at most 3/5 of the room.
        let most = room.saturating_sub(text_lines + 1).max(room * 3 / 5).max(4);
        (hint_lines + 1).min(most)
    };
    // The hints follow the feedback when both fit; else they take the bottom.
    let text_height = if hints_height == 0 {
        room
    } else if text_lines + 1 + hints_height <= room {
        text_lines + 1
    } else {
        room.saturating_sub(hints_height)
    };
    let length = |n: usize| Constraint::Length(u16::try_from(n).unwrap_or(u16::MAX));
    let [chart, text, hints, _] = Layout::vertical([
        Constraint::Length(chart_height),
        length(text_height),
        length(hints_height),
        Constraint::Fill(1),
    ])
    .areas(inner);
    Areas {
        chart: (chart_height > 0).then_some(chart),
        text,
        hints: (hints_height > 0).then_some(hints),
    }
}

/// Draws the tab into `inner`.
pub fn draw(frame: &mut Frame, app: &App, inner: Rect) {
    let areas = areas(app, inner);
    if let (Some(area), Some(Outcome::Report(report))) = (areas.chart, app.outcome(app.current)) {
        chart::draw(frame, &report.losses, area);
    }
    let lines = lines(app, usize::from(areas.text.width));
    let scroll = u16::try_from(app.scroll.feedback).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), areas.text);
    if let Some(area) = areas.hints {
        let exercise = app.exercise(app.current);
        let title = format!(" Hints {}/{} ", hints_seen(app), exercise.hints.len());
        let block = Block::new().borders(Borders::TOP).title(Span::styled(
            title,
            theme::warn().add_modifier(Modifier::BOLD),
        ));
        let inner = block.inner(area);
        let lines = hint_lines(app, usize::from(inner.width));
        // The newest hint matters most: when they do not all fit, show the last lines.
        let skip = lines.len().saturating_sub(usize::from(inner.height));
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(lines[skip..].to_vec()), inner);
    }
}

fn hints_seen(app: &App) -> usize {
    let exercise = app.exercise(app.current);
    (app.session.hints_seen(&exercise.id) as usize).min(exercise.hints.len())
}

/// The revealed hints, rendered from Markdown.
pub fn hint_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let exercise = app.exercise(app.current);
    let mut out = Vec::new();
    for (i, hint) in exercise.hints.iter().take(hints_seen(app)).enumerate() {
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

/// The tab's scrolling text for the current exercise at `width` columns.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let exercise = app.current;
    running(app, width, &mut out);
    match app.outcome(exercise) {
        None if out.is_empty() => not_checked(app, width, &mut out),
        None => {}
        Some(Outcome::Failed(message)) => {
            out.push(Line::styled(
                "The check could not run",
                theme::bad().add_modifier(Modifier::BOLD),
            ));
            out.extend(hard_wrap(message, theme::bad(), width, &[], 0));
            out.push(Line::default());
            let current = app.exercise(exercise);
            let why = if current.file.exists() {
                "This is a problem with the tool or this machine, not with your code.".to_owned()
            } else {
                format!(
                    "Your file for {id} is missing. `tensorlings reset {id}` puts the starter back.",
                    id = current.id
                )
            };
            out.extend(wrap(&[Span::raw(why)], width, &[], &[]));
        }
        Some(Outcome::Report(report)) => report_lines(app, report, width, &mut out),
    }
    // One blank line between parts, never two.
    out.dedup_by(|a, b| a.width() == 0 && b.width() == 0);
    out
}

/// A line about a check in progress or waiting, if there is one for this exercise.
fn running(app: &App, width: usize, out: &mut Vec<Line<'static>>) {
    let id = &app.exercise(app.current).id;
    if let Some(run) = app
        .checks
        .running
        .as_ref()
        .filter(|r| r.exercise == app.current)
    {
        let what = match &run.phase {
            Phase::Starting => "starting".to_owned(),
            Phase::Fetching(set) => format!("downloading the {set} crates (once per machine)"),
            Phase::Compiling => "compiling".to_owned(),
            Phase::Testing => "running the hidden tests".to_owned(),
        };
        let secs = app.ticks.saturating_sub(run.started_tick) / 10;
        let text = format!("{} Checking {id}: {what}… {secs}s", spinner(app));
        out.push(Line::styled(
            text,
            theme::accent().add_modifier(Modifier::BOLD),
        ));
    } else if app.checks.queue.contains(&app.current) {
        let set = app.exercise(app.current).deps;
        let text = match app.dep_state(set) {
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
    if !out.is_empty() && app.outcome(app.current).is_some() {
        out.push(Line::styled(
            "The last result, until this check ends:",
            theme::dim(),
        ));
        out.push(Line::default());
    }
}

fn not_checked(app: &App, width: usize, out: &mut Vec<Line<'static>>) {
    let name = app.display_name(app.current);
    let id = &app.exercise(app.current).id;
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

fn report_lines(app: &App, report: &Report, width: usize, out: &mut Vec<Line<'static>>) {
    let exercise = app.exercise(app.current);
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
    let code = app.view.code(&exercise.file);
    let name = app.display_name(app.current);
    for diag in &feedback.diagnostics {
        out.extend(diagnostic::lines(diag, code, &name, width));
        out.push(Line::default());
    }
    for failure in &feedback.failures {
        super::failure::lines(app, failure, width, out);
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
        && hints_seen(app) < exercise.hints.len()
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

fn passed_next_steps(app: &App, width: usize, out: &mut Vec<Line<'static>>) {
    let key = |k: &'static str| Span::styled(k, theme::accent().add_modifier(Modifier::BOLD));
    let next = app.current + 1;
    if next < app.exercise_count() {
        let exercise = app.exercise(next);
        let text = [
            key("n"),
            Span::raw(" next exercise: "),
            Span::styled(exercise.id.clone(), theme::strong()),
            Span::raw(format!(" · {}", exercise.title)),
        ];
        out.extend(wrap(&text, width, &[Span::raw("  ")], &[Span::raw("    ")]));
    } else {
        let passed = app
            .course()
            .exercises()
            .filter(|e| app.session.passed(&e.id))
            .count();
        let text = format!(
            "That was the last exercise: {passed} of {} passed.",
            app.exercise_count()
        );
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
