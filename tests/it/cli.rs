//! The command line's contract: outputs, exit codes, and bad input.

use crate::support::{self, Tensorlings};

use std::fs;

#[test]
fn list_json_has_every_exercise_in_course_order() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path()).arg("list").json().run();
    assert!(out.success(), "{}", out.stderr());
    let rows: serde_json::Value = out.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0]["id"], "passes");
    assert_eq!(rows[0]["lesson"], "01-fixtures");
    assert_eq!(rows[0]["title"], "Passes");
    assert_eq!(rows[0]["status"], "not_started");
    assert_eq!(rows[8]["id"], "reads_env");
}

#[test]
fn a_check_of_the_learners_file_records_progress_and_file_checks_do_not() {
    let course = support::scratch_course();
    let other = course.path().join("exercises/01-fixtures/test_fails.rs");
    let out = Tensorlings::on(course.path())
        .args(["check", "passes", "--file", other.to_str().unwrap()])
        .run();
    assert_eq!(out.code(), Some(1), "{}", out.stdout());
    assert!(!course.path().join(".tensorlings/progress.json").exists());
    let out = Tensorlings::on(course.path()).check("passes").run();
    assert_eq!(out.code(), Some(0), "{}", out.stdout());
    let listed = Tensorlings::on(course.path()).arg("list").json().run();
    let rows: serde_json::Value = listed.json();
    assert_eq!(rows[0]["status"], "passed");
    assert_eq!(rows[1]["status"], "not_started");
}

#[test]
fn an_unknown_exercise_is_one_clear_line_and_exit_2() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path()).check("nope").run();
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no exercise `nope`"), "{err}");
}

#[test]
fn a_missing_or_non_utf8_file_is_a_tool_error_that_changes_nothing() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .args(["check", "passes", "--file", "does/not/exist.rs"])
        .run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr().contains("does/not/exist.rs: no such file"),
        "{}",
        out.stderr()
    );
    let latin1 = course.path().join("latin1.rs");
    fs::write(
        &latin1,
        b"// caf\xe9\npub fn add(a: i32, b: i32) -> i32 { a + b }\n",
    )
    .unwrap();
    let out = Tensorlings::on(course.path())
        .args(["check", "passes", "--file", latin1.to_str().unwrap()])
        .run();
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr().contains("not UTF-8"), "{}", out.stderr());
    assert!(!course.path().join(".tensorlings").exists());
}

#[test]
fn a_broken_lesson_file_is_named_with_its_line() {
    let course = support::scratch_course();
    let yaml = course.path().join("lessons/01-fixtures/lesson.yaml");
    let text = fs::read_to_string(&yaml)
        .unwrap()
        .replace("    title: \"Panics\"", "    titel: \"Panics\"");
    fs::write(&yaml, text).unwrap();
    let out = Tensorlings::on(course.path()).arg("list").run();
    assert_eq!(out.code(), Some(2));
    let err = out.stderr();
    assert!(err.contains("lessons/01-fixtures/lesson.yaml:21:"), "{err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_unwritable_cache_is_a_tool_error_with_advice() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .check("passes")
        .cache("/proc/tensorlings-cannot-write-here")
        .run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr().contains("TENSORLINGS_CACHE_DIR"),
        "{}",
        out.stderr()
    );
}

#[test]
fn a_missing_cargo_is_a_tool_error_with_advice() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .check("passes")
        .env("TENSORLINGS_CARGO", "/nonexistent/cargo")
        .run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr().contains("cargo was not found"),
        "{}",
        out.stderr()
    );
    assert!(
        !course.path().join(".tensorlings").exists(),
        "a failed check must not record an attempt"
    );
}

#[test]
fn hints_are_revealed_one_level_at_a_time() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .args(["hint", "passes"])
        .run();
    assert!(out.success());
    assert!(
        out.stdout().contains("Hint 1/1:\nNothing to do."),
        "{}",
        out.stdout()
    );
}

