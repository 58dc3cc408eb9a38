//! Draws the course tree's visible rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::content::screen::Screen;
use crate::tui::content::tree;
use crate::tui::layout;

/// Draws the rows into `list`, scrolled so the cursor stays in view.
pub fn draw(frame: &mut Frame, app: &Screen, list: Rect) {
    let width = usize::from(list.width);
    let height = usize::from(list.height);
    let lines: Vec<Line> = (layout::tree_offset(app, height)..app.rows.len())
        .take(height)
        .map(|row| tree::row(app, row, width))
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
