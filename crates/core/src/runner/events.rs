//! Reading the harness's report, and deciding the verdict from it.
//!
//! The harness tags each report line with a secret only it and the runner
//! know; every other line is the tests' own output. The verdict needs, for
//! every hidden test the course defines, a report that it passed, and the
//! harness's final report with matching counts. Anything else — a missing,
//! duplicated or contradictory report — is not a pass.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::Deserialize;

use super::diagnostics::Place;
use super::ending::{Panic, TestOutcome};
use super::harness::TestCase;
use crate::graph::Read;

/// Bytes of output kept per test.
const OUTPUT_PER_TEST: usize = 64 * 1024;

/// One hidden test's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// The test function's name.
    pub name: String,
    /// How it ended.
    pub outcome: TestOutcome,
    /// What the test printed.
    pub output: String,
    /// The graph the test described, for drawing.
    pub graph: Option<crate::graph::Graph>,
    /// The timeline the test described, for drawing.
    pub timeline: Option<crate::graph::Timeline>,
}

impl TestResult {
    /// Whether it passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.outcome.passed()
    }

    /// Whether the test started at all (see [`TestOutcome::ran`]).
    #[must_use]
    pub fn ran(&self) -> bool {
        self.outcome.ran()
    }

    /// Its panic, when it failed by one.
    #[must_use]
    pub fn panic(&self) -> Option<&Panic> {
        self.outcome.panic()
    }
}

/// One report line of the harness.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    Start {
        name: String,
    },
    End {
        name: String,
        ok: bool,
        message: Option<String>,
        location: Option<String>,
    },
    Done {
        passed: usize,
        failed: usize,
    },
}

/// Collects the harness's reports and each test's output as lines arrive.
#[derive(Debug)]
pub struct Collector {
    tag: String,
    events: Vec<Event>,
    current: Option<String>,
    outputs: BTreeMap<String, String>,
    /// Each test's output read for pictures, once the output is all in.
    read: OnceCell<BTreeMap<String, Read>>,
}

impl Collector {
    /// A collector for reports tagged with `secret`.
    pub fn new(secret: &str) -> Collector {
        Collector {
            tag: format!("tensorlings-report:{secret} "),
            events: Vec::new(),
            current: None,
            outputs: BTreeMap::new(),
            read: OnceCell::new(),
        }
    }

    /// Takes one line of the test process's standard output.
    pub fn line(&mut self, line: &str) {
        if let Some(at) = line.find(&self.tag) {
            self.output(&line[..at]);
            let Ok(event) = serde_json::from_str::<Event>(&line[at + self.tag.len()..]) else {
                return;
            };
            match &event {
                Event::Start { name } => self.current = Some(name.clone()),
                Event::End { .. } | Event::Done { .. } => self.current = None,
            }
            self.events.push(event);
        } else {
            self.output(line);
        }
    }

    fn output(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.read = OnceCell::new();
        let Some(name) = &self.current else { return };
        let out = self.outputs.entry(name.clone()).or_default();
        if out.len() + text.len() < OUTPUT_PER_TEST {
            out.push_str(text);
            out.push('\n');
        }
    }

