//! The go-to box's lines, and the questions asked before a reset.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::theme;
use super::wrap::{str_width, truncate};
use crate::tui::content::screen::Screen;
use crate::tui::state::{Ask, GoTo};

/// The box's lines at `width` columns, at most `height` of them: what was
/// typed, then the matches around the chosen one.
pub fn lines(app: &Screen, goto: &GoTo, width: usize, height: usize) -> Vec<Line<'static>> {
    let matches = app.goto_matches(&goto.query);
    let mut out = vec![
        Line::from(vec![
            Span::styled("› ", theme::accent().add_modifier(Modifier::BOLD)),
            Span::raw(goto.query.clone()),
            Span::styled("▏", theme::accent()),
        ]),
        Line::default(),
    ];
    let room = height.saturating_sub(out.len()).max(1);
    if matches.is_empty() {
        out.push(Line::styled("no exercise matches", theme::dim()));
        return out;
    }
    let choice = goto.choice.min(matches.len() - 1);
    let first = choice.saturating_sub(room - 1);
    for (at, &e) in matches.iter().enumerate().skip(first).take(room) {
        let exercise = app.exercise(e);
        let (mark, mark_style) = super::tree::mark(app, e);
        let chosen = at == choice;
        let pointer = if chosen { "▶ " } else { "  " };
        let id = exercise.id.clone();
        let rest = width.saturating_sub(5 + str_width(&id));
        let title = truncate(&exercise.title, rest);
        let mut line = Line::from(vec![
            Span::styled(pointer, theme::accent()),
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(id, theme::strong()),
            Span::raw(" "),
            Span::styled(title, theme::dim()),
        ]);
        if chosen {
            line = line.style(theme::selected());
        }
        out.push(line);
    }
    out
}

/// What a question before a reset says.
pub fn question(app: &Screen, ask: Ask) -> String {
    let dir = app.course().root.join(crate::course::layout::backups_dir());
    let backups = app.course().display_path(&dir).to_string();
    match ask {
        Ask::Reset(e) => format!(
            "Put {} back to its starter?\n\nYour version is saved in {backups} first; your progress is kept.",
            app.display_name(e)
        ),
        Ask::ResetAll => format!(
            "Put all {} exercises back to their starters?\n\nEvery file you changed is saved in {backups} first; your progress is kept.",
            app.exercise_count()
        ),
    }
}
