//! What a check found, as a document every front end prints.
//!
//! A [`Report`] is what the runner measured; [`Feedback`] is what a learner
//! reads: a headline, then blocks — pictures of what the tests saw, the
//! compiler messages that matter, each failed test with its panic in plain
//! words (tests stopped by the same panic folded into one), how the run
//! ended, notes, the tests that passed, and next steps. `words.rs` holds
//! every sentence; `render.rs` is the one layout, printed into any
//! [`render::Sink`]: plain text (`grade`, `JUnit`, logs), the command line's
//! colours, the app's lines. So every front end says the same thing, in the
//! same order.

mod failures;
mod headline;
pub mod render;
pub mod text;
pub mod words;

use crate::course::Exercise;
use crate::graph::{Graph, Timeline};
use crate::runner::{Diagnostic, Level, Report, Status};

pub use failures::explanation;
use failures::failures;
use headline::headline;

pub use render::{Action, Piece, Role, Sink};
pub use text::{Palette, Plain, TextSink};
pub use words::{MISSED_BUG, MORE_AT_GRADING, TIMED_OUT_ADVICE, TRUNCATED, plain_words};

/// Lines of a test's own output shown at most.
pub const OUTPUT_LINES: usize = 8;

/// How a line should strike the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Good news.
    Good,
    /// Something to fix.
    Bad,
    /// Stopped, or worth a look.
    Warn,
    /// Worth knowing, not urgent.
    Quiet,
}

/// The first thing a learner reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// How it strikes.
    pub tone: Tone,
    /// `✓ traits1 passed: all 7 hidden tests (0.2s)` and the like.
    pub text: String,
    /// What to look for, when the headline alone does not say.
    pub advice: Option<&'static str>,
}

/// One failed hidden test (or, where the learner writes the tests, a bug
/// they missed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<'a> {
    /// The test's name.
    pub test: &'a str,
    /// Stopped by the same panic as a test shown before it: show the name and
    /// the lesson's note only.
    pub repeat: bool,
    /// The panic message (without the assertion's two sides), or how the
    /// test ended when it did not panic.
    pub message: Option<&'a str>,
    /// The panic in plain words, for panics that puzzle newcomers.
    pub plain: Option<&'static str>,
    /// The left side of a failed `assert_eq!`.
    pub left: Option<&'a str>,
    /// The right side of a failed `assert_eq!`.
    pub right: Option<&'a str>,
    /// The lesson's note for this test.
    pub explanation: Option<&'a str>,
    /// Where in the learner's file it panicked: line and column.
    pub place: Option<(usize, usize)>,
    /// The first lines the test printed.
    pub output: Vec<&'a str>,
    /// How many more lines it printed.
    pub more_output: usize,
}

/// What a test drew, to show as a picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drawing<'a> {
    /// An autograd or ONNX graph.
    Graph(&'a Graph),
    /// Tasks on a time axis.
    Timeline(&'a Timeline),
}

/// A picture of what a test saw, with the test's name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture<'a> {
    /// The test that drew it.
    pub test: &'a str,
    /// The drawing.
    pub drawing: Drawing<'a>,
    /// Whether the test marked something wrong in it.
    pub marked: bool,
}

/// A note under the failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How it strikes.
    pub tone: Tone,
    /// The sentence.
    pub text: String,
}

/// What the learner can do next, offered by a front end that can do it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Go on to the next exercise.
    NextExercise {
        /// Its id.
        id: String,
        /// Its title.
        title: String,
    },
    /// That was the last exercise.
    LastExercise {
        /// Exercises passed.
        passed: usize,
        /// Exercises in the course.
        total: usize,
    },
    /// Compare with the reference solution, at this path.
    Solution(String),
    /// Read a hint.
    Hint,
}

