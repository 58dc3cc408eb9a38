//! The app's few styles, in the terminal's own palette (so light and dark
//! themes both work). With `NO_COLOR` the colours are stripped from the whole
//! frame after drawing; the modifiers here keep things distinguishable.

use ratatui::style::{Color, Modifier, Style};

/// Passed, success.
pub fn good() -> Style {
    Style::new().fg(Color::Green)
}

/// Failed, errors.
pub fn bad() -> Style {
    Style::new().fg(Color::Red)
}

/// The colour of a feedback tone.
pub fn tone(tone: crate::feedback::Tone) -> Style {
    match tone {
        crate::feedback::Tone::Good => good(),
        crate::feedback::Tone::Bad => bad(),
        crate::feedback::Tone::Warn => warn(),
        crate::feedback::Tone::Quiet => dim(),
    }
}

/// Warnings, waiting, attention.
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}

/// Secondary text: paths, gutters, passed tests in a failing run.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Headings, focus, keys.
pub fn accent() -> Style {
    Style::new().fg(Color::Cyan)
}

/// Inline code in prose and messages.
pub fn code() -> Style {
    Style::new().fg(Color::Yellow)
}

/// The lesson's own explanation of a failed test.
pub fn explain() -> Style {
    Style::new().fg(Color::Magenta)
}

/// Bold.
pub fn strong() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// A selected row or tab: reversed, so it shows without colours too.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The border of the focused pane.
pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