#[test]
fn reset_backs_up_the_learners_file_before_restoring_the_starter() {
    let course = support::scratch_course();
    let starters = course.path().join(".tensorlings/starters/01-fixtures");
    fs::create_dir_all(&starters).unwrap();
    fs::write(starters.join("passes.rs"), "// pristine\n").unwrap();
    let file = course.path().join("exercises/01-fixtures/passes.rs");
    fs::write(&file, "// my work\n").unwrap();
    let out = Tensorlings::on(course.path())
        .args(["reset", "passes"])
        .run();
    assert!(out.success(), "{}", out.stderr());
    assert_eq!(fs::read_to_string(&file).unwrap(), "// pristine\n");
    let backups: Vec<_> = fs::read_dir(course.path().join(".tensorlings/backups"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        fs::read_to_string(backups[0].path()).unwrap(),
        "// my work\n"
    );
    assert!(
        out.stdout().contains(".tensorlings/backups/passes-"),
        "{}",
        out.stdout()
    );
}

#[test]
fn reset_all_backs_up_every_changed_file_and_goes_on_past_a_failure() {
    let course = support::scratch_course();
    let exercises = course.path().join("exercises/01-fixtures");
    let starters = course.path().join(".tensorlings/starters/01-fixtures");
    fs::create_dir_all(&starters).unwrap();
    let mut names: Vec<String> = fs::read_dir(&exercises)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 3, "{names:?}");
    for name in &names {
        fs::copy(exercises.join(name), starters.join(name)).unwrap();
    }
    // Two exercises worked on; one whose pristine copy is gone.
    fs::write(exercises.join(&names[0]), "// my first work\n").unwrap();
    fs::write(exercises.join(&names[1]), "// my second work\n").unwrap();
    fs::remove_file(starters.join(&names[2])).unwrap();
    fs::write(
        exercises.join(&names[2]),
        "// kept, no starter to go back to\n",
    )
    .unwrap();

    let out = Tensorlings::on(course.path())
        .args(["reset", "--all"])
        .run();
    assert_eq!(out.code(), Some(1), "{}", out.stdout());
    assert!(out.stderr().contains("not reset"), "{}", out.stderr());
    let total = names.len();
    assert!(
        out.stdout().contains(&format!(
            "{} of {total} exercises are at their starters; 2 changed files backed up",
            total - 1
        )),
        "{}",
        out.stdout()
    );
    for name in [&names[0], &names[1]] {
        assert_eq!(
            fs::read(exercises.join(name)).unwrap(),
            fs::read(starters.join(name)).unwrap()
        );
    }
    assert_eq!(
        fs::read_to_string(exercises.join(&names[2])).unwrap(),
        "// kept, no starter to go back to\n"
    );
    let mut backups: Vec<String> = fs::read_dir(course.path().join(".tensorlings/backups"))
        .unwrap()
        .flatten()
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    backups.sort();
    assert_eq!(backups, ["// my first work\n", "// my second work\n"]);

    // Again: nothing left to back up.
    let again = Tensorlings::on(course.path())
        .args(["reset", "--all"])
        .run();
    assert!(
        again.stdout().contains("0 changed files backed up"),
        "{}",
        again.stdout()
    );
    assert_eq!(
        fs::read_dir(course.path().join(".tensorlings/backups"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn reset_wants_an_id_or_all() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path()).arg("reset").run();
    assert_eq!(out.code(), Some(2));
    let out = Tensorlings::on(course.path())
        .args(["reset", "passes", "--all"])
        .run();
    assert_eq!(out.code(), Some(2));
}

#[test]
fn reset_without_a_pristine_copy_changes_nothing() {
    let course = support::scratch_course();
    let file = course.path().join("exercises/01-fixtures/passes.rs");
    fs::write(&file, "// my work\n").unwrap();
    let out = Tensorlings::on(course.path())
        .args(["reset", "passes"])
        .run();
    assert_eq!(out.code(), Some(2));
    assert_eq!(fs::read_to_string(&file).unwrap(), "// my work\n");
}

#[test]
fn verify_names_each_offending_exercise() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .args(["verify", "--jobs", "2"])
        .run();
    assert_eq!(out.code(), Some(1));
    let text = out.stdout();
    // The fixtures whose starters pass (or hang) are offenders; the failing ones are fine.
    assert!(text.contains("FAIL passes"), "{text}");
    assert!(
        text.contains("passes its hidden tests; a starter must fail them"),
        "{text}"
    );
    assert!(text.contains("FAIL compile_error"), "{text}");
    assert!(text.contains("ok   test_fails"), "{text}");
    assert!(text.contains("ok   panics"), "{text}");
}

#[test]
fn verify_with_clippy_flags_a_solution_that_is_not_clippy_clean() {
    let course = support::scratch_course();
    fs::write(
        course.path().join("solutions/01-fixtures/test_fails.rs"),
        "//! Adds.\n/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    return a + b;\n}\n",
    )
    .unwrap();
    let out = Tensorlings::on(course.path())
        .args(["verify", "--clippy"])
        .run();
    assert_eq!(out.code(), Some(1));
    let text = out.stdout();
    assert!(
        text.contains(
            "test_fails its solution has clippy warnings: unneeded `return` statement (line 4"
        ),
        "{text}"
    );
    assert!(!text.contains("panics its solution has clippy"), "{text}");
    assert!(
        !text.contains("must_use"),
        "only clippy's default lints apply: {text}"
    );
}

/// clippy reads the nearest clippy.toml at or above the crate it checks: a
/// cache inside a project with one (its own lint settings) must not change
/// which lints a course's solutions are held to.
#[test]
fn a_clippy_toml_above_the_cache_changes_no_lint() {
    let course = support::scratch_course();
    fs::write(
        course.path().join("solutions/01-fixtures/test_fails.rs"),
        "//! Adds.\n/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    return a + b;\n}\n",
    )
    .unwrap();
    let project = tempfile::tempdir().unwrap();
    fs::write(
        project.path().join("clippy.toml"),
        "allow-unwrap-in-tests = true\n",
    )
    .unwrap();
    let cache = project.path().join("cache");
    let out = Tensorlings::on(course.path())
        .args(["verify", "--clippy"])
        .cache(&cache)
        .run();
    let text = out.stdout();
    assert!(
        text.contains("test_fails its solution has clippy warnings: unneeded `return` statement"),
        "{text}"
    );
}

#[test]
fn a_deleted_exercise_file_can_be_reset_and_check_says_how() {
    let course = support::scratch_course();
    let starters = course.path().join(".tensorlings/starters/01-fixtures");
    fs::create_dir_all(&starters).unwrap();
    fs::copy(
        course.path().join("exercises/01-fixtures/panics.rs"),
        starters.join("panics.rs"),
    )
    .unwrap();
    fs::remove_file(course.path().join("exercises/01-fixtures/panics.rs")).unwrap();
    let out = Tensorlings::on(course.path()).check("panics").run();
    assert_eq!(out.code(), Some(2));
    assert!(
        out.stderr()
            .contains("`tensorlings reset panics` puts the starter back"),
        "{}",
        out.stderr()
    );
    let out = Tensorlings::on(course.path())
        .args(["reset", "panics"])
        .run();
    assert!(out.success(), "{}", out.stderr());
    assert_eq!(
        Tensorlings::on(course.path()).check("panics").run().code(),
        Some(1)
    );
    let out = Tensorlings::on(course.path()).arg("verify").run();
    assert!(!out.stdout().contains("starter file"), "{}", out.stdout());
}

#[test]
fn without_an_id_check_and_hint_take_the_exercise_in_progress() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .args(["check", "--format", "json"])
        .run();
    let json: serde_json::Value = out.json();
    assert_eq!(json["id"], "passes", "the first exercise not yet passed");
    let out = Tensorlings::on(course.path())
        .args(["check", "--format", "json"])
        .run();
    let json: serde_json::Value = out.json();
    assert_eq!(
        json["id"], "compile_error",
        "passes has passed, so the next one"
    );
    let out = Tensorlings::on(course.path()).arg("hint").run();
    assert!(
        out.stdout().contains("compile_error has no hints"),
        "{}",
        out.stdout()
    );
}