/// One part of the document, in the order it is shown.
#[derive(Debug, Clone)]
pub enum Block<'a> {
    /// The first line, and advice.
    Headline(Headline),
    /// What to do after a pass.
    Steps(Vec<Step>),
    /// A picture of what a test saw.
    Picture(Picture<'a>),
    /// A compiler message.
    Diagnostic(&'a Diagnostic),
    /// A failed test.
    Failure(Failure<'a>),
    /// How the run ended, a cut output, tests still to come at grading.
    Note(Note),
    /// The tests that passed.
    Passed {
        /// Their names.
        tests: Vec<&'a str>,
        /// Whether every test passed (shown as good news, else quietly).
        all: bool,
    },
}

/// Everything to show about one check.
#[derive(Debug, Clone)]
pub struct Feedback<'a> {
    /// The blocks, in order.
    pub blocks: Vec<Block<'a>>,
}

impl<'a> Feedback<'a> {
    /// The feedback for `report`, a check of `exercise`.
    pub fn new(exercise: &'a Exercise, report: &'a Report) -> Feedback<'a> {
        let mut blocks = vec![Block::Headline(headline(exercise, report))];
        let pictures = pictures(report);
        let (marked, unmarked): (Vec<_>, Vec<_>) = pictures.into_iter().partition(|p| p.marked);
        blocks.extend(marked.into_iter().map(Block::Picture));
        let compile_error = report.status() == Status::CompileError;
        blocks.extend(
            report
                .diagnostics
                .iter()
                .filter(|d| {
                    if compile_error {
                        d.is_error()
                    } else {
                        d.level == Level::Warning
                    }
                })
                .map(Block::Diagnostic),
        );
        blocks.extend(failures(exercise, report).into_iter().map(Block::Failure));
        blocks.extend(notes(exercise, report).into_iter().map(Block::Note));
        blocks.extend(unmarked.into_iter().map(Block::Picture));
        let passed: Vec<&str> = report
            .tests
            .iter()
            .filter(|t| t.passed())
            .map(|t| t.name.as_str())
            .collect();
        if !passed.is_empty() {
            blocks.push(Block::Passed {
                tests: passed,
                all: report.passed(),
            });
        }
        Feedback { blocks }
    }

    /// The same document with what the learner can do next: steps after a
    /// pass go under the headline, a hint at the end.
    #[must_use]
    pub fn with_steps(mut self, steps: Vec<Step>) -> Feedback<'a> {
        let (hint, after): (Vec<Step>, Vec<Step>) =
            steps.into_iter().partition(|s| *s == Step::Hint);
        if !after.is_empty() {
            self.blocks.insert(1, Block::Steps(after));
        }
        if !hint.is_empty() {
            self.blocks.push(Block::Steps(hint));
        }
        self
    }

    /// The headline.
    pub fn headline(&self) -> &Headline {
        match self.blocks.first() {
            Some(Block::Headline(headline)) => headline,
            _ => unreachable!("a document starts with its headline"),
        }
    }

    /// The failed tests, in the course's order.
    pub fn failures(&self) -> impl Iterator<Item = &Failure<'a>> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Failure(failure) => Some(failure),
            _ => None,
        })
    }

    /// The notes.
    pub fn notes(&self) -> impl Iterator<Item = &Note> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Note(note) => Some(note),
            _ => None,
        })
    }

    /// The feedback as plain text (no colours): for `grade`, `JUnit` and logs.
    /// `display_name` names the learner's file.
    pub fn plain_text(&self, display_name: &str) -> String {
        let mut sink = TextSink::new(Plain);
        render::render(self, display_name, &mut sink);
        sink.finish()
    }
}

impl Failure<'_> {
    /// Where it panicked, as `file:line:column`.
    pub fn place_text(&self, display_name: &str) -> Option<String> {
        self.place
            .map(|(line, column)| format!("{display_name}:{line}:{column}"))
    }
}

/// The pictures tests drew: the one graph and the one timeline a front end
/// should show, each a failed test's with marks first, then any failed
/// test's, then the first one's.
fn pictures(report: &Report) -> Vec<Picture<'_>> {
    let graph = report.graph_to_draw().map(|(test, graph)| Picture {
        test,
        drawing: Drawing::Graph(graph),
        marked: graph.has_marks(),
    });
    let timeline = report.timeline_to_draw().map(|(test, timeline)| Picture {
        test,
        drawing: Drawing::Timeline(timeline),
        marked: timeline.has_marks(),
    });
    graph.into_iter().chain(timeline).collect()
}

