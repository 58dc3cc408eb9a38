//! Grading a learner's workspace: every exercise checked against the course's
//! hidden tests, read safely from the workspace, scored with partial credit,
//! and reported in the formats CI tools read ([`formats`]).

pub mod formats;

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::course::raw::ExerciseKind;
use crate::course::{Course, Exercise};
use crate::feedback::Feedback;
use crate::runner::{CheckRequest, LearnerTests, Report, RunError, Runner, Status, TestResult};

/// The most a student's exercise file may hold.
pub const MAX_STUDENT_FILE: u64 = 1 << 20;

/// How one exercise fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeStatus {
    /// Every hidden test passed.
    Passed,
    /// It does not compile.
    CompileError,
    /// A hidden test failed, or the tests did not finish normally.
    TestsFailed,
    /// A time limit or another limit stopped it.
    TimedOut,
    /// There is no readable file to grade (missing, a link, not a file).
    Missing,
}

impl GradeStatus {
    /// The name used in JSON and `JUnit`.
    pub fn as_str(self) -> &'static str {
        match self {
            GradeStatus::Passed => "passed",
            GradeStatus::CompileError => "compile_error",
            GradeStatus::TestsFailed => "tests_failed",
            GradeStatus::TimedOut => "timed_out",
            GradeStatus::Missing => "missing",
        }
    }
}

impl From<Status> for GradeStatus {
    fn from(status: Status) -> GradeStatus {
        match status {
            Status::Passed => GradeStatus::Passed,
            Status::CompileError => GradeStatus::CompileError,
            Status::TestsFailed => GradeStatus::TestsFailed,
            Status::TimedOut => GradeStatus::TimedOut,
        }
    }
}

/// What grading found for one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graded {
    /// The exercise id.
    pub id: String,
    /// Its lesson.
    pub lesson: String,
    /// How it fared.
    pub status: GradeStatus,
    /// The hidden tests that failed.
    pub failed_tests: Vec<String>,
    /// What went wrong, in the words `check` uses.
    pub detail: Option<String>,
    /// Tell-tale signs of gaming the check, for the instructor's eye.
    pub flags: Vec<String>,
    /// How long the check took.
    pub duration_ms: u128,
    /// Points earned: the exercise's points times the weighted share of its
    /// hidden tests that passed (all of them when it passed; none when it
    /// fails as the untouched starter, does not compile or is missing).
    pub score: f64,
    /// What the exercise is worth.
    pub max_score: f64,
    /// Whether the file is the starter as shipped (it earns nothing).
    pub untouched: bool,
    /// Every hidden test, in the course's order, and how it fared.
    pub tests: Vec<GradedTest>,
}

/// One hidden test of a graded exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradedTest {
    /// The test function's name.
    pub name: String,
    /// Whether it passed (reported with the run's secret).
    pub passed: bool,
    /// Its weight in partial credit.
    pub weight: u32,
    /// Why it failed, when it did.
    pub message: Option<String>,
    /// What it printed.
    pub output: String,
}

impl Graded {
    /// An exercise before its file is read: missing, with nothing earned.
    fn missing(exercise: &Exercise) -> Graded {
        Graded {
            id: exercise.id.clone(),
            lesson: exercise.lesson.clone(),
            status: GradeStatus::Missing,
            failed_tests: Vec::new(),
            detail: None,
            flags: Vec::new(),
            duration_ms: 0,
            score: 0.0,
            max_score: f64::from(exercise.points),
            untouched: false,
            tests: graded_parts(exercise),
        }
    }

    /// Whether the exercise passed.
    pub fn passed(&self) -> bool {
        self.status == GradeStatus::Passed
    }
}

/// A whole workspace's grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeReport {
    /// The shape of this report, for programs that read it.
    pub version: u32,
    /// Points earned over every exercise.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Exercises passed.
    pub passed: usize,
    /// Exercises graded.
    pub total: usize,
    /// Each exercise, in course order.
    pub exercises: Vec<Graded>,
}

