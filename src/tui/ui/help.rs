//! Boxes over the app: the list of keys, notices, and the too-small message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::content::help::lines;
use crate::tui::content::theme;
use crate::tui::content::wrap::wrap;
use crate::tui::layout;

/// Draws the list of keys over the app.
pub fn draw(frame: &mut Frame, scroll: usize, about: &[String]) {
    let area = layout::help_area(frame.area());
    let block = Block::bordered()
        .border_style(theme::focused_border())
        .title(Span::styled(" Keys ", theme::strong()))
        .title_bottom(Line::styled(" any key closes ", theme::dim()).right_aligned());
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines(usize::from(inner.width), about)).scroll((scroll, 0)),
        inner,
    );
}

/// Draws a notice the learner must read, over the app.
pub fn notice(frame: &mut Frame, text: &str) {
    let size = frame.area();
    let width = size.width.saturating_sub(4).min(70);
    let lines = wrap(
        &[Span::raw(text.to_owned())],
        usize::from(width.saturating_sub(4)),
        &[],
        &[],
    );
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(size.height);
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(size);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let block = Block::bordered()
        .border_style(theme::warn())
        .title(Span::styled(
            " Note ",
            theme::warn().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Line::styled(" any key closes ", theme::dim()).right_aligned());
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Says the terminal is too small, and what would do.
pub fn too_small(frame: &mut Frame, min: (u16, u16)) {
    let size = frame.area();
    let text = vec![
        Line::styled(
            "The terminal is too small",
            theme::warn().add_modifier(Modifier::BOLD),
        ),
        Line::raw(""),
        Line::raw(format!(
            "tensorlings needs {}×{}; this one is {}×{}.",
            min.0, min.1, size.width, size.height
        )),
        Line::raw("Make the window larger, or press q to quit."),
    ];
    let height = 4.min(size.height);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(size);
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        area,
    );
}
