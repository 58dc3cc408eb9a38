//! Helpers shared by the integration tests: [`Tensorlings`], the one way
//! they run the binary (in an environment of its own: a test home and a
//! build cache in the temporary directory, never the developer's); the
//! fixture courses and scratch copies of them; and (in [`app`]) the app's
//! test harness.

#![allow(dead_code, reason = "each test module uses a different part")]

pub mod app;
mod command;

#[cfg(target_os = "linux")]
pub use command::shared_cache;
pub use command::{Run, Tensorlings, pty_command};

use std::path::{Path, PathBuf};

/// The repository's root: the real course, and the fixtures under `tests/`.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture course `name` under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The course whose exercises misbehave on purpose.
pub fn fixture_course() -> PathBuf {
    fixture("course")
}

/// A scratch copy of the fixture course, so tests never write into the repository.
pub fn scratch_course() -> tempfile::TempDir {
    scratch_copy(&fixture_course())
}

/// A scratch copy of the course at `from` (see [`copy_dir`]).
pub fn scratch_copy(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(from, dir.path());
    dir
}

/// Copies a course's directory tree, leaving out any `.tensorlings`
/// directory: progress someone left by trying a fixture by hand must not
/// change what a test sees.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".tensorlings" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Processes whose command line contains any of `needles`, read from
/// /proc. A needle must be the test's own (its cache, a marker), so that
/// nothing else running on the machine is found.
pub fn processes_with(needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if needles.iter().any(|n| cmdline.contains(n)) {
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}
