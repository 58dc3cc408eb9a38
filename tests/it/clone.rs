//! A clone of the repository: the learner works in `workspace/`, never in
//! the tracked `exercises/`, and course updates reach them without touching
//! their work.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{self, Tensorlings};

/// A stand-in for a fresh clone: the fixture course laid out as the
/// repository is (its manifest names the package, the core crate is there),
/// committed to git with the repository's ignore rules.
fn clone() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&support::fixture_course(), dir.path());
    fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"tensorlings\"\n",
    )
    .unwrap();
    fs::create_dir_all(dir.path().join("crates/core")).unwrap();
    fs::write(dir.path().join("crates/core/Cargo.toml"), "").unwrap();
    let ignore = fs::read_to_string(support::repo().join(".gitignore")).unwrap();
    fs::write(dir.path().join(".gitignore"), ignore).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(
        dir.path(),
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "course",
        ],
    );
    dir
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn solving_exercises_in_a_clone_changes_no_tracked_file() {
    let clone = clone();
    let root = clone.path();
    let first = Tensorlings::in_dir(root).arg("list").json().run();
    assert!(first.success(), "{}", first.text());
    assert!(
        first.text().contains("your work goes in workspace/"),
        "{}",
        first.text()
    );
    let rows: serde_json::Value = first.json();
    assert_eq!(rows[0]["file"], "workspace/exercises/01-fixtures/passes.rs");
    // Solve one: the learner's file is the workspace's.
    let starter = fs::read(root.join("exercises/01-fixtures/test_fails.rs")).unwrap();
    fs::copy(
        root.join("solutions/01-fixtures/test_fails.rs"),
        root.join("workspace/exercises/01-fixtures/test_fails.rs"),
    )
    .unwrap();
    let shown = root.join("workspace/solutions/01-fixtures/test_fails.rs");
    assert!(!shown.exists(), "no solution before a pass");
    let out = Tensorlings::in_dir(root).check("test_fails").json().run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    assert_eq!(
        fs::read(&shown).unwrap(),
        fs::read(root.join("solutions/01-fixtures/test_fails.rs")).unwrap(),
        "the clone's solution, once passed"
    );
    let json: serde_json::Value = out.json();
    assert_eq!(
        json["file"],
        "workspace/exercises/01-fixtures/test_fails.rs"
    );
    assert_eq!(
        fs::read(root.join("exercises/01-fixtures/test_fails.rs")).unwrap(),
        starter
    );
    assert!(root.join("workspace/.tensorlings/progress.json").is_file());
    let status = git(root, &["status", "--porcelain"]);
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    // `verify` (what `cargo test` runs) still sees the pristine starter fail.
    let out = Tensorlings::in_dir(root)
        .args(["verify", "--lesson", "01-fixtures"])
        .run();
    assert!(out.text().contains("ok   test_fails"), "{}", out.text());
}

#[test]
fn course_updates_reach_the_learner_without_touching_their_work() {
    let clone = clone();
    let root = clone.path();
    assert!(Tensorlings::in_dir(root).arg("list").run().success());
    let mine = root.join("workspace/exercises/01-fixtures/test_fails.rs");
    fs::write(
        &mine,
        "// my own attempt\npub fn add(a: i32, b: i32) -> i32 { a * b }\n",
    )
    .unwrap();
    // `git pull` brings new starters for an edited and an untouched exercise,
    // and new hidden tests.
    let edited_starter = "// a newer starter\npub fn add(a: i32, b: i32) -> i32 { todo!() }\n";
    fs::write(
        root.join("exercises/01-fixtures/test_fails.rs"),
        edited_starter,
    )
    .unwrap();
    fs::write(
        root.join("exercises/01-fixtures/panics.rs"),
        "// renewed\npub fn add(a: i32, b: i32) -> i32 { todo!() }\n",
    )
    .unwrap();
    let tests = root.join("lessons/01-fixtures/tests/passes.rs");
    let new_tests = format!("{}\n// revised\n", fs::read_to_string(&tests).unwrap());
    fs::write(&tests, &new_tests).unwrap();
    let out = Tensorlings::in_dir(root).arg("list").run();
    let said = out.text();
    assert!(said.contains("newer starter for test_fails"), "{said}");
    assert!(!said.contains("newer starter for panics"), "{said}");
    assert!(
        fs::read_to_string(&mine)
            .unwrap()
            .contains("my own attempt")
    );
    assert!(
        fs::read_to_string(root.join("workspace/exercises/01-fixtures/panics.rs"))
            .unwrap()
            .starts_with("// renewed")
    );
    assert_eq!(
        fs::read_to_string(root.join("workspace/lessons/01-fixtures/tests/passes.rs")).unwrap(),
        new_tests
    );
    // `reset` puts the newer starter in place and keeps the learner's file.
    let out = Tensorlings::in_dir(root)
        .args(["reset", "test_fails"])
        .run();
    assert!(out.success(), "{}", out.text());
    assert_eq!(fs::read_to_string(&mine).unwrap(), edited_starter);
    let backups: Vec<_> = fs::read_dir(root.join("workspace/.tensorlings/backups"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(backups.len(), 1);
    assert!(
        fs::read_to_string(backups[0].path())
            .unwrap()
            .contains("my own attempt")
    );
}

/// Front ends starting at once in a fresh clone (the app, a `check` in
/// another terminal, an editor's task): each creates or brings the workspace
/// in step, and none fails because another was half-way through.
#[test]
fn front_ends_starting_at_once_all_find_the_workspace() {
    let dir = clone();
    let children: Vec<_> = (0..6)
        .map(|_| Tensorlings::in_dir(dir.path()).arg("list").json().spawn())
        .collect();
    for child in children {
        let out = child.wait();
        assert!(out.success(), "{}", out.text());
    }
    assert!(dir.path().join("workspace/exercises").is_dir());
}

#[test]
fn grading_only_tests_stay_out_of_the_clones_workspace() {
    let clone = clone();
    let root = clone.path();
    let grading = root.join("lessons/01-fixtures/tests/passes.grade.rs");
    fs::write(
        &grading,
        "use super::*;\n#[test]\nfn only_when_graded() {}\n",
    )
    .unwrap();
    let out = Tensorlings::in_dir(root).arg("list").json().run();
    assert!(out.success(), "{}", out.text());
    assert!(
        !root
            .join("workspace/lessons/01-fixtures/tests/passes.grade.rs")
            .exists()
    );
    assert!(
        root.join("workspace/lessons/01-fixtures/tests/passes.rs")
            .exists()
    );
    assert_eq!(
        fs::read_to_string(root.join("workspace/.tensorlings/grading-only")).unwrap(),
        "passes\n"
    );
    let rows: serde_json::Value = out.json();
    assert_eq!(rows[0]["more_tests_when_graded"], true);
    assert_eq!(rows[1]["more_tests_when_graded"], false);
    assert!(!root.join("workspace/solutions").exists());
}