/// How the run ended, a cut output, tests still to come at grading.
fn notes(exercise: &Exercise, report: &Report) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(stop) = report.ending.stop().filter(|s| {
        !matches!(
            s,
            crate::runner::Stop::Timeout {
                phase: crate::runner::Phase::Testing { .. },
                ..
            }
        )
    }) {
        notes.push(Note {
            tone: Tone::Bad,
            text: words::sentence(&words::stop_clause(stop, report.said.as_deref())),
        });
    }
    if report.output_truncated {
        notes.push(Note {
            tone: Tone::Warn,
            text: words::TRUNCATED.to_owned(),
        });
    }
    if exercise.graded_with_more && !report.with_grading_tests {
        notes.push(Note {
            tone: Tone::Quiet,
            text: words::MORE_AT_GRADING.to_owned(),
        });
    }
    notes
}
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::course::Message;
    use crate::deps::DepSet;
    use crate::runner::{Ending, Panic, Phase, Place, SpanFile, Stop, TestOutcome, TestResult};

    fn exercise() -> Exercise {
        Exercise {
            id: "traits1".into(),
            lesson: "01-traits".into(),
            title: "A model".into(),
            crates: Vec::new(),
            deps: DepSet::Std,
            timeout: Duration::from_secs(10),
            starter_compiles: true,
            hints: vec!["nudge".into()],
            messages: BTreeMap::from([("sums".into(), Message::always("Add, do not subtract."))]),
            points: 1,
            weights: BTreeMap::new(),
            lints: Vec::new(),
            verify_runs: 1,
            kind: crate::course::raw::ExerciseKind::default(),
            bugs: Vec::new(),
            file: PathBuf::from("exercises/01-traits/traits1.rs"),
            solution: PathBuf::new(),
            tests: PathBuf::new(),
            grading_tests: None,
            graded_with_more: false,
        }
    }

    fn failed(name: &str, message: &str, line: usize) -> TestResult {
        TestResult {
            name: name.into(),
            outcome: TestOutcome::Failed(Panic {
                message: message.into(),
                left: None,
                right: None,
                location: Some(Place {
                    file: SpanFile::Learner,
                    line,
                    column: 9,
                }),
            }),
            output: String::new(),
            graph: None,
            timeline: None,
        }
    }

    fn report(ending: Ending, tests: Vec<TestResult>) -> Report {
        let mut report = Report::new(Duration::from_secs(10));
        report.ending = ending;
        report.tests = tests;
        report.duration = Duration::from_millis(420);
        report
    }

    #[test]
    fn a_test_that_never_ran_shows_no_explanation() {
        let e = exercise();
        let mut never = failed("sums", "", 1);
        never.outcome = TestOutcome::DidNotRun;
        assert!(!never.ran());
        assert_eq!(explanation(&e, &never), None);
        // The same test, failing on its own, is explained.
        let ran = failed("sums", "assertion failed: 1 + 1 == 2", 7);
        assert!(ran.ran());
        assert_eq!(explanation(&e, &ran), Some("Add, do not subtract."));
        let mut hung = failed("sums", "", 1);
        hung.outcome = TestOutcome::DidNotFinish;
        assert!(hung.ran(), "a test that started and hung did run");
    }

    #[test]
    fn the_same_todo_reached_by_several_tests_is_shown_once() {
        let e = exercise();
        let r = report(
            Ending::TestsFailed,
            vec![
                failed("a", "not yet implemented", 23),
                failed("b", "not yet implemented", 23),
                failed("c", "not yet implemented", 29),
            ],
        );
        let f = Feedback::new(&e, &r);
        let failures: Vec<&Failure<'_>> = f.failures().collect();
        let repeats: Vec<bool> = failures.iter().map(|x| x.repeat).collect();
        assert_eq!(repeats, [false, true, false]);
        assert!(failures[0].plain.unwrap().contains("todo!()"));
        assert_eq!(
            f.headline().text,
            "✗ traits1: 3 of 3 hidden tests failed (0.4s)"
        );
    }

    #[test]
    fn plain_text_has_the_sides_the_place_and_the_lessons_note() {
        let e = exercise();
        let mut sums = failed("sums", "assertion `left == right` failed", 4);
        if let TestOutcome::Failed(panic) = &mut sums.outcome {
            panic.left = Some("-1".into());
            panic.right = Some("5".into());
        }
        let r = report(Ending::TestsFailed, vec![sums]);
        let text = Feedback::new(&e, &r).plain_text("exercises/01-traits/traits1.rs");
        assert_eq!(
            text,
            "✗ traits1: 1 of 1 hidden tests failed (0.4s)\n\n✗ sums\n    assertion `left == right` failed\n    left:  -1\n    right: 5\n    → Add, do not subtract.\n    at exercises/01-traits/traits1.rs:4:9"
        );
    }

    #[test]
    fn a_limit_reads_as_a_sentence_and_a_stopped_build_says_so() {
        let e = exercise();
        let r = report(
            Ending::Stopped(Stop::Timeout {
                phase: Phase::Compiling,
                after: Duration::from_secs(60),
            }),
            Vec::new(),
        );
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline().text, "✗ traits1: the build was stopped");
        let notes: Vec<&str> = f.notes().map(|n| n.text.as_str()).collect();
        assert_eq!(
            notes,
            ["Compiling your code took longer than 60 s and was stopped."]
        );
    }

    #[test]
    fn a_timeout_with_tests_gives_advice() {
        let e = exercise();
        let mut hung = failed("a", "", 1);
        hung.outcome = TestOutcome::DidNotFinish;
        let stop = Stop::Timeout {
            phase: Phase::Testing {
                test: Some("a".into()),
            },
            after: Duration::from_secs(10),
        };
        let r = report(Ending::Stopped(stop), vec![hung]);
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline().advice, Some(TIMED_OUT_ADVICE));
        assert_eq!(f.headline().tone, Tone::Warn);
        // The headline says it; no note repeats it.
        assert_eq!(f.notes().count(), 0);
        assert_eq!(f.failures().next().unwrap().message, Some("did not finish"));
    }

    #[test]
    fn a_pass_is_good_news_with_no_failures() {
        let e = exercise();
        let mut ok = failed("a", "", 1);
        ok.outcome = TestOutcome::Passed;
        let r = report(Ending::Passed, vec![ok]);
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline().tone, Tone::Good);
        assert_eq!(
            f.headline().text,
            "✓ traits1 passed: the 1 hidden test (0.4s)"
        );
        assert_eq!(f.failures().count(), 0);
        assert!(matches!(
            f.blocks.last(),
            Some(Block::Passed { tests, all: true }) if tests == &["a"]
        ));
    }
}
