//! One learner's session with a course: the rules every front end follows.
//!
//! The app and the command line both hold a [`Session`]. Which exercise the
//! learner is on, what a check records, how hints are revealed and how a file
//! is reset are decided here, once. Progress is saved by merging: each change
//! is applied to the file as it is on disk now, under a lock, and written
//! atomically, so the app and a `check` in another terminal never lose each
//! other's results.

mod reset;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::course::progress::{Progress, ProgressError};
use crate::course::{Course, Exercise};
pub use reset::{BuiltinStarters, ResetDone, ResetError};

/// A change to the learner's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Opened(String),
    Checked { id: String, passed: bool },
    HintRevealed { id: String, level: u32 },
}

/// What a recorded check means for the learner, decided under the progress
/// lock (so a pass recorded meanwhile by another front end counts): what
/// each front end says and does next.
#[must_use = "a front end acts on a check: the next exercise, the solution, or nothing"]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The exercise passed for the first time. `next` is the exercise to go
    /// to: the next one in course order (wrapping round) that has not
    /// passed; `None` when every exercise has.
    FirstPass {
        /// The id of the exercise to go to.
        next: Option<String>,
    },
    /// It passed before and passes again.
    PassedAgain,
    /// It did not pass.
    Failed,
}

impl Checked {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        !matches!(self, Checked::Failed)
    }
}

/// Hints revealed for an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hints<'a> {
    /// The hints shown, from the first up to the level reached.
    pub shown: &'a [String],
    /// How many the exercise has.
    pub total: usize,
}