impl GradeReport {
    /// The report over `exercises`.
    pub fn new(exercises: Vec<Graded>) -> GradeReport {
        GradeReport {
            version: 1,
            score: round2(exercises.iter().map(|g| g.score).sum()),
            max_score: exercises.iter().map(|g| g.max_score).sum(),
            passed: exercises.iter().filter(|g| g.passed()).count(),
            total: exercises.len(),
            exercises,
        }
    }
}

/// The points `exercise` earns for these test results: its points times the
/// weighted share of tests that passed, rounded to hundredths. Tests with no
/// result count as failed; a course whose tests all weigh 0 gives all or
/// nothing.
pub fn partial_credit(exercise: &Exercise, passed: bool, tests: &[GradedTest]) -> f64 {
    let points = f64::from(exercise.points);
    if passed {
        return points;
    }
    let total: u64 = tests.iter().map(|t| u64::from(t.weight)).sum();
    if total == 0 {
        return 0.0;
    }
    let earned: u64 = tests
        .iter()
        .filter(|t| t.passed)
        .map(|t| u64::from(t.weight))
        .sum();
    #[allow(clippy::cast_precision_loss)] // sums of a few hundred small weights
    round2(points * earned as f64 / total as f64)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What earns an exercise its partial credit: its hidden tests, or for an
/// exercise where the learner writes the tests, the bugs to catch.
fn graded_parts(exercise: &Exercise) -> Vec<GradedTest> {
    let names: Vec<String> = if exercise.kind == ExerciseKind::Tests {
        exercise.bugs.iter().map(|b| bug_part(&b.name)).collect()
    } else {
        graded_test_names(exercise)
    };
    names
        .into_iter()
        .map(|name| GradedTest {
            weight: exercise.weight(&name),
            name,
            passed: false,
            message: None,
            output: String::new(),
        })
        .collect()
}

/// How a bug to catch is named among an exercise's graded parts.
fn bug_part(bug: &str) -> String {
    format!("catches {bug}")
}

/// The hidden tests `exercise` defines, in file order (empty when the file
/// cannot be read; `verify` reports that).
pub fn hidden_test_names(exercise: &Exercise) -> Vec<String> {
    std::fs::read_to_string(&exercise.tests)
        .ok()
        .and_then(|source| crate::runner::harness::scan(&source).ok())
        .map(|(cases, _)| cases.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// The tests `grade` runs for `exercise`: its hidden tests, then its
/// grading-only tests, in file order.
pub fn graded_test_names(exercise: &Exercise) -> Vec<String> {
    let mut names = hidden_test_names(exercise);
    if let Some(grading) = &exercise.grading_tests {
        names.extend(
            std::fs::read_to_string(grading)
                .ok()
                .and_then(|source| crate::runner::harness::scan(&source).ok())
                .map(|(cases, _)| cases.into_iter().map(|c| c.name))
                .into_iter()
                .flatten(),
        );
    }
    names
}

/// Grades `exercise` in `workspace`. The student's file is copied into
/// `copies` first and checked from there.
pub fn grade_one(
    runner: &Runner,
    course: &Course,
    exercise: &Exercise,
    workspace: &Path,
    copies: &Path,
) -> Result<Graded, RunError> {
    let relative = course.relative_file(exercise);
    let shown = relative.display().to_string();
    let mut graded = Graded::missing(exercise);
    let text = match read_student_file(workspace, &relative) {
        Ok(text) => text,
        Err(why) => {
            graded.detail = Some(format!("{shown}: {why}"));
            return Ok(graded);
        }
    };
    // The course's own starter, as shipped: handing it in earns nothing, even
    // where some of its tests happen to pass.
    graded.untouched = std::fs::read_to_string(&exercise.file).is_ok_and(|s| s == text);
    graded.flags = crate::runner::tells::tells(&text);
    let copy = copies.join(format!("{}.rs", exercise.id));
    std::fs::write(&copy, &text).map_err(|source| RunError::Io {
        context: format!("copying {shown}"),
        source,
    })?;
    let request = CheckRequest::for_grading(exercise, &copy, shown.clone());
    let report = runner.check(&request, &AtomicBool::new(false), &mut |_| {})?;
    record_check(&mut graded, exercise, &report, &shown);
    Ok(graded)
}

/// Writes what the check of the student's file found into `graded`: its
/// status, failures and time, each graded part, and the score.
fn record_check(graded: &mut Graded, exercise: &Exercise, report: &Report, shown: &str) {
    graded.status = report.status().into();
    graded.failed_tests = report
        .tests
        .iter()
        .filter(|t| !t.passed())
        .map(|t| t.name.clone())
        .collect();
    if !report.passed() {
        graded.detail = Some(Feedback::new(exercise, report).plain_text(shown));
    }
    graded.duration_ms = report.duration.as_millis();
    match &report.learner_tests {
        Some(learner) => record_bugs(&mut graded.tests, learner),
        None => record_tests(&mut graded.tests, &report.tests),
    }
    let passed = report.passed();
    graded.score = if graded.untouched && !passed {
        0.0
    } else {
        partial_credit(exercise, passed, &graded.tests)
    };
}

/// The learner's tests earn credit by the bugs they catch, once they pass on
/// the correct code (until then, no bug was tried).
fn record_bugs(parts: &mut [GradedTest], learner: &LearnerTests) {
    for part in parts {
        if let Some(bug) = learner.bugs.iter().find(|b| part.name == bug_part(&b.name)) {
            part.passed = bug.caught;
            part.message = (!bug.caught).then(|| bug.description.clone());
        }
    }
}

/// Each hidden test's result: passed, or why not, and what it printed.
fn record_tests(parts: &mut [GradedTest], results: &[TestResult]) {
    for test in parts {
        if let Some(result) = results.iter().find(|r| r.name == test.name) {
            test.passed = result.passed();
            test.message = match &result.outcome {
                crate::runner::TestOutcome::Passed => None,
                crate::runner::TestOutcome::Failed(panic) => Some(panic.message.clone()),
                other => crate::feedback::words::outcome(other).map(str::to_owned),
            };
            test.output.clone_from(&result.output);
        }
    }
}

/// Reads `relative` inside `workspace` without following a link anywhere on
/// the way (a link could point at the instructor's solutions or any file of
/// the grader's), and only if it is a regular file of a sensible size (a
/// FIFO would block the grader for ever).
pub fn read_student_file(workspace: &Path, relative: &Path) -> Result<String, String> {
    let mut path = workspace.to_path_buf();
    for part in relative.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(
                    "is a link (or sits under one); grading does not follow links".to_owned(),
                );
            }
            Ok(_) => {}
            Err(_) => return Err("is missing".to_owned()),
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK);
    }
    let file = options
        .open(&path)
        .map_err(|e| format!("cannot be read: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".to_owned());
    }
    if meta.len() > MAX_STUDENT_FILE {
        return Err(format!("is larger than {} KiB", MAX_STUDENT_FILE >> 10));
    }
    let mut text = String::new();
    file.take(MAX_STUDENT_FILE)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot be read as UTF-8 text: {e}"))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_anywhere_on_the_way_is_refused() {
        let ws = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("x.rs"), "pub fn stolen() {}").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), ws.path().join("exercises")).unwrap();
        let err = read_student_file(ws.path(), Path::new("exercises/x.rs")).unwrap_err();
        assert!(err.contains("link"), "{err}");
    }

    #[test]
    fn a_missing_file_says_so() {
        let ws = tempfile::tempdir().unwrap();
        let err = read_student_file(ws.path(), Path::new("exercises/01/x.rs")).unwrap_err();
        assert_eq!(err, "is missing");
    }
}
