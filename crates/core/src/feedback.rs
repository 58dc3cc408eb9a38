//! What a check found, in the words every front end shows.
//!
//! A [`Report`] is what the runner measured; [`Feedback`] is what a learner
//! reads: a headline, the compiler messages that matter, each failed test
//! with its panic in plain words (tests stopped by the same panic folded into
//! one), the lesson's note for it, where in the learner's file it happened,
//! and what the run's end means. The app, `check`, `grade` and `JUnit` all show
//! this model, so they say the same thing.

use std::fmt::Write as _;

use crate::course::Exercise;
use crate::runner::{Diagnostic, Level, Report, SpanFile, Status};

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

/// One failed hidden test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure<'a> {
    /// The test's name.
    pub test: &'a str,
    /// Stopped by the same panic as a test shown before it: show the name and
    /// the lesson's note only.
    pub repeat: bool,
    /// The panic message (without the assertion's two sides).
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

/// Everything to show about one check.
#[derive(Debug, Clone)]
pub struct Feedback<'a> {
    /// The headline.
    pub headline: Headline,
    /// Compiler messages to show: the errors when it does not compile, the
    /// warnings otherwise.
    pub diagnostics: Vec<&'a Diagnostic>,
    /// Failed tests, in the course's order.
    pub failures: Vec<Failure<'a>>,
    /// Why the run ended early, as a sentence, when it did.
    pub crash: Option<String>,
    /// A note that output was cut, when it was.
    pub truncated: Option<&'static str>,
    /// Tests that passed.
    pub passed: Vec<&'a str>,
    /// A note that the course grades this exercise with more tests than a
    /// check runs, when it does and they did not run.
    pub more_at_grading: Option<&'static str>,
}

/// Said when the course has tests only grading runs.
pub const MORE_AT_GRADING: &str = "More tests run when your work is graded: cover the cases the exercise describes, not only the ones checked here.";

/// Said when the tests printed past the cap.
pub const TRUNCATED: &str = "The tests printed more than 1 MiB, so the rest of their output was cut; \
     results may be missing. A print inside a loop is the usual cause.";

/// Said when the tests ran out of time.
pub const TIMED_OUT_ADVICE: &str = "Something in your code does not finish: a loop whose condition never becomes false, \
     recursion without a base case, or a wait on a channel or a lock that nothing ends.";

impl<'a> Feedback<'a> {
    /// The feedback for `report`, a check of `exercise`.
    pub fn new(exercise: &'a Exercise, report: &'a Report) -> Feedback<'a> {
        let diagnostics = report
            .diagnostics
            .iter()
            .filter(|d| {
                if report.status == Status::CompileError {
                    d.is_error()
                } else {
                    d.level == Level::Warning
                }
            })
            .collect();
        Feedback {
            headline: headline(exercise, report),
            diagnostics,
            failures: failures(exercise, report),
            crash: report.crash.as_deref().map(sentence),
            truncated: report.output_truncated.then_some(TRUNCATED),
            passed: report
                .tests
                .iter()
                .filter(|t| t.passed)
                .map(|t| t.name.as_str())
                .collect(),
            more_at_grading: (exercise.graded_with_more && !report.with_grading_tests)
                .then_some(MORE_AT_GRADING),
        }
    }

    /// The feedback as plain text (no colours): for `grade`, `JUnit` and logs.
    /// `display_name` names the learner's file.
    pub fn plain_text(&self, display_name: &str) -> String {
        let mut out = format!("{}\n", self.headline.text);
        if let Some(advice) = self.headline.advice {
            let _ = writeln!(out, "{advice}");
        }
        for diag in &self.diagnostics {
            let _ = writeln!(out, "\n{}", diag.rendered.trim_end());
        }
        for failure in &self.failures {
            out.push('\n');
            failure.write_plain(&mut out, display_name);
        }
        for note in self
            .crash
            .iter()
            .map(String::as_str)
            .chain(self.truncated)
            .chain(self.more_at_grading)
        {
            let _ = writeln!(out, "\n{note}");
        }
        out.trim_end().to_owned()
    }
}

