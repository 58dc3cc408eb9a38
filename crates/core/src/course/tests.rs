//! Loading courses, good and broken: every error names the file and the line.

use std::fs;
use std::path::Path;

use super::Course;
use crate::deps::DepSet;

const GOOD: &str = r#"format_version: 1
title: "Tiny"
summary: "A tiny lesson."
prose: |
  # Tiny
  Some prose.
exercises:
  - id: tiny1
    title: "First"
    hints: ["a nudge", "nearly the answer"]
  - id: tiny2
    title: "Second"
    crates: [dotenvy]
    timeout_secs: 3
    starter_compiles: false
    messages:
      some_test: "what it means"
"#;

/// A course with one lesson whose yaml is `yaml` and whose files all exist.
fn course_with(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_lesson(dir.path(), "01-tiny", yaml, &["tiny1", "tiny2", "tiny3"]);
    dir
}

fn write_lesson(root: &Path, lesson: &str, yaml: &str, ids: &[&str]) {
    let lesson_dir = root.join("lessons").join(lesson);
    fs::create_dir_all(lesson_dir.join("tests")).unwrap();
    fs::write(lesson_dir.join("lesson.yaml"), yaml).unwrap();
    for kind in ["exercises", "solutions"] {
        fs::create_dir_all(root.join(kind).join(lesson)).unwrap();
    }
    for id in ids {
        for path in [
            root.join("exercises").join(lesson).join(format!("{id}.rs")),
            root.join("solutions").join(lesson).join(format!("{id}.rs")),
            lesson_dir.join("tests").join(format!("{id}.rs")),
        ] {
            fs::write(path, "").unwrap();
        }
    }
}

fn errors(dir: &tempfile::TempDir) -> Vec<String> {
    let err = Course::load(dir.path()).unwrap_err();
    let root = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
    // Paths read as on this system; the tests compare them with `/`.
    err.problems
        .iter()
        .map(|p| p.to_string().replace(&root, "").replace('\\', "/"))
        .collect()
}

#[test]
fn a_good_lesson_loads_with_its_defaults_and_settings() {
    let dir = course_with(GOOD);
    let course = Course::load(dir.path()).unwrap();
    let lesson = &course.lessons[0];
    assert_eq!(
        (lesson.id.as_str(), lesson.title.as_str()),
        ("01-tiny", "Tiny")
    );
    let [first, second] = &lesson.exercises[..] else {
        panic!("two exercises")
    };
    assert_eq!(
        (first.deps, first.timeout.as_secs(), first.starter_compiles),
        (DepSet::Std, 10, true)
    );
    assert_eq!(
        (
            second.deps,
            second.timeout.as_secs(),
            second.starter_compiles
        ),
        (DepSet::Light, 3, false)
    );
    assert_eq!(
        second.messages["some_test"],
        super::Message::always("what it means")
    );
    assert!(first.file.ends_with("exercises/01-tiny/tiny1.rs"));
    assert_eq!(course.exercise("tiny2").unwrap().lesson, "01-tiny");
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let dir = course_with(&GOOD.replace("    hints: [", "    hintz: ["));
    let errs = errors(&dir);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("lessons/01-tiny/lesson.yaml:10:"),
        "{errs:?}"
    );
    assert!(errs[0].contains("unknown field `hintz`"), "{errs:?}");
}

#[test]
fn a_syntax_error_is_named_with_its_line() {
    let dir = course_with(&GOOD.replace("title: \"Second\"", "title: \"Second"));
    let errs = errors(&dir);
    assert!(
        errs[0].starts_with("lessons/01-tiny/lesson.yaml:"),
        "{errs:?}"
    );
    assert!(
        !errs[0].contains("at line"),
        "the line is shown once, in front: {errs:?}"
    );
}

#[test]
fn an_unsupported_format_version_says_which_this_build_reads() {
    let dir = course_with(&GOOD.replace("format_version: 1", "format_version: 2\nnew_field: true"));
    let errs = errors(&dir);
    assert_eq!(
        errs,
        [
            "lessons/01-tiny/lesson.yaml:1: format_version 2 is not supported; this build of tensorlings reads version 1"
        ]
    );
}

