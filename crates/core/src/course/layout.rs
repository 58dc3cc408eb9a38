//! Where everything sits in a course or a learner's workspace, in one place.
//!
//! ```text
//! lessons/<lesson>/lesson.yaml        the lesson
//! lessons/<lesson>/tests/<id>.rs      hidden tests
//! exercises/<lesson>/<id>.rs          the learner's file
//! solutions/<lesson>/<id>.rs          the reference solution
//! .tensorlings/progress.json          progress (and its lock)
//! .tensorlings/starters/…             pristine starters, for reset
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

/// Where `reset` saves the learner's files.
pub fn backups_dir() -> PathBuf {
    Path::new(".tensorlings").join("backups")
}

/// The progress file.
pub fn progress_file() -> PathBuf {
    Path::new(".tensorlings").join("progress.json")
}
