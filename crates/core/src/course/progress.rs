//! The learner's progress: which exercises passed, attempts, hints used, timings.
//!
//! Kept in `.tensorlings/progress.json` inside the course directory. Writes are
//! atomic (write a temporary file, fsync, rename), so a crash leaves the old or
//! the new file, never half of one. A file that cannot be read is moved aside
//! and reported, never silently replaced.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The progress file's format version.
pub const PROGRESS_VERSION: u32 = 1;

/// Everything recorded about one learner's run through a course.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Format version of the file.
    pub version: u32,
    /// The exercise the learner last worked on, so the app resumes there.
    #[serde(default)]
    pub current: Option<String>,
    /// Per-exercise records keyed by exercise id.
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

/// What is known about one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    /// Whether a check of the learner's file has passed.
    #[serde(default)]
    pub passed: bool,
    /// How many checks were run.
    #[serde(default)]
    pub attempts: u32,
    /// How many hint levels were revealed.
    #[serde(default)]
    pub hints_used: u32,
    /// Unix seconds when the learner first opened or checked it.
    #[serde(default)]
    pub first_opened: Option<u64>,
    /// Unix seconds of the first pass.
    #[serde(default)]
    pub passed_at: Option<u64>,
    /// Unix seconds of the latest check (absent in files written before it
    /// was kept): with `first_opened`, how long the learner has been at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checked: Option<u64>,
}

impl ExerciseProgress {
    /// Seconds from first opening to the latest check (or the pass, in an
    /// older file): the time spent on it so far, as far as the file knows.
    pub fn seconds_on_it(&self) -> Option<u64> {
        let last = self.last_checked.max(self.passed_at)?;
        Some(last.saturating_sub(self.first_opened?))
    }
}

/// Why progress could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    /// The file exists but could not be used; it was moved to `backup`.
    #[error("{path}: {reason}; it was moved to {backup} and progress starts afresh")]
    Unreadable {
        /// The progress file.
        path: PathBuf,
        /// What was wrong with it.
        reason: String,
        /// Where the old file now is.
        backup: PathBuf,
    },
    /// Reading, writing or renaming failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The outcome of loading progress: the progress, plus a warning to show when
/// an unreadable file was set aside.
pub struct Loaded {
    /// The progress to use.
    pub progress: Progress,
    /// Set when the old file could not be used and was backed up.
    pub warning: Option<ProgressError>,
}

impl Progress {
    /// Where a course keeps its progress.
    pub fn path(course_root: &Path) -> PathBuf {
        course_root.join(super::layout::progress_file())
    }

    /// A fresh record.
    pub fn new() -> Progress {
        Progress {
            version: PROGRESS_VERSION,
            ..Progress::default()
        }
    }

    /// Loads progress from `path`. A missing file is fresh progress; a corrupt
    /// or newer-version file is moved aside and reported in [`Loaded::warning`].
    pub fn load(path: &Path) -> Result<Loaded, ProgressError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            // No file, or no directory for one (a file in its place): fresh
            // progress; saving says why it cannot be kept.
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(Loaded {
                    progress: Progress::new(),
                    warning: None,
                });
            }
            Err(err) => return Err(io(path, err)),
        };
        let reason = match String::from_utf8(bytes)
            .map_err(|_| "it is not UTF-8 text".to_owned())
            .and_then(|text| serde_json::from_str::<Progress>(&text).map_err(|e| e.to_string()))
        {
            Ok(progress) if progress.version == PROGRESS_VERSION => {
                return Ok(Loaded {
                    progress,
                    warning: None,
                });
            }
            Ok(progress) => format!(
                "it has version {}, and this build reads version {PROGRESS_VERSION}",
                progress.version
            ),
            Err(err) => format!("it is not a valid progress file ({err})"),
        };
        let backup = backup_path(path);
        fs::rename(path, &backup).map_err(|err| io(path, err))?;
        Ok(Loaded {
            progress: Progress::new(),
            warning: Some(ProgressError::Unreadable {
                path: super::tidy(path),
                reason,
                backup: super::tidy(&backup),
            }),
        })
    }

    /// Writes progress atomically: a temporary file beside it, fsync, rename.
    pub fn save(&self, path: &Path) -> Result<(), ProgressError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|err| io(dir, err))?;
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|err| io(dir, err))?;
        let json = serde_json::to_string_pretty(self).map_err(|err| io(path, err.into()))?;
        file.write_all(json.as_bytes())
            .map_err(|err| io(path, err))?;
        file.write_all(b"\n").map_err(|err| io(path, err))?;
        file.as_file().sync_all().map_err(|err| io(path, err))?;
        file.persist(path).map_err(|err| io(path, err.error))?;
        Ok(())
    }

    /// The record for `id`, created when missing.
    pub fn entry(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_owned()).or_default()
    }

    /// Whether `id` has passed.
    pub fn passed(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|record| record.passed)
    }

    /// Records that the learner opened `id`.
    pub fn opened(&mut self, id: &str) {
        self.current = Some(id.to_owned());
        let record = self.entry(id);
        record.first_opened.get_or_insert_with(now);
    }

    /// Records a check of the learner's file and its result.
    pub fn checked(&mut self, id: &str, passed: bool) {
        self.opened(id);
        let record = self.entry(id);
        record.attempts += 1;
        record.last_checked = Some(now());
        if passed && !record.passed {
            record.passed = true;
            record.passed_at = Some(now());
        }
    }

    /// Records that hint `level` (1-based) was revealed.
    pub fn hint_revealed(&mut self, id: &str, level: u32) {
        let record = self.entry(id);
        record.hints_used = record.hints_used.max(level);
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

fn backup_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(
        || "progress.json".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut candidate = path.with_file_name(format!("{name}.bad-{}", now()));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{name}.bad-{}-{n}", now()));
        n += 1;
    }
    candidate
}

