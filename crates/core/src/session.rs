//! One learner's session with a course: the rules every front end follows.
//!
//! The app and the command line both hold a [`Session`]. Which exercise the
//! learner is on, what a check records, how hints are revealed and how a file
//! is reset are decided here, once. Progress is saved by merging: each change
//! is applied to the file as it is on disk now, under a lock, and written
//! atomically, so the app and a `check` in another terminal never lose each
//! other's results.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::course::progress::{Progress, ProgressError};
use crate::course::{Course, Exercise, layout};

/// A change to the learner's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Opened(String),
    Checked { id: String, passed: bool },
    HintRevealed { id: String, level: u32 },
}

/// What recording a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Whether this was the exercise's first pass.
    pub first_pass: bool,
}

/// Hints revealed for an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hints<'a> {
    /// The hints shown, from the first up to the level reached.
    pub shown: &'a [String],
    /// How many the exercise has.
    pub total: usize,
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

/// A learner's session: the course, their progress, and where it is kept.
#[derive(Debug, Clone)]
pub struct Session {
    course: Course,
    progress: Progress,
    /// The progress file; `None` keeps progress in memory (tests).
    store: Option<PathBuf>,
}

impl Session {
    /// Opens `course` with the progress saved in it. An unreadable progress
    /// file is moved aside; the warning says where.
    pub fn open(course: Course) -> Result<(Session, Option<ProgressError>), ProgressError> {
        let store = Progress::path(&course.root);
        let loaded = Progress::load(&store)?;
        let session = Session {
            course,
            progress: loaded.progress,
            store: Some(store),
        };
        Ok((session, loaded.warning))
    }

    /// A session whose progress lives in memory only.
    pub fn in_memory(course: Course, progress: Progress) -> Session {
        Session {
            course,
            progress,
            store: None,
        }
    }

    /// The course.
    pub fn course(&self) -> &Course {
        &self.course
    }

    /// The learner's progress as last read or written.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Whether `id` has passed.
    pub fn passed(&self, id: &str) -> bool {
        self.progress.passed(id)
    }

    /// The exercise the learner is on: the one last opened, unless it has
    /// passed; then the next one after it (in course order, wrapping round)
    /// that has not; when every one has passed, the last opened. A fresh
    /// course starts at its first exercise.
    pub fn current(&self) -> Option<&Exercise> {
        let all: Vec<&Exercise> = self.course.exercises().collect();
        let last = self
            .progress
            .current
            .as_deref()
            .and_then(|id| all.iter().position(|e| e.id == id));
        let Some(last) = last else {
            return all
                .iter()
                .find(|e| !self.passed(&e.id))
                .or(all.first())
                .copied();
        };
        (0..all.len())
            .map(|step| all[(last + step) % all.len()])
            .find(|e| !self.passed(&e.id))
            .or(Some(all[last]))
    }

    /// Records that the learner opened `id`.
    pub fn open_exercise(&mut self, id: &str) -> Result<(), ProgressError> {
        self.apply(&Change::Opened(id.to_owned()))
    }

    /// Records a check of the learner's own file.
    pub fn record_check(&mut self, id: &str, passed: bool) -> Result<Recorded, ProgressError> {
        let first_pass = passed && !self.passed(id);
        self.apply(&Change::Checked {
            id: id.to_owned(),
            passed,
        })?;
        Ok(Recorded { first_pass })
    }

