//! The `?` screen's text: every key from the key table, what the sandbox
//! provides here and how saves are noticed.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::theme;
use super::wrap::wrap;
use crate::tui::keys::BINDINGS;

/// Width of the keys column.
const KEYS: usize = 18;

/// The screen's lines at `width` columns.
pub fn lines(width: usize, about: &[String]) -> Vec<Line<'static>> {
    let indent = [Span::raw(" ".repeat(KEYS + 1))];
    let mut out = Vec::new();
    for row in BINDINGS {
        let first = [Span::styled(
            format!("{:<KEYS$} ", row.keys),
            theme::accent().add_modifier(Modifier::BOLD),
        )];
        out.extend(wrap(&[Span::raw(row.does)], width, &first, &indent));
    }
    out.push(Line::default());
    out.extend(wrap(
        &[Span::styled(
            "Saving an exercise file in any editor checks it. Progress is saved as you go.",
            theme::dim(),
        )],
        width,
        &[],
        &[],
    ));
    for line in about {
        out.extend(wrap(
            &[Span::styled(line.clone(), theme::dim())],
            width,
            &[],
            &[],
        ));
    }
    out
}
