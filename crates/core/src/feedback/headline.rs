//! The first line a learner reads about a check, and advice when the line
//! alone does not say what to look for.

use super::{Headline, Tone, words};
use crate::course::Exercise;
use crate::runner::{LearnerTests, Report, Status, Stop};

/// The headline of an exercise where the learner writes the tests, when
/// it differs from a code exercise's.
fn tests_headline(
    exercise: &Exercise,
    report: &Report,
    learner: &LearnerTests,
) -> Option<Headline> {
    let id = &exercise.id;
    let secs = report.duration.as_secs_f64();
    let total = report.tests.len();
    let failed = report.tests.iter().filter(|t| !t.passed()).count();
    let bugs = exercise.bugs.len();
    let caught = learner.bugs.iter().filter(|b| b.caught).count();
    let tests = if total == 1 { "test" } else { "tests" };
    let (tone, text, advice) = match report.status() {
        Status::Passed => (
            Tone::Good,
            format!(
                "✓ {id} passed: your {total} {tests} pass on the correct code and catch all {bugs} bugs ({secs:.1}s)"
            ),
            None,
        ),
        Status::TestsFailed if total == 0 => (
            Tone::Bad,
            format!("✗ {id}: there are no tests yet; write a #[test] function"),
            None,
        ),
        Status::TestsFailed if !learner.bugs.is_empty() => {
            let missed: Vec<&str> = learner.missed().map(|b| b.description.as_str()).collect();
            (
                Tone::Bad,
                format!(
                    "✗ {id}: your tests caught {caught} of {bugs} bugs; missed: {}",
                    missed.join("; ")
                ),
                None,
            )
        }
        Status::TestsFailed if failed > 0 => (
            Tone::Bad,
            format!(
                "✗ {id}: {failed} of your {total} {tests} {} on the correct code ({secs:.1}s)",
                if failed == 1 { "fails" } else { "fail" }
            ),
            Some(words::WRONG_EXPECTATION_ADVICE),
        ),
        _ => return None,
    };
    Some(Headline { tone, text, advice })
}

pub(super) fn headline(exercise: &Exercise, report: &Report) -> Headline {
    if let Some(learner) = &report.learner_tests
        && let Some(headline) = tests_headline(exercise, report, learner)
    {
        return headline;
    }
    let id = &exercise.id;
    let secs = report.duration.as_secs_f64();
    let total = report.tests.len();
    let failed = report.tests.iter().filter(|t| !t.passed()).count();
    let (tone, text, advice) = match report.status() {
        Status::Passed if total == 1 => (
            Tone::Good,
            format!("✓ {id} passed: the 1 hidden test ({secs:.1}s)"),
            None,
        ),
        Status::Passed => (
            Tone::Good,
            format!("✓ {id} passed: all {total} hidden tests ({secs:.1}s)"),
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
        Status::TimedOut if !report.ending.stop().is_some_and(Stop::while_testing) => {
            (Tone::Warn, format!("✗ {id}: the build was stopped"), None)
        }
        Status::TimedOut => (
            Tone::Warn,
            format!(
                "✗ {id}: stopped at the time limit of {}s",
                report.timeout.as_secs()
            ),
            Some(words::TIMED_OUT_ADVICE),
        ),
    };
    Headline { tone, text, advice }
}
