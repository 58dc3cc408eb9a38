//! A class that cannot read the answers: a learner's workspace holds no
//! reference solution (one appears once its exercise passed) and no
//! grading-only test, which only `grade` runs.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{self, Run, Tensorlings, repo};

/// The course with an exercise that has grading-only tests.
fn grading_course() -> PathBuf {
    support::fixture("grading")
}

/// Every regular file under `dir`, hidden directories included.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out
}

/// Lines of the course's reference solutions that give an answer away: in
/// the solution, and neither in any starter (a later exercise's starter may
/// carry an earlier one's answer) nor anywhere in the lessons (prose and
/// hidden tests may quote a line on purpose).
fn telling_lines() -> Vec<(PathBuf, String)> {
    let read_all = |dir: &str| -> String {
        all_files(&repo().join(dir))
            .iter()
            .filter_map(|p| fs::read_to_string(p).ok())
            .collect()
    };
    let lessons = read_all("lessons");
    let starters = read_all("exercises");
    let mut out = Vec::new();
    for solution in all_files(&repo().join("solutions")) {
        let relative = solution.strip_prefix(repo().join("solutions")).unwrap();
        let text = fs::read_to_string(&solution).unwrap();
        for line in text.lines().map(str::trim) {
            if line.len() >= 24
                && !line.starts_with("//")
                && !starters.contains(line)
                && !lessons.contains(line)
            {
                out.push((relative.to_path_buf(), line.to_owned()));
            }
        }
    }
    out
}

#[test]
fn a_fresh_workspace_holds_no_answer_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("class");
    let out = Tensorlings::new().arg("init").arg(&ws).run();
    assert!(out.success(), "{}", out.text());
    let telling = telling_lines();
    let solutions: BTreeSet<&PathBuf> = telling.iter().map(|(p, _)| p).collect();
    assert!(
        solutions.len() >= 40,
        "most solutions have a line of their own to look for ({} do)",
        solutions.len()
    );
    let files = all_files(&ws);
    assert!(
        files.iter().any(|p| p.starts_with(ws.join(".tensorlings"))),
        "hidden directories are searched too"
    );
    for file in &files {
        let Ok(content) = fs::read_to_string(file) else {
            continue;
        };
        for (solution, line) in &telling {
            assert!(
                !content.contains(line.as_str()),
                "{} holds a line of solutions/{}: {line}",
                file.display(),
                solution.display()
            );
        }
        assert!(
            !file.to_string_lossy().ends_with(".grade.rs"),
            "{} is a grading-only test",
            file.display()
        );
    }
    assert!(!ws.join("solutions").exists());
    // Tests only grading runs are not there, but the workspace knows there
    // are some, to say so.
    let marked = fs::read_to_string(ws.join(".tensorlings/grading-only")).unwrap();
    let graded: Vec<PathBuf> = all_files(&repo().join("lessons"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".grade.rs"))
        .collect();
    assert!(!graded.is_empty(), "the course has grading-only tests");
    for file in &graded {
        let name = file.file_name().unwrap().to_string_lossy();
        let id = name.trim_end_matches(".grade.rs");
        assert!(marked.lines().any(|l| l == id), "{id} in {marked}");
    }
}

#[test]
fn a_solution_appears_once_its_exercise_passed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("class");
    assert!(Tensorlings::new().arg("init").arg(&ws).run().success());
    let solution = repo().join("solutions/01-traits/traits1.rs");
    let shown = ws.join("solutions/01-traits/traits1.rs");
    // A failing check reveals nothing.
    let out = Tensorlings::in_dir(&ws).check("traits1").run();
    assert_eq!(out.code(), Some(1), "{}", out.text());
    assert!(!shown.exists());
    fs::copy(&solution, ws.join("exercises/01-traits/traits1.rs")).unwrap();
    let out = Tensorlings::in_dir(&ws).check("traits1").run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    assert!(
        out.text()
            .contains("Compare with the reference solution: solutions/01-traits/traits1.rs"),
        "{}",
        out.text()
    );
    assert_eq!(fs::read(&shown).unwrap(), fs::read(&solution).unwrap());
    // Only that one.
    assert_eq!(all_files(&ws.join("solutions")).len(), 1);
}

/// A copy of the grading course as a student hands it in, with `clamp`
/// holding `code`.
fn handed_in(code: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&grading_course(), dir.path());
    // A learner's workspace: no solutions, starters kept for `reset`.
    fs::remove_dir_all(dir.path().join("solutions")).unwrap();
    support::copy_dir(
        &grading_course().join("exercises"),
        &dir.path().join(".tensorlings/starters"),
    );
    fs::remove_file(dir.path().join("lessons/01-grading/tests/clamp.grade.rs")).unwrap();
    fs::write(dir.path().join("exercises/01-grading/clamp.rs"), code).unwrap();
    dir
}

/// Passes the tests a check runs, not the one grading adds.
const HALF: &str = "pub fn clamp(p: f64) -> f64 {\n    if p > 1.0 { 1.0 } else { p }\n}\n";

