//! The Lesson and Exercise tabs, and the box's footer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::content::code::numbered;
use crate::tui::content::screen::Screen;
use crate::tui::content::{diagnostic, theme};
use crate::tui::layout::{exercise_areas, max_scroll};
use crate::tui::state::{Outcome, Tab};

/// Draws the Lesson tab.
pub fn draw_lesson(frame: &mut Frame, app: &Screen, inner: Rect) {
    let lines = app.lesson_lines(usize::from(inner.width));
    let skip = app.scroll.lesson.min(lines.len());
    let visible: Vec<Line> = lines[skip..]
        .iter()
        .take(usize::from(inner.height))
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Lines of the learner's file the last check complained about.
fn marks(app: &Screen) -> Vec<usize> {
    let Some(Outcome::Report(report)) = app.outcome(app.current) else {
        return Vec::new();
    };
    let mut lines = diagnostic::marked_lines(&report.diagnostics);
    for test in report.tests.iter().filter(|t| !t.passed()) {
        let line = test
            .panic()
            .and_then(|p| p.location.as_ref())
            .filter(|place| place.file == crate::runner::SpanFile::Learner)
            .map(|place| place.line);
        lines.extend(line);
    }
    lines
}

/// Draws the Exercise tab: the learner's code, and the solution beside it when asked.
pub fn draw_exercise(frame: &mut Frame, app: &Screen, inner: Rect) {
    let exercise = app.exercise(app.current);
    let (header, panes) = exercise_areas(app, inner);
    let passed = app.session.passed(&exercise.id);
    let mut title = vec![
        Span::styled(
            exercise.id.clone(),
            theme::accent().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!(" · {}", exercise.title), theme::strong()),
    ];
    if passed {
        title.push(Span::styled("  ✓ passed", theme::good()));
    }
    frame.render_widget(Paragraph::new(Line::from(title)), header);
    let scroll = u16::try_from(app.scroll.exercise).unwrap_or(u16::MAX);
    let sources = [
        (&exercise.file, "Your code", marks(app)),
        (&exercise.solution, "Reference solution", Vec::new()),
    ];
    for (area, (path, label, marks)) in panes.iter().zip(sources) {
        let mut area = *area;
        if app.show_solution {
            let [top, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    label,
                    theme::warn().add_modifier(Modifier::BOLD),
                )),
                top,
            );
            area = rest;
        }
        let lines = match app.view.code(path) {
            Some(code) => numbered(code, &marks, usize::from(area.width)),
            None => vec![Line::styled("loading…", theme::dim())],
        };
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
    }
}

/// The right box's bottom title: what is shown and where in it.
pub fn footer(app: &Screen) -> Line<'static> {
    let tab = app.tab;
    let what = match tab {
        Tab::Lesson => app.shown_lesson().1.id.clone(),
        Tab::Exercise => app.display_name(app.current),
        Tab::Feedback => match app.outcome(app.current) {
            Some(Outcome::Report(report)) if !report.passed() && app.checks.running.is_none() => {
                "fix, save, and it is checked again".to_owned()
            }
            _ => String::new(),
        },
    };
    let max = max_scroll(app, tab);
    let mut spans = Vec::new();
    if !what.is_empty() {
        spans.push(Span::styled(format!(" {what} "), theme::dim()));
    }
    if max > 0 {
        let at = app.scroll.tab(tab).min(max);
        let percent = at * 100 / max;
        let arrow = if at == 0 {
            "↓"
        } else if at == max {
            "↑"
        } else {
            "↕"
        };
        spans.push(Span::styled(
            format!(" {arrow} {percent}% "),
            theme::accent(),
        ));
    }
    Line::from(spans)
}