/// A learner's session: the course, their progress, and where it is kept.
#[derive(Debug, Clone)]
pub struct Session {
    course: Course,
    progress: Progress,
    /// The progress file; `None` keeps progress in memory (tests).
    store: Option<PathBuf>,
    /// Starters built into the binary, the last place a reset looks.
    builtin: BuiltinStarters,
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
            builtin: reset::no_builtin_starters,
        };
        Ok((session, loaded.warning))
    }

    /// A session whose progress lives in memory only.
    pub fn in_memory(course: Course, progress: Progress) -> Session {
        Session {
            course,
            progress,
            store: None,
            builtin: reset::no_builtin_starters,
        }
    }

    /// The same session, with `builtin` as the last place a reset looks for
    /// a starter (the course built into the binary).
    #[must_use]
    pub fn with_builtin_starters(mut self, builtin: BuiltinStarters) -> Session {
        self.builtin = builtin;
        self
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

    /// Records a check of the learner's own file, and answers what it means:
    /// a first pass (with the exercise to go to), a pass again, or a failure.
    pub fn record_check(&mut self, id: &str, passed: bool) -> Result<Checked, ProgressError> {
        let change = Change::Checked {
            id: id.to_owned(),
            passed,
        };
        self.apply_then(&change, |course, before, after| {
            if !passed {
                Checked::Failed
            } else if before.passed(id) {
                Checked::PassedAgain
            } else {
                Checked::FirstPass {
                    next: next_to_do(course, after, id),
                }
            }
        })
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

    /// Applies `change` to the progress on disk (re-read under the lock) and
    /// saves it, or to the progress in memory when there is no file.
    fn apply(&mut self, change: &Change) -> Result<(), ProgressError> {
        self.apply_then(change, |_, _, _| ())
    }

    /// [`Session::apply`], answering `decide` with the progress just before
    /// and just after the change, while the lock is still held.
    fn apply_then<T>(
        &mut self,
        change: &Change,
        decide: impl FnOnce(&Course, &Progress, &Progress) -> T,
    ) -> Result<T, ProgressError> {
        let Some(store) = self.store.clone() else {
            let before = self.progress.clone();
            apply(&mut self.progress, change);
            return Ok(decide(&self.course, &before, &self.progress));
        };
        let _lock = lock(&store)?;
        let mut fresh = match Progress::load(&store) {
            Ok(loaded) => loaded.progress,
            Err(_) => self.progress.clone(),
        };
        let before = fresh.clone();
        apply(&mut fresh, change);
        fresh.save(&store)?;
        let answer = decide(&self.course, &before, &fresh);
        self.progress = fresh;
        Ok(answer)
    }
}

/// The exercise after `id` in course order (wrapping round) that has not
/// passed in `progress`, if any.
fn next_to_do(course: &Course, progress: &Progress, id: &str) -> Option<String> {
    let all: Vec<&Exercise> = course.exercises().collect();
    let at = all.iter().position(|e| e.id == id)?;
    (1..all.len())
        .map(|step| all[(at + step) % all.len()])
        .find(|e| !progress.passed(&e.id))
        .map(|e| e.id.clone())
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
    use crate::course::layout;

    #[allow(clippy::unnecessary_wraps, reason = "the shape a BuiltinStarters has")]
    fn starter(_lesson: &str, _id: &str) -> Option<&'static [u8]> {
        Some(b"// starter\n")
    }

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
        let _ = s.record_check("two", true).unwrap();
        assert_eq!(current(&s), "three", "then the next one not passed");
        let _ = s.record_check("three", true).unwrap();
        assert_eq!(current(&s), "one", "wrapping round to an earlier one");
        let _ = s.record_check("one", true).unwrap();
        assert_eq!(current(&s), "one", "all passed: the last opened");
    }

    #[test]
    fn two_front_ends_saving_at_once_lose_nothing() {
        let (_dir, course) = course();
        let (mut app, _) = Session::open(course.clone()).unwrap();
        let (mut cli, _) = Session::open(course).unwrap();
        // The app's copy is stale once the command line records a pass.
        let _ = cli.record_check("one", true).unwrap();
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
        let s = Session::in_memory(course, Progress::new()).with_builtin_starters(starter);
        fs::write(&exercise.file, "// attempt 1\n").unwrap();
        let first = s.reset(&exercise).unwrap().backup.unwrap();
        fs::write(&exercise.file, "// attempt 2\n").unwrap();
        let second = s.reset(&exercise).unwrap().backup.unwrap();
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
        let s = Session::in_memory(course, Progress::new()).with_builtin_starters(starter);
        let err = s.reset(&exercise).unwrap_err();
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
        let s = Session::in_memory(course, Progress::new()).with_builtin_starters(starter);
        fs::write(&exercises[0].file, "// my work\n").unwrap();
        fs::write(&exercises[1].file, "// starter\n").unwrap();
        let done = s.reset_all();
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

    #[test]
    fn a_check_answers_what_now() {
        let (_dir, course) = course();
        let mut s = Session::in_memory(course, Progress::new());
        assert_eq!(s.record_check("two", false).unwrap(), Checked::Failed);
        assert_eq!(
            s.record_check("two", true).unwrap(),
            Checked::FirstPass {
                next: Some("three".to_owned())
            }
        );
        assert_eq!(s.record_check("two", true).unwrap(), Checked::PassedAgain);
        assert_eq!(s.record_check("two", false).unwrap(), Checked::Failed);
        let _ = s.record_check("three", true).unwrap();
        assert_eq!(
            s.record_check("one", true).unwrap(),
            Checked::FirstPass { next: None },
            "every exercise has passed"
        );
    }

    #[test]
    fn a_pass_another_front_end_recorded_makes_this_one_a_pass_again() {
        let (_dir, course) = course();
        let (mut app, _) = Session::open(course.clone()).unwrap();
        let (mut cli, _) = Session::open(course).unwrap();
        assert!(matches!(
            cli.record_check("one", true).unwrap(),
            Checked::FirstPass { .. }
        ));
        assert!(!app.passed("one"), "the app's copy is stale");
        assert_eq!(app.record_check("one", true).unwrap(), Checked::PassedAgain);
        assert_eq!(
            cli.record_check("two", true).unwrap(),
            Checked::FirstPass {
                next: Some("three".to_owned())
            }
        );
    }

    #[test]
    fn a_reset_forgets_the_newer_starter_of_that_exercise_only() {
        let (dir, course) = course();
        let exercise = course.exercises().next().unwrap().clone();
        let notice = dir.path().join(layout::newer_starters());
        fs::create_dir_all(notice.parent().unwrap()).unwrap();
        fs::write(&notice, "one\ntwo\n").unwrap();
        let s = Session::in_memory(course, Progress::new()).with_builtin_starters(starter);
        assert!(s.has_newer_starter("one") && s.has_newer_starter("two"));
        fs::write(&exercise.file, "// my work\n").unwrap();
        assert!(s.reset(&exercise).unwrap().changed);
        assert!(!s.has_newer_starter("one"));
        assert!(s.has_newer_starter("two"));
        assert_eq!(fs::read_to_string(&notice).unwrap(), "two\n");
    }

    #[test]
    fn without_a_starter_anywhere_nothing_is_changed() {
        let (_dir, course) = course();
        let exercise = course.exercises().next().unwrap().clone();
        fs::write(&exercise.file, "// my work\n").unwrap();
        let s = Session::in_memory(course, Progress::new());
        let err = s.reset(&exercise).unwrap_err();
        assert!(matches!(err, ResetError::NoStarter(_)), "{err}");
        assert_eq!(fs::read_to_string(&exercise.file).unwrap(), "// my work\n");
    }
}