#[test]
fn an_unknown_crate_is_named_with_the_pinned_list() {
    let dir = course_with(&GOOD.replace("crates: [dotenvy]", "crates: [reqwest]"));
    let errs = errors(&dir);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with("lessons/01-tiny/lesson.yaml:13:"),
        "{errs:?}"
    );
    assert!(errs[0].contains("unknown crate `reqwest`"), "{errs:?}");
    assert!(
        errs[0].contains("candle-core") && errs[0].contains("tokio"),
        "{errs:?}"
    );
}

#[test]
fn a_duplicate_id_across_lessons_points_at_both() {
    let dir = course_with(GOOD);
    write_lesson(
        dir.path(),
        "02-other",
        "format_version: 1\ntitle: Other\nprose: x\nexercises:\n  - id: tiny1\n    title: Again\n",
        &["tiny1"],
    );
    let errs = errors(&dir);
    assert_eq!(
        errs,
        [
            "lessons/02-other/lesson.yaml:5: duplicate exercise id `tiny1`: already used at lessons/01-tiny/lesson.yaml:8"
        ]
    );
}

#[test]
fn a_missing_file_is_named_and_every_problem_is_reported_at_once() {
    let dir = course_with(&GOOD.replace("crates: [dotenvy]", "crates: [nope]"));
    fs::remove_file(dir.path().join("solutions/01-tiny/tiny1.rs")).unwrap();
    let errs = errors(&dir);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(
        errs[0],
        "lessons/01-tiny/lesson.yaml:8: exercise `tiny1`: its solution file solutions/01-tiny/tiny1.rs is missing"
    );
    assert!(errs[1].contains("unknown crate `nope`"));
}

#[test]
fn a_directory_without_lessons_is_an_error_not_an_empty_course() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("lessons")).unwrap();
    let errs = errors(&dir);
    assert!(errs[0].contains("no lessons"), "{errs:?}");
}

#[test]
fn the_course_root_is_found_from_a_subdirectory() {
    let dir = course_with(GOOD);
    let deep = dir.path().join("exercises/01-tiny");
    assert_eq!(super::find_root(&deep).as_deref(), Some(dir.path()));
}

#[test]
fn a_missing_learner_file_does_not_stop_the_course_from_loading() {
    let dir = course_with(GOOD);
    fs::remove_file(dir.path().join("exercises/01-tiny/tiny1.rs")).unwrap();
    let course = Course::load(dir.path()).unwrap();
    assert!(!course.exercise("tiny1").unwrap().file.exists());
}

#[test]
fn a_timeout_no_clock_can_add_is_a_load_error_with_its_line() {
    let yaml = GOOD.replace("timeout_secs: 3", "timeout_secs: 18446744073709551615");
    let dir = course_with(&yaml);
    let errors = errors(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("lessons/01-tiny/lesson.yaml:14:")
            && errors[0].contains("timeout_secs is 18446744073709551615"),
        "{errors:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_course_is_refused_and_named() {
    let dir = course_with(GOOD);
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("precious.rs");
    fs::write(&victim, "// the user's own file\n").unwrap();
    let file = dir.path().join("exercises/01-tiny/tiny1.rs");
    fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&victim, &file).unwrap();
    let errors = errors(&dir);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("exercises/01-tiny/tiny1.rs: a link to")
                && e.contains("outside the course")),
        "{errors:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_lessons_directory_linked_out_of_the_course_is_refused() {
    let dir = course_with(GOOD);
    let outside = tempfile::tempdir().unwrap();
    crate::course::tests::write_lesson(outside.path(), "01-tiny", GOOD, &["tiny1", "tiny2"]);
    fs::remove_dir_all(dir.path().join("lessons")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("lessons"), dir.path().join("lessons")).unwrap();
    let errors = errors(&dir);
    assert!(
        errors.iter().any(|e| e.starts_with("lessons: a link to")),
        "{errors:?}"
    );
}