#[cfg(unix)]
#[test]
fn check_file_refuses_what_is_not_a_small_regular_file() {
    let course = support::scratch_course();
    let fifo = course.path().join("pipe.rs");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = course.path().join("big.rs");
    fs::write(&big, vec![b'/'; 2 << 20]).unwrap();
    for (file, said) in [
        (fifo.to_str().unwrap(), "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (big.to_str().unwrap(), "far larger than any exercise"),
    ] {
        let out = Tensorlings::on(course.path())
            .args(["check", "passes", "--file", file])
            .run();
        assert!(
            out.elapsed() < std::time::Duration::from_secs(20),
            "{file} blocked"
        );
        assert_eq!(out.code(), Some(2), "{file}: {}", out.stderr());
        assert!(out.stderr().contains(said), "{file}: {}", out.stderr());
        assert_eq!(out.stderr().lines().count(), 1, "{}", out.stderr());
    }
}

#[test]
fn a_course_that_cannot_be_written_still_gets_its_verdict() {
    let course = support::scratch_course();
    // A file where the progress directory should be: nothing can be saved
    // there, whoever runs the check (root included).
    fs::write(course.path().join(".tensorlings"), "not a directory").unwrap();
    let out = Tensorlings::on(course.path()).check("test_fails").run();
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
    assert!(
        out.stdout().contains("✗ test_fails: 1 of 2"),
        "{}",
        out.stdout()
    );
    assert!(out.stderr().contains("was not saved"), "{}", out.stderr());
    let out = Tensorlings::on(course.path()).check("passes").run();
    assert_eq!(out.code(), Some(0), "{}", out.stderr());
}

#[test]
fn a_progress_file_that_is_not_text_is_set_aside_not_fatal() {
    let course = support::scratch_course();
    let dir = course.path().join(".tensorlings");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("progress.json"), [0xff, 0xfe, 0x00]).unwrap();
    let out = Tensorlings::on(course.path()).arg("list").run();
    assert!(out.success(), "{}", out.stderr());
    assert!(out.stderr().contains("not UTF-8"), "{}", out.stderr());
    assert!(out.stderr().contains("moved to"), "{}", out.stderr());
}