    /// Reveals hints of `exercise` up to `level` (1 = the nudge), or the next
    /// one not yet seen. Revealing never goes back: asking for a lower level
    /// shows those hints and keeps the record.
    pub fn reveal_hint<'a>(
        &mut self,
        exercise: &'a Exercise,
        level: Option<u32>,
    ) -> Result<Hints<'a>, ProgressError> {
        let total = exercise.hints.len();
        let max = u32::try_from(total).unwrap_or(u32::MAX);
        if max == 0 {
            return Ok(Hints { shown: &[], total });
        }
        let seen = self.hints_seen(&exercise.id);
        let level = level.unwrap_or(seen + 1).clamp(1, max);
        self.apply(&Change::HintRevealed {
            id: exercise.id.clone(),
            level,
        })?;
        Ok(Hints {
            shown: &exercise.hints[..level as usize],
            total,
        })
    }

    /// How many hint levels of `id` the learner has seen.
    pub fn hints_seen(&self, id: &str) -> u32 {
        self.progress.exercises.get(id).map_or(0, |r| r.hints_used)
    }

    /// Puts `exercise`'s file back to its starter, saving the learner's file
    /// under `.tensorlings/backups/` first. `builtin` is the starter built
    /// into the binary, the last place looked for a pristine copy.
    pub fn reset(
        &self,
        exercise: &Exercise,
        builtin: Option<&[u8]>,
    ) -> Result<ResetDone, ResetError> {
        let pristine = self
            .pristine_starter(exercise)
            .or_else(|| builtin.map(<[u8]>::to_vec))
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
    /// `builtin` gives an exercise's starter built into the binary.
    pub fn reset_all<'b>(
        &self,
        builtin: impl Fn(&Exercise) -> Option<&'b [u8]>,
    ) -> Vec<(Exercise, Result<ResetDone, ResetError>)> {
        self.course
            .exercises()
            .map(|exercise| {
                let done = self.reset(exercise, builtin(exercise));
                (exercise.clone(), done)
            })
            .collect()
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

    /// Applies `change` to the progress on disk (re-read under the lock) and
    /// saves it, or to the progress in memory when there is no file.
    fn apply(&mut self, change: &Change) -> Result<(), ProgressError> {
        let Some(store) = self.store.clone() else {
            apply(&mut self.progress, change);
            return Ok(());
        };
        let _lock = lock(&store)?;
        let mut fresh = match Progress::load(&store) {
            Ok(loaded) => loaded.progress,
            Err(_) => self.progress.clone(),
        };
        apply(&mut fresh, change);
        fresh.save(&store)?;
        self.progress = fresh;
        Ok(())
    }
}

fn apply(progress: &mut Progress, change: &Change) {
    match change {
        Change::Opened(id) => progress.opened(id),
        Change::Checked { id, passed } => progress.checked(id, *passed),
        Change::HintRevealed { id, level } => progress.hint_revealed(id, *level),
    }
}

