//! The course shipped in this repository: it loads, meets the lesson bar, and
//! every starter fails while every solution passes (`tensorlings verify`).

use std::path::Path;

use tensorlings::course::Course;
use tensorlings::course::raw::ExerciseKind;

use crate::support::{Tensorlings, repo};

#[test]
fn the_json_schema_in_the_repo_is_current() {
    let generated = tensorlings::course::raw::json_schema();
    let path = repo().join("schema/lesson.schema.json");
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored.trim_end() == generated.trim_end(),
        "schema/lesson.schema.json is stale: run `cargo run -- schema > schema/lesson.schema.json`"
    );
}

#[test]
fn every_lesson_meets_the_bar() {
    let course = Course::load(repo()).unwrap_or_else(|err| panic!("{err}"));
    assert!(!course.lessons.is_empty());
    for lesson in &course.lessons {
        let words = lesson.prose.split_whitespace().count();
        assert!(
            (400..=1100).contains(&words),
            "{}: prose has {words} words",
            lesson.id
        );
        assert!(
            (5..=7).contains(&lesson.exercises.len()),
            "{}: {} exercises",
            lesson.id,
            lesson.exercises.len()
        );
        for exercise in &lesson.exercises {
            if exercise.kind == ExerciseKind::Tests {
                // The learner writes the tests: at least four bugs to catch,
                // and a solution of at least four tests that catches them.
                assert!(
                    exercise.bugs.len() >= 4,
                    "{}: {} bugs",
                    exercise.id,
                    exercise.bugs.len()
                );
                let solution = std::fs::read_to_string(&exercise.solution).unwrap();
                let count = solution.matches("#[test]").count();
                assert!(count >= 4, "{}: {count} tests in the solution", exercise.id);
            } else {
                let tests = std::fs::read_to_string(&exercise.tests).unwrap();
                let count = tests.matches("#[test]").count();
                assert!(count >= 4, "{}: {count} hidden tests", exercise.id);
            }
            assert!(
                (2..=3).contains(&exercise.hints.len()),
                "{}: {} hints",
                exercise.id,
                exercise.hints.len()
            );
            let starter = std::fs::read_to_string(&exercise.file).unwrap();
            assert!(
                starter.contains("TODO"),
                "{}: the starter has no TODO",
                exercise.id
            );
        }
    }
}

/// Every starter fails its hidden tests and every solution passes them, for the
/// whole course; this is `tensorlings verify`, run as an author would.
#[test]
fn verify_passes_for_the_whole_course() {
    let out = Tensorlings::in_dir(repo())
        .args(["verify", "--jobs", "2", "--clippy"])
        .run();
    assert!(out.success(), "{}\n{}", out.stdout(), out.stderr());
}

/// The shapes refused for reaching compiler soundness holes are ones no
/// exercise needs: no starter, solution or bug of the course has one (a
/// refusal there would fail a learner who did nothing wrong).
#[test]
fn no_exercise_needs_a_shape_refused_as_unsound() {
    let mut files = Vec::new();
    for dir in ["exercises", "solutions", "lessons"] {
        collect_rs(&repo().join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        let found = tensorlings::runner::unsound::scan(&source);
        assert!(found.is_empty(), "{}: {found:?}", file.display());
    }
    // Nor does any solution replace a comparison its starter derives.
    for solution in files
        .iter()
        .filter(|f| f.starts_with(repo().join("solutions")))
    {
        let relative = solution.strip_prefix(repo().join("solutions")).unwrap();
        let Ok(starter) = std::fs::read_to_string(repo().join("exercises").join(relative)) else {
            continue;
        };
        let source = std::fs::read_to_string(solution).unwrap();
        let found = tensorlings::runner::unsound::replaced_derives(&starter, &source);
        assert!(found.is_empty(), "{}: {found:?}", solution.display());
    }
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// An answer of a type whose `PartialEq` always says yes cannot pass: the
/// hidden tests bind results to the types the exercise declares.
#[test]
fn an_always_equal_return_type_does_not_pass_traits1() {
    let json = Tensorlings::in_dir(repo())
        .own_cache()
        .check("traits1")
        .json()
        .arg("--file")
        .arg(repo().join("tests/fixtures/always-equal/traits1.rs"))
        .run()
        .json();
    assert_ne!(json["status"], "passed", "{json:#}");
}

/// A hand-written `PartialEq` that says yes to anything, for a type whose
/// comparison the starter derives, is refused before compiling: the hidden
/// tests compare such values.
#[test]
fn an_always_equal_comparison_of_a_starter_type_is_refused() {
    // autograd2's reference solution, its derived comparison of `Op` swapped
    // for one under which every operation equals every other.
    let solution =
        std::fs::read_to_string(repo().join("solutions/03-autograd/autograd2.rs")).unwrap();
    let derived = "#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Op {";
    assert!(
        solution.contains(derived),
        "the solution no longer derives Op's comparison"
    );
    let attack = solution.replace(
        derived,
        "impl PartialEq for Op {\n    fn eq(&self, _: &Op) -> bool {\n        true\n    }\n}\n\n\
         impl Eq for Op {}\n\n#[derive(Debug, Clone, Copy)]\npub enum Op {",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("autograd2.rs");
    std::fs::write(&file, attack).unwrap();
    let json = Tensorlings::in_dir(repo())
        .own_cache()
        .check("autograd2")
        .json()
        .arg("--file")
        .arg(&file)
        .run()
        .json();
    assert_eq!(json["status"], "compile_error", "{json:#}");
    let message = json["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("`Op` must keep the `PartialEq`"),
        "{json:#}"
    );
}

/// A set's crates are built by cargo once; later checks compile with rustc
/// alone from the plan cargo's messages left, and a plan that no longer
/// fits (a crate's library damaged or gone) falls back to cargo, which
/// makes a new one: the learner sees a verdict either way.
#[test]
fn checks_of_a_crate_set_compile_with_rustc_alone_once_cargo_built_it() {
    let cache = tempfile::tempdir().unwrap();
    let check = || {
        let out = Tensorlings::in_dir(repo())
            .cache(cache.path())
            .env("TENSORLINGS_TRACE", "1")
            .check("secrets3")
            .arg("--file")
            .arg(repo().join("solutions/05-secrets/secrets3.rs"))
            .run();
        let said = out.stderr();
        assert!(out.success(), "{said}{}", out.stdout());
        said
    };
    // The first check builds the set with cargo (the plan comes from that
    // build's messages); the learner's code then compiles with rustc alone.
    check();
    assert!(check().contains("compile with rustc alone"));
    // Damage one library the plan names.
    let plan = std::fs::read_dir(cache.path().join("light"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("plan-"))
        .expect("no plan was kept")
        .path();
    let text = std::fs::read_to_string(&plan).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The crate secrets3 uses (rustc reads an extern only when it is used).
    let rlib = json["externs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[0] == "secrecy")
        .expect("secrecy is in the plan")[1]
        .as_str()
        .unwrap()
        .to_owned();
    let garbage = cache.path().join("garbage.rlib");
    std::fs::write(&garbage, b"not a library").unwrap();
    std::fs::write(&plan, text.replace(&rlib, &garbage.to_string_lossy())).unwrap();
    assert!(check().contains("compile with cargo"));
    assert!(check().contains("compile with rustc alone"));
}
