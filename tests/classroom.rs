//! Workspaces, reports, grading and authoring: the instructor's side.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tensorlings"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn init_writes_a_workspace_that_runs_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("course");
    let out = bin().arg("init").arg(&ws).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    for path in [
        "lessons/01-traits/lesson.yaml",
        "exercises/01-traits/traits1.rs",
        "solutions/01-traits/traits1.rs",
        ".tensorlings/starters/01-traits/traits1.rs",
        ".tensorlings/progress.json",
        ".vscode/settings.json",
        "Cargo.toml",
    ] {
        assert!(ws.join(path).is_file(), "{path} missing");
    }
    let ignore = fs::read_to_string(ws.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".env"), "{ignore}");
    assert!(ignore.contains("/.tensorlings/progress.json"), "{ignore}");
    // The workspace is a course: commands work from inside it, even a subdirectory.
    let out = bin()
        .current_dir(ws.join("exercises"))
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.as_array().unwrap().len() >= 30);
    // reset restores from the workspace's pristine starters.
    let file = ws.join("exercises/01-traits/traits1.rs");
    let starter = fs::read_to_string(&file).unwrap();
    fs::write(&file, "// my attempt\n").unwrap();
    let out = bin()
        .current_dir(&ws)
        .args(["reset", "traits1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fs::read_to_string(&file).unwrap(), starter);
}

#[test]
fn init_never_writes_into_a_directory_with_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = bin().arg("init").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("not empty"), "{}", text(&out));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A learner workspace made from the fixture course, with its own (weakened)
/// copy of the tests that grading must ignore.
fn fixture_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(common::fixture_course().join("."))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    fs::write(
        dir.path().join("lessons/01-fixtures/tests/test_fails.rs"),
        "",
    )
    .unwrap();
    dir
}

#[test]
fn grade_checks_a_mix_of_passing_failing_and_looping_work_with_junit() {
    let ws = fixture_workspace();
    let junit = ws.path().join("report.xml");
    let out = bin()
        .arg("--course")
        .arg(common::fixture_course())
        .arg("grade")
        .arg(ws.path())
        .arg("--junit")
        .arg(&junit)
        .args(["--format", "json", "--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let graded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |id: &str| {
        graded
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
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
    let out = bin()
        .arg("--course")
        .arg(common::fixture_course())
        .arg("grade")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("10 of 10 exercises passed"),
        "{}",
        text(&out)
    );
}

#[test]
fn report_counts_attempts_hints_and_passes() {
    let ws = fixture_workspace();
    let run = |args: &[&str]| {
        bin()
            .arg("--course")
            .arg(ws.path())
            .args(args)
            .output()
            .unwrap()
    };
    run(&["check", "test_fails"]);
    run(&["check", "passes"]);
    run(&["check", "passes"]);
    run(&["hint", "passes"]);
    let out = run(&["report", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row("passes")["passed"], true);
    assert_eq!(row("passes")["attempts"], 2);
    assert_eq!(row("passes")["hints_used"], 1);
    assert!(row("passes")["seconds_to_pass"].as_u64().is_some());
    assert_eq!(row("test_fails")["passed"], false);
    assert_eq!(
        row("test_fails")["seconds_to_pass"],
        serde_json::Value::Null
    );
    let md = run(&["report", "--format", "markdown"]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("| passes — Passes | ✓ | 2 | 1 |"), "{md}");
}

#[test]
fn a_corrupt_progress_file_is_reported_and_kept_not_silently_reset() {
    let ws = fixture_workspace();
    let progress = ws.path().join(".tensorlings/progress.json");
    fs::create_dir_all(progress.parent().unwrap()).unwrap();
    fs::write(&progress, "{\"version\": 1, \"exercises\": {\"passes\": ").unwrap();
    let out = bin()
        .arg("--course")
        .arg(ws.path())
        .arg("list")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a valid progress file") && err.contains("moved to"),
        "{err}"
    );
    let backups: Vec<_> = fs::read_dir(progress.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("progress.json.bad-")
        })
        .collect();
    assert_eq!(backups.len(), 1);
    assert!(
        fs::read_to_string(backups[0].path())
            .unwrap()
            .contains("\"passes\"")
    );
}

#[test]
fn new_exercise_scaffolds_files_that_verify_accepts() {
    let ws = fixture_workspace();
    let out = bin()
        .arg("--course")
        .arg(ws.path())
        .args(["new-exercise", "02-new", "fresh1", "--title", "Fresh start"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let yaml = fs::read_to_string(ws.path().join("lessons/02-new/lesson.yaml")).unwrap();
    assert!(yaml.contains("- id: fresh1"), "{yaml}");
    let out = bin()
        .arg("--course")
        .arg(ws.path())
        .args(["verify", "--lesson", "02-new"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    // A second exercise is appended to the same lesson, and duplicates are refused.
    let again = |id: &str| {
        bin()
            .arg("--course")
            .arg(ws.path())
            .args(["new-exercise", "02-new", id])
            .output()
            .unwrap()
    };
    assert!(again("fresh2").status.success());
    assert_eq!(again("fresh2").status.code(), Some(2));
    let out = bin()
        .arg("--course")
        .arg(ws.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"fresh2\""));
}

#[test]
fn prepare_builds_the_named_sets_once_and_reports_the_disk_used() {
    let cache = tempfile::tempdir().unwrap();
    let prepare = || {
        bin()
            .args(["prepare", "--set", "std,light"])
            .env("TENSORLINGS_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let out = prepare();
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("light: ready (38 crates"), "{said}");
    assert!(said.contains("MB in"), "{said}");
    assert!(cache.path().join("light/target/debug").is_dir());
    // Built once: the second run compiles nothing new and finishes quickly.
    let started = std::time::Instant::now();
    let again = prepare();
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}
