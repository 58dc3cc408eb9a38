//! `class`: a class of workspaces and saved grades summed up, who is
//! stuck first, in every format.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{self, Tensorlings};

/// A student's workspace with `records` (id, passed, attempts, hints,
/// seconds from first opening to the latest check, or to passing) in its
/// progress file; the student is at the last record's exercise.
fn student(root: &Path, name: &str, records: &[(&str, bool, u32, u32, u64)]) -> PathBuf {
    use tensorlings::course::progress::{ExerciseProgress, Progress};
    let ws = root.join(name);
    fs::create_dir_all(ws.join(".tensorlings")).unwrap();
    let mut progress = Progress::new();
    for &(id, passed, attempts, hints, seconds) in records {
        progress.exercises.insert(
            id.to_owned(),
            ExerciseProgress {
                passed,
                attempts,
                hints_used: hints,
                first_opened: Some(1_000),
                passed_at: passed.then_some(1_000 + seconds),
                last_checked: (attempts > 0).then_some(1_000 + seconds),
            },
        );
    }
    progress.current = records.last().map(|r| r.0.to_owned());
    fs::write(
        ws.join(".tensorlings/progress.json"),
        serde_json::to_string(&progress).unwrap(),
    )
    .unwrap();
    ws
}

/// Runs `class` over `paths` with `args`; its standard output.
pub(crate) fn class(paths: &[&Path], args: &[&str]) -> String {
    let out = Tensorlings::on(support::fixture_course())
        .arg("class")
        .args(paths)
        .args(args)
        .run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    String::from_utf8(out.stdout_bytes().to_vec()).unwrap()
}

/// A class of five: two stuck (cy by time, bo by tries), one who has just
/// opened the next exercise, one done with what they tried, one saved grade.
pub(crate) fn five_students(root: &Path) -> Vec<PathBuf> {
    // The fixture course's order: passes, compile_error, test_fails, panics…
    let ada = student(
        root,
        "ada",
        &[
            ("passes", true, 1, 0, 60),
            ("compile_error", true, 1, 0, 30),
            ("test_fails", true, 3, 1, 300),
        ],
    );
    let bo = student(
        root,
        "bo",
        &[
            ("passes", true, 5, 2, 600),
            ("compile_error", true, 2, 0, 90),
            ("test_fails", false, 6, 2, 600),
        ],
    );
    let cy = student(root, "cy", &[("passes", false, 2, 0, 1_500)]);
    // Passed one, opened the next a moment ago, not checked it yet.
    let eve = student(
        root,
        "eve",
        &[
            ("passes", true, 1, 0, 60),
            ("compile_error", false, 0, 0, 0),
        ],
    );
    // A saved grade: everything but `passes` failed.
    let grade = root.join("dee.json");
    fs::write(
        &grade,
        r#"{"version":1,"exercises":[{"id":"passes","status":"passed"},{"id":"compile_error","status":"passed"},{"id":"test_fails","status":"tests_failed"}]}"#,
    )
    .unwrap();
    vec![ada, bo, cy, eve, grade]
}

