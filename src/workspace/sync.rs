//! Keeping a learner's workspace in step with the course it came from.
//!
//! In a clone of the repository, the learner works in `workspace/` (ignored by
//! git), never in the tracked `exercises/`. Every start brings the course's
//! changes in: lessons and hidden tests are copied as they are (never the
//! grading-only tests, and a reference solution only once its exercise
//! passed, see [`super::reveal_solution`]); a
//! starter the learner never edited is replaced by a newer one; an edited file
//! is kept, the newer starter recorded for `reset`, and the learner told.
//! Nothing of the learner's is deleted: files of exercises the course no
//! longer has are kept and named.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::course::layout;

/// The workspace format this build reads and writes.
pub const FORMAT: u32 = 1;

/// Where a workspace records its format and its course.
pub fn meta_file(workspace: &Path) -> PathBuf {
    workspace.join(".tensorlings").join("workspace.json")
}

/// Where a workspace lists exercises whose starter changed after the learner
/// edited them; `reset` clears an entry.
pub fn newer_file(workspace: &Path) -> PathBuf {
    workspace.join(crate::course::layout::newer_starters())
}

/// What a sync did, for the learner to read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// The workspace was created now.
    pub created: bool,
    /// Starters replaced because the learner had not edited them.
    pub updated: Vec<String>,
    /// Exercises the learner edited whose starter is now newer.
    pub newer: Vec<String>,
    /// Learner files of exercises the course no longer has (kept).
    pub orphans: Vec<PathBuf>,
}

/// Why a workspace could not be synced.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// A newer tensorlings made it; this one will not touch it.
    #[error(
        "{path} was made by a newer tensorlings (workspace format {found}; this build knows {FORMAT}); update tensorlings, nothing was changed"
    )]
    Newer {
        /// The workspace.
        path: PathBuf,
        /// Its format.
        found: u32,
    },
    /// Reading or writing failed.
    #[error("cannot keep the workspace in {path} up to date: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// Brings `workspace` in step with the course in `source` (creating it when
/// it does not exist).
pub fn sync(source: &Path, workspace: &Path) -> Result<Synced, SyncError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SyncError::Io { path, source }
    };
    check_format(workspace)?;
    // Two front ends starting at once (the app and a `check` in another
    // terminal) must not mirror over each other: one removing the other's
    // half-written file would fail it.
    let _lock = sync_lock(workspace).map_err(io(workspace))?;
    let mut synced = Synced {
        created: !workspace.join("exercises").is_dir(),
        ..Synced::default()
    };
    for part in ["lessons", "schema"] {
        mirror(&source.join(part), &workspace.join(part)).map_err(io(&workspace.join(part)))?;
    }
    refresh_solutions(source, workspace).map_err(io(&workspace.join("solutions")))?;
    let marker = grading_marker(&source.join("lessons"));
    write_if_changed(&workspace.join(layout::grading_marker()), marker.as_bytes())
        .map_err(io(workspace))?;
    let starters = relative_files(&source.join("exercises"));
    for relative in &starters {
        sync_starter(source, workspace, relative, &mut synced).map_err(io(workspace))?;
    }
    for relative in relative_files(&workspace.join("exercises")) {
        if !starters.contains(&relative) {
            synced.orphans.push(Path::new("exercises").join(relative));
        }
    }
    record_newer(workspace, &synced.newer).map_err(io(workspace))?;
    let meta = format!("{{\"format\": {FORMAT}, \"course\": \"repository\"}}\n");
    write_if_changed(&meta_file(workspace), meta.as_bytes()).map_err(io(workspace))?;
    Ok(synced)
}

/// Takes the workspace's sync lock (blocking); released on drop.
fn sync_lock(workspace: &Path) -> io::Result<fs::File> {
    let dir = workspace.join(".tensorlings");
    fs::create_dir_all(&dir)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("sync.lock"))?;
    file.lock()?;
    Ok(file)
}

fn check_format(workspace: &Path) -> Result<(), SyncError> {
    let Ok(text) = fs::read_to_string(meta_file(workspace)) else {
        return Ok(());
    };
    let found = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["format"].as_u64())
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(FORMAT);
    if found > FORMAT {
        return Err(SyncError::Newer {
            path: workspace.to_path_buf(),
            found,
        });
    }
    Ok(())
}

/// One exercise's file: created, replaced (never edited), or kept.
fn sync_starter(
    source: &Path,
    workspace: &Path,
    relative: &Path,
    synced: &mut Synced,
) -> io::Result<()> {
    let new = fs::read(source.join("exercises").join(relative))?;
    let file = workspace.join("exercises").join(relative);
    let kept = workspace
        .join(".tensorlings")
        .join("starters")
        .join(relative);
    let old = fs::read(&kept).ok();
    let id = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match fs::read(&file) {
        Err(_) => write_new(&file, &new)?,
        Ok(mine) if old.as_ref() != Some(&new) && mine != new => {
            if old.as_ref() == Some(&mine) {
                write_new(&file, &new)?;
                synced.updated.push(id);
            } else if old.is_some() {
                synced.newer.push(id);
            }
        }
        Ok(_) => {}
    }
    write_if_changed(&kept, &new)
}

/// Keeps the list of newer starters: this sync's plus earlier ones not yet
/// reset (an exercise leaves the list when its file equals its starter).
fn record_newer(workspace: &Path, newer: &[String]) -> io::Result<()> {
    let path = newer_file(workspace);
    let mut all: BTreeSet<String> = fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    all.extend(newer.iter().cloned());
    let text: String = all.into_iter().map(|id| id + "\n").collect();
    write_if_changed(&path, text.as_bytes())
}

