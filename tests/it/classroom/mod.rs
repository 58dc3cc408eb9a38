//! The instructor's side, one file per command: making workspaces (`init`),
//! grading them (`grade`), a learner's record (`report`), the class at a
//! glance (`class`), authoring (`new-exercise`) and warming the build cache
//! (`prepare`).

mod class;
mod grade;
mod init;
mod new_exercise;
mod prepare;
mod report;

pub(crate) use class::{class, five_students};

use crate::support;

/// A learner workspace made from the fixture course, with its own (weakened)
/// copy of the tests that grading must ignore.
fn fixture_workspace() -> tempfile::TempDir {
    let dir = support::scratch_course();
    std::fs::write(
        dir.path().join("lessons/01-fixtures/tests/test_fails.rs"),
        "",
    )
    .unwrap();
    dir
}
