//! The one layout of a check's feedback, printed into any [`Sink`]: the
//! plain text of `grade`, `JUnit` and logs ([`TextSink`] with [`Plain`]), the
//! command line's colours (a [`TextSink`] with the command line's
//! [`Palette`]), the app's styled lines. A sink decides how a role looks and
//! whether it wraps; this file decides what is said, in which order, at
//! which indent.

use std::borrow::Cow;

use super::{Block, Drawing, Failure, Feedback, Headline, Note, Picture, Step, Tone, words};
use crate::graph::{Graph, Mark, Place};
use crate::runner::Diagnostic;

/// What a piece of text is, for a sink to style: never a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Ordinary text.
    Plain,
    /// The headline, by its tone.
    Headline(Tone),
    /// A failed test's name.
    Failed,
    /// A passed test's name, when every test passed.
    Passed,
    /// Secondary text: a place, a repeat, what a test printed.
    Dim,
    /// The `left:` label and value of a failed assertion.
    Left,
    /// The `right:` label and value.
    Right,
    /// The lesson's note on a failure.
    Explain,
    /// A note, by its tone.
    Note(Tone),
    /// A caption's subject.
    Strong,
    /// A name from code: a test, an exercise id.
    Code,
    /// A key or command that does something.
    Key,
    /// A mark on a picture: what the test found wrong.
    Mark,
}

/// A run of text in one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'t> {
    /// Its role.
    pub role: Role,
    /// The text.
    pub text: Cow<'t, str>,
}

/// `text` in `role`.
pub fn piece<'t>(role: Role, text: impl Into<Cow<'t, str>>) -> Piece<'t> {
    Piece {
        role,
        text: text.into(),
    }
}

/// Something a front end can do, named by its key or its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show a hint.
    Hint,
    /// Go to the next exercise.
    Next,
    /// Open the reference solution.
    Solution,
    /// Scroll a wide picture sideways.
    ScrollSideways,
}

