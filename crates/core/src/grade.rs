//! Grading a learner's workspace: every exercise checked against the course's
//! hidden tests, read safely from the workspace, and reported as `JUnit`.

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;

use crate::course::{Course, Exercise};
use crate::feedback::Feedback;
use crate::runner::{CheckRequest, RunError, Runner, Status};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

impl Graded {
    /// Whether the exercise passed.
    pub fn passed(&self) -> bool {
        self.status == GradeStatus::Passed
    }
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
    let mut graded = Graded {
        id: exercise.id.clone(),
        lesson: exercise.lesson.clone(),
        status: GradeStatus::Missing,
        failed_tests: Vec::new(),
        detail: None,
        flags: Vec::new(),
        duration_ms: 0,
    };
    let text = match read_student_file(workspace, &relative) {
        Ok(text) => text,
        Err(why) => {
            graded.detail = Some(format!("{shown}: {why}"));
            return Ok(graded);
        }
    };
    graded.flags = crate::runner::tells::tells(&text);
    let copy = copies.join(format!("{}.rs", exercise.id));
    std::fs::write(&copy, &text).map_err(|source| RunError::Io {
        context: format!("copying {shown}"),
        source,
    })?;
    let request = CheckRequest::of(exercise, &copy, shown.clone());
    let report = runner.check(&request, &AtomicBool::new(false), &mut |_| {})?;
    graded.status = report.status.into();
    graded.failed_tests = report
        .tests
        .iter()
        .filter(|t| !t.passed)
        .map(|t| t.name.clone())
        .collect();
    if report.status != Status::Passed {
        graded.detail = Some(Feedback::new(exercise, &report).plain_text(&shown));
    }
    graded.duration_ms = report.duration.as_millis();
    Ok(graded)
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

/// The results as a `JUnit` report: one suite per lesson, one case per
/// exercise, flags as properties.
pub fn junit(graded: &[Graded]) -> Result<String, quick_junit::SerializeError> {
    let mut report = quick_junit::Report::new("tensorlings");
    let mut lessons: Vec<&str> = graded.iter().map(|g| g.lesson.as_str()).collect();
    lessons.dedup();
    for lesson in lessons {
        let mut suite = TestSuite::new(lesson);
        for g in graded.iter().filter(|g| g.lesson == lesson) {
            let status = if g.passed() {
                TestCaseStatus::success()
            } else {
                let kind = match g.status {
                    GradeStatus::CompileError | GradeStatus::Missing => NonSuccessKind::Error,
                    _ => NonSuccessKind::Failure,
                };
                let mut status = TestCaseStatus::non_success(kind);
                status
                    .set_message(g.status.as_str().replace('_', " "))
                    .set_type(g.status.as_str());
                if let Some(detail) = &g.detail {
                    status.set_description(detail.as_str());
                }
                status
            };
            let mut case = TestCase::new(g.id.as_str(), status);
            for flag in &g.flags {
                case.add_property(Property::new("flag", flag.as_str()));
            }
            case.set_classname(lesson).set_time(Duration::from_millis(
                u64::try_from(g.duration_ms).unwrap_or(u64::MAX),
            ));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(id: &str, status: GradeStatus) -> Graded {
        Graded {
            id: id.into(),
            lesson: "01-traits".into(),
            status,
            failed_tests: Vec::new(),
            detail: (status != GradeStatus::Passed).then(|| "✗ it failed".into()),
            flags: if status == GradeStatus::Passed {
                Vec::new()
            } else {
                vec!["ends the test process (std::process::exit)".into()]
            },
            duration_ms: 1500,
        }
    }

    #[test]
    fn junit_has_a_suite_per_lesson_a_case_per_exercise_and_flags() {
        let xml = junit(&[
            graded("traits1", GradeStatus::Passed),
            graded("traits2", GradeStatus::CompileError),
        ])
        .unwrap();
        assert!(
            xml.contains(
                r#"<testsuite name="01-traits" tests="2" skipped="0" errors="1" failures="0">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testcase name="traits1" classname="01-traits" time="1.500"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<error message="compile error" type="compile_error">✗ it failed</error>"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<property name="flag" value="ends the test process (std::process::exit)"/>"#
            ),
            "{xml}"
        );
        assert!(xml.contains("✗ it failed"), "{xml}");
    }

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
