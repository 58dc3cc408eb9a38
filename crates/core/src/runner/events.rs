//! Reading the harness's report, and deciding the verdict from it.
//!
//! The harness tags each report line with a secret only it and the runner
//! know; every other line is the tests' own output. The verdict needs, for
//! every hidden test the course defines, a report that it passed, and the
//! harness's final report with matching counts. Anything else — a missing,
//! duplicated or contradictory report — is not a pass.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::diagnostics::Place;
use super::harness::TestCase;
use crate::graph::Read;

/// Bytes of output kept per test.
const OUTPUT_PER_TEST: usize = 64 * 1024;

/// The message of a test that never started: the run stopped (an abort, a
/// time limit) before its turn.
const DID_NOT_RUN: &str = "did not run";

/// One hidden test's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// The test function's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Its panic message when it failed; why it has no result when it never finished.
    pub message: Option<String>,
    /// The left value of a failed `assert_eq!`/`assert_ne!`.
    pub left: Option<String>,
    /// The right value of a failed `assert_eq!`/`assert_ne!`.
    pub right: Option<String>,
    /// Where it panicked.
    pub location: Option<Place>,
    /// What the test printed.
    pub output: String,
    /// The graph the test described, for drawing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<crate::graph::Graph>,
    /// The timeline the test described, for drawing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<crate::graph::Timeline>,
}

impl TestResult {
    /// Whether the test started at all. One that never did failed for
    /// another test's sake, so nothing about it (an author's explanation
    /// of its failure, say) can be about what it checks.
    #[must_use]
    pub fn ran(&self) -> bool {
        !(self.message.as_deref() == Some(DID_NOT_RUN)
            && self.location.is_none()
            && self.left.is_none()
            && self.output.is_empty())
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
            let read = self.read().get(&case.name).cloned().unwrap_or_default();
            let mut result = TestResult {
                name: case.name.clone(),
                passed: false,
                message: None,
                left: None,
                right: None,
                location: None,
                output: read.output,
                graph: read.pictures.graph,
                timeline: read.pictures.timeline,
            };
            match ends.as_slice() {
                [
                    Event::End {
                        ok,
                        message,
                        location,
                        ..
                    },
                ] => {
                    result.passed = *ok;
                    if let Some(message) = message {
                        split_message(&mut result, message);
                    }
                    result.location = location.as_deref().and_then(Place::parse);
                }
                [] if started && !started_any_unfinished => {
                    started_any_unfinished = true;
                    result.message = Some("did not finish".to_owned());
                }
                [] => result.message = Some(DID_NOT_RUN.to_owned()),
                _ => result.message = Some("reported more than once".to_owned()),
            }
            all_passed &= result.passed;
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
fn split_message(result: &mut TestResult, message: &str) {
    let mut text = Vec::new();
    for line in message.lines() {
        if let Some(left) = line.strip_prefix("  left: ") {
            result.left = Some(left.to_owned());
        } else if let Some(right) = line.strip_prefix(" right: ") {
            result.right = Some(right.to_owned());
        } else {
            text.push(line);
        }
    }
    result.message = Some(text.join("\n").trim_end().to_owned());
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
        assert!(tests[0].passed);
        assert_eq!(tests[0].output, "a debug print");
        assert_eq!(
            tests[1].message.as_deref(),
            Some("assertion `left == right` failed: sums")
        );
        assert_eq!(tests[1].left.as_deref(), Some("4"));
        assert_eq!(tests[1].right.as_deref(), Some("5"));
        let place = tests[1].location.as_ref().unwrap();
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
        let json = serde_json::to_value(&tests[0]).expect("serialises");
        assert_eq!(json["timeline"]["spans"][1]["mark"], "still running");
        assert_eq!(
            json["timeline"]["marks"][0]["text"],
            "2 in flight; the limit is 1"
        );
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
        assert_eq!(tests[0].message.as_deref(), Some("did not finish"));
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
        assert_eq!(tests[1].message.as_deref(), Some("did not run"));
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
        assert_eq!(tests[0].message.as_deref(), Some("reported more than once"));
    }

    #[test]
    fn an_empty_course_never_passes() {
        let lines = vec![report(r#"{"event":"done","passed":0,"failed":0}"#)];
        assert!(!collect(&lines).results(&[]).1);
    }
}
