//! The app's sink for the core's feedback document: the one layout of a
//! check (see [`crate::feedback::render`]) as styled, wrapped lines, with the
//! learner's code under a panic's place, compiler messages with their code,
//! and pictures whose rows scroll sideways.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::code::Code;
use super::wrap::{hard_wrap, str_width, wrap};
use super::{diagnostic, picture, theme};
use crate::feedback::render::{Action, Piece, Role, Sink};
use crate::feedback::{Drawing, Tone};
use crate::graph::Picture;
use crate::runner::Diagnostic;

/// Lines for the Feedback tab, `width` columns wide.
pub struct Lines<'a> {
    /// The lines so far.
    pub out: Vec<Line<'static>>,
    width: usize,
    /// The learner's file, highlighted, when it could be read.
    code: Option<&'a Code>,
    /// How the learner's file is named.
    display_name: &'a str,
}

impl<'a> Lines<'a> {
    /// An empty text `width` columns wide about `display_name`, whose
    /// highlighted text is `code`.
    pub fn new(width: usize, code: Option<&'a Code>, display_name: &'a str) -> Lines<'a> {
        Lines {
            out: Vec::new(),
            width,
            code,
            display_name,
        }
    }

    /// The lines, without doubled or trailing blank ones.
    pub fn finish(mut self) -> Vec<Line<'static>> {
        self.out.dedup_by(|a, b| a.width() == 0 && b.width() == 0);
        while self.out.last().is_some_and(|l| l.width() == 0) {
            self.out.pop();
        }
        self.out
    }
}

/// The app's style for a role.
fn style(role: Role) -> Style {
    let bold = |s: Style| s.add_modifier(Modifier::BOLD);
    match role {
        Role::Plain => Style::new(),
        Role::Headline(tone) => bold(theme::tone(tone)),
        Role::Failed | Role::Mark => bold(theme::bad()),
        Role::Passed | Role::Right => theme::good(),
        Role::Dim | Role::Note(Tone::Quiet) => theme::dim(),
        Role::Left => theme::bad(),
        Role::Explain => theme::explain(),
        Role::Note(tone) => theme::tone(tone),
        Role::Strong => theme::strong(),
        Role::Code => theme::code(),
        Role::Key => bold(theme::accent()),
    }
}

fn spans(pieces: &[Piece<'_>]) -> Vec<Span<'static>> {
    pieces
        .iter()
        .map(|p| Span::styled(p.text.to_string(), style(p.role)))
        .collect()
}

impl Sink for Lines<'_> {
    fn para(&mut self, first: usize, rest: usize, pieces: &[Piece<'_>]) {
        let first = [Span::raw(" ".repeat(first))];
        let rest = [Span::raw(" ".repeat(rest))];
        self.out
            .extend(wrap(&spans(pieces), self.width, &first, &rest));
    }

    fn verbatim(&mut self, indent: usize, label: Option<Piece<'_>>, text: &str, role: Role) {
        let mut lead = vec![Span::raw(" ".repeat(indent))];
        let mut hang = indent;
        if let Some(label) = label {
            hang += str_width(&label.text);
            lead.push(Span::styled(
                label.text.to_string(),
                style(label.role).add_modifier(Modifier::BOLD),
            ));
        }
        self.out
            .extend(hard_wrap(text, style(role), self.width, &lead, hang));
    }

    fn blank(&mut self) {
        self.out.push(Line::default());
    }

    fn diagnostic(&mut self, diagnostic: &Diagnostic) {
        self.out.extend(diagnostic::lines(
            diagnostic,
            self.code,
            self.display_name,
            self.width,
        ));
    }

    fn drawing(&mut self, drawing: Drawing<'_>) -> bool {
        let lines = match drawing {
            Drawing::Graph(g) => picture::lines(&Picture::of_graph(g))
                .into_iter()
                .map(|line| line.alignment(picture::GRAPH_ROW))
                .collect(),
            Drawing::Timeline(t) => picture::lines(&Picture::of_timeline(t, self.width)),
        };
        if lines.is_empty() {
            return false;
        }
        self.out.extend(lines);
        true
    }

    fn too_wide(&self, drawing: Drawing<'_>) -> bool {
        match drawing {
            Drawing::Graph(g) => Picture::of_graph(g).width() > self.width,
            Drawing::Timeline(_) => false,
        }
    }

    fn source_line(&mut self, line: usize, column: usize) {
        let Some(text) = self.code.and_then(|c| c.line(line)) else {
            return;
        };
        let gutter = format!("{line:>6} │ ");
        let blank = format!("{:>6} │ ", "");
        let mut spans = vec![Span::styled(gutter, theme::dim())];
        spans.extend(text.spans.iter().cloned());
        self.out.push(Line::from(spans));
        self.out.push(Line::from(vec![
            Span::styled(blank, theme::dim()),
            Span::raw(" ".repeat(column.saturating_sub(1))),
            Span::styled("^ panicked here", theme::bad().add_modifier(Modifier::BOLD)),
        ]));
    }

    fn key(&self, action: Action) -> Option<String> {
        use crate::tui::keys::{self, Action as Key};
        match action {
            Action::Hint => keys::name(Key::Hint),
            Action::Next => keys::name(Key::Next),
            Action::Solution => keys::name(Key::Solution),
            Action::ScrollSideways => Some(format!(
                "{} {}",
                keys::name(Key::GraphLeft)?,
                keys::name(Key::GraphRight)?
            )),
        }
    }
}