#[test]
fn class_sums_up_workspaces_and_saved_grades_in_every_format() {
    let root = tempfile::tempdir().unwrap();
    let paths = five_students(root.path());
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let json: serde_json::Value =
        serde_json::from_str(&class(&paths, &["--format", "json"])).unwrap();
    assert_eq!(json["class_size"], 5);
    assert_eq!(json["sources"]["dee"], "grade");
    assert_eq!(json["sources"]["ada"], "progress");
    let row = |id: &str| {
        json["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    let passes = row("passes");
    assert_eq!(passes["passed"], 4, "ada, bo, eve and dee");
    assert_eq!(passes["median_attempts"], 1.0, "1, 5 and 1");
    assert_eq!(passes["median_seconds_to_pass"], 60.0);
    assert_eq!(passes["hints"], 2);
    assert_eq!(passes["stuck"], 1, "cy");
    assert_eq!(passes["stuck_students"], serde_json::json!(["cy"]));
    let fails = row("test_fails");
    assert_eq!(fails["passed"], 1);
    assert_eq!(fails["stuck"], 1, "bo; dee's grade says nothing of tries");
    assert_eq!(fails["here"], 3, "ada and bo are at it, and dee's grade");
    let compile = row("compile_error");
    assert_eq!(compile["here"], 1, "eve");
    assert_eq!(compile["stuck"], 0, "eve has not checked it yet");
    assert_eq!(row("panics")["stuck"], 0, "nobody has tried it");

    let students = json["students"].as_array().unwrap();
    let ids: Vec<&str> = students.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        &ids[..2],
        ["cy", "bo"],
        "stuck first, longest first: {ids:?}"
    );
    let cy = &students[0];
    assert_eq!(cy["current"], "passes");
    assert_eq!(cy["passed"], 0);
    assert_eq!(cy["attempts_on_current"], 2);
    assert_eq!(cy["minutes_on_current"], 25);
    assert_eq!(cy["stuck"], true);
    let bo = &students[1];
    assert_eq!(bo["stuck_on"], serde_json::json!(["test_fails"]));
    assert_eq!(bo["hints"], 4);
    let eve = students.iter().find(|s| s["id"] == "eve").unwrap();
    assert_eq!(eve["current"], "compile_error");
    assert_eq!(eve["stuck"], false);
    assert_eq!(eve["attempts_on_current"], 0);
    let dee = students.iter().find(|s| s["id"] == "dee").unwrap();
    assert_eq!(dee["current"], "test_fails", "the first not passed");
    assert_eq!(dee["attempts_on_current"], serde_json::Value::Null);
    assert_eq!(dee["stuck"], false);
    assert!(
        json["stuck_means"]
            .as_str()
            .unwrap()
            .contains("5 or more checks, or 20 or more minutes")
    );

    let table = class(&paths, &["--format", "text"]);
    assert!(
        table.starts_with("2 of 5 students are stuck: cy on passes, bo on test_fails."),
        "{table}"
    );
    assert!(
        table.contains("5 students: 1 from saved grades, 4 from progress files"),
        "{table}"
    );
    assert!(table.contains("test_fails: 1 stuck (bo)"), "{table}");
    assert!(
        table.contains("stuck: not passed after 5 or more checks"),
        "{table}"
    );
    let cy_row = table.lines().find(|l| l.starts_with("cy ")).unwrap();
    assert!(cy_row.contains("25 min"), "{cy_row}");
    let markdown = class(&paths, &["--format", "markdown"]);
    assert!(
        markdown.contains("| `test_fails` Fails an assertion | 1/5 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| cy | passes | 0/10 | 2 | 25 min |"),
        "{markdown}"
    );
    let html = class(&paths, &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<svg"), "a chart");
    assert_eq!(html.matches("<tr class=\"student").count(), 5, "{html}");
    assert!(
        html.contains("cy: 0 of 10 passed, at passes, stuck on passes"),
        "{html}"
    );
    // Self-contained: nothing to fetch, nothing to run.
    assert!(!html.contains("<script"), "no scripts");
    for attr in ["src=", "href=", "url("] {
        assert!(!html.contains(attr), "nothing fetched ({attr})");
    }
}

#[test]
fn class_thresholds_decide_who_is_stuck_and_the_headline_fits_the_class() {
    let root = tempfile::tempdir().unwrap();
    let paths = five_students(root.path());
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let lenient = class(&paths, &["--stuck-attempts", "10", "--stuck-minutes", "30"]);
    assert!(
        lenient.starts_with("None of the 5 students is stuck."),
        "{lenient}"
    );
    assert!(
        lenient.contains("10 or more checks, or 30 or more minutes"),
        "{lenient}"
    );
    let strict = class(&paths, &["--stuck-attempts", "2", "--stuck-minutes", "600"]);
    assert!(
        strict.starts_with("2 of 5 students are stuck: cy on passes, bo on test_fails."),
        "tries decide now; the longer at it comes first: {strict}"
    );
    let some = class(&paths, &["--stuck-attempts", "6", "--stuck-minutes", "600"]);
    assert!(
        some.starts_with("1 of 5 students is stuck: bo on test_fails."),
        "{some}"
    );
    let alone = class(&paths[3..4], &[]);
    assert!(
        alone.starts_with("eve is not stuck; at compile_error."),
        "{alone}"
    );
    let alone = class(&paths[2..3], &[]);
    assert!(alone.starts_with("cy on passes: stuck."), "{alone}");
    let pair = class(&paths[..2], &["--format", "json"]);
    let pair: serde_json::Value = serde_json::from_str(&pair).unwrap();
    assert_eq!(pair["students"].as_array().unwrap().len(), 2);
    let pair = class(&paths[..2], &[]);
    assert!(
        pair.starts_with("1 of 2 students is stuck: bo on test_fails."),
        "{pair}"
    );
    let both = class(&paths[1..3], &[]);
    assert!(
        both.starts_with("Both students are stuck: cy on passes, bo on test_fails."),
        "{both}"
    );
}

#[test]
fn class_skips_what_it_cannot_read_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let ada = student(root.path(), "ada", &[("passes", true, 1, 0, 60)]);
    let junk = root.path().join("junk.json");
    fs::write(&junk, "not json").unwrap();
    let out = Tensorlings::on(support::fixture_course())
        .arg("class")
        .arg(&ada)
        .arg(&junk)
        .arg(root.path().join("nobody"))
        .run();
    assert_eq!(out.code(), Some(1), "{}", out.text());
    let said = out.text();
    assert!(
        said.contains("skipped:") && said.contains("junk.json"),
        "{said}"
    );
    assert!(said.contains("nobody"), "{said}");
    assert!(said.contains("1 student:"), "{said}");
}
