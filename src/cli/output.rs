//! Everything the command line prints goes through here: control characters
//! from learners and course packs never reach the terminal, and colours are
//! on only for a terminal without `NO_COLOR`.

use anstyle::{AnsiColor, Style};

use crate::feedback::render::Action;
use crate::feedback::text::Palette;
use crate::feedback::{Role, Tone};
use crate::graph::Meaning;
use crate::runner::Diagnostic;

/// Writes text to standard output with every control character shown as a
/// visible escape, except the colours tensorlings adds itself when standard
/// output is a terminal. Quiet when standard output is closed early
/// (`tensorlings list | head`).
pub fn emit(text: &str) {
    use std::io::Write as _;
    let safe = if colour_on() {
        crate::text::printable_keeping_colour(text)
    } else {
        crate::text::printable(text)
    };
    let _ = std::io::stdout().write_all(safe.as_bytes());
}

/// Whether standard output gets colours: a terminal, and no `NO_COLOR`.
pub fn colour_on() -> bool {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    std::io::stdout().is_terminal() && !no_color
}

/// Colours for text output, or none.
pub struct Paint(bool);

impl Paint {
    /// Colours when standard output takes them.
    pub fn detect() -> Paint {
        Paint(colour_on())
    }

    /// Colours if `on`, whatever standard output is.
    pub fn new(on: bool) -> Paint {
        Paint(on)
    }

    fn with(&self, style: Style, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    /// Text in the colour of `tone`, bold.
    pub fn tone(&self, tone: Tone, text: &str) -> String {
        let colour = match tone {
            Tone::Good => AnsiColor::Green,
            Tone::Bad => AnsiColor::Red,
            Tone::Warn => AnsiColor::Yellow,
            Tone::Quiet => return self.dim(text),
        };
        self.with(Style::new().fg_color(Some(colour.into())).bold(), text)
    }

    /// Good news.
    pub fn good(&self, text: &str) -> String {
        self.tone(Tone::Good, text)
    }

    /// Something to fix.
    pub fn bad(&self, text: &str) -> String {
        self.tone(Tone::Bad, text)
    }

    /// A lesson's note.
    pub fn note(&self, text: &str) -> String {
        self.with(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text)
    }

    /// Something in the background.
    pub fn dim(&self, text: &str) -> String {
        self.with(Style::new().dimmed(), text)
    }

    /// Text in the style of its role in a check's feedback.
    pub fn role(&self, role: Role, text: &str) -> String {
        match role {
            Role::Plain => text.to_owned(),
            Role::Headline(tone) => self.tone(tone, text),
            Role::Failed | Role::Left | Role::Mark => self.bad(text),
            Role::Passed | Role::Right => self.good(text),
            Role::Note(tone) => match tone {
                Tone::Good => self.good(text),
                Tone::Bad => self.bad(text),
                Tone::Warn | Tone::Quiet => text.to_owned(),
            },
            Role::Dim => self.dim(text),
            Role::Explain => self.note(text),
            Role::Strong | Role::Key => self.with(Style::new().bold(), text),
            Role::Code => self.with(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text),
        }
    }

    /// The compiler's rendering with its headlines and pointers picked out.
    pub fn rendered(&self, text: &str) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let trimmed = line.trim_start();
            let painted = if line.starts_with("error") {
                self.bad(line)
            } else if line.starts_with("warning") {
                self.tone(Tone::Warn, line)
            } else if trimmed.starts_with("-->") || trimmed.starts_with("= ") {
                self.note(line)
            } else if line.contains('^') && trimmed.starts_with('|') {
                self.with(Style::new().fg_color(Some(AnsiColor::Red.into())), line)
            } else {
                line.to_owned()
            };
            out.push_str(&painted);
            out.push('\n');
        }
        out
    }
}

/// How `check` shows feedback: the terminal's colours, the drawings as
/// box-drawing text, actions as the commands that do them.
pub struct Terminal<'a> {
    paint: Paint,
    id: &'a str,
}

impl<'a> Terminal<'a> {
    /// The terminal's way for a check of exercise `id`, in `paint`.
    pub fn new(paint: Paint, id: &'a str) -> Terminal<'a> {
        Terminal { paint, id }
    }
}

impl Palette for Terminal<'_> {
    fn paint(&self, role: Role, text: &str) -> String {
        self.paint.role(role, text)
    }

    fn diagnostic(&self, diagnostic: &Diagnostic) -> String {
        self.paint.rendered(diagnostic.rendered.trim_end())
    }

    fn cell(&self, meaning: Meaning, text: &str) -> String {
        match meaning {
            Meaning::Blank | Meaning::Text | Meaning::Name | Meaning::Task => text.to_owned(),
            Meaning::Edge | Meaning::Border | Meaning::Axis => self.paint.dim(text),
            Meaning::MarkedBorder
            | Meaning::MarkedTitle
            | Meaning::Instant
            | Meaning::Bar { marked: true, .. } => self.paint.bad(text),
            Meaning::Operator | Meaning::Bar { marked: false, .. } => self.paint.note(text),
            Meaning::Cut => self.paint.tone(crate::feedback::Tone::Warn, text),
        }
    }

    fn key(&self, action: Action) -> Option<String> {
        match action {
            Action::Hint => Some(format!("`tensorlings hint {}`", self.id)),
            Action::Next | Action::Solution | Action::ScrollSideways => None,
        }
    }
}