impl Failure<'_> {
    /// Where it panicked, as `file:line:column`.
    pub fn place_text(&self, display_name: &str) -> Option<String> {
        self.place
            .map(|(line, column)| format!("{display_name}:{line}:{column}"))
    }

    fn write_plain(&self, out: &mut String, display_name: &str) {
        let _ = writeln!(out, "✗ {}", self.test);
        if self.repeat {
            let _ = writeln!(out, "    the same panic as above");
        }
        for line in self.message.iter().flat_map(|m| m.lines()) {
            let _ = writeln!(out, "    {line}");
        }
        if let Some(plain) = self.plain {
            let _ = writeln!(out, "    {plain}");
        }
        if let Some(left) = self.left {
            let _ = writeln!(out, "    left:  {left}");
        }
        if let Some(right) = self.right {
            let _ = writeln!(out, "    right: {right}");
        }
        if let Some(place) = self.place_text(display_name) {
            let _ = writeln!(out, "    at {place}");
        }
        if let Some(explanation) = self.explanation {
            let _ = writeln!(out, "    → {explanation}");
        }
        if !self.output.is_empty() {
            let _ = writeln!(out, "    it printed:");
            for line in &self.output {
                let _ = writeln!(out, "      {line}");
            }
            if self.more_output > 0 {
                let _ = writeln!(out, "      … {} more lines", self.more_output);
            }
        }
    }
}

/// Said when the learner's tests fail on the course's correct code.
pub const WRONG_EXPECTATION_ADVICE: &str = "A test that fails on correct code expects the wrong thing: \
     check what the function is meant to return for that input.";

/// Said for each bug no test caught.
pub const MISSED_BUG: &str = "None of your tests fails on this version: add one whose expected \
     value this version gets wrong.";

/// The headline of an exercise where the learner writes the tests, when
/// it differs from a code exercise's.
fn tests_headline(exercise: &Exercise, report: &Report) -> Option<Headline> {
    let id = &exercise.id;
    let secs = report.duration.as_secs_f64();
    let total = report.tests.len();
    let failed = report.tests.iter().filter(|t| !t.passed).count();
    let bugs = exercise.bugs.len();
    let caught = report.bugs.iter().filter(|b| b.caught).count();
    let tests = if total == 1 { "test" } else { "tests" };
    Some(match report.status {
        Status::Passed => Headline {
            tone: Tone::Good,
            text: format!(
                "✓ {id} passed: your {total} {tests} pass on the correct code and catch all {bugs} bugs ({secs:.1}s)"
            ),
            advice: None,
        },
        Status::TestsFailed if total == 0 => Headline {
            tone: Tone::Bad,
            text: format!("✗ {id}: there are no tests yet; write a #[test] function"),
            advice: None,
        },
        Status::TestsFailed if !report.bugs.is_empty() => {
            let missed: Vec<&str> = report
                .bugs
                .iter()
                .filter(|b| !b.caught)
                .map(|b| b.description.as_str())
                .collect();
            Headline {
                tone: Tone::Bad,
                text: format!(
                    "✗ {id}: your tests caught {caught} of {bugs} bugs; missed: {}",
                    missed.join("; ")
                ),
                advice: None,
            }
        }
        Status::TestsFailed if failed > 0 => Headline {
            tone: Tone::Bad,
            text: format!(
                "✗ {id}: {failed} of your {total} {tests} {} on the correct code ({secs:.1}s)",
                if failed == 1 { "fails" } else { "fail" }
            ),
            advice: Some(WRONG_EXPECTATION_ADVICE),
        },
        _ => return None,
    })
}

