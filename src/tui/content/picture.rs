//! Paints the core's pictures (graphs, timelines) in the app's theme: one
//! style per meaning of a cell, and a ratatui line per row.

use ratatui::layout::Alignment;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme;
use crate::graph::{Meaning, Picture};

/// The alignment that tags a row of a graph's drawing, so the Feedback tab
/// can scroll those rows sideways and leave the wrapped text alone. Left is
/// how every line is drawn anyway; other lines leave the alignment unset.
pub const GRAPH_ROW: Alignment = Alignment::Left;

/// The style of a cell that means `meaning`.
pub fn style(meaning: Meaning) -> Style {
    match meaning {
        Meaning::Blank | Meaning::Text => Style::new(),
        Meaning::Edge | Meaning::Border | Meaning::Axis => theme::dim(),
        Meaning::MarkedBorder | Meaning::MarkedTitle => theme::bad().add_modifier(Modifier::BOLD),
        Meaning::Operator => theme::accent().add_modifier(Modifier::BOLD),
        Meaning::Name => theme::strong(),
        Meaning::Task => theme::code(),
        Meaning::Bar { marked: true, .. } | Meaning::Instant => theme::bad(),
        Meaning::Bar { marked: false, .. } => theme::accent(),
        Meaning::Cut => theme::warn(),
    }
}

/// `picture`, a line per row.
pub fn lines(picture: &Picture) -> Vec<Line<'static>> {
    picture
        .rows()
        .iter()
        .map(|row| {
            Picture::runs(row)
                .into_iter()
                .map(|(text, meaning)| Span::styled(text, style(meaning)))
                .collect::<Vec<_>>()
                .into()
        })
        .collect()
}
