//! `init`: a learner workspace written from the course.

use std::fs;

use crate::support::Tensorlings;

#[test]
fn init_writes_a_workspace_that_runs_from_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("course");
    let out = Tensorlings::new().arg("init").arg(&ws).run();
    assert!(out.success(), "{}", out.text());
    for path in [
        "lessons/01-traits/lesson.yaml",
        "exercises/01-traits/traits1.rs",
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
    let out = Tensorlings::in_dir(ws.join("exercises"))
        .args(["list", "--format", "json"])
        .run();
    assert!(out.success(), "{}", out.text());
    let rows = out.json();
    assert!(rows.as_array().unwrap().len() >= 30);
    // reset restores from the workspace's pristine starters.
    let file = ws.join("exercises/01-traits/traits1.rs");
    let starter = fs::read_to_string(&file).unwrap();
    fs::write(&file, "// my attempt\n").unwrap();
    let out = Tensorlings::in_dir(&ws).args(["reset", "traits1"]).run();
    assert!(out.success(), "{}", out.text());
    assert_eq!(fs::read_to_string(&file).unwrap(), starter);
}

#[test]
fn init_never_writes_into_a_directory_with_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = Tensorlings::new().arg("init").arg(dir.path()).run();
    assert_eq!(out.code(), Some(2));
    assert!(out.text().contains("not empty"), "{}", out.text());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}
