//! Where everything sits in a course or a learner's workspace, in one place.
//!
//! ```text
//! lessons/<lesson>/lesson.yaml        the lesson
//! lessons/<lesson>/tests/<id>.rs      hidden tests
//! lessons/<lesson>/tests/<id>.grade.rs hidden tests only `grade` runs
//! exercises/<lesson>/<id>.rs          the learner's file
//! solutions/<lesson>/<id>.rs          the reference solution
//! .tensorlings/progress.json          progress (and its lock)
//! .tensorlings/starters/…             pristine starters, for reset
//! .tensorlings/grading-only           exercises with tests only `grade` runs
//! .tensorlings/backups/               files saved by reset
//! ```
//! Paths are relative to the course root.

use std::path::{Path, PathBuf};

/// The learner's file of exercise `id` in `lesson`.
pub fn exercise_file(lesson: &str, id: &str) -> PathBuf {
    Path::new("exercises").join(lesson).join(format!("{id}.rs"))
}

/// The reference solution of exercise `id` in `lesson`.
pub fn solution_file(lesson: &str, id: &str) -> PathBuf {
    Path::new("solutions").join(lesson).join(format!("{id}.rs"))
}

/// Bug `name` of the `tests` exercise `id` in `lesson`.
pub fn bug_file(lesson: &str, id: &str, name: &str) -> PathBuf {
    Path::new("lessons")
        .join(lesson)
        .join("bugs")
        .join(id)
        .join(format!("{name}.rs"))
}

/// The hidden tests of exercise `id` in `lesson` (for a `tests` exercise,
/// the reference code the learner's tests run against).
pub fn tests_file(lesson: &str, id: &str) -> PathBuf {
    Path::new("lessons")
        .join(lesson)
        .join("tests")
        .join(format!("{id}.rs"))
}

/// The grading-only tests of exercise `id` in `lesson`: run by `grade` (on
/// the instructor's course) beside the hidden tests, never by a learner's
/// check, and left out of learners' workspaces.
pub fn grading_tests_file(lesson: &str, id: &str) -> PathBuf {
    Path::new("lessons")
        .join(lesson)
        .join("tests")
        .join(format!("{id}{GRADING_SUFFIX}"))
}

/// How a grading-only tests file's name ends.
pub const GRADING_SUFFIX: &str = ".grade.rs";

/// Whether `path` is a grading-only tests file (which a learner's workspace
/// never holds).
pub fn is_grading_tests(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(GRADING_SUFFIX))
}

/// In a learner's workspace: the exercises whose course has grading-only
/// tests (one id a line), so a check can say that more tests run when graded.
pub fn grading_marker() -> PathBuf {
    Path::new(".tensorlings").join("grading-only")
}

/// Whether `root` is a learner's workspace (made by `init`, or a clone's
/// `workspace/`) rather than a course as its authors keep it: reference
/// solutions appear there only once their exercise passed.
pub fn is_learner_workspace(root: &Path) -> bool {
    root.join(".tensorlings").join("starters").is_dir()
}

/// The pristine starter of exercise `id`, kept by `init` for `reset`.
pub fn starter_copy(lesson: &str, id: &str) -> PathBuf {
    Path::new(".tensorlings")
        .join("starters")
        .join(lesson)
        .join(format!("{id}.rs"))
}

/// The course's own settings (optional): in `lessons/`, so it travels with
/// the lessons wherever they are copied or built in.
pub fn course_file() -> PathBuf {
    Path::new("lessons").join("course.yaml")
}

/// The ids whose starter the course has made newer than the learner's
/// edited file, one a line (a clone's workspace keeps the learner's file).
pub fn newer_starters() -> PathBuf {
    Path::new(".tensorlings").join("newer-starters")
}

/// Where `reset` saves the learner's files.
pub fn backups_dir() -> PathBuf {
    Path::new(".tensorlings").join("backups")
}

/// The progress file.
pub fn progress_file() -> PathBuf {
    Path::new(".tensorlings").join("progress.json")
}
