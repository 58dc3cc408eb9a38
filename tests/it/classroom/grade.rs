//! `grade`: a handed-in workspace checked against the course, in every
//! format, and the ways a workspace may try to game it.

use std::fs;
use std::path::Path;

use super::fixture_workspace;
use crate::support::{self, Run, Tensorlings};

/// Grades `ws` against the fixture course with `extra` arguments.
fn grade(ws: &Path, extra: &[&str]) -> Tensorlings {
    Tensorlings::on(support::fixture_course())
        .arg("grade")
        .arg(ws)
        .args(extra)
}

/// The graded exercise `id` of a JSON grade.
fn graded(out: &Run, id: &str) -> serde_json::Value {
    out.json()["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn grade_checks_a_mix_of_passing_failing_and_looping_work_with_junit() {
    let ws = fixture_workspace();
    let junit = ws.path().join("report.xml");
    let out = grade(ws.path(), &["--junit"])
        .arg(&junit)
        .args(["--format", "json", "--jobs", "2"])
        .run();
    assert_eq!(out.code(), Some(1), "{}", out.text());
    let status = |id: &str| graded(&out, id)["status"].as_str().unwrap().to_owned();
    assert_eq!(status("passes"), "passed");
    assert_eq!(
        status("test_fails"),
        "tests_failed",
        "the workspace's emptied tests must not count"
    );
    assert_eq!(status("compile_error"), "compile_error");
    assert_eq!(status("loops"), "timed_out");
    let xml = fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains(r#"<testsuite name="01-fixtures" tests="10""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase name="passes" classname="01-fixtures""#),
        "{xml}"
    );
    assert!(xml.contains(r#"type="timed_out""#), "{xml}");
}

#[test]
fn grade_of_a_workspace_with_everything_passing_exits_zero() {
    let ws = fixture_workspace();
    for entry in fs::read_dir(ws.path().join("solutions/01-fixtures"))
        .unwrap()
        .flatten()
    {
        fs::copy(
            entry.path(),
            ws.path()
                .join("exercises/01-fixtures")
                .join(entry.file_name()),
        )
        .unwrap();
    }
    let out = grade(ws.path(), &[]).run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    assert!(
        out.text()
            .contains("10 of 10 exercises passed; score 11 / 11"),
        "{}",
        out.text()
    );
}

/// Points and partial credit: `test_fails` is worth 2 and its first test
/// weighs 3 of its 4. Edited so that only the light test passes, it earns a
/// quarter; handed in untouched, nothing; every format says the same.
#[test]
fn grade_gives_partial_credit_by_weight_in_every_format() {
    let ws = fixture_workspace();
    let file = ws.path().join("exercises/01-fixtures/test_fails.rs");
    let untouched = grade(ws.path(), &["--format", "json"]).run();
    let g = graded(&untouched, "test_fails");
    assert_eq!(
        (g["score"].as_f64(), g["max_score"].as_f64()),
        (Some(0.0), Some(2.0))
    );
    assert_eq!(g["untouched"], true);

    let edited = fs::read_to_string(&file).unwrap() + "\n// my own attempt\n";
    fs::write(&file, edited).unwrap();
    let json = grade(ws.path(), &["--format", "json"]).run();
    let g = graded(&json, "test_fails");
    assert_eq!(g["untouched"], false);
    assert_eq!(g["score"].as_f64(), Some(0.5), "{g}");
    let tests = g["tests"].as_array().unwrap();
    let names: Vec<&str> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["adds_small_numbers", "adds_zero"]);
    assert_eq!(tests[0]["weight"], 3);
    assert_eq!(
        (tests[0]["passed"].as_bool(), tests[1]["passed"].as_bool()),
        (Some(false), Some(true))
    );
    let all = json.json();
    assert_eq!(all["max_score"].as_f64(), Some(11.0));
    let total = all["score"].as_f64().unwrap();
    let passes = graded(&json, "passes");
    assert_eq!(
        passes["score"].as_f64(),
        Some(1.0),
        "a passing exercise earns its points"
    );

    let c = grade(ws.path(), &["--format", "classroom"]).run().json();
    assert_eq!(
        (c["version"].as_u64(), c["status"].as_str()),
        (Some(1), Some("fail"))
    );
    assert_eq!(c["max_score"].as_f64(), Some(11.0));
    let scores: f64 = c["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["score"].as_f64().unwrap())
        .sum();
    assert!(
        (scores - total).abs() < 1e-9,
        "the reporter's sum is the grade: {scores} vs {total}"
    );
    let row = c["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("test_fails"))
        .unwrap();
    assert_eq!(row["score"].as_f64(), Some(0.5));
    assert_eq!(row["filename"], "exercises/01-fixtures/test_fails.rs");

    let e = grade(ws.path(), &["--format", "exercism"]).run().json();
    assert_eq!(
        (e["version"].as_u64(), e["status"].as_str()),
        (Some(3), Some("fail"))
    );
    let light = e["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "test_fails: adds_zero")
        .unwrap();
    assert_eq!(light["status"], "pass");
    let heavy = e["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "test_fails: adds_small_numbers")
        .unwrap();
    assert_eq!(heavy["status"], "fail");
    assert!(
        heavy["message"].as_str().unwrap().contains("2 + 3"),
        "{heavy}"
    );

    let xml = grade(ws.path(), &["--format", "junit"]).run().stdout();
    assert!(
        xml.contains(r#"<property name="score" value="0.5"/>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<property name="max_score" value="2"/>"#),
        "{xml}"
    );
}

#[cfg(unix)]
#[test]
fn grading_never_follows_a_link_out_of_the_workspace_nor_blocks_on_a_fifo() {
    let ws = fixture_workspace();
    let exercises = ws.path().join("exercises/01-fixtures");
    // A student's "answer" that is a link to the instructor's solution.
    fs::remove_file(exercises.join("test_fails.rs")).unwrap();
    std::os::unix::fs::symlink(
        support::fixture_course().join("solutions/01-fixtures/test_fails.rs"),
        exercises.join("test_fails.rs"),
    )
    .unwrap();
    // One that is a FIFO, which would block a reader for ever.
    fs::remove_file(exercises.join("panics.rs")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(exercises.join("panics.rs"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = grade(ws.path(), &["--format", "json"]).run();
    assert!(out.elapsed() < std::time::Duration::from_secs(120));
    let linked = graded(&out, "test_fails");
    assert_ne!(linked["status"], "passed", "{linked:#}");
    assert!(
        linked["detail"].as_str().unwrap().contains("link"),
        "{linked:#}"
    );
    let fifo = graded(&out, "panics");
    assert!(
        fifo["detail"]
            .as_str()
            .unwrap()
            .contains("not a regular file"),
        "{fifo:#}"
    );
}

#[test]
fn no_variable_of_the_graders_environment_reaches_a_report() {
    let ws = fixture_workspace();
    fs::write(
        ws.path().join("exercises/01-fixtures/passes.rs"),
        r#"//! Tells everything it can find out about the grader.
pub fn add(_a: i32, _b: i32) -> i32 {
    let mut seen: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
    seen.push(format!("compile-time token {:?}", option_env!("GRADER_TOKEN")));
    seen.push(format!("compile-time home {:?}", option_env!("HOME")));
    seen.push(format!("compile-time path {:?}", option_env!("PATH")));
    println!("{}", seen.join("\n"));
    panic!("{}", seen.join(" | "))
}
"#,
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let junit = ws.path().join("junit.xml");
    let home_text = home.path().to_string_lossy().into_owned();
    let out = grade(
        ws.path(),
        &["--format", "json", "--junit", junit.to_str().unwrap()],
    )
    .env("GRADER_TOKEN", "tok-grader-42")
    .env("HOME", &home_text)
    .own_cache()
    .run();
    let everything = format!("{}{}", out.text(), fs::read_to_string(&junit).unwrap());
    let passes = graded(&out, "passes");
    assert!(
        passes["detail"]
            .as_str()
            .unwrap()
            .contains("compile-time token"),
        "the probe did not run: {passes:#}"
    );
    assert!(!everything.contains("tok-grader-42"), "{everything}");
    assert!(
        !everything.contains(&home_text),
        "the grader's HOME leaked: {everything}"
    );
}

#[test]
fn grading_flags_the_tell_tale_signs_of_gaming_a_check() {
    let ws = fixture_workspace();
    fs::write(
        ws.path().join("exercises/01-fixtures/passes.rs"),
        "macro_rules! assert_eq { ($($t:tt)*) => {} }\n\
         pub fn add(a: i32, b: i32) -> i32 {\n    if a == i32::MIN { std::process::exit(0) }\n    a + b\n}\n",
    )
    .unwrap();
    let out = grade(ws.path(), &["--format", "json"]).run();
    let passes = graded(&out, "passes");
    let flags = passes["flags"].to_string();
    assert!(
        flags.contains("redefines the standard macro assert_eq!"),
        "{flags}"
    );
    assert!(flags.contains("std::process::exit"), "{flags}");
    assert_eq!(graded(&out, "test_fails")["flags"], serde_json::json!([]));
    assert!(
        graded(&out, "aborts")["flags"]
            .to_string()
            .contains("std::process::abort")
    );
}

#[test]
fn grading_refuses_a_weaker_sandbox_unless_told_to_accept_it() {
    let ws = fixture_workspace();
    let weak = ("TENSORLINGS_SANDBOX_OFF", "seccomp");
    let refused = grade(ws.path(), &[]).env(weak.0, weak.1).run();
    assert_eq!(refused.code(), Some(2), "{}", refused.text());
    assert!(refused.text().contains("seccomp"), "{}", refused.text());
    assert!(
        refused.text().contains("--allow-weak-sandbox"),
        "{}",
        refused.text()
    );
    let accepted = grade(ws.path(), &["--allow-weak-sandbox"])
        .env(weak.0, weak.1)
        .run();
    assert_eq!(accepted.code(), Some(1), "{}", accepted.text());
    assert!(
        accepted.text().contains("weaker sandbox"),
        "{}",
        accepted.text()
    );
}
