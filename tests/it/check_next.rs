//! What `check` says after a pass, from the session's answer: the next
//! exercise after a first pass, nothing more after a pass again.

use std::process::{Command, Output};

use crate::support;

fn check(course: &std::path::Path, id: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tensorlings"))
        .env("TENSORLINGS_CACHE_DIR", course.join(".cache-for-test"))
        .arg("--course")
        .arg(course)
        .args(["check", id])
        .output()
        .unwrap()
}

#[test]
fn a_first_pass_names_the_next_exercise_and_a_pass_again_does_not() {
    let course = support::scratch_course();
    let out = check(course.path(), "passes");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Next: compile_error (`tensorlings check compile_error` checks it)."),
        "{text}"
    );
    let out = check(course.path(), "passes");
    let again = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{again}");
    assert!(!again.contains("Next:"), "{again}");
}