/// Takes the progress lock beside `store` (blocking); released on drop.
fn lock(store: &Path) -> Result<fs::File, ProgressError> {
    let dir = store.parent().unwrap_or(Path::new("."));
    let io = |source| ProgressError::Io {
        path: crate::course::tidy(dir),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("progress.lock"))
        .map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
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

/// Writes `bytes` to `path` so that a crash leaves the old or the new file:
/// a temporary file beside it, fsync, rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "format_version: 1\ntitle: \"Tiny\"\nprose: \"Prose.\"\nexercises:\n  - id: one\n    title: \"One\"\n    hints: [\"first\", \"second\"]\n  - id: two\n    title: \"Two\"\n  - id: three\n    title: \"Three\"\n";

    fn course() -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for id in ["one", "two", "three"] {
            for path in [
                layout::exercise_file("01-tiny", id),
                layout::solution_file("01-tiny", id),
                layout::tests_file("01-tiny", id),
            ] {
                fs::create_dir_all(root.join(&path).parent().unwrap()).unwrap();
                fs::write(root.join(path), format!("// {id}\n")).unwrap();
            }
        }
        fs::write(root.join("lessons/01-tiny/lesson.yaml"), YAML).unwrap();
        let course = Course::load(root).unwrap();
        (dir, course)
    }

    fn current(session: &Session) -> &str {
        &session.current().unwrap().id
    }

    #[test]
    fn the_exercise_in_progress_follows_one_rule() {
        let (_dir, course) = course();
        let mut s = Session::in_memory(course, Progress::new());
        assert_eq!(current(&s), "one", "a fresh course starts at the beginning");
        s.open_exercise("two").unwrap();
        assert_eq!(
            current(&s),
            "two",
            "the last opened, while it has not passed"
        );
        s.record_check("two", true).unwrap();
        assert_eq!(current(&s), "three", "then the next one not passed");
        s.record_check("three", true).unwrap();
        assert_eq!(current(&s), "one", "wrapping round to an earlier one");
        s.record_check("one", true).unwrap();
        assert_eq!(current(&s), "one", "all passed: the last opened");
    }

    #[test]
    fn two_front_ends_saving_at_once_lose_nothing() {
        let (_dir, course) = course();
        let (mut app, _) = Session::open(course.clone()).unwrap();
        let (mut cli, _) = Session::open(course).unwrap();
        // The app's copy is stale once the command line records a pass.
        cli.record_check("one", true).unwrap();
        app.open_exercise("two").unwrap();
        let one = app.course().exercises().next().unwrap().clone();
        app.reveal_hint(&one, None).unwrap();
        let (fresh, _) = Session::open(cli.course().clone()).unwrap();
        assert!(fresh.passed("one"), "the app's save overwrote the pass");
        assert_eq!(fresh.progress().current.as_deref(), Some("two"));
        assert_eq!(fresh.hints_seen("one"), 1);
        assert!(app.passed("one"), "the app sees the merged progress");
    }

    #[test]
    fn hints_are_revealed_one_level_at_a_time_and_never_taken_back() {
        let (_dir, course) = course();
        let exercise = course.exercises().next().unwrap().clone();
        let mut s = Session::in_memory(course, Progress::new());
        assert_eq!(s.reveal_hint(&exercise, None).unwrap().shown, ["first"]);
        assert_eq!(s.reveal_hint(&exercise, None).unwrap().shown.len(), 2);
        assert_eq!(s.reveal_hint(&exercise, None).unwrap().shown.len(), 2);
        assert_eq!(s.reveal_hint(&exercise, Some(1)).unwrap().shown, ["first"]);
        assert_eq!(s.hints_seen("one"), 2);
    }

    #[test]
    fn two_resets_in_the_same_second_keep_both_files() {
        let (dir, course) = course();
        let exercise = course.exercises().next().unwrap().clone();
        let s = Session::in_memory(course, Progress::new());
        fs::write(&exercise.file, "// attempt 1\n").unwrap();
        let first = s
            .reset(&exercise, Some(b"// starter\n"))
            .unwrap()
            .backup
            .unwrap();
        fs::write(&exercise.file, "// attempt 2\n").unwrap();
        let second = s
            .reset(&exercise, Some(b"// starter\n"))
            .unwrap()
            .backup
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(first).unwrap(), "// attempt 1\n");
        assert_eq!(fs::read_to_string(second).unwrap(), "// attempt 2\n");
        assert_eq!(fs::read_to_string(&exercise.file).unwrap(), "// starter\n");
        drop(dir);
    }

    #[cfg(unix)]
    #[test]
    fn reset_never_writes_through_a_link() {
        let (_dir, course) = course();
        let exercise = course.exercises().next().unwrap().clone();
        let elsewhere = tempfile::tempdir().unwrap();
        let victim = elsewhere.path().join("precious.rs");
        fs::write(&victim, "// the user's own file\n").unwrap();
        fs::remove_file(&exercise.file).unwrap();
        std::os::unix::fs::symlink(&victim, &exercise.file).unwrap();
        let s = Session::in_memory(course, Progress::new());
        let err = s.reset(&exercise, Some(b"// starter\n")).unwrap_err();
        assert!(matches!(err, ResetError::Outside(_)), "{err}");
        assert_eq!(
            fs::read_to_string(&victim).unwrap(),
            "// the user's own file\n"
        );
    }

    #[test]
    fn reset_all_backs_up_each_changed_file_and_leaves_starters_alone() {
        let (_dir, course) = course();
        let exercises: Vec<Exercise> = course.exercises().cloned().collect();
        assert!(exercises.len() >= 2, "the test course has two exercises");
        let s = Session::in_memory(course, Progress::new());
        fs::write(&exercises[0].file, "// my work\n").unwrap();
        fs::write(&exercises[1].file, "// starter\n").unwrap();
        let done = s.reset_all(|_| Some(b"// starter\n".as_slice()));
        assert_eq!(done.len(), exercises.len());
        let first = done[0].1.as_ref().unwrap();
        assert!(first.changed);
        let backup = first.backup.as_ref().expect("the learner's work is kept");
        assert_eq!(fs::read_to_string(backup).unwrap(), "// my work\n");
        let second = done[1].1.as_ref().unwrap();
        assert_eq!((second.changed, second.backup.as_ref()), (false, None));
        for exercise in &exercises {
            assert_eq!(fs::read_to_string(&exercise.file).unwrap(), "// starter\n");
        }
    }
}
