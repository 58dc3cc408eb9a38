//! A grade in the formats CI and teaching tools read:
//!
//! - `JUnit` XML: one suite per lesson, one case per exercise, with the
//!   exercise's score, points and flags as properties;
//! - exercism's test-runner `results.json`, version 3 (the interface of
//!   exercism's test runners): one entry per hidden test, linked to its
//!   exercise by `task_id`;
//! - GitHub Classroom's autograding result, version 1 (what its command
//!   grader hands its reporter, which sums the tests' `score`): one entry per
//!   exercise with the points it earned.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use super::{GradeReport, GradeStatus, Graded, GradedTest};

/// exercism's limit on a test's `output`.
const EXERCISM_OUTPUT: usize = 500;

/// The grade as a `JUnit` report: one suite per lesson, one case per
/// exercise; score, points and flags as properties.
pub fn junit(graded: &[Graded]) -> Result<String, quick_junit::SerializeError> {
    let mut report = quick_junit::Report::new("tensorlings");
    let mut lessons: Vec<&str> = graded.iter().map(|g| g.lesson.as_str()).collect();
    lessons.dedup();
    for lesson in lessons {
        let mut suite = TestSuite::new(lesson);
        for g in graded.iter().filter(|g| g.lesson == lesson) {
            let status = if g.passed() {
                TestCaseStatus::success()
            } else {
                let kind = match g.status {
                    GradeStatus::CompileError | GradeStatus::Missing => NonSuccessKind::Error,
                    _ => NonSuccessKind::Failure,
                };
                let mut status = TestCaseStatus::non_success(kind);
                status
                    .set_message(g.status.as_str().replace('_', " "))
                    .set_type(g.status.as_str());
                if let Some(detail) = &g.detail {
                    status.set_description(detail.as_str());
                }
                status
            };
            let mut case = TestCase::new(g.id.as_str(), status);
            case.add_property(Property::new("score", number(g.score)));
            case.add_property(Property::new("max_score", number(g.max_score)));
            for flag in &g.flags {
                case.add_property(Property::new("flag", flag.as_str()));
            }
            case.set_classname(lesson).set_time(Duration::from_millis(
                u64::try_from(g.duration_ms).unwrap_or(u64::MAX),
            ));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().map(|xml| xml_chars(&xml))
}

/// `text` with every character XML 1.0 does not allow (its `Char`
/// production: most control characters, U+FFFE, U+FFFF) replaced by U+FFFD,
/// so a panic message of any content leaves the report well-formed. The
/// markup itself uses none of them, so the whole document can be mapped.
pub fn xml_chars(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// A score as a short number: `3`, `2.5`.
fn number(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// exercism's `results.json`, version 3.
#[derive(Debug, Serialize)]
pub struct Exercism {
    version: u32,
    /// `pass` (every test passed), `fail` (some did not), or `error` (no
    /// test could run at all: nothing compiled).
    status: &'static str,
    /// Why nothing ran, when `status` is `error`.
    message: Option<String>,
    tests: Vec<ExercismTest>,
}

/// One hidden test in exercism's shape.
#[derive(Debug, Serialize)]
struct ExercismTest {
    name: String,
    /// The hidden tests stay hidden: this names the test, not its code.
    test_code: String,
    status: &'static str,
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    /// The exercise, numbered from 1 in course order.
    task_id: usize,
}

/// The grade as exercism's test-runner results (version 3): each hidden test
/// of each exercise, `error` for the tests of an exercise that does not
/// compile or is missing.
pub fn exercism(report: &GradeReport) -> Exercism {
    let tests = report
        .exercises
        .iter()
        .enumerate()
        .flat_map(|(task, g)| g.tests.iter().map(move |t| exercism_test(task + 1, g, t)))
        .collect();
    let (status, message) = exercism_status(report);
    Exercism {
        version: 3,
        status,
        message,
        tests: if status == "error" { Vec::new() } else { tests },
    }
}

/// Whether the exercise does not compile or is missing: its tests are errors.
fn broken(g: &Graded) -> bool {
    matches!(g.status, GradeStatus::CompileError | GradeStatus::Missing)
}

/// Hidden test `t` of exercise `g`, the `task`-th of the course.
fn exercism_test(task: usize, g: &Graded, t: &GradedTest) -> ExercismTest {
    let status = if t.passed {
        "pass"
    } else if broken(g) {
        "error"
    } else {
        "fail"
    };
    let message = if t.passed {
        None
    } else if broken(g) || t.message.is_none() {
        g.detail.clone()
    } else {
        t.message.clone()
    };
    let output = (!t.output.is_empty()).then(|| {
        if t.output.chars().count() > EXERCISM_OUTPUT {
            let kept: String = t.output.chars().take(EXERCISM_OUTPUT - 50).collect();
            format!("{kept}\n[Output was truncated. Please limit to 500 chars]")
        } else {
            t.output.clone()
        }
    });
    ExercismTest {
        name: format!("{}: {}", g.id, t.name),
        test_code: format!("hidden test `{}` of {}", t.name, g.id),
        status,
        message,
        output,
        task_id: task,
    }
}

/// The run's status and message: `error` (with the first exercise's detail)
/// when nothing could be graded, else `pass` or `fail`.
fn exercism_status(report: &GradeReport) -> (&'static str, Option<String>) {
    if report.exercises.is_empty() || report.exercises.iter().all(broken) {
        let why = report
            .exercises
            .iter()
            .find_map(|g| g.detail.as_deref())
            .unwrap_or("there was nothing to grade")
            .to_owned();
        ("error", Some(why))
    } else if report.passed == report.total {
        ("pass", None)
    } else {
        ("fail", None)
    }
}

/// GitHub Classroom's autograding result, version 1.
#[derive(Debug, Serialize)]
pub struct Classroom {
    version: u32,
    /// `pass` when every exercise passed, else `fail`.
    status: &'static str,
    max_score: f64,
    tests: Vec<ClassroomTest>,
}

/// One exercise in Classroom's shape.
#[derive(Debug, Serialize)]
struct ClassroomTest {
    name: String,
    status: &'static str,
    /// Points earned, partial credit included; the reporter sums these.
    score: f64,
    message: Option<String>,
    test_code: String,
    filename: String,
    line_no: u32,
    /// Milliseconds.
    duration: u128,
}

/// The grade as GitHub Classroom's autograding result (version 1): one test
/// per exercise, scored with partial credit.
pub fn classroom(report: &GradeReport, files: &dyn Fn(&Graded) -> String) -> Classroom {
    let tests = report
        .exercises
        .iter()
        .map(|g| ClassroomTest {
            name: format!("{} ({})", g.id, g.lesson),
            status: if g.passed() {
                "pass"
            } else if matches!(g.status, GradeStatus::CompileError | GradeStatus::Missing) {
                "error"
            } else {
                "fail"
            },
            score: g.score,
            message: g.detail.clone(),
            test_code: format!("tensorlings check {}", g.id),
            filename: files(g),
            line_no: 0,
            duration: g.duration_ms,
        })
        .collect();
    Classroom {
        version: 1,
        status: if report.passed == report.total {
            "pass"
        } else {
            "fail"
        },
        max_score: report.max_score,
        tests,
    }
}

#[cfg(test)]
mod tests {
    use super::super::GradedTest;
    use super::*;

    fn graded(id: &str, status: GradeStatus, passing: &[bool]) -> Graded {
        let tests: Vec<GradedTest> = passing
            .iter()
            .enumerate()
            .map(|(i, &passed)| GradedTest {
                name: format!("test_{i}"),
                passed,
                weight: 1,
                message: (!passed).then(|| format!("test_{i} failed")),
                output: String::new(),
            })
            .collect();
        let passed = u32::try_from(passing.iter().filter(|p| **p).count()).unwrap();
        let share = f64::from(passed) / f64::from(u32::try_from(passing.len().max(1)).unwrap());
        Graded {
            id: id.into(),
            lesson: "01-traits".into(),
            status,
            failed_tests: Vec::new(),
            detail: (status != GradeStatus::Passed).then(|| "✗ it failed".into()),
            flags: if status == GradeStatus::Passed {
                Vec::new()
            } else {
                vec!["ends the test process (std::process::exit)".into()]
            },
            duration_ms: 1500,
            score: if status == GradeStatus::Passed {
                2.0
            } else {
                2.0 * share
            },
            max_score: 2.0,
            untouched: false,
            tests,
        }
    }

    fn class() -> GradeReport {
        GradeReport::new(vec![
            graded("traits1", GradeStatus::Passed, &[true, true]),
            graded("traits2", GradeStatus::CompileError, &[false, false]),
            graded(
                "traits3",
                GradeStatus::TestsFailed,
                &[true, false, true, true],
            ),
        ])
    }

    #[test]
    fn characters_xml_does_not_allow_become_replacement_characters() {
        assert_eq!(
            xml_chars("a\u{1}b\u{FFFE}c\u{FFFF}d\u{B}e\tf\u{1F600}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\tf\u{1F600}"
        );
    }

    #[test]
    fn junit_has_a_suite_per_lesson_a_case_per_exercise_scores_and_flags() {
        let report = class();
        let xml = junit(&report.exercises).unwrap();
        assert!(
            xml.contains(
                r#"<testsuite name="01-traits" tests="3" skipped="0" errors="1" failures="1">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="traits1" classname="01-traits" time="1.500">"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="score" value="2"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="score" value="1.5"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="max_score" value="2"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<error message="compile error" type="compile_error">✗ it failed</error>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<property name="flag" value="ends the test process (std::process::exit)"/>"#
            ),
            "{xml}"
        );
    }

    /// The fields of exercism's test-runner interface, version 3: top level
    /// `version`, `status` (pass, fail, error), `message` (required for
    /// error, else null), `tests`; each test `name`, `test_code`, `status`,
    /// `message`, `output` (at most 500 characters), `task_id`.
    #[test]
    fn exercism_results_follow_version_3() {
        let mut report = class();
        report.exercises[2].tests[1].output = "x".repeat(2000);
        let json = serde_json::to_value(exercism(&report)).unwrap();
        let top: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(top, ["message", "status", "tests", "version"]);
        assert_eq!(json["version"], 3);
        assert_eq!(json["status"], "fail");
        assert!(json["message"].is_null());
        let tests = json["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 8, "every hidden test of every exercise");
        for t in tests {
            for key in t.as_object().unwrap().keys() {
                assert!(
                    [
                        "name",
                        "test_code",
                        "status",
                        "message",
                        "output",
                        "task_id"
                    ]
                    .contains(&key.as_str()),
                    "{key} is not an exercism field"
                );
            }
            assert!(["pass", "fail", "error"].contains(&t["status"].as_str().unwrap()));
        }
        assert_eq!(tests[0]["name"], "traits1: test_0");
        assert_eq!(
            (tests[0]["status"].as_str(), tests[0]["task_id"].as_u64()),
            (Some("pass"), Some(1))
        );
        assert_eq!(
            tests[2]["status"], "error",
            "a test of code that does not compile"
        );
        assert_eq!(tests[2]["message"], "✗ it failed");
        assert_eq!(tests[5]["status"], "fail");
        assert_eq!(tests[5]["message"], "test_1 failed");
        assert_eq!(tests[5]["task_id"], 3);
        let output = tests[5]["output"].as_str().unwrap();
        assert!(output.chars().count() <= 500, "{}", output.len());
        assert!(output.ends_with("Please limit to 500 chars]"));
        assert!(
            !tests[0].as_object().unwrap().contains_key("output"),
            "no output, no key"
        );

        let nothing_compiles =
            GradeReport::new(vec![graded("traits2", GradeStatus::CompileError, &[false])]);
        let json = serde_json::to_value(exercism(&nothing_compiles)).unwrap();
        assert_eq!(json["status"], "error");
        assert_eq!(json["message"], "✗ it failed");
        let all_pass = GradeReport::new(vec![graded("traits1", GradeStatus::Passed, &[true])]);
        assert_eq!(
            serde_json::to_value(exercism(&all_pass)).unwrap()["status"],
            "pass"
        );
    }

    /// The fields GitHub Classroom's command grader writes (version 1), which
    /// its reporter reads: `version`, `status`, `max_score`, and per test
    /// `name`, `status`, `score`, `message`, `test_code`, `filename`,
    /// `line_no`, `duration`.
    #[test]
    fn classroom_results_follow_version_1_with_partial_credit() {
        let report = class();
        let json = serde_json::to_value(classroom(&report, &|g| format!("exercises/{}.rs", g.id)))
            .unwrap();
        let top: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(top, ["max_score", "status", "tests", "version"]);
        assert_eq!(json["version"], 1);
        assert_eq!(json["status"], "fail");
        assert_eq!(json["max_score"], 6.0);
        let tests = json["tests"].as_array().unwrap();
        for t in tests {
            let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                [
                    "duration",
                    "filename",
                    "line_no",
                    "message",
                    "name",
                    "score",
                    "status",
                    "test_code"
                ]
            );
        }
        let scores: Vec<f64> = tests.iter().map(|t| t["score"].as_f64().unwrap()).collect();
        assert_eq!(scores, [2.0, 0.0, 1.5]);
        assert_eq!(tests[1]["status"], "error");
        assert_eq!(tests[2]["filename"], "exercises/traits3.rs");
        assert_eq!(tests[0]["duration"], 1500);
    }
}