#[test]
fn list_lines_up_long_ids() {
    let course = support::scratch_course();
    let yaml = course.path().join("lessons/01-fixtures/lesson.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(
        &yaml,
        text.replace("id: passes", "id: passes_with_a_long_name"),
    )
    .unwrap();
    for kind in ["exercises", "solutions", "lessons"] {
        let dir = if kind == "lessons" {
            course.path().join("lessons/01-fixtures/tests")
        } else {
            course.path().join(kind).join("01-fixtures")
        };
        fs::rename(
            dir.join("passes.rs"),
            dir.join("passes_with_a_long_name.rs"),
        )
        .unwrap();
    }
    let out = Tensorlings::on(course.path()).arg("list").run();
    let text = out.stdout();
    let columns: Vec<usize> = text
        .lines()
        .filter(|l| l.starts_with("  ["))
        .map(|l| {
            l.find(" Passes")
                .or_else(|| l.find(" Does not"))
                .unwrap_or(0)
        })
        .filter(|&c| c > 0)
        .collect();
    assert!(columns.len() >= 2, "{text}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{text}");
}

#[test]
fn a_compile_error_in_the_hidden_tests_is_placed_there() {
    let course = support::scratch_course();
    fs::write(
        course.path().join("lessons/01-fixtures/tests/test_fails.rs"),
        "use super::*;\n\n#[test]\nfn adds_small_numbers() {\n    assert_eq!(add(2, 3, 4), 5);\n}\n",
    )
    .unwrap();
    let out = Tensorlings::on(course.path())
        .args(["verify", "--lesson", "01-fixtures"])
        .run();
    let text = out.stdout();
    assert!(text.contains("(<hidden tests>:5:16)"), "{text}");
}

#[test]
fn clippy_does_not_call_a_helper_only_the_hidden_tests_use_unused() {
    let course = support::scratch_course();
    fs::write(
        course.path().join("solutions/01-fixtures/passes.rs"),
        "//! Adds.\n/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\n/// Only the tests call this.\nfn double(x: i32) -> i32 {\n    x * 2\n}\n",
    )
    .unwrap();
    fs::write(
        course.path().join("lessons/01-fixtures/tests/passes.rs"),
        "use super::*;\n\n#[test]\nfn adds_small_numbers() {\n    assert_eq!(add(2, 3), 5);\n    assert_eq!(double(2), 4);\n}\n",
    )
    .unwrap();
    let out = Tensorlings::on(course.path())
        .args(["verify", "--clippy", "--lesson", "01-fixtures"])
        .run();
    let text = out.stdout();
    let passes = text
        .lines()
        .filter(|l| l.contains("passes"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!passes.contains("never used"), "{text}");
    assert!(!passes.contains("clippy warnings"), "{text}");
}

/// Windows editors save CRLF line endings: such a file checks, and its
/// errors point at the same lines, as the LF original.
#[test]
fn a_file_with_crlf_line_endings_checks_like_its_lf_original() {
    let course = support::scratch_course();
    let dir = course.path().join("exercises/01-fixtures");
    for id in ["passes", "compile_error"] {
        let lf = fs::read_to_string(dir.join(format!("{id}.rs"))).unwrap();
        let crlf = course.path().join(format!("{id}-crlf.rs"));
        fs::write(&crlf, lf.replace('\n', "\r\n")).unwrap();
        let json = |file: Option<&std::path::Path>| {
            let mut args = vec!["check", id, "--format", "json"];
            if let Some(file) = file {
                args.extend(["--file", file.to_str().unwrap()]);
            }
            let out = Tensorlings::on(course.path()).args(&args).run();
            (out.code(), out.json())
        };
        let (lf_code, lf_json) = json(None);
        let (crlf_code, crlf_json) = json(Some(&crlf));
        assert_eq!(lf_code, crlf_code, "{id}");
        assert_eq!(lf_json["status"], crlf_json["status"], "{id}");
        let lines = |v: &serde_json::Value| -> Vec<(serde_json::Value, serde_json::Value)> {
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| (d["line"].clone(), d["column"].clone()))
                .collect()
        };
        assert_eq!(lines(&lf_json), lines(&crlf_json), "{id}");
    }
}

