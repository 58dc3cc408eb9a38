//! Styled text: everything the app shows, as ratatui lines, before it is
//! laid out on a frame. `update` (to measure and cache) and `ui` (to draw)
//! both use this; nothing here draws.

pub mod code;
pub mod diagnostic;
pub mod document;
pub mod feedback;
pub mod goto;
pub mod help;
pub mod model;
pub mod picture;
pub mod prose;
pub mod screen;
pub mod table;
pub mod theme;
pub mod tree;
pub mod wrap;

use ratatui::style::Modifier;
use ratatui::text::Span;

use crate::tui::content::screen::Screen;
use crate::tui::state::{Outcome, Tab};

/// How colours are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// No colours at all (`NO_COLOR` is set).
    Off,
    /// The 256-colour palette.
    Ansi256,
    /// 24-bit colour (`COLORTERM=truecolor`).
    TrueColor,
}

impl ColorMode {
    /// From `NO_COLOR` (set and not empty: no colour) and `COLORTERM`.
    pub fn from_env() -> ColorMode {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            ColorMode::Off
        } else if std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit") {
            ColorMode::TrueColor
        } else {
            ColorMode::Ansi256
        }
    }
}

/// The spinner's current frame.
pub fn spinner(ticks: u64) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[usize::try_from(ticks % 10).unwrap_or(0)]
}

/// The tab titles as spans, with the column each starts at (relative to the box).
pub fn tab_titles(app: &Screen) -> Vec<(Tab, u16, Span<'static>)> {
    let mut out = Vec::new();
    let mut x = 1;
    for (i, tab) in Tab::ALL.into_iter().enumerate() {
        let mark = if tab == Tab::Feedback {
            feedback_mark(app)
        } else {
            String::new()
        };
        let text = format!(" {} {}{mark} ", i + 1, tab.title());
        let style = if tab == app.tab {
            theme::selected().add_modifier(Modifier::BOLD)
        } else {
            theme::dim()
        };
        let width = u16::try_from(wrap::str_width(&text)).unwrap_or(0);
        out.push((tab, x, Span::styled(text, style)));
        x += width + 1;
    }
    out
}

fn feedback_mark(app: &Screen) -> String {
    if app
        .checks
        .running
        .as_ref()
        .is_some_and(|r| r.exercise == app.current)
    {
        return format!(" {}", spinner(app.ticks));
    }
    match app.outcome(app.current) {
        Some(Outcome::Report(r)) if r.passed() => " ✓".to_owned(),
        Some(_) => " ✗".to_owned(),
        None => String::new(),
    }
}
