//! The real binary against a fixture course whose exercises misbehave on purpose.

use crate::support::{self, Run, Tensorlings};

use std::time::Duration;

use serde_json::Value;

/// A check's verdict, and the run it came from.
struct Checked {
    code: i32,
    json: Value,
    run: Run,
}

/// Checks `id` in a scratch copy of the fixture course (keeping the
/// fixture's progress file out of the repository), with a build cache of
/// its own: every process it started has that path in its command line,
/// so leftovers are found without looking at any other run on the machine.
fn check(id: &str, extra_env: &[(&str, &str)]) -> Checked {
    let course = support::scratch_course();
    let run = Tensorlings::on(course.path())
        .check(id)
        .json()
        .own_cache()
        .envs(extra_env)
        .run();
    Checked {
        code: run.code().unwrap_or(-1),
        json: run.json(),
        run,
    }
}

fn tests_of(json: &Value) -> Vec<(String, bool)> {
    json["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["passed"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Once the hidden tests start, the run ends within the exercise's timeout plus
/// two seconds, and the whole check (which also compiles) not long after.
fn assert_ended_in_time(checked: &Checked, timeout_secs: u64) {
    let tests = Duration::from_millis(checked.json["test_duration_ms"].as_u64().unwrap());
    assert!(
        tests <= Duration::from_secs(timeout_secs + 2),
        "tests took {tests:?}"
    );
    let limit = Duration::from_secs(timeout_secs + 2 + 20);
    assert!(
        checked.run.elapsed() < limit,
        "the check took {:?}",
        checked.run.elapsed()
    );
}

#[test]
fn a_passing_exercise_exits_zero_with_every_test_passed() {
    let checked = check("passes", &[]);
    assert_eq!(checked.code, 0);
    assert_eq!(checked.json["status"], "passed");
    assert_eq!(
        tests_of(&checked.json),
        [("adds_small_numbers".to_owned(), true)]
    );
    assert_eq!(checked.json["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn a_compile_error_is_located_in_the_learner_file() {
    let checked = check("compile_error", &[]);
    assert_eq!(checked.code, 1);
    assert_eq!(checked.json["status"], "compile_error");
    let diag = &checked.json["diagnostics"][0];
    assert_eq!(diag["level"], "error");
    assert_eq!(diag["message"], "mismatched types");
    assert!(
        diag["file"]
            .as_str()
            .unwrap()
            .ends_with("exercises/01-fixtures/compile_error.rs")
    );
    assert_eq!(diag["line"], 3);
    assert_eq!(diag["column"], 22);
    let rendered = diag["rendered"].as_str().unwrap();
    assert!(
        rendered.contains("let total: i32 = \"five\";"),
        "{rendered}"
    );
    assert!(
        !rendered.contains("src/lib.rs"),
        "temporary paths leak: {rendered}"
    );
}

#[test]
fn a_failed_assertion_names_the_test_and_its_left_and_right() {
    let checked = check("test_fails", &[]);
    assert_eq!(checked.code, 1);
    assert_eq!(checked.json["status"], "tests_failed");
    let tests = checked.json["tests"].as_array().unwrap();
    let failed = tests
        .iter()
        .find(|t| t["name"] == "adds_small_numbers")
        .unwrap();
    assert_eq!(failed["passed"], false);
    assert_eq!(failed["message"], "assertion `left == right` failed: 2 + 3");
    assert_eq!(failed["left"], "-1");
    assert_eq!(failed["right"], "5");
    assert_eq!(
        failed["explanation"],
        "Add the two numbers; do not subtract."
    );
    let other = tests.iter().find(|t| t["name"] == "adds_zero").unwrap();
    assert_eq!(other["passed"], true);
}

#[test]
fn a_panic_in_learner_code_fails_the_test_with_its_message() {
    let checked = check("panics", &[]);
    assert_eq!(checked.json["status"], "tests_failed");
    assert_eq!(
        checked.json["tests"][0]["message"],
        "not yet implemented: write add"
    );
}

#[test]
fn an_abort_is_reported_as_a_crash_not_a_tool_error() {
    let checked = check("aborts", &[]);
    assert_eq!(checked.code, 1);
    assert_eq!(checked.json["status"], "tests_failed");
    assert!(checked.json["crash"].as_str().unwrap().contains("SIGABRT"));
    assert_eq!(checked.json["tests"][0]["message"], "did not finish");
}

#[test]
fn an_endless_loop_times_out_and_the_run_ends_promptly() {
    let checked = check("loops", &[]);
    assert_eq!(checked.code, 1);
    assert_eq!(checked.json["status"], "timed_out");
    assert_ended_in_time(&checked, 2);
    let ms = checked.json["duration_ms"].as_u64().unwrap();
    assert!(ms >= 2000, "stopped before its 2 s timeout: {ms} ms");
    // The looping test binary is gone: nothing of this check's runs.
    let lingering = support::processes_with(&[&checked.run.cache().to_string_lossy()]);
    assert!(lingering.is_empty(), "left running: {lingering:?}");
}

#[test]
fn a_child_that_outlives_the_test_is_killed_with_its_group() {
    let checked = check("orphan", &[]);
    assert_eq!(checked.json["status"], "passed");
    assert_ended_in_time(&checked, 5);
    let survivors = support::processes_with(&[&checked.run.cache().to_string_lossy()]);
    assert!(survivors.is_empty(), "left running: {survivors:?}");
}

#[test]
fn a_flood_of_output_is_capped_and_noted() {
    let checked = check("floods", &[]);
    assert_eq!(checked.json["status"], "passed");
    assert_eq!(checked.json["output_truncated"], true);
    assert_ended_in_time(&checked, 20);
}

#[test]
fn the_users_environment_never_reaches_an_exercise() {
    let checked = check(
        "reads_env",
        &[("TENSORLINGS_FIXTURE_SECRET", "sk-live-123")],
    );
    assert_eq!(checked.json["status"], "passed", "{:#}", checked.json);
}

#[test]
fn a_runaway_allocation_is_stopped_by_the_memory_limit_and_explained() {
    let checked = check("hogs_memory", &[]);
    assert_eq!(checked.json["status"], "tests_failed");
    assert_eq!(
        checked.json["limit"]["kind"], "process_memory",
        "{:#}",
        checked.json
    );
    let crash = checked.json["crash"].as_str().unwrap();
    assert!(
        crash.contains("more than 4 GiB of memory")
            && crash.contains("memory allocation of 17179869184 bytes failed"),
        "{crash}"
    );
    assert_ended_in_time(&checked, 10);
}

/// A test that catches one panic and then fails for another reason reports
/// the panic that ended it, not the one it caught.
#[test]
fn the_panic_that_ends_a_test_is_the_one_reported() {
    use std::sync::atomic::AtomicBool;
    use tensorlings::deps::DepSet;
    use tensorlings::runner::{CheckRequest, Runner, Work};
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("learner.rs");
    let tests = dir.path().join("tests.rs");
    std::fs::write(
        &source,
        "pub fn risky() {\n    panic!(\"caught on the way\");\n}\n",
    )
    .unwrap();
    std::fs::write(
        &tests,
        "use super::*;\n\n#[test]\nfn recovers_then_fails() {\n    let caught = std::panic::catch_unwind(risky);\n    assert!(caught.is_err());\n    assert_eq!(1 + 1, 3, \"the real failure\");\n}\n",
    )
    .unwrap();
    let request = CheckRequest {
        source: &source,
        work: Work::Code {
            tests: &tests,
            grading: None,
            starter: None,
        },
        deps: DepSet::Std,
        crates: &[],
        timeout: Duration::from_secs(30),
        display_name: "learner.rs".into(),
        lints: &[],
    };
    let runner = Runner::new().unwrap();
    let report = runner
        .check(&request, &AtomicBool::new(false), &mut |_| {})
        .unwrap();
    let test = &report.tests[0];
    assert!(!test.passed());
    let message = test.panic().map(|p| p.message.as_str()).unwrap_or_default();
    assert!(message.contains("the real failure"), "{message}");
    assert!(!message.contains("caught on the way"), "{message}");
}

/// Where the learner writes the tests: their private `#[test]` functions run
/// against the subject the runner puts under them, and the report is about
/// their tests; a wrong subject makes one fail.
#[test]
fn learner_written_tests_run_against_a_subject() {
    use std::sync::atomic::AtomicBool;
    use tensorlings::deps::DepSet;
    use tensorlings::runner::{CheckRequest, Runner, Status, Work};
    let dir = tempfile::tempdir().unwrap();
    let tests = dir.path().join("my_tests.rs");
    let right = dir.path().join("right.rs");
    let wrong = dir.path().join("wrong.rs");
    std::fs::write(
        &tests,
        "use super::*;\n\n#[test]\nfn doubles_three() {\n    assert_eq!(double(3), 6);\n}\n\n#[test]\nfn doubles_zero() {\n    assert_eq!(double(0), 0);\n}\n",
    )
    .unwrap();
    std::fs::write(&right, "pub fn double(x: i32) -> i32 {\n    x * 2\n}\n").unwrap();
    std::fs::write(&wrong, "pub fn double(x: i32) -> i32 {\n    x + 2\n}\n").unwrap();
    let runner = Runner::new().unwrap();
    let check = |subject: &std::path::Path| {
        let request = CheckRequest {
            source: &tests,
            work: Work::Tests {
                reference: subject,
                bugs: &[],
            },
            deps: DepSet::Std,
            crates: &[],
            timeout: Duration::from_secs(30),
            display_name: "my_tests.rs".into(),
            lints: &[],
        };
        runner
            .check(&request, &AtomicBool::new(false), &mut |_| {})
            .unwrap()
    };
    let good = check(&right);
    assert_eq!(good.status(), Status::Passed, "{good:#?}");
    let names: Vec<&str> = good.tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["doubles_three", "doubles_zero"]);
    let bad = check(&wrong);
    assert_eq!(bad.status(), Status::TestsFailed);
    let failed: Vec<&str> = bad
        .tests
        .iter()
        .filter(|t| !t.passed())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(failed, ["doubles_three", "doubles_zero"]);
    let place = bad.tests[0]
        .panic()
        .and_then(|p| p.location.as_ref())
        .expect("a place in the learner's tests");
    assert_eq!(place.line, 5, "{place:?}");
}