#[test]
fn a_check_runs_the_hidden_tests_and_says_more_run_when_graded() {
    let ws = handed_in(HALF);
    let out = Tensorlings::on(ws.path()).check("clamp").json().run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    let json: serde_json::Value = out.json();
    let names: Vec<&str> = json["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["clamps_above_one", "keeps_a_probability_inside"]);
    // The course the student has no grading-only test file, so nothing tells
    // it more run; the author's course does.
    assert_eq!(json["more_tests_when_graded"], false);
    let out = Tensorlings::on(grading_course())
        .args(["check", "clamp", "--file"])
        .arg(ws.path().join("exercises/01-grading/clamp.rs"))
        .run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    let said = out.text();
    assert!(said.contains("all 2 hidden tests"), "{said}");
    assert!(
        said.contains("More tests run when your work is graded"),
        "{said}"
    );
    assert!(!said.contains("clamps_below_zero"), "{said}");
    let out = Tensorlings::on(grading_course()).arg("list").json().run();
    let rows: serde_json::Value = out.json();
    assert_eq!(rows[0]["more_tests_when_graded"], true);
    assert!(!out.stdout().contains("clamps_below_zero"));
}

fn grade(ws: &Path, format: &str, junit: Option<&Path>) -> Run {
    let mut grade = Tensorlings::on(grading_course())
        .arg("grade")
        .arg(ws)
        .args(["--format", format, "--allow-weak-sandbox"]);
    if let Some(junit) = junit {
        grade = grade.arg("--junit").arg(junit);
    }
    grade.run()
}

#[test]
fn grade_runs_the_grading_only_tests_and_every_format_shows_them() {
    let ws = handed_in(HALF);
    let junit = ws.path().join("grade.xml");
    let out = grade(ws.path(), "json", Some(&junit));
    assert_eq!(out.code(), Some(1), "{}", out.text());
    let json: serde_json::Value = out.json();
    let clamp = &json["exercises"][0];
    assert_eq!(clamp["status"], "tests_failed");
    assert_eq!(
        clamp["failed_tests"],
        serde_json::json!(["clamps_below_zero"])
    );
    let tests = clamp["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 3, "{tests:?}");
    let below = tests
        .iter()
        .find(|t| t["name"] == "clamps_below_zero")
        .unwrap();
    assert_eq!(below["passed"], false);
    assert_eq!(below["weight"], 2, "weights apply to grading-only tests");
    // 4 points, 2 of 4 weight passed.
    assert_eq!(clamp["score"], 2.0);
    let detail = clamp["detail"].as_str().unwrap();
    assert!(
        detail.contains("A probability below 0 is clamped to 0 as well."),
        "messages apply too: {detail}"
    );
    let xml = fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("clamps_below_zero"), "{xml}");
    assert!(xml.contains("<failure"), "{xml}");
    let out = grade(ws.path(), "exercism", None);
    let exercism: serde_json::Value = out.json();
    assert!(
        exercism["tests"]
            .as_array()
            .unwrap()
            .iter()
            .any(
                |t| t["name"].as_str().unwrap().contains("clamps_below_zero")
                    && t["status"] == "fail"
            ),
        "{exercism}"
    );
    let out = grade(ws.path(), "classroom", None);
    let classroom: serde_json::Value = out.json();
    let row = &classroom["tests"][0];
    assert_eq!(row["score"], 2.0, "{classroom}");
    assert!(
        row["message"]
            .as_str()
            .unwrap_or_default()
            .contains("clamps_below_zero"),
        "{classroom}"
    );
    // The solution passes everything.
    let solved = handed_in(
        &fs::read_to_string(grading_course().join("solutions/01-grading/clamp.rs")).unwrap(),
    );
    let out = grade(solved.path(), "json", None);
    assert_eq!(out.code(), Some(0), "{}", out.text());
}

#[test]
fn verify_needs_the_solution_to_pass_the_grading_only_tests() {
    let out = Tensorlings::on(grading_course()).arg("verify").run();
    assert_eq!(out.code(), Some(0), "{}", out.text());
    let course = tempfile::tempdir().unwrap();
    support::copy_dir(&grading_course(), course.path());
    fs::write(course.path().join("solutions/01-grading/clamp.rs"), HALF).unwrap();
    let out = Tensorlings::on(course.path()).arg("verify").run();
    assert_eq!(out.code(), Some(1), "{}", out.text());
    assert!(out.text().contains("clamps_below_zero"), "{}", out.text());
    // A grading-only test that reuses a hidden test's name is refused.
    fs::write(
        course
            .path()
            .join("lessons/01-grading/tests/clamp.grade.rs"),
        "use super::*;\n#[test]\nfn clamps_above_one() { assert!(clamp(2.0) <= 1.0); }\n",
    )
    .unwrap();
    let out = Tensorlings::on(course.path()).arg("verify").run();
    assert_ne!(out.code(), Some(0), "{}", out.text());
    assert!(
        out.text().contains("`clamps_above_one` is also in"),
        "{}",
        out.text()
    );
}
