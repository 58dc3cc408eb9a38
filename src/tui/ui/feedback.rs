//! Draws the Feedback tab: the loss curve of training exercises, the text,
//! and the hints box.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::chart;
use crate::tui::content::feedback::hint_lines;
use crate::tui::content::picture;
use crate::tui::content::screen::Screen;
use crate::tui::content::theme;
use crate::tui::layout;
use crate::tui::state::Outcome;

/// Draws the tab into `inner`.
pub fn draw(frame: &mut Frame, app: &Screen, inner: Rect) {
    let areas = layout::feedback_areas(app, inner);
    if let (Some(area), Some(Outcome::Report(report))) = (areas.chart, app.outcome(app.current)) {
        chart::draw(frame, &report.losses, area);
    }
    let (banner, body) = app.feedback_lines(usize::from(areas.text.width));
    let shift = app.scroll.graph_x;
    let visible: Vec<Line> = banner
        .into_iter()
        .chain(body.iter().cloned())
        .skip(app.scroll.feedback)
        .take(usize::from(areas.text.height))
        .map(|line| {
            if shift > 0 && line.alignment == Some(picture::GRAPH_ROW) {
                sideways(line, shift)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), areas.text);
    if let Some(area) = areas.hints {
        let view = app.feedback_view();
        let title = format!(" Hints {}/{} ", view.hints_seen, view.exercise.hints.len());
        let block = Block::new().borders(Borders::TOP).title(Span::styled(
            title,
            theme::warn().add_modifier(Modifier::BOLD),
        ));
        let inner = block.inner(area);
        let lines = hint_lines(&view, usize::from(inner.width));
        // The newest hint matters most: when they do not all fit, show the last lines.
        let skip = lines.len().saturating_sub(usize::from(inner.height));
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(lines[skip..].to_vec()), inner);
    }
}

/// `line` without its first `by` columns.
fn sideways(line: Line<'static>, by: usize) -> Line<'static> {
    let mut skip = by;
    let mut spans = Vec::new();
    for span in line.spans {
        let chars: Vec<char> = span.content.chars().collect();
        if skip >= chars.len() {
            skip -= chars.len();
            continue;
        }
        spans.push(Span::styled(
            chars[skip..].iter().collect::<String>(),
            span.style,
        ));
        skip = 0;
    }
    Line::from(spans)
}
