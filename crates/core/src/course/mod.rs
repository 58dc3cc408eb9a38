//! The course: lessons and exercises loaded from a directory, checked, and ready to run.
//!
//! Loading happens in two stages: [`raw`] mirrors `lesson.yaml` as written, and
//! [`load`] turns it into the checked model here (unique ids, files present,
//! known crates, supported version), naming the file and line of every problem.

pub mod layout;
pub mod load;
pub mod progress;
pub mod raw;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::deps::DepSet;

pub use load::{LoadError, Problem};

/// A checked course: every lesson loaded and every file it names present.
#[derive(Debug, Clone)]
pub struct Course {
    /// The course directory (the one holding `lessons/`).
    pub root: PathBuf,
    /// What paths are shown relative to: the root, unless the learner stands
    /// elsewhere (in a clone, paths read `workspace/exercises/…`).
    pub shown_from: PathBuf,
    /// Lessons in course order (by directory name).
    pub lessons: Vec<Lesson>,
}

/// One lesson of the course.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The lesson's directory name, such as `01-traits`.
    pub id: String,
    /// Title shown in the course tree.
    pub title: String,
    /// One sentence about the lesson, if the author gave one.
    pub summary: Option<String>,
    /// The lesson's Markdown prose.
    pub prose: String,
    /// Exercises in order.
    pub exercises: Vec<Exercise>,
}

/// A buggy version of a `tests` exercise's reference code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bug {
    /// Its name, such as `off_by_one`.
    pub name: String,
    /// What is wrong, in plain words.
    pub description: String,
    /// The buggy code.
    pub file: PathBuf,
}

/// A lint level set by the course for the learner's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// The lint's name, such as `dead_code` or `clippy::needless_range_loop`.
    pub name: String,
    /// Its level.
    pub level: raw::LintLevel,
}

/// One exercise: the learner's file, its hidden tests, its solution and its help.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Unique id across the course, such as `traits1`.
    pub id: String,
    /// The id of the lesson it belongs to.
    pub lesson: String,
    /// Title shown in the course tree.
    pub title: String,
    /// Crates it uses, as the author listed them.
    pub crates: Vec<String>,
    /// The lightest dependency set that provides those crates.
    pub deps: DepSet,
    /// How long its hidden tests may run.
    pub timeout: Duration,
    /// Whether the starter compiles; `false` marks a starter that fails to compile on purpose.
    pub starter_compiles: bool,
    /// Hints from a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// Explanations keyed by hidden test name.
    pub messages: BTreeMap<String, Message>,
    /// What the exercise is worth when graded.
    pub points: u32,
    /// Weights of hidden tests in partial credit; a test not named weighs 1.
    pub weights: BTreeMap<String, u32>,
    /// Lint levels for the learner's code, from its lesson.
    pub lints: Vec<Lint>,
    /// How many times `verify` runs the solution.
    pub verify_runs: u32,
    /// What the learner writes: code, or tests.
    pub kind: raw::ExerciseKind,
    /// For a `tests` exercise: the bugs its tests must catch.
    pub bugs: Vec<Bug>,
    /// The learner's file.
    pub file: PathBuf,
    /// The reference solution. In a learner's workspace it exists only once
    /// the exercise passed (tensorlings puts it there then).
    pub solution: PathBuf,
    /// The hidden tests.
    pub tests: PathBuf,
    /// Hidden tests only `grade` runs (`<id>.grade.rs`), when this copy of
    /// the course has them: an instructor's course, never a learner's workspace.
    pub grading_tests: Option<PathBuf>,
    /// Whether the course grades this exercise with tests a learner's check
    /// does not run (its `<id>.grade.rs`, here or in the course the
    /// workspace came from), so a check can say that more run when graded.
    pub graded_with_more: bool,
}

/// What a failure of one hidden test usually means: explanations tried in
/// order, each for failures whose text holds its pattern (or for any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The cases, in the author's order.
    pub cases: Vec<Case>,
}

/// One explanation of a test's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Text the failure shows when this is the cause; `None` for any failure.
    pub when: Option<String>,
    /// The explanation.
    pub say: String,
}

impl Exercise {
    /// How much the hidden test `test` weighs in partial credit.
    pub fn weight(&self, test: &str) -> u32 {
        self.weights.get(test).copied().unwrap_or(1)
    }
}

impl Message {
    /// One explanation for every failure.
    pub fn always(say: impl Into<String>) -> Message {
        Message {
            cases: vec![Case {
                when: None,
                say: say.into(),
            }],
        }
    }

    /// The explanation for a failure that shows `text` (the panic message,
    /// the assertion's values), if a case covers it.
    pub fn for_failure(&self, text: &str) -> Option<&str> {
        self.cases
            .iter()
            .find(|case| {
                case.when
                    .as_ref()
                    .is_none_or(|when| text.contains(when.as_str()))
            })
            .map(|case| case.say.as_str())
    }
}

/// The timeout an exercise gets when its lesson does not set one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

impl Course {
    /// Loads and checks the course in `root`.
    pub fn load(root: &Path) -> Result<Course, LoadError> {
        load::load_course(root)
    }

    /// Every exercise in course order.
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.lessons
            .iter()
            .flat_map(|lesson| lesson.exercises.iter())
    }

    /// The exercise with this id.
    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises().find(|exercise| exercise.id == id)
    }

    /// The lesson with this id (its directory name).
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|lesson| lesson.id == id)
    }

    /// The learner's file of `exercise`, relative to the course root.
    pub fn relative_file(&self, exercise: &Exercise) -> PathBuf {
        layout::exercise_file(&exercise.lesson, &exercise.id)
    }

    /// A path inside the course, shown relative to the course root.
    pub fn display_path<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.shown_from)
            .unwrap_or(path)
            .display()
    }
}

/// Finds the course directory: `start` or the nearest parent that holds `lessons/`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("lessons").is_dir())
        .map(Path::to_path_buf)
}

/// `path` as people read it: without a leading `./` (a course in the current
/// directory has the root `.`).
pub fn tidy(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}
