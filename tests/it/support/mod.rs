//! Helpers shared by the integration tests: fixture courses and scratch
//! copies of them, and (in [`app`]) the app's test harness.

#![allow(dead_code, reason = "each test module uses a different part")]

pub mod app;

use std::path::{Path, PathBuf};

/// The course whose exercises misbehave on purpose.
pub fn fixture_course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course")
}

/// A scratch copy of the fixture course, so tests never write into the repository.
pub fn scratch_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_course(), dir.path());
    dir
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
