//! `new-exercise`: authoring scaffolds that `verify` accepts, and only
//! inside the course.

use std::fs;

use super::fixture_workspace;
use crate::support::{self, Tensorlings};

#[test]
fn new_exercise_scaffolds_files_that_verify_accepts() {
    let ws = fixture_workspace();
    let out = Tensorlings::on(ws.path())
        .args(["new-exercise", "02-new", "fresh1", "--title", "Fresh start"])
        .run();
    assert!(out.success(), "{}", out.text());
    let yaml = fs::read_to_string(ws.path().join("lessons/02-new/lesson.yaml")).unwrap();
    assert!(yaml.contains("- id: fresh1"), "{yaml}");
    let out = Tensorlings::on(ws.path())
        .args(["verify", "--lesson", "02-new"])
        .run();
    assert!(out.success(), "{}", out.text());
    // A second exercise is appended to the same lesson, and duplicates are refused.
    let again = |id: &str| {
        Tensorlings::on(ws.path())
            .args(["new-exercise", "02-new", id])
            .run()
    };
    assert!(again("fresh2").success());
    assert_eq!(again("fresh2").code(), Some(2));
    let out = Tensorlings::on(ws.path())
        .args(["list", "--format", "json"])
        .run();
    assert!(out.stdout().contains("\"fresh2\""));
}

#[test]
fn new_exercise_refuses_names_that_would_write_outside_the_course() {
    let outer = tempfile::tempdir().unwrap();
    let course = outer.path().join("course");
    support::copy_dir(&support::fixture_course(), &course);
    for (lesson, id) in [
        ("../../escaped", "x1"),
        ("/tmp/abs", "x2"),
        ("02-new", "../x3"),
        ("02-New", "x4"),
    ] {
        let out = Tensorlings::on(&course)
            .args(["new-exercise", lesson, id])
            .run();
        assert_eq!(out.code(), Some(2), "{lesson} {id}: {}", out.text());
        assert!(out.text().contains("may hold only"), "{}", out.text());
    }
    let entries: Vec<_> = fs::read_dir(outer.path()).unwrap().flatten().collect();
    assert_eq!(entries.len(), 1, "something was written beside the course");
    assert!(!course.join("lessons/02-new").exists());
}
