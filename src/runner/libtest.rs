//! Reading the test harness's human output into per-test results.
//!
//! Stable Rust has no machine-readable test output, so this reads the stable
//! shape of libtest's text: `test NAME ... ok|FAILED|ignored` lines, then one
//! `---- NAME stdout ----` section per failed test (and per passed test with
//! `--show-output`) holding what it printed and its panic message.

use std::collections::BTreeMap;

use serde::Serialize;

/// The prefix of a line a test prints to report a training loss:
/// `tensorlings:loss <step> <value>`.
pub const LOSS_PREFIX: &str = "tensorlings:loss ";

/// One hidden test's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// The test function's name, without the hidden module's path.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// Its panic message when it failed; why it has no result when it never finished.
    pub message: Option<String>,
    /// The left value of a failed `assert_eq!`/`assert_ne!`.
    pub left: Option<String>,
    /// The right value of a failed `assert_eq!`/`assert_ne!`.
    pub right: Option<String>,
    /// Where it panicked, as the harness printed it (`src/lib.rs:12:5`).
    pub location: Option<String>,
    /// The test's own output (outside panic text), when the harness showed it.
    pub output: String,
}

/// Everything read from one run of the test binary.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Results in the order the harness reported them.
    pub tests: Vec<TestResult>,
    /// Loss series printed by tests, keyed by test name.
    pub losses: BTreeMap<String, Vec<(u64, f64)>>,
}

/// Strips the module path the runner puts hidden tests under.
pub fn short_name(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}

/// Parses libtest's output. `expected` (from `--list`) names tests that may
/// not have reported, so they appear as not finished.
pub fn parse(stdout: &str, expected: &[String]) -> Parsed {
    let mut results: Vec<TestResult> = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, verdict)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let passed = match verdict.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue,
        };
        results.push(TestResult {
            name: short_name(name).to_owned(),
            passed,
            message: None,
            left: None,
            right: None,
            location: None,
            output: String::new(),
        });
    }
    let sections = sections(stdout);
    let mut losses = BTreeMap::new();
    for (name, body) in &sections {
        let name = short_name(name);
        let series = loss_series(body);
        if !series.is_empty() {
            losses.insert(name.to_owned(), series);
        }
        if let Some(result) = results.iter_mut().find(|r| r.name == name) {
            fill_from_section(result, body);
        }
    }
    for full in expected {
        let name = short_name(full);
        if !results.iter().any(|r| r.name == name) {
            results.push(TestResult {
                name: name.to_owned(),
                passed: false,
                message: Some("did not finish".to_owned()),
                left: None,
                right: None,
                location: None,
                output: String::new(),
            });
        }
    }
    Parsed {
        tests: results,
        losses,
    }
}

/// Splits out `---- NAME stdout ----` sections: (name, body).
fn sections(stdout: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            out.extend(current.take());
            current = Some((name.to_owned(), String::new()));
            continue;
        }
        let ends_section =
            matches!(line, "failures:" | "successes:") || line.starts_with("test result: ");
        if ends_section {
            out.extend(current.take());
            continue;
        }
        if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out.extend(current);
    out
}

fn fill_from_section(result: &mut TestResult, body: &str) {
    let mut output = String::new();
    let mut lines = body.lines().peekable();
    while let Some(line) = lines.next() {
        // `thread 'NAME' panicked at LOC:` (newer toolchains add ` (TID)` after the name).
        if let Some(at) = line
            .strip_prefix("thread '")
            .and_then(|rest| rest.split_once(" panicked at "))
            .map(|(_, at)| at)
        {
            result.location = Some(at.trim_end_matches(':').to_owned());
            let mut message = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("note: run with `RUST_BACKTRACE")
                    || next.starts_with("stack backtrace:")
                {
                    break;
                }
                let next = lines.next().unwrap_or_default();
                if let Some(left) = next.strip_prefix("  left: ") {
                    result.left = Some(left.to_owned());
                } else if let Some(right) = next.strip_prefix(" right: ") {
                    result.right = Some(right.to_owned());
                } else {
                    message.push(next);
                }
            }
            result.message = Some(message.join("\n").trim_end().to_owned());
        } else if !line.starts_with("note: run with `RUST_BACKTRACE")
            && !line.starts_with(LOSS_PREFIX)
        {
            output.push_str(line);
            output.push('\n');
        }
    }
    output.trim_end().clone_into(&mut result.output);
}

