//! A graph from a check (an autograd expression or an ONNX model) as boxes
//! and arrows: the core lays it out ([`Picture::of_graph`]), this paints it.

use ratatui::layout::Alignment;
use ratatui::text::Line;

use crate::graph::{Graph, Mark, Picture};

/// The alignment that tags a row of a drawing, so the Feedback tab can
/// scroll those rows sideways and leave the wrapped text alone. Left is how
/// every line is drawn anyway; other lines leave the alignment unset.
pub const GRAPH_ROW: Alignment = Alignment::Left;

/// The drawing of `graph`, in the app's theme.
pub fn draw(graph: &Graph) -> Vec<Line<'static>> {
    super::picture::lines(&Picture::of_graph(graph))
}

/// The drawing's width in columns.
pub fn width(lines: &[Line<'_>]) -> usize {
    lines.iter().map(Line::width).max().unwrap_or(0)
}

/// One line per marked node: which box, and what is wrong there.
pub fn marks(graph: &Graph) -> Vec<(String, String)> {
    Mark::in_graph(graph)
        .into_iter()
        .map(|m| (m.place.text(), m.why))
        .collect()
}
