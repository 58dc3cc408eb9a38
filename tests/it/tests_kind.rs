//! Exercises where the learner writes the tests: they must pass on the
//! course's correct code and catch each of its bugs.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{self, Tensorlings};

use serde_json::Value;

fn course() -> tempfile::TempDir {
    support::scratch_copy(&support::fixture("tests-kind"))
}

/// The binary on `course`, without colour.
fn on(course: &Path) -> Tensorlings {
    Tensorlings::on(course).env("NO_COLOR", "1")
}

fn learner_file(course: &Path) -> PathBuf {
    course.join("exercises/01-batches/batches.rs")
}

const HEADER: &str = "use super::*;\n\n";

#[test]
fn the_course_proves_its_starter_misses_bugs_and_its_solution_catches_all() {
    let dir = course();
    let out = on(dir.path()).arg("verify").run();
    assert_eq!(out.code(), Some(0), "{}", out.stdout());
    let list = on(dir.path()).arg("list").json().run();
    let rows: Value = list.json();
    assert_eq!(rows[0]["kind"], "tests");
}

#[test]
fn tests_that_catch_some_bugs_name_the_ones_they_miss() {
    let dir = course();
    fs::write(
        learner_file(dir.path()),
        format!("{HEADER}#[test]\nfn ten_in_fours() {{\n    assert_eq!(batches(10, 4), [(0, 4), (4, 8), (8, 10)]);\n}}\n"),
    )
    .unwrap();
    let checked = on(dir.path()).check("batches").json().run();
    let (code, json) = (checked.code(), checked.json());
    assert_eq!(code, Some(1));
    assert_eq!(json["kind"], "tests");
    assert_eq!(json["status"], "tests_failed");
    let caught: Vec<(String, bool)> = json["bugs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_owned(),
                b["caught"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        caught,
        [
            ("drops_last".to_owned(), true),
            ("empty_when_exact".to_owned(), false),
            ("off_by_one_end".to_owned(), true)
        ]
    );
    let text = on(dir.path()).check("batches").run();
    let said = text.stdout();
    assert!(
        said.contains("your tests caught 2 of 3 bugs; missed: an empty batch is added"),
        "{said}"
    );
}

#[test]
fn a_test_that_fails_on_the_correct_code_is_a_wrong_expectation() {
    let dir = course();
    fs::write(
        learner_file(dir.path()),
        format!("{HEADER}#[test]\nfn wrong_expectation() {{\n    assert_eq!(batches(10, 4).len(), 2);\n}}\n"),
    )
    .unwrap();
    let checked = on(dir.path()).check("batches").json().run();
    let (code, json) = (checked.code(), checked.json());
    assert_eq!(code, Some(1));
    assert_eq!(
        json["bugs"],
        serde_json::json!([]),
        "bugs are tried only once the tests pass"
    );
    assert_eq!(json["tests"][0]["passed"], false);
    let text = on(dir.path()).check("batches").run();
    let said = text.stdout();
    assert!(
        said.contains("1 of your 1 test fails on the correct code"),
        "{said}"
    );
    assert!(said.contains("expects the wrong thing"), "{said}");
}

#[test]
fn a_compile_error_in_the_learners_tests_points_at_their_file() {
    let dir = course();
    fs::write(
        learner_file(dir.path()),
        format!("{HEADER}#[test]\nfn typo() {{\n    let x: u8 = batches(1, 1);\n}}\n"),
    )
    .unwrap();
    let checked = on(dir.path()).check("batches").json().run();
    let (code, json) = (checked.code(), checked.json());
    assert_eq!(code, Some(1));
    assert_eq!(json["status"], "compile_error");
    let first = &json["diagnostics"][0];
    assert_eq!(first["line"], 5, "{first}");
    assert!(
        first["file"].as_str().unwrap().ends_with("batches.rs"),
        "{first}"
    );
    assert!(
        !json.to_string().contains("step_by"),
        "the reference code stays hidden"
    );
}

#[test]
fn grading_gives_credit_for_each_bug_caught() {
    let dir = course();
    let ws = tempfile::tempdir().unwrap();
    crate::support::copy_dir(dir.path(), ws.path());
    fs::write(
        learner_file(ws.path()),
        format!("{HEADER}#[test]\nfn ten_in_fours() {{\n    assert_eq!(batches(10, 4), [(0, 4), (4, 8), (8, 10)]);\n}}\n"),
    )
    .unwrap();
    let out = on(dir.path())
        .args([
            "grade",
            ws.path().to_str().unwrap(),
            "--format",
            "json",
            "--allow-weak-sandbox",
        ])
        .run();
    let json: Value = out.json();
    let g = &json["exercises"][0];
    assert_eq!(g["score"].as_f64(), Some(0.67), "{g}");
    let parts: Vec<&str> = g["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        [
            "catches drops_last",
            "catches empty_when_exact",
            "catches off_by_one_end"
        ]
    );
}

/// One build holds the reference and every bug; a learner's test must not be
/// able to name the reference and compare each bug with it instead of
/// testing. (With the variants' modules named in order this passed.)
#[test]
fn tests_cannot_name_the_reference_to_compare_a_bug_with_it() {
    let dir = course();
    for module in ["variant_0", "variant_1", "subject"] {
        fs::write(
            learner_file(dir.path()),
            format!(
                "{HEADER}#[test]\nfn same_as_the_reference() {{\n    for n in 0..20 {{\n        for size in 1..5 {{\n            \
                 assert_eq!(batches(n, size), crate::{module}::batches(n, size));\n        }}\n    }}\n}}\n"
            ),
        )
        .unwrap();
        let checked = on(dir.path()).check("batches").json().run();
        let (code, json) = (checked.code(), checked.json());
        assert_eq!(code, Some(1), "{module}: {json}");
        assert_ne!(json["status"], "passed", "{module}: {json}");
    }
}

/// Each bug runs in a work directory of its own: a test that writes the
/// reference's answers on the first run and compares with them later must
/// catch nothing. (With one work directory for every run it caught all.)
#[test]
fn nothing_one_run_writes_is_there_for_the_next() {
    let dir = course();
    fs::write(
        learner_file(dir.path()),
        format!(
            "{HEADER}#[test]\nfn same_as_the_first_run() {{\n    \
             let got: Vec<Vec<(usize, usize)>> = (0..20).flat_map(|n| (1..5).map(move |s| batches(n, s))).collect();\n    \
             let got = format!(\"{{got:?}}\");\n    \
             for path in [std::env::temp_dir().join(\"answers.txt\"), std::path::PathBuf::from(\"answers.txt\")] {{\n        \
             match std::fs::read_to_string(&path) {{\n            \
             Ok(first) => assert_eq!(first, got),\n            \
             Err(_) => {{ let _ = std::fs::write(&path, &got); }}\n        }}\n    }}\n}}\n"
        ),
    )
    .unwrap();
    let checked = on(dir.path()).check("batches").json().run();
    let (code, json) = (checked.code(), checked.json());
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["status"], "tests_failed", "{json}");
    let caught = json["bugs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["caught"] == true)
        .count();
    assert_eq!(caught, 0, "{json}");
}