#[test]
fn a_message_can_name_the_cause_of_each_failure() {
    let yaml = GOOD.replace(
        "      some_test: \"what it means\"\n",
        "      some_test:\n        - when: \"index out of bounds\"\n          say: \"a node is missing\"\n        - when: \"collide\"\n          say: \"two names collide\"\n        - say: \"something else\"\n      other_test:\n        - when: \"only this\"\n          say: \"narrow\"\n",
    );
    let dir = course_with(&yaml);
    let course = Course::load(dir.path()).unwrap();
    let tiny2 = course.exercise("tiny2").unwrap();
    let some = &tiny2.messages["some_test"];
    assert_eq!(
        some.for_failure("index out of bounds: the len is 2"),
        Some("a node is missing")
    );
    assert_eq!(
        some.for_failure("names collide: weight"),
        Some("two names collide")
    );
    assert_eq!(some.for_failure("anything"), Some("something else"));
    let other = &tiny2.messages["other_test"];
    assert_eq!(other.for_failure("only this, please"), Some("narrow"));
    assert_eq!(other.for_failure("a different failure"), None);
}

#[test]
fn message_cases_that_could_never_show_are_refused_with_their_line() {
    for (cases, problem) in [
        ("[]", "has no cases"),
        ("[{when: \"\", say: \"x\"}]", "empty `when`"),
        (
            "[{say: \"any\"}, {when: \"b\", say: \"never\"}]",
            "could never be shown",
        ),
    ] {
        let yaml = GOOD.replace(
            "      some_test: \"what it means\"\n",
            &format!("      some_test: {cases}\n"),
        );
        let errs = errors(&course_with(&yaml));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("lessons/01-tiny/lesson.yaml:17:"),
            "{errs:?}"
        );
        assert!(errs[0].contains(problem), "{errs:?}");
    }
}

#[test]
fn a_lesson_sets_lint_levels_for_its_exercises_and_bad_names_are_refused() {
    let yaml = GOOD.replace(
        "exercises:\n",
        "lints:\n  dead_code: warn\n  clippy::needless_range_loop: allow\nexercises:\n",
    );
    let dir = course_with(&yaml);
    let course = Course::load(dir.path()).unwrap();
    let lints: Vec<(String, &str)> = course.lessons[0].exercises[1]
        .lints
        .iter()
        .map(|l| (l.name.clone(), l.level.attribute()))
        .collect();
    assert_eq!(
        lints,
        [
            ("clippy::needless_range_loop".to_owned(), "allow"),
            ("dead_code".to_owned(), "warn")
        ]
    );
    for (bad, said) in [
        ("unsafe_code: allow", "always refused"),
        ("\"dead_code)] #[allow(x\": allow", "not a lint name"),
        ("evil::thing: allow", "not a lint name"),
    ] {
        let yaml = GOOD.replace("exercises:\n", &format!("lints:\n  {bad}\nexercises:\n"));
        let errs = errors(&course_with(&yaml));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains(said), "{errs:?}");
        assert!(
            errs[0].starts_with("lessons/01-tiny/lesson.yaml:"),
            "{errs:?}"
        );
    }
}

#[test]
fn course_yaml_sets_lints_for_every_lesson_and_a_lesson_overrides_them() {
    let yaml = GOOD.replace("exercises:\n", "lints:\n  dead_code: warn\nexercises:\n");
    let dir = course_with(&yaml);
    std::fs::write(
        dir.path().join("lessons/course.yaml"),
        "format_version: 1\nlints:\n  dead_code: allow\n  unused_variables: deny\n",
    )
    .unwrap();
    let course = Course::load(dir.path()).unwrap();
    let mut lints: Vec<(String, &str)> = course.lessons[0].exercises[0]
        .lints
        .iter()
        .map(|l| (l.name.clone(), l.level.attribute()))
        .collect();
    lints.sort();
    assert_eq!(
        lints,
        [
            ("dead_code".to_owned(), "warn"),
            ("unused_variables".to_owned(), "deny")
        ]
    );
    for (bad, said, line) in [
        (
            "format_version: 1\nlints:\n  unsafe_code: allow\n",
            "always refused",
            3,
        ),
        (
            "format_version: 1\nlint:\n  dead_code: allow\n",
            "unknown field",
            2,
        ),
        ("format_version: 2\n", "reads version 1", 1),
    ] {
        std::fs::write(dir.path().join("lessons/course.yaml"), bad).unwrap();
        let errs = errors(&dir);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains(said), "{errs:?}");
        assert!(
            errs[0].starts_with(&format!("lessons/course.yaml:{line}:")),
            "{errs:?}"
        );
    }
}
