//! Each failed test as a learner reads it: the panic in plain words, an
//! assertion's two sides, the lesson's note, the place, what it printed;
//! tests stopped by the same panic folded into one.

use super::{Failure, OUTPUT_LINES, plain_words, words};
use crate::course::Exercise;
use crate::runner::{LearnerTests, Report, SpanFile, TestResult};

/// What makes two failures the same panic: its message and its place.
type PanicKey<'a> = (Option<&'a str>, Option<(usize, usize)>);

pub(super) fn failures<'a>(exercise: &'a Exercise, report: &'a Report) -> Vec<Failure<'a>> {
    let mut seen: Vec<PanicKey<'a>> = Vec::new();
    // Bugs no test caught read as failures of their own.
    let mut out: Vec<Failure<'a>> = report
        .learner_tests
        .iter()
        .flat_map(LearnerTests::missed)
        .map(|bug| Failure {
            test: &bug.name,
            repeat: false,
            message: Some(&bug.description),
            plain: None,
            left: None,
            right: None,
            explanation: Some(words::MISSED_BUG),
            place: None,
            output: Vec::new(),
            more_output: 0,
        })
        .collect();
    for test in report.tests.iter().filter(|t| !t.passed()) {
        let panic = test.panic();
        let place = panic
            .and_then(|p| p.location.as_ref())
            .filter(|p| p.file == SpanFile::Learner)
            .map(|p| (p.line, p.column));
        let message = match panic {
            Some(panic) => Some(panic.message.as_str()).filter(|m| !m.is_empty()),
            None => words::outcome(&test.outcome),
        };
        // Several tests stopped by the same panic (a `todo!()` all of them
        // reach, say) show it once.
        let key = (message, place);
        let left = panic.and_then(|p| p.left.as_deref());
        let repeat = left.is_none() && place.is_some() && seen.contains(&key);
        seen.push(key);
        let lines: Vec<&str> = test.output.lines().collect();
        out.push(Failure {
            test: &test.name,
            repeat,
            message,
            plain: message.and_then(plain_words),
            left,
            right: panic.and_then(|p| p.right.as_deref()),
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
pub fn explanation<'a>(exercise: &'a Exercise, test: &TestResult) -> Option<&'a str> {
    if !test.ran() {
        return None;
    }
    let message = exercise.messages.get(&test.name)?;
    let failure = match test.panic() {
        Some(panic) => [
            Some(panic.message.as_str()),
            panic.left.as_deref(),
            panic.right.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n"),
        None => words::outcome(&test.outcome).unwrap_or_default().to_owned(),
    };
    message.for_failure(&failure)
}
