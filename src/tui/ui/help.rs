//! Boxes over the app: the list of keys, notices, and the too-small message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme;
use super::wrap::wrap;
use crate::tui::keys::HELP;

/// Width of the keys column.
const KEYS: usize = 18;

fn lines(width: usize, sandbox: Option<&str>) -> Vec<Line<'static>> {
    let indent = [Span::raw(" ".repeat(KEYS + 1))];
    let mut out = Vec::new();
    for row in HELP {
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
    if let Some(sandbox) = sandbox {
        out.extend(wrap(
            &[Span::styled(sandbox.to_owned(), theme::dim())],
            width,
            &[],
            &[],
        ));
    }
    out
}

fn area(size: Rect) -> Rect {
    let width = size.width.saturating_sub(4).min(72);
    let height = size
        .height
        .saturating_sub(2)
        .min(u16::try_from(HELP.len() + 7).unwrap_or(u16::MAX));
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(size);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    area
}

/// How far the key list scrolls in a terminal of `size`.
pub fn max_scroll(size: Rect, sandbox: Option<&str>) -> usize {
    let area = area(size);
    let inner = usize::from(area.height.saturating_sub(2));
    lines(usize::from(area.width.saturating_sub(4)), sandbox)
        .len()
        .saturating_sub(inner)
}

/// Draws the list of keys over the app.
pub fn draw(frame: &mut Frame, scroll: usize, sandbox: Option<&str>) {
    let area = area(frame.area());
    let block = Block::bordered()
        .border_style(theme::focused_border())
        .title(Span::styled(" Keys ", theme::strong()))
        .title_bottom(Line::styled(" any key closes ", theme::dim()).right_aligned());
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines(usize::from(inner.width), sandbox)).scroll((scroll, 0)),
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