fn loss_series(body: &str) -> Vec<(u64, f64)> {
    body.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(LOSS_PREFIX)?;
            let (step, value) = rest.trim().split_once(' ')?;
            Some((step.parse().ok()?, value.trim().parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test hidden_tests::adds_two_numbers ... ok
test hidden_tests::rejects_empty_input ... FAILED
test hidden_tests::trains_below_bound ... FAILED

successes:

---- hidden_tests::adds_two_numbers stdout ----
tensorlings:loss 0 1.5
tensorlings:loss 1 0.75


successes:
    hidden_tests::adds_two_numbers

failures:

---- hidden_tests::rejects_empty_input stdout ----
some debug print

thread 'hidden_tests::rejects_empty_input' (4242) panicked at src/hidden_tests.rs:12:5:
assertion `left == right` failed: an empty batch is an error
  left: Ok(0.0)
 right: Err(Empty)
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- hidden_tests::trains_below_bound stdout ----

thread 'hidden_tests::trains_below_bound' panicked at src/lib.rs:7:5:
not yet implemented


failures:
    hidden_tests::rejects_empty_input
    hidden_tests::trains_below_bound

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";

    #[test]
    fn verdicts_names_and_order_are_read() {
        let parsed = parse(OUTPUT, &[]);
        let got: Vec<(&str, bool)> = parsed
            .tests
            .iter()
            .map(|t| (t.name.as_str(), t.passed))
            .collect();
        assert_eq!(
            got,
            [
                ("adds_two_numbers", true),
                ("rejects_empty_input", false),
                ("trains_below_bound", false)
            ]
        );
    }

    #[test]
    fn a_failed_assertion_gives_message_left_right_and_location() {
        let parsed = parse(OUTPUT, &[]);
        let failed = &parsed.tests[1];
        assert_eq!(
            failed.message.as_deref(),
            Some("assertion `left == right` failed: an empty batch is an error")
        );
        assert_eq!(failed.left.as_deref(), Some("Ok(0.0)"));
        assert_eq!(failed.right.as_deref(), Some("Err(Empty)"));
        assert_eq!(failed.location.as_deref(), Some("src/hidden_tests.rs:12:5"));
        assert_eq!(failed.output, "some debug print");
    }

    #[test]
    fn a_panic_in_learner_code_is_located_in_the_learner_file() {
        let parsed = parse(OUTPUT, &[]);
        let todo = &parsed.tests[2];
        assert_eq!(todo.message.as_deref(), Some("not yet implemented"));
        assert_eq!(todo.location.as_deref(), Some("src/lib.rs:7:5"));
        assert_eq!(todo.left, None);
    }

    #[test]
    fn loss_lines_become_a_series() {
        let parsed = parse(OUTPUT, &[]);
        assert_eq!(parsed.losses["adds_two_numbers"], vec![(0, 1.5), (1, 0.75)]);
    }

    #[test]
    fn listed_tests_without_a_verdict_did_not_finish() {
        let parsed = parse(
            "running 2 tests\ntest hidden_tests::quick ... ok\n",
            &[
                "hidden_tests::quick".to_owned(),
                "hidden_tests::loops".to_owned(),
            ],
        );
        assert_eq!(parsed.tests.len(), 2);
        assert!(!parsed.tests[1].passed);
        assert_eq!(parsed.tests[1].message.as_deref(), Some("did not finish"));
    }
}