fn headline(exercise: &Exercise, report: &Report) -> Headline {
    if exercise.kind == crate::course::raw::ExerciseKind::Tests
        && let Some(headline) = tests_headline(exercise, report)
    {
        return headline;
    }
    let id = &exercise.id;
    let secs = report.duration.as_secs_f64();
    let total = report.tests.len();
    let failed = report.tests.iter().filter(|t| !t.passed).count();
    let (tone, text, advice) = match report.status {
        Status::Passed => (
            Tone::Good,
            if total == 1 {
                format!("✓ {id} passed: the 1 hidden test ({secs:.1}s)")
            } else {
                format!("✓ {id} passed: all {total} hidden tests ({secs:.1}s)")
            },
            None,
        ),
        Status::CompileError => {
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
            let noun = if errors == 1 { "error" } else { "errors" };
            (
                Tone::Bad,
                format!("✗ {id} does not compile yet: {errors} {noun}"),
                None,
            )
        }
        Status::TestsFailed if failed == 0 || total == 0 => (
            Tone::Bad,
            format!("✗ {id}: the hidden tests did not finish normally ({secs:.1}s)"),
            None,
        ),
        Status::TestsFailed => (
            Tone::Bad,
            format!("✗ {id}: {failed} of {total} hidden tests failed ({secs:.1}s)"),
            None,
        ),
        Status::TimedOut if report.tests.is_empty() => {
            (Tone::Warn, format!("✗ {id}: the build was stopped"), None)
        }
        Status::TimedOut => (
            Tone::Warn,
            format!(
                "✗ {id}: stopped at the time limit of {}s",
                report.timeout.as_secs()
            ),
            Some(TIMED_OUT_ADVICE),
        ),
    };
    Headline { tone, text, advice }
}

/// What makes two failures the same panic: its message and its place.
type PanicKey<'a> = (Option<&'a str>, Option<(usize, usize)>);

fn failures<'a>(exercise: &'a Exercise, report: &'a Report) -> Vec<Failure<'a>> {
    let mut seen: Vec<PanicKey<'a>> = Vec::new();
    let mut out = Vec::new();
    // Bugs no test caught read as failures of their own.
    for bug in report.bugs.iter().filter(|b| !b.caught) {
        out.push(Failure {
            test: &bug.name,
            repeat: false,
            message: Some(&bug.description),
            plain: None,
            left: None,
            right: None,
            explanation: Some(MISSED_BUG),
            place: None,
            output: Vec::new(),
            more_output: 0,
        });
    }
    for test in report.tests.iter().filter(|t| !t.passed) {
        let place = test
            .location
            .as_ref()
            .filter(|p| p.file == SpanFile::Learner)
            .map(|p| (p.line, p.column));
        let message = test.message.as_deref().filter(|m| !m.is_empty());
        // Several tests stopped by the same panic (a `todo!()` all of them
        // reach, say) show it once.
        let key = (message, place);
        let repeat = test.left.is_none() && place.is_some() && seen.contains(&key);
        seen.push(key);
        let lines: Vec<&str> = test.output.lines().collect();
        out.push(Failure {
            test: &test.name,
            repeat,
            message,
            plain: message.and_then(plain_words),
            left: test.left.as_deref(),
            right: test.right.as_deref(),
            explanation: explanation(exercise, test),
            place,
            more_output: lines.len().saturating_sub(OUTPUT_LINES),
            output: lines.into_iter().take(OUTPUT_LINES).collect(),
        });
    }
    out
}

/// The author's explanation of this test's failure, chosen by what the
/// failure says: its panic message and the values an assertion compared.
/// A test that never ran has none: whatever stopped the run (an abort in an
/// earlier test, the time limit) is not what its explanation is about.
pub fn explanation<'a>(
    exercise: &'a Exercise,
    test: &crate::runner::TestResult,
) -> Option<&'a str> {
    if !test.ran() {
        return None;
    }
    let message = exercise.messages.get(&test.name)?;
    let failure = [
        test.message.as_deref(),
        test.left.as_deref(),
        test.right.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    message.for_failure(&failure)
}

/// A plain-words reading of panic messages that puzzle newcomers.
pub fn plain_words(message: &str) -> Option<&'static str> {
    let first = message.lines().next().unwrap_or_default();
    Some(if first.starts_with("not yet implemented") {
        "A `todo!()` in your code was reached: replace it with a real body."
    } else if first.starts_with("not implemented") {
        "An `unimplemented!()` in your code was reached."
    } else if first.contains("index out of bounds") {
        "An index past the end of a slice or Vec: check lengths, or use `get`, which returns an Option."
    } else if first.contains("called `Option::unwrap()` on a `None` value") {
        "`unwrap` on a None: handle the missing case (match, `?`, `ok_or`) instead of assuming a value."
    } else if first.contains("called `Result::unwrap()` on an `Err` value") {
        "`unwrap` on an Err: the operation failed; handle or return the error instead."
    } else if first.contains("attempt to") && first.contains("with overflow") {
        "An integer overflowed: the value went past what its type holds."
    } else if first.contains("attempt to divide by zero") {
        "A division by zero: check the divisor (often an empty input's length) first."
    } else {
        return None;
    })
}

