//! `report`: a learner's record of attempts, hints and passes, and the
//! progress file it is read from.

use std::fs;

use super::fixture_workspace;
use crate::support::Tensorlings;

#[test]
fn report_counts_attempts_hints_and_passes() {
    let ws = fixture_workspace();
    let run = |args: &[&str]| Tensorlings::on(ws.path()).args(args).run();
    run(&["check", "test_fails"]);
    run(&["check", "passes"]);
    run(&["check", "passes"]);
    run(&["hint", "passes"]);
    let out = run(&["report", "--format", "json"]);
    assert!(out.success(), "{}", out.text());
    let rows = out.json();
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
    let md = run(&["report", "--format", "markdown"]).stdout();
    assert!(md.contains("| passes — Passes | ✓ | 2 | 1 |"), "{md}");
}

/// The record `report` reads: a broken progress file is set aside, never
/// overwritten with an empty one.
#[test]
fn a_corrupt_progress_file_is_reported_and_kept_not_silently_reset() {
    let ws = fixture_workspace();
    let progress = ws.path().join(".tensorlings/progress.json");
    fs::create_dir_all(progress.parent().unwrap()).unwrap();
    fs::write(&progress, "{\"version\": 1, \"exercises\": {\"passes\": ").unwrap();
    let out = Tensorlings::on(ws.path()).arg("list").run();
    assert!(out.success());
    let err = out.stderr();
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