fn io(path: &Path, source: std::io::Error) -> ProgressError {
    ProgressError::Io {
        path: super::tidy(path),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_fresh_progress() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = Progress::load(&dir.path().join("progress.json")).unwrap();
        assert_eq!(loaded.progress, Progress::new());
        assert!(loaded.warning.is_none());
    }

    #[test]
    fn progress_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("progress.json");
        let mut progress = Progress::new();
        progress.checked("traits1", false);
        progress.checked("traits1", true);
        progress.hint_revealed("traits1", 2);
        progress.save(&path).unwrap();
        let loaded = Progress::load(&path).unwrap();
        assert_eq!(loaded.progress, progress);
        let record = &loaded.progress.exercises["traits1"];
        assert_eq!(
            (record.attempts, record.passed, record.hints_used),
            (2, true, 2)
        );
        assert_eq!(loaded.progress.current.as_deref(), Some("traits1"));
    }

    #[test]
    fn a_file_from_before_checks_were_timed_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        fs::write(
            &path,
            r#"{"version": 1, "exercises": {"a": {"passed": true, "attempts": 2, "first_opened": 100, "passed_at": 160}}}"#,
        )
        .unwrap();
        let loaded = Progress::load(&path).unwrap();
        assert!(loaded.warning.is_none());
        let record = &loaded.progress.exercises["a"];
        assert_eq!(record.last_checked, None);
        assert_eq!(record.seconds_on_it(), Some(60), "up to the pass");
        let mut progress = loaded.progress;
        progress.checked("b", false);
        let record = &progress.exercises["b"];
        assert_eq!(record.seconds_on_it(), Some(0));
        assert!(record.last_checked.is_some());
    }

    #[test]
    fn a_corrupt_file_is_backed_up_and_reported_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        fs::write(&path, "{ not json").unwrap();
        let loaded = Progress::load(&path).unwrap();
        let Some(ProgressError::Unreadable { backup, .. }) = loaded.warning else {
            panic!("expected a warning about the unreadable file");
        };
        assert_eq!(fs::read_to_string(backup).unwrap(), "{ not json");
        assert!(!path.exists());
    }

    #[test]
    fn a_future_version_is_backed_up_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        fs::write(&path, r#"{"version": 99, "exercises": {}}"#).unwrap();
        let loaded = Progress::load(&path).unwrap();
        let warning = loaded.warning.expect("a warning").to_string();
        assert!(warning.contains("version 99"), "{warning}");
    }

    #[test]
    fn a_file_that_is_not_text_is_backed_up_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        fs::write(&path, [0xff, 0xfe, 0x00, 0x9c]).unwrap();
        let loaded = Progress::load(&path).unwrap();
        let warning = loaded.warning.expect("a warning").to_string();
        assert!(warning.contains("not UTF-8"), "{warning}");
        assert!(!path.exists());
        assert_eq!(loaded.progress, Progress::new());
    }
}