/// A course under a path with spaces (a Windows user folder, say) checks as
/// any other, and its errors name the learner's file relative to the course.
#[test]
fn a_course_under_a_path_with_spaces_checks_and_names_its_files() {
    let outer = tempfile::tempdir().unwrap();
    let course = outer.path().join("My Course (2026)");
    support::copy_dir(&support::fixture_course(), &course);
    let out = Tensorlings::on(&course).check("compile_error").json().run();
    assert_eq!(out.code(), Some(1), "{}", out.stderr());
    let json: serde_json::Value = out.json();
    let file = std::path::Path::new("exercises")
        .join("01-fixtures")
        .join("compile_error.rs");
    assert_eq!(json["file"], file.display().to_string());
    let first = &json["diagnostics"][0];
    assert_eq!(first["file"], file.display().to_string());
    assert_eq!(first["line"], 3);
    assert!(
        first["rendered"]
            .as_str()
            .unwrap()
            .contains(&format!("--> {}:3:22", file.display())),
        "{first}"
    );
    let passes = Tensorlings::on(&course).check("passes").run();
    assert_eq!(passes.code(), Some(0), "{}", passes.stdout());
}

/// A lesson's lint levels reach the learner's code: with `unused_variables:
/// deny`, an unused variable is an error; without, the same file passes.
#[test]
fn a_lessons_lint_levels_apply_to_the_learners_code() {
    let course = support::scratch_course();
    let file = course.path().join("exercises/01-fixtures/passes.rs");
    let mut text = fs::read_to_string(&file).unwrap();
    text.push_str("\npub fn helper() {\n    let unused = 1;\n}\n");
    fs::write(&file, text).unwrap();
    let out = Tensorlings::on(course.path()).check("passes").run();
    assert_eq!(out.code(), Some(0), "{}", out.stdout());
    let yaml = course.path().join("lessons/01-fixtures/lesson.yaml");
    let lesson = fs::read_to_string(&yaml).unwrap().replace(
        "exercises:\n",
        "lints:\n  unused_variables: deny\nexercises:\n",
    );
    fs::write(&yaml, lesson).unwrap();
    let out = Tensorlings::on(course.path()).check("passes").run();
    assert_eq!(out.code(), Some(1), "{}", out.stdout());
    assert!(out.stdout().contains("unused variable"), "{}", out.stdout());
}

/// `verify_runs` makes verify run a solution again and again: a test whose
/// outcome hangs on timing, passing about half the time, cannot slip
/// through 30 runs.
#[test]
fn verify_runs_catch_a_solution_that_passes_only_by_luck() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in [
        "lessons/01-luck/tests",
        "exercises/01-luck",
        "solutions/01-luck",
    ] {
        fs::create_dir_all(root.join(sub)).unwrap();
    }
    fs::write(
        root.join("lessons/01-luck/lesson.yaml"),
        "format_version: 1\ntitle: \"Luck\"\nprose: \"Luck.\"\nexercises:\n  - id: coin\n    title: \"A coin\"\n    verify_runs: 30\n",
    )
    .unwrap();
    fs::write(
        root.join("exercises/01-luck/coin.rs"),
        "pub fn heads() -> bool {\n    todo!()\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("solutions/01-luck/coin.rs"),
        "pub fn heads() -> bool {\n    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();\n    t.subsec_nanos() / 1000 % 2 == 0\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("lessons/01-luck/tests/coin.rs"),
        "use super::*;\n\n#[test]\nfn lands_heads() {\n    assert!(heads(), \"tails this time\");\n}\n",
    )
    .unwrap();
    let out = Tensorlings::on(root).arg("verify").run();
    assert_eq!(out.code(), Some(1), "{}", out.stdout());
    assert!(out.stdout().contains("coin"), "{}", out.stdout());
}

/// `TENSORLINGS_TRACE` says where a check's time went: each phase, and the
/// sandbox's own setup for the phases that ran in it.
#[test]
fn a_trace_names_every_phase_and_the_sandboxs_share() {
    let course = support::scratch_course();
    let out = Tensorlings::on(course.path())
        .check("passes")
        .env("TENSORLINGS_TRACE", "1")
        .run();
    let said = out.stderr();
    for phase in [
        "write the build crate",
        "compile",
        "run the tests (variant 0)",
        "the whole check",
    ] {
        assert!(
            said.lines()
                .any(|l| l.starts_with("trace:") && l.contains(phase)),
            "{phase} missing: {said}"
        );
    }
    if cfg!(target_os = "linux") {
        assert!(said.contains("sandbox setup"), "{said}");
    }
}
