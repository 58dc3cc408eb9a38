//! Workspaces, reports, grading and authoring: the instructor's side.

use crate::support;

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
        .arg(support::fixture_course().join("."))
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
        .arg(support::fixture_course())
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
        graded["exercises"]
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
        .arg(support::fixture_course())
        .arg("grade")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("10 of 10 exercises passed; score 11 / 11"),
        "{}",
        text(&out)
    );
}

/// Points and partial credit: `test_fails` is worth 2 and its first test
/// weighs 3 of its 4. Edited so that only the light test passes, it earns a
/// quarter; handed in untouched, nothing; every format says the same.
#[test]
fn grade_gives_partial_credit_by_weight_in_every_format() {
    let ws = fixture_workspace();
    let file = ws.path().join("exercises/01-fixtures/test_fails.rs");
    let untouched = grade(ws.path(), &["--format", "json"], &[]);
    let g = graded(&untouched, "test_fails");
    assert_eq!(
        (g["score"].as_f64(), g["max_score"].as_f64()),
        (Some(0.0), Some(2.0))
    );
    assert_eq!(g["untouched"], true);

    let edited = fs::read_to_string(&file).unwrap() + "\n// my own attempt\n";
    fs::write(&file, edited).unwrap();
    let json = grade(ws.path(), &["--format", "json"], &[]);
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
    let all: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(all["max_score"].as_f64(), Some(11.0));
    let total = all["score"].as_f64().unwrap();
    let passes = graded(&json, "passes");
    assert_eq!(
        passes["score"].as_f64(),
        Some(1.0),
        "a passing exercise earns its points"
    );

    let classroom = grade(ws.path(), &["--format", "classroom"], &[]);
    let c: serde_json::Value = serde_json::from_slice(&classroom.stdout).unwrap();
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

    let exercism = grade(ws.path(), &["--format", "exercism"], &[]);
    let e: serde_json::Value = serde_json::from_slice(&exercism.stdout).unwrap();
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

    let junit = grade(ws.path(), &["--format", "junit"], &[]);
    let xml = String::from_utf8_lossy(&junit.stdout);
    assert!(
        xml.contains(r#"<property name="score" value="0.5"/>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<property name="max_score" value="2"/>"#),
        "{xml}"
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
    let built = said
        .lines()
        .find_map(|line| line.trim().strip_prefix("light: ready ("))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no light count in {said}"));
    assert!(built > 10, "the light set compiles its crates: {said}");
    assert!(
        said.contains(&format!("light: ready ({built} compiled now, 0 reused")),
        "{said}"
    );
    assert!(said.contains("MB in"), "{said}");
    assert!(cache.path().join("light/target/debug").is_dir());
    // Built once: the second run compiles nothing new.
    let again = prepare();
    assert!(again.status.success(), "{}", text(&again));
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("light: ready (already built"), "{said}");
}

/// Grades `ws` against the fixture course and returns the output.
fn grade(ws: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = bin();
    cmd.arg("--course")
        .arg(support::fixture_course())
        .arg("grade")
        .arg(ws)
        .args(extra);
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

fn graded(out: &Output, id: &str) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
    all["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap()
        .clone()
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
    let made = Command::new("mkfifo")
        .arg(exercises.join("panics.rs"))
        .status()
        .unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let out = grade(ws.path(), &["--format", "json"], &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
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
    let cache = tempfile::tempdir().unwrap();
    let junit = ws.path().join("junit.xml");
    let home_text = home.path().to_string_lossy().into_owned();
    let out = grade(
        ws.path(),
        &["--format", "json", "--junit", junit.to_str().unwrap()],
        &[
            ("GRADER_TOKEN", "tok-grader-42"),
            ("HOME", &home_text),
            ("TENSORLINGS_CACHE_DIR", cache.path().to_str().unwrap()),
        ],
    );
    let everything = format!("{}{}", text(&out), fs::read_to_string(&junit).unwrap());
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
    let out = grade(ws.path(), &["--format", "json"], &[]);
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
    let weak = [("TENSORLINGS_SANDBOX_OFF", "seccomp")];
    let refused = grade(ws.path(), &[], &weak);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("seccomp"), "{}", text(&refused));
    assert!(
        text(&refused).contains("--allow-weak-sandbox"),
        "{}",
        text(&refused)
    );
    let accepted = grade(ws.path(), &["--allow-weak-sandbox"], &weak);
    assert_eq!(accepted.status.code(), Some(1), "{}", text(&accepted));
    assert!(
        text(&accepted).contains("weaker sandbox"),
        "{}",
        text(&accepted)
    );
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
        let out = bin()
            .arg("--course")
            .arg(&course)
            .args(["new-exercise", lesson, id])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{lesson} {id}: {}", text(&out));
        assert!(text(&out).contains("may hold only"), "{}", text(&out));
    }
    let entries: Vec<_> = fs::read_dir(outer.path()).unwrap().flatten().collect();
    assert_eq!(entries.len(), 1, "something was written beside the course");
    assert!(!course.join("lessons/02-new").exists());
}

/// A student's workspace with `records` (id, passed, attempts, hints,
/// seconds from first opening to the latest check, or to passing) in its
/// progress file; the student is at the last record's exercise.
fn student(
    root: &std::path::Path,
    name: &str,
    records: &[(&str, bool, u32, u32, u64)],
) -> std::path::PathBuf {
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
pub(crate) fn class(paths: &[&std::path::Path], args: &[&str]) -> String {
    let out = bin()
        .arg("--course")
        .arg(support::fixture_course())
        .arg("class")
        .args(paths)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// A class of five: two stuck (cy by time, bo by tries), one who has just
/// opened the next exercise, one done with what they tried, one saved grade.
pub(crate) fn five_students(root: &std::path::Path) -> Vec<std::path::PathBuf> {
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
    let paths: Vec<&std::path::Path> = paths.iter().map(std::path::PathBuf::as_path).collect();
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
    let paths: Vec<&std::path::Path> = paths.iter().map(std::path::PathBuf::as_path).collect();
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
    let out = bin()
        .arg("--course")
        .arg(support::fixture_course())
        .arg("class")
        .arg(&ada)
        .arg(&junk)
        .arg(root.path().join("nobody"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("skipped:") && said.contains("junk.json"),
        "{said}"
    );
    assert!(said.contains("nobody"), "{said}");
    assert!(said.contains("1 student:"), "{said}");
}