/// Where a document is printed.
pub trait Sink {
    /// A paragraph: `pieces`, indented `first` columns on its first line and
    /// `rest` on the others (a sink that wraps, wraps at words).
    fn para(&mut self, first: usize, rest: usize, pieces: &[Piece<'_>]);
    /// A value as it is (an assertion's side, a line a test printed) after
    /// `label`, at `indent` columns (a sink that wraps, wraps anywhere).
    fn verbatim(&mut self, indent: usize, label: Option<Piece<'_>>, text: &str, role: Role);
    /// A blank line between blocks (sinks drop doubled, leading and
    /// trailing ones).
    fn blank(&mut self);
    /// A compiler message.
    fn diagnostic(&mut self, diagnostic: &Diagnostic);
    /// The rows of a drawing; false when this sink cannot draw it (the
    /// block is then left out).
    fn drawing(&mut self, drawing: Drawing<'_>) -> bool;
    /// Whether a drawing is wider than this sink shows at once.
    fn too_wide(&self, _drawing: Drawing<'_>) -> bool {
        false
    }
    /// The learner's line `line`, with `column` pointed at, when this sink
    /// shows code.
    fn source_line(&mut self, _line: usize, _column: usize) {}
    /// The key or command that does `action`, when this front end offers it.
    fn key(&self, _action: Action) -> Option<String> {
        None
    }
}

/// Prints `feedback` into `sink`; `display_name` names the learner's file.
pub fn render(feedback: &Feedback<'_>, display_name: &str, sink: &mut dyn Sink) {
    for block in &feedback.blocks {
        match block {
            Block::Headline(headline) => self::headline(headline, sink),
            Block::Steps(steps) => self::steps(steps, sink),
            Block::Picture(picture) => self::picture(picture, sink),
            Block::Diagnostic(diagnostic) => sink.diagnostic(diagnostic),
            Block::Failure(failure) => self::failure(failure, display_name, sink),
            Block::Note(note) => self::note(note, sink),
            Block::Passed { tests, all } => {
                let role = if *all { Role::Passed } else { Role::Dim };
                for test in tests {
                    sink.para(0, 2, &[piece(role, format!("✓ {test}"))]);
                }
            }
        }
        sink.blank();
    }
}

fn headline(headline: &Headline, sink: &mut dyn Sink) {
    sink.para(
        0,
        0,
        &[piece(Role::Headline(headline.tone), headline.text.as_str())],
    );
    if let Some(advice) = headline.advice {
        sink.para(0, 0, &[piece(Role::Plain, advice)]);
    }
}

fn steps(steps: &[Step], sink: &mut dyn Sink) {
    for step in steps {
        match step {
            Step::NextExercise { id, title } => match sink.key(Action::Next) {
                Some(key) => sink.para(
                    2,
                    4,
                    &[
                        piece(Role::Key, key),
                        piece(Role::Plain, " next exercise: "),
                        piece(Role::Strong, id.as_str()),
                        piece(Role::Plain, format!(" · {title}")),
                    ],
                ),
                None => sink.para(0, 2, &[piece(Role::Plain, words::next_exercise(id, title))]),
            },
            Step::LastExercise { passed, total } => sink.para(
                2,
                2,
                &[piece(
                    Role::Note(Tone::Good),
                    words::last_exercise(*passed, *total),
                )],
            ),
            Step::Solution(path) => match sink.key(Action::Solution) {
                Some(key) => sink.para(
                    2,
                    4,
                    &[
                        piece(Role::Key, key),
                        piece(Role::Plain, format!(" {}", words::COMPARE)),
                    ],
                ),
                None => sink.para(0, 2, &[piece(Role::Plain, words::compare_at(path))]),
            },
            Step::Hint => {
                if let Some(key) = sink.key(Action::Hint) {
                    let text = words::stuck(&key);
                    let (before, after) = text.split_once(&key).unwrap_or((&text, ""));
                    sink.para(
                        0,
                        0,
                        &[
                            piece(Role::Dim, before.to_owned()),
                            piece(Role::Key, key.clone()),
                            piece(Role::Dim, after.to_owned()),
                        ],
                    );
                }
            }
        }
    }
}

fn picture(picture: &Picture<'_>, sink: &mut dyn Sink) {
    let (what, key) = match picture.drawing {
        Drawing::Graph(graph) => words::graph_caption(graph),
        Drawing::Timeline(_) => words::TIMELINE_CAPTION,
    };
    let scroll = if sink.too_wide(picture.drawing) {
        sink.key(Action::ScrollSideways)
            .map(|keys| words::scroll_sideways(&keys))
    } else {
        None
    };
    sink.para(
        0,
        0,
        &[
            piece(Role::Strong, what),
            piece(Role::Plain, " "),
            piece(Role::Code, picture.test),
            piece(Role::Dim, format!(" ({key}{})", scroll.unwrap_or_default())),
        ],
    );
    if !sink.drawing(picture.drawing) {
        return;
    }
    if let Drawing::Graph(
        Graph::Autograd {
            truncated: true, ..
        }
        | Graph::Onnx {
            truncated: true, ..
        },
    ) = picture.drawing
    {
        sink.para(0, 0, &[piece(Role::Note(Tone::Warn), words::GRAPH_CUT)]);
    }
    let marks = match picture.drawing {
        Drawing::Graph(graph) => Mark::in_graph(graph),
        Drawing::Timeline(timeline) => Mark::in_timeline(timeline),
    };
    for mark in marks {
        let place = mark.place.text();
        match mark.place {
            // A node's mark names the box, then says what is wrong there.
            Place::Node(_) => sink.para(
                0,
                0,
                &[
                    piece(Role::Mark, format!("✗ {place}: ")),
                    piece(Role::Plain, mark.why),
                ],
            ),
            Place::Task(_) | Place::Instant(_) => sink.para(
                0,
                0,
                &[piece(Role::Mark, format!("✗ {place}: {}", mark.why))],
            ),
        }
    }
}

fn failure(failure: &Failure<'_>, display_name: &str, sink: &mut dyn Sink) {
    sink.para(0, 2, &[piece(Role::Failed, format!("✗ {}", failure.test))]);
    if failure.repeat {
        sink.para(4, 4, &[piece(Role::Dim, words::SAME_PANIC)]);
        explanation(failure.explanation, sink);
        return;
    }
    for line in failure.message.iter().flat_map(|m| m.lines()) {
        sink.para(4, 4, &[piece(Role::Plain, line)]);
    }
    if let Some(plain) = failure.plain {
        sink.para(4, 4, &[piece(Role::Dim, plain)]);
    }
    if let Some(left) = failure.left {
        sink.verbatim(4, Some(piece(Role::Left, "left:  ")), left, Role::Left);
    }
    if let Some(right) = failure.right {
        sink.verbatim(4, Some(piece(Role::Right, "right: ")), right, Role::Right);
    }
    explanation(failure.explanation, sink);
    if let Some(place) = failure.place_text(display_name) {
        sink.para(4, 6, &[piece(Role::Dim, words::panicked_at(&place))]);
        if let Some((line, column)) = failure.place {
            sink.source_line(line, column);
        }
    }
    if !failure.output.is_empty() {
        sink.para(4, 4, &[piece(Role::Dim, words::PRINTED)]);
        for line in &failure.output {
            sink.verbatim(6, None, line, Role::Dim);
        }
        if failure.more_output > 0 {
            sink.para(
                6,
                6,
                &[piece(Role::Dim, words::more_lines(failure.more_output))],
            );
        }
    }
}

fn explanation(explanation: Option<&str>, sink: &mut dyn Sink) {
    if let Some(explanation) = explanation {
        sink.para(
            4,
            6,
            &[
                piece(Role::Explain, "→ "),
                piece(Role::Explain, explanation),
            ],
        );
    }
}

fn note(note: &Note, sink: &mut dyn Sink) {
    sink.para(0, 0, &[piece(Role::Note(note.tone), note.text.as_str())]);
}
