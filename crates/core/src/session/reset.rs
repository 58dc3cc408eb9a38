//! Putting exercises back to their starters: where a starter is found, the
//! learner's file backed up first, and the newer-starter notice forgotten.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Session, write_atomically};
use crate::course::{Exercise, layout};

/// Where the starters built into a binary are found: `(lesson, id)` to the
/// file's bytes. The last place a reset looks.
pub type BuiltinStarters = fn(lesson: &str, id: &str) -> Option<&'static [u8]>;

/// No starters built in.
pub(super) fn no_builtin_starters(_lesson: &str, _id: &str) -> Option<&'static [u8]> {
    None
}

/// Why a reset could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    /// No copy of the starter as shipped was found.
    #[error(
        "no pristine copy of {0} was found (in .tensorlings/starters/, in git, or built in); nothing was changed"
    )]
    NoStarter(PathBuf),
    /// The file is a link, or lies outside the course.
    #[error(
        "{0} is a link or lies outside the course; reset writes only inside the course, so nothing was changed"
    )]
    Outside(PathBuf),
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// What a reset did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetDone {
    /// Where the learner's previous file was saved, if there was one and it
    /// differed from the starter.
    pub backup: Option<PathBuf>,
    /// Whether the file changed: false when it already was the starter.
    pub changed: bool,
}

impl Session {
    /// Puts `exercise`'s file back to its starter, saving the learner's file
    /// under `.tensorlings/backups/` first, and forgets that the course had
    /// a newer starter for it (the newer one is now in place). The starter
    /// is the workspace's pristine copy, else git's, else the one built into
    /// the binary (see [`Session::with_builtin_starters`]).
    pub fn reset(&self, exercise: &Exercise) -> Result<ResetDone, ResetError> {
        let done = self.put_back(exercise)?;
        self.forget_newer_starter(&exercise.id);
        Ok(done)
    }

    fn put_back(&self, exercise: &Exercise) -> Result<ResetDone, ResetError> {
        let pristine = self
            .pristine_starter(exercise)
            .or_else(|| (self.builtin)(&exercise.lesson, &exercise.id).map(<[u8]>::to_vec))
            .ok_or_else(|| ResetError::NoStarter(self.course.relative_file(exercise)))?;
        self.refuse_links(&exercise.file)?;
        if fs::read(&exercise.file).is_ok_and(|now| now == pristine) {
            return Ok(ResetDone {
                backup: None,
                changed: false,
            });
        }
        let backups = self.course.root.join(layout::backups_dir());
        let backup = if exercise.file.exists() {
            fs::create_dir_all(&backups).map_err(|e| reset_io(&backups, e))?;
            let backup = unused(&backups, &exercise.id);
            fs::copy(&exercise.file, &backup).map_err(|e| reset_io(&exercise.file, e))?;
            Some(backup)
        } else {
            None
        };
        write_atomically(&exercise.file, &pristine).map_err(|e| reset_io(&exercise.file, e))?;
        Ok(ResetDone {
            backup,
            changed: true,
        })
    }

    /// Puts every exercise back to its starter, each changed file backed up
    /// first; one exercise that cannot be reset does not stop the others.
    pub fn reset_all(&self) -> Vec<(Exercise, Result<ResetDone, ResetError>)> {
        self.course
            .exercises()
            .map(|exercise| (exercise.clone(), self.reset(exercise)))
            .collect()
    }

    /// Whether the course has a newer starter for `id` than the learner's
    /// edited file (a clone's workspace brought in step with its course
    /// keeps the learner's file and notes this).
    pub fn has_newer_starter(&self, id: &str) -> bool {
        fs::read_to_string(self.course.root.join(layout::newer_starters()))
            .is_ok_and(|text| text.lines().any(|line| line == id))
    }

    /// Forgets that `id` had a newer starter.
    fn forget_newer_starter(&self, id: &str) {
        let path = self.course.root.join(layout::newer_starters());
        if let Ok(text) = fs::read_to_string(&path) {
            let kept: String = text
                .lines()
                .filter(|line| *line != id)
                .flat_map(|line| [line, "\n"])
                .collect();
            if kept != text {
                let _ = write_atomically(&path, kept.as_bytes());
            }
        }
    }

    /// Refuses to write `file` when it is a link, or sits in a directory
    /// outside the course: `reset` never writes anywhere else, whatever links
    /// were made after the course was loaded.
    fn refuse_links(&self, file: &Path) -> Result<(), ResetError> {
        let outside = || ResetError::Outside(crate::course::tidy(file));
        if fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(outside());
        }
        let root =
            fs::canonicalize(&self.course.root).map_err(|e| reset_io(&self.course.root, e))?;
        let dir = file.parent().unwrap_or(Path::new("."));
        let real = fs::canonicalize(dir).map_err(|e| reset_io(dir, e))?;
        if real.starts_with(&root) {
            Ok(())
        } else {
            Err(outside())
        }
    }

    /// The starter as shipped: from the workspace's pristine copies, else
    /// from git, when the course is a checkout.
    fn pristine_starter(&self, exercise: &Exercise) -> Option<Vec<u8>> {
        let kept = self
            .course
            .root
            .join(layout::starter_copy(&exercise.lesson, &exercise.id));
        if let Ok(bytes) = fs::read(kept) {
            return Some(bytes);
        }
        let relative = self.course.relative_file(exercise);
        let output = std::process::Command::new("git")
            .current_dir(&self.course.root)
            .args(["show", &format!("HEAD:./{}", relative.display())])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        output.status.success().then_some(output.stdout)
    }
}

/// A backup name under `dir` that no earlier backup has: two resets in the
/// same second keep both files.
fn unused(dir: &Path, id: &str) -> PathBuf {
    let stamp = crate::course::progress::now();
    let mut candidate = dir.join(format!("{id}-{stamp}.rs"));
    let mut n = 1;
    while candidate.exists() {
        candidate = dir.join(format!("{id}-{stamp}-{n}.rs"));
        n += 1;
    }
    candidate
}

fn reset_io(path: &Path, source: std::io::Error) -> ResetError {
    ResetError::Io {
        path: crate::course::tidy(path),
        source,
    }
}