/// `text` as a sentence: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let mut out = format!("{}{}", first.unwrap_or_default(), chars.as_str());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::course::Message;
    use crate::deps::DepSet;
    use crate::runner::{Place, TestResult};

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
            passed: false,
            message: Some(message.into()),
            left: None,
            right: None,
            location: Some(Place {
                file: SpanFile::Learner,
                line,
                column: 9,
            }),
            output: String::new(),
            graph: None,
            timeline: None,
        }
    }

    fn report(status: Status, tests: Vec<TestResult>) -> Report {
        let mut report = Report::new(Duration::from_secs(10));
        report.status = status;
        report.tests = tests;
        report.duration = Duration::from_millis(420);
        report
    }

    #[test]
    fn a_test_that_never_ran_shows_no_explanation() {
        let e = exercise();
        let mut never = failed("sums", "did not run", 1);
        never.location = None;
        assert!(!never.ran());
        assert_eq!(explanation(&e, &never), None);
        // The same test, failing on its own, is explained.
        let ran = failed("sums", "assertion failed: 1 + 1 == 2", 7);
        assert!(ran.ran());
        assert_eq!(explanation(&e, &ran), Some("Add, do not subtract."));
        let mut hung = failed("sums", "did not finish", 1);
        hung.location = None;
        assert!(hung.ran(), "a test that started and hung did run");
    }

    #[test]
    fn the_same_todo_reached_by_several_tests_is_shown_once() {
        let e = exercise();
        let r = report(
            Status::TestsFailed,
            vec![
                failed("a", "not yet implemented", 23),
                failed("b", "not yet implemented", 23),
                failed("c", "not yet implemented", 29),
            ],
        );
        let f = Feedback::new(&e, &r);
        let repeats: Vec<bool> = f.failures.iter().map(|x| x.repeat).collect();
        assert_eq!(repeats, [false, true, false]);
        assert!(f.failures[0].plain.unwrap().contains("todo!()"));
        assert_eq!(
            f.headline.text,
            "✗ traits1: 3 of 3 hidden tests failed (0.4s)"
        );
    }

    #[test]
    fn plain_text_has_the_sides_the_place_and_the_lessons_note() {
        let e = exercise();
        let mut sums = failed("sums", "assertion `left == right` failed", 4);
        sums.left = Some("-1".into());
        sums.right = Some("5".into());
        let r = report(Status::TestsFailed, vec![sums]);
        let text = Feedback::new(&e, &r).plain_text("exercises/01-traits/traits1.rs");
        assert_eq!(
            text,
            "✗ traits1: 1 of 1 hidden tests failed (0.4s)\n\n✗ sums\n    assertion `left == right` failed\n    left:  -1\n    right: 5\n    at exercises/01-traits/traits1.rs:4:9\n    → Add, do not subtract."
        );
    }

    #[test]
    fn a_limit_reads_as_a_sentence_and_a_stopped_build_says_so() {
        let e = exercise();
        let mut r = report(Status::TimedOut, Vec::new());
        r.crash = Some("compiling your code took longer than 60 s and was stopped".into());
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline.text, "✗ traits1: the build was stopped");
        assert_eq!(
            f.crash.as_deref(),
            Some("Compiling your code took longer than 60 s and was stopped.")
        );
    }

    #[test]
    fn a_timeout_with_tests_gives_advice() {
        let e = exercise();
        let r = report(Status::TimedOut, vec![failed("a", "did not finish", 1)]);
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline.advice, Some(TIMED_OUT_ADVICE));
        assert_eq!(f.headline.tone, Tone::Warn);
    }

    #[test]
    fn a_pass_is_good_news_with_no_failures() {
        let e = exercise();
        let mut ok = failed("a", "", 1);
        ok.passed = true;
        let r = report(Status::Passed, vec![ok]);
        let f = Feedback::new(&e, &r);
        assert_eq!(f.headline.tone, Tone::Good);
        assert_eq!(
            f.headline.text,
            "✓ traits1 passed: the 1 hidden test (0.4s)"
        );
        assert!(f.failures.is_empty());
        assert_eq!(f.passed, ["a"]);
    }
}
