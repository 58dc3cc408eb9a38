//! Boxes over the app: the list of keys, notices, questions, the go-to box,
//! and the too-small message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::tui::content::help::lines;
use crate::tui::content::screen::Screen;
use crate::tui::content::wrap::wrap;
use crate::tui::content::{self, theme};
use crate::tui::layout;
use crate::tui::state::GoTo;

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
    boxed(frame, text, " Note ", " any key closes ");
}

/// Draws a question asked before the learner's files change.
pub fn confirm(frame: &mut Frame, text: &str) {
    boxed(
        frame,
        text,
        " Reset? ",
        " y resets · any other key keeps your files ",
    );
}

/// Draws the go-to box: what was typed, and the matching exercises.
pub fn goto(frame: &mut Frame, app: &Screen, goto: &GoTo) {
    let size = frame.area();
    let width = size.width.saturating_sub(4).min(70);
    let shown = app.goto_matches(&goto.query).len().max(1);
    let height = size
        .height
        .saturating_sub(4)
        .min(u16::try_from(shown + 4).unwrap_or(u16::MAX))
        .min(18);
    let area = crate::tui::layout::centered(size, width, height);
    let block = Block::bordered()
        .border_style(theme::focused_border())
        .title(Span::styled(" Go to exercise ", theme::strong()))
        .title_bottom(
            Line::styled(
                " type to narrow · ↑↓ choose · Enter go · Esc back ",
                theme::dim(),
            )
            .right_aligned(),
        );
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    let lines = content::goto::lines(
        app,
        goto,
        usize::from(inner.width),
        usize::from(inner.height),
    );
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A box of wrapped `text` in the middle of the frame, in the warning colour.
fn boxed(frame: &mut Frame, text: &str, title: &'static str, bottom: &'static str) {
    let size = frame.area();
    let width = size.width.saturating_sub(4).min(70);
    // Each line of the text is a paragraph; blank ones stay blank.
    let lines: Vec<Line> = text
        .split('\n')
        .flat_map(|paragraph| {
            if paragraph.trim().is_empty() {
                vec![Line::default()]
            } else {
                wrap(
                    &[Span::raw(paragraph.to_owned())],
                    usize::from(width.saturating_sub(4)),
                    &[],
                    &[],
                )
            }
        })
        .collect();
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(size.height);
    let area = crate::tui::layout::centered(size, width, height);
    let block = Block::bordered()
        .border_style(theme::warn())
        .title(Span::styled(
            title,
            theme::warn().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Line::styled(bottom, theme::dim()).right_aligned());
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
