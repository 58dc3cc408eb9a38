//! The course tree's rows and the progress gauges under it, as lines.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::wrap::{str_width, truncate};
use super::{spinner, theme};
use crate::tui::checks::DepState;
use crate::tui::content::screen::Screen;
use crate::tui::state::{Focus, Row};

/// Tree row `row` at `width` columns, highlighted when it is the cursor's.
pub fn row(app: &Screen, row: usize, width: usize) -> Line<'static> {
    let line = match app.rows[row] {
        Row::Lesson(l) => lesson_row(app, l, width),
        Row::Exercise(e) => exercise_row(app, e, width),
    };
    if row == app.cursor {
        let style = if app.focus == Focus::Tree {
            theme::selected()
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        pad(line, width).patch_style(style)
    } else {
        line
    }
}

fn pad(mut line: Line<'static>, width: usize) -> Line<'static> {
    let used = line.width();
    if used < width {
        line.spans.push(Span::raw(" ".repeat(width - used)));
    }
    line
}

fn lesson_row(app: &Screen, l: usize, width: usize) -> Line<'static> {
    let lesson = &app.course().lessons[l];
    let total = lesson.exercises.len();
    let passed = lesson
        .exercises
        .iter()
        .filter(|e| app.session.passed(&e.id))
        .count();
    let count = format!(" {passed}/{total} ");
    let number = lesson.id.split('-').next().unwrap_or("").to_owned();
    let title = lesson
        .title
        .split(':')
        .next()
        .unwrap_or(&lesson.title)
        .trim();
    let label = if number.is_empty() {
        format!(" {title}")
    } else {
        format!(" {number} {title}")
    };
    let label = truncate(&label, width.saturating_sub(count.len()));
    let gap = width.saturating_sub(str_width(&label) + count.len());
    let count_style = if passed == total && total > 0 {
        theme::good()
    } else {
        theme::dim()
    };
    Line::from(vec![
        Span::styled(label, theme::accent().add_modifier(Modifier::BOLD)),
        Span::raw(" ".repeat(gap)),
        Span::styled(count, count_style),
    ])
}

fn exercise_row(app: &Screen, e: usize, width: usize) -> Line<'static> {
    let (mark, style) = mark(app, e);
    let exercise = app.exercise(e);
    let id_style = if e == app.current {
        theme::strong()
    } else {
        Style::default()
    };
    let id = exercise.id.clone();
    let rest = width.saturating_sub(5 + str_width(&id));
    let title = if rest > 3 {
        truncate(&exercise.title, rest)
    } else {
        String::new()
    };
    Line::from(vec![
        Span::raw("  "),
        Span::styled(mark, style),
        Span::raw(" "),
        Span::styled(id, id_style),
        Span::raw(" "),
        Span::styled(title, theme::dim()),
    ])
}

/// An exercise's mark in the tree: checking, waiting, passed, current, tried
/// or not yet started.
pub fn mark(app: &Screen, e: usize) -> (String, Style) {
    let record = app.session.progress().exercises.get(&app.exercise(e).id);
    let running = app.checks.running.as_ref().is_some_and(|r| r.exercise == e);
    if running {
        (spinner(app.ticks).to_owned(), theme::accent())
    } else if app.checks.queue.contains(&e) {
        ("…".to_owned(), theme::warn())
    } else if record.is_some_and(|r| r.passed) {
        ("✓".to_owned(), theme::good())
    } else if e == app.current {
        ("▸".to_owned(), theme::accent().add_modifier(Modifier::BOLD))
    } else if record.is_some_and(|r| r.attempts > 0) {
        ("•".to_owned(), theme::warn())
    } else {
        ("·".to_owned(), theme::dim())
    }
}

/// The gauges under the tree: exercises passed, and a dependency set being built.
pub fn gauges(app: &Screen, width: usize) -> Vec<Line<'static>> {
    let total = app.exercise_count();
    let passed = app
        .course()
        .exercises()
        .filter(|e| app.session.passed(&e.id))
        .count();
    let mut lines = vec![gauge(
        passed,
        total,
        &format!(" {passed}/{total} passed"),
        width,
        theme::good(),
    )];
    if let Some((set, state)) = app.checks.building() {
        let line = match state {
            DepState::Building { done, total, .. } => gauge(
                *done,
                (*total).max(*done + 1),
                &format!(" {set} {done}/{total}"),
                width,
                theme::accent(),
            ),
            _ => Line::styled(
                format!("{} fetching {set} crates", spinner(app.ticks)),
                theme::accent(),
            ),
        };
        lines.push(line);
    } else if let Some((set, _)) = app
        .checks
        .deps
        .iter()
        .find(|(_, s)| matches!(s, DepState::Failed(_)))
    {
        lines.push(Line::styled(
            truncate(&format!("✗ {set} crates failed to build"), width),
            theme::bad(),
        ));
    } else if let Some((set, _)) = app.checks.deps.iter().find(|(_, s)| *s == DepState::Queued) {
        lines.push(Line::styled(
            truncate(&format!("{set} crates: waiting to build"), width),
            theme::dim(),
        ));
    }
    lines
}

/// `██████░░░░ label`, the bar filling what the label leaves.
fn gauge(done: usize, total: usize, label: &str, width: usize, style: Style) -> Line<'static> {
    let bar = width.saturating_sub(str_width(label)).max(4);
    let filled = (done * bar).checked_div(total).unwrap_or(0).min(bar);
    Line::from(vec![
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(bar - filled), theme::dim()),
        Span::styled(label.to_owned(), theme::strong()),
    ])
}
