//! Text sinks: the one layout as lines of text, unwrapped (a terminal or a
//! file wraps them), styled by a palette: none for `grade`, `JUnit` and
//! logs, the terminal's colours for `check`.

use super::Drawing;
use super::render::{Action, Piece, Role, Sink};
use crate::graph::{Meaning, Picture};
use crate::runner::Diagnostic;

/// How a text sink styles roles, draws pictures and names actions.
pub trait Palette {
    /// `text` styled as `role`.
    fn paint(&self, role: Role, text: &str) -> String;
    /// A compiler message as this sink shows it.
    fn diagnostic(&self, diagnostic: &Diagnostic) -> String {
        diagnostic.rendered.trim_end().to_owned()
    }
    /// A run of a picture's cells that mean `meaning`.
    fn cell(&self, _meaning: Meaning, text: &str) -> String {
        text.to_owned()
    }
    /// The key or command that does `action`.
    fn key(&self, _action: Action) -> Option<String> {
        None
    }
}

/// The width text sinks fit a timeline to: a terminal's usual 80 columns.
const TEXT_WIDTH: usize = 80;

/// No styles: text for files, `JUnit` and logs.
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl Palette for Plain {
    fn paint(&self, _role: Role, text: &str) -> String {
        text.to_owned()
    }
}

/// Lines of text, unwrapped (a terminal or a file wraps them), styled by a
/// [`Palette`].
#[derive(Debug)]
pub struct TextSink<P> {
    palette: P,
    out: String,
    /// A blank line is owed before the next text.
    gap: bool,
}

impl<P: Palette> TextSink<P> {
    /// An empty text in `palette`.
    pub fn new(palette: P) -> TextSink<P> {
        TextSink {
            palette,
            out: String::new(),
            gap: false,
        }
    }

    /// The text, without trailing blank lines.
    pub fn finish(self) -> String {
        self.out.trim_end().to_owned()
    }

    fn line(&mut self, text: &str) {
        if self.gap && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.gap = false;
        self.out.push_str(text);
        self.out.push('\n');
    }
}

impl<P: Palette> Sink for TextSink<P> {
    fn para(&mut self, first: usize, _rest: usize, pieces: &[Piece<'_>]) {
        let mut text = " ".repeat(first);
        for piece in pieces {
            text.push_str(&self.palette.paint(piece.role, &piece.text));
        }
        self.line(&text);
    }

    fn verbatim(&mut self, indent: usize, label: Option<Piece<'_>>, text: &str, role: Role) {
        let mut line = " ".repeat(indent);
        if let Some(label) = label {
            line.push_str(&self.palette.paint(label.role, &label.text));
        }
        line.push_str(&self.palette.paint(role, text));
        self.line(&line);
    }

    fn blank(&mut self) {
        self.gap = true;
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic) {
        let text = self.palette.diagnostic(diagnostic);
        for line in text.lines() {
            self.line(line);
        }
    }

    fn drawing(&mut self, drawing: Drawing<'_>) -> bool {
        let picture = match drawing {
            Drawing::Graph(graph) => Picture::of_graph(graph),
            Drawing::Timeline(timeline) => Picture::of_timeline(timeline, TEXT_WIDTH),
        };
        if picture.is_empty() {
            return false;
        }
        for row in picture.rows() {
            let mut line = String::new();
            for (text, meaning) in Picture::runs(row) {
                line.push_str(&self.palette.cell(meaning, &text));
            }
            self.line(&line);
        }
        true
    }

    fn key(&self, action: Action) -> Option<String> {
        self.palette.key(action)
    }
}