/// Keeps the reference solutions the workspace already shows (those of
/// exercises that passed) in step with the course; the others stay out.
fn refresh_solutions(source: &Path, workspace: &Path) -> io::Result<()> {
    let shown = workspace.join("solutions");
    for relative in relative_files(&shown) {
        if let Ok(bytes) = fs::read(source.join("solutions").join(&relative)) {
            write_if_changed(&shown.join(relative), &bytes)?;
        }
    }
    Ok(())
}

/// The ids of exercises with grading-only tests in `lessons`, one a line.
fn grading_marker(lessons: &Path) -> String {
    let ids: BTreeSet<String> = relative_files(lessons)
        .into_iter()
        .filter(|path| layout::is_grading_tests(path))
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            Some(name.strip_suffix(layout::GRADING_SUFFIX)?.to_owned())
        })
        .collect();
    ids.into_iter().map(|id| id + "\n").collect()
}

/// Makes `to` hold exactly the files of `from` (files only `to` has are
/// removed: lessons and tests are the course's, not the learner's), leaving
/// out grading-only tests, which a learner's workspace never holds.
fn mirror(from: &Path, to: &Path) -> io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    let mut wanted = relative_files(from);
    wanted.retain(|path| !layout::is_grading_tests(path));
    for relative in &wanted {
        write_if_changed(&to.join(relative), &fs::read(from.join(relative))?)?;
    }
    for relative in relative_files(to) {
        if !wanted.contains(&relative) {
            fs::remove_file(to.join(relative))?;
        }
    }
    Ok(())
}

/// Every regular file under `dir`, relative to it (links are not followed).
fn relative_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(sub) = stack.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let relative = sub.join(entry.file_name());
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(relative),
                Ok(kind) if kind.is_file() => {
                    out.insert(relative);
                }
                _ => {}
            }
        }
    }
    out
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    crate::session::write_atomically(path, bytes)
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_new(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(dir: &Path, starter: &str, tests: &str) {
        for (path, text) in [
            ("lessons/01-a/lesson.yaml", "title: a\n"),
            ("lessons/01-a/tests/one.rs", tests),
            ("solutions/01-a/one.rs", "// solved\n"),
            ("exercises/01-a/one.rs", starter),
        ] {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
    }

    fn read(path: PathBuf) -> String {
        fs::read_to_string(path).unwrap()
    }

    #[test]
    fn a_first_start_copies_the_course_and_later_ones_bring_its_changes() {
        let source = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        let ws = ws.path().join("workspace");
        course(source.path(), "// v1\n", "// tests v1\n");
        assert!(sync(source.path(), &ws).unwrap().created);
        assert_eq!(read(ws.join("exercises/01-a/one.rs")), "// v1\n");
        // The course changes; the learner never touched the file.
        course(source.path(), "// v2\n", "// tests v2\n");
        let synced = sync(source.path(), &ws).unwrap();
        assert_eq!(synced.updated, ["one"]);
        assert_eq!(read(ws.join("exercises/01-a/one.rs")), "// v2\n");
        assert_eq!(read(ws.join("lessons/01-a/tests/one.rs")), "// tests v2\n");
    }

    #[test]
    fn the_course_settings_follow_the_course() {
        let source = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        let ws = ws.path().join("workspace");
        course(source.path(), "// v1\n", "// tests v1\n");
        let settings = tensorlings_core::course::layout::course_file();
        fs::write(source.path().join(&settings), "lints: {}\n").unwrap();
        sync(source.path(), &ws).unwrap();
        assert_eq!(read(ws.join(&settings)), "lints: {}\n");
        fs::remove_file(source.path().join(&settings)).unwrap();
        sync(source.path(), &ws).unwrap();
        assert!(!ws.join(&settings).exists());
    }

    #[test]
    fn an_edited_file_is_kept_and_the_newer_starter_recorded() {
        let source = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        course(source.path(), "// v1\n", "");
        sync(source.path(), ws.path()).unwrap();
        fs::write(ws.path().join("exercises/01-a/one.rs"), "// my work\n").unwrap();
        course(source.path(), "// v2\n", "");
        let synced = sync(source.path(), ws.path()).unwrap();
        assert_eq!(synced.newer, ["one"]);
        assert_eq!(
            read(ws.path().join("exercises/01-a/one.rs")),
            "// my work\n"
        );
        assert_eq!(
            read(ws.path().join(".tensorlings/starters/01-a/one.rs")),
            "// v2\n"
        );
        assert_eq!(read(newer_file(ws.path())), "one\n");
    }

    #[test]
    fn files_of_exercises_the_course_dropped_are_kept_and_named() {
        let source = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        course(source.path(), "// v1\n", "");
        sync(source.path(), ws.path()).unwrap();
        fs::write(ws.path().join("exercises/01-a/old.rs"), "// my old work\n").unwrap();
        let synced = sync(source.path(), ws.path()).unwrap();
        assert_eq!(synced.orphans, [PathBuf::from("exercises/01-a/old.rs")]);
        assert_eq!(
            read(ws.path().join("exercises/01-a/old.rs")),
            "// my old work\n"
        );
    }

    #[test]
    fn a_workspace_from_a_newer_tensorlings_is_left_alone() {
        let source = tempfile::tempdir().unwrap();
        let ws = tempfile::tempdir().unwrap();
        course(source.path(), "// v1\n", "");
        sync(source.path(), ws.path()).unwrap();
        fs::write(meta_file(ws.path()), "{\"format\": 99}").unwrap();
        course(source.path(), "// v2\n", "");
        let err = sync(source.path(), ws.path()).unwrap_err().to_string();
        assert!(err.contains("newer tensorlings"), "{err}");
        assert_eq!(read(ws.path().join("exercises/01-a/one.rs")), "// v1\n");
    }
}