    /// The test that had started and not ended when the output stopped.
    pub fn running(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// The results for `cases`, in their order, and whether they add up to a
    /// complete, consistent pass of every one.
    pub fn results(&self, cases: &[TestCase]) -> (Vec<TestResult>, bool) {
        let mut tests = Vec::with_capacity(cases.len());
        let mut all_passed = true;
        let mut started_any_unfinished = false;
        for case in cases {
            let ends: Vec<&Event> = self
                .events
                .iter()
                .filter(|e| matches!(e, Event::End { name, .. } if *name == case.name))
                .collect();
            let started = self
                .events
                .iter()
                .any(|e| matches!(e, Event::Start { name } if *name == case.name));
            let outcome = match ends.as_slice() {
                [Event::End { ok: true, .. }] => TestOutcome::Passed,
                [
                    Event::End {
                        message, location, ..
                    },
                ] => TestOutcome::Failed(Panic {
                    location: location.as_deref().and_then(Place::parse),
                    ..split_message(message.as_deref().unwrap_or_default())
                }),
                [] if started && !started_any_unfinished => {
                    started_any_unfinished = true;
                    TestOutcome::DidNotFinish
                }
                [] => TestOutcome::DidNotRun,
                _ => TestOutcome::ReportedTwice,
            };
            let read = self.read().get(&case.name).cloned().unwrap_or_default();
            let result = TestResult {
                name: case.name.clone(),
                outcome,
                output: read.output,
                graph: read.pictures.graph,
                timeline: read.pictures.timeline,
            };
            all_passed &= result.passed();
            tests.push(result);
        }
        let done = self.events.iter().filter_map(|e| match e {
            Event::Done { passed, failed } => Some((*passed, *failed)),
            _ => None,
        });
        let counts_match =
            matches!(done.collect::<Vec<_>>().as_slice(), [(p, 0)] if *p == cases.len());
        (tests, all_passed && counts_match && !cases.is_empty())
    }

    /// Loss series the tests printed, by test name.
    pub fn losses(&self) -> BTreeMap<String, Vec<(u64, f64)>> {
        self.read()
            .iter()
            .filter(|(_, read)| !read.pictures.losses.is_empty())
            .map(|(name, read)| (name.clone(), read.pictures.losses.clone()))
            .collect()
    }

    /// Each test's output, read: its pictures (graphs, timelines, losses)
    /// and what is left for the learner to read.
    fn read(&self) -> &BTreeMap<String, Read> {
        self.read.get_or_init(|| {
            self.outputs
                .iter()
                .map(|(name, out)| (name.clone(), crate::graph::read(out)))
                .collect()
        })
    }

    /// Whether the harness's final report arrived.
    pub fn finished(&self) -> bool {
        self.events.iter().any(|e| matches!(e, Event::Done { .. }))
    }
}

/// Splits an `assert_eq!` message into its text and its left and right values.
fn split_message(message: &str) -> Panic {
    let mut panic = Panic::default();
    let mut text = Vec::new();
    for line in message.lines() {
        if let Some(left) = line.strip_prefix("  left: ") {
            panic.left = Some(left.to_owned());
        } else if let Some(right) = line.strip_prefix(" right: ") {
            panic.right = Some(right.to_owned());
        } else {
            text.push(line);
        }
    }
    text.join("\n").trim_end().clone_into(&mut panic.message);
    panic
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "00112233445566778899aabbccddeeff";

    fn case(name: &str) -> TestCase {
        TestCase {
            name: name.to_owned(),
            should_panic: None,
        }
    }

    fn report(event: &str) -> String {
        format!("tensorlings-report:{SECRET} {event}")
    }

    fn collect(lines: &[String]) -> Collector {
        let mut c = Collector::new(SECRET);
        for line in lines {
            c.line(line);
        }
        c
    }

    fn passing_run() -> Vec<String> {
        vec![
            report(r#"{"event":"start","name":"adds"}"#),
            "tensorlings:loss 0 1.5".to_owned(),
            "tensorlings:loss 1 0.5".to_owned(),
            "a debug print".to_owned(),
            report(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#),
            report(r#"{"event":"start","name":"fails"}"#),
            report(
                r#"{"event":"end","name":"fails","ok":false,"message":"assertion `left == right` failed: sums\n  left: 4\n right: 5","location":"src/learner.rs:3:5"}"#,
            ),
            report(r#"{"event":"done","passed":1,"failed":1}"#),
        ]
    }

    #[test]
    fn results_carry_messages_left_right_output_and_losses() {
        let c = collect(&passing_run());
        let (tests, all) = c.results(&[case("adds"), case("fails")]);
        assert!(!all);
        assert!(tests[0].passed());
        assert_eq!(tests[0].output, "a debug print");
        assert_eq!(
            tests[1].panic().map(|p| p.message.as_str()),
            Some("assertion `left == right` failed: sums")
        );
        assert_eq!(tests[1].panic().unwrap().left.as_deref(), Some("4"));
        assert_eq!(tests[1].panic().unwrap().right.as_deref(), Some("5"));
        let place = tests[1].panic().unwrap().location.as_ref().unwrap();
        assert_eq!(place.file, crate::runner::SpanFile::Learner);
        assert_eq!((place.line, place.column), (3, 5));
        assert_eq!(c.losses()["adds"], vec![(0, 1.5), (1, 0.5)]);
    }

    #[test]
    fn a_timeline_is_read_from_its_tests_output_and_left_out_of_it() {
        let lines = vec![
            report(r#"{"event":"start","name":"bounded"}"#),
            "tensorlings:span p0 0 100".to_owned(),
            "  tensorlings:span p1 0 - still running".to_owned(),
            "tensorlings:mark 0 2 in flight; the limit is 1".to_owned(),
            "kept".to_owned(),
            report(
                r#"{"event":"end","name":"bounded","ok":false,"message":"too many","location":null}"#,
            ),
            report(r#"{"event":"done","passed":0,"failed":1}"#),
        ];
        let (tests, _) = collect(&lines).results(&[case("bounded")]);
        assert_eq!(tests[0].output, "kept");
        let timeline = tests[0].timeline.as_ref().expect("a timeline");
        assert_eq!(timeline.spans.len(), 2);
        assert_eq!(timeline.spans[1].end_ms, None);
        assert_eq!(timeline.marks[0].at_ms, 0);
        let json = serde_json::to_value(timeline).expect("serialises");
        assert_eq!(json["spans"][1]["mark"], "still running");
        assert_eq!(json["marks"][0]["text"], "2 in flight; the limit is 1");
    }

    #[test]
    fn every_test_passed_and_the_counts_match_is_a_pass() {
        let lines = vec![
            report(r#"{"event":"start","name":"adds"}"#),
            report(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#),
            report(r#"{"event":"done","passed":1,"failed":0}"#),
        ];
        assert!(collect(&lines).results(&[case("adds")]).1);
    }

    #[test]
    fn lines_without_the_secret_are_only_output() {
        let forged =
            |event: &str| format!("tensorlings-report:ffffffffffffffffffffffffffffffff {event}");
        let lines = vec![
            report(r#"{"event":"start","name":"adds"}"#),
            forged(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#),
            forged(r#"{"event":"done","passed":1,"failed":0}"#),
            "test hidden_tests::adds ... ok".to_owned(),
            "test result: ok. 1 passed; 0 failed".to_owned(),
        ];
        let c = collect(&lines);
        let (tests, all) = c.results(&[case("adds")]);
        assert!(!all);
        assert_eq!(tests[0].outcome, TestOutcome::DidNotFinish);
        assert_eq!(c.running(), Some("adds"));
    }

    #[test]
    fn a_test_the_course_defines_but_nobody_reported_fails() {
        let lines = vec![
            report(r#"{"event":"start","name":"adds"}"#),
            report(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#),
            report(r#"{"event":"done","passed":1,"failed":0}"#),
        ];
        let (tests, all) = collect(&lines).results(&[case("adds"), case("extra")]);
        assert!(!all);
        assert_eq!(tests[1].outcome, TestOutcome::DidNotRun);
    }

    #[test]
    fn no_final_report_is_no_pass() {
        let lines = vec![
            report(r#"{"event":"start","name":"adds"}"#),
            report(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#),
        ];
        assert!(!collect(&lines).results(&[case("adds")]).1);
    }

    #[test]
    fn a_duplicated_report_is_no_pass() {
        let end =
            report(r#"{"event":"end","name":"adds","ok":true,"message":null,"location":null}"#);
        let lines = vec![
            end.clone(),
            end,
            report(r#"{"event":"done","passed":1,"failed":0}"#),
        ];
        let (tests, all) = collect(&lines).results(&[case("adds")]);
        assert!(!all);
        assert_eq!(tests[0].outcome, TestOutcome::ReportedTwice);
    }

    #[test]
    fn an_empty_course_never_passes() {
        let lines = vec![report(r#"{"event":"done","passed":0,"failed":0}"#)];
        assert!(!collect(&lines).results(&[]).1);
    }
}
