//! Proving a course works: every lesson loads, every starter fails its hidden
//! tests in the way its lesson says, every solution passes them cleanly.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::course::{Course, Exercise};
use crate::runner::{CheckRequest, Report, RunError, Runner, Status};

/// The verdict on one exercise.
#[derive(Debug)]
pub struct ExerciseVerdict {
    /// The exercise's id.
    pub id: String,
    /// What is wrong with it; empty when it is fine.
    pub problems: Vec<String>,
    /// The starter's outcome, when it ran.
    pub starter: Option<Status>,
    /// The solution's outcome, when it ran.
    pub solution: Option<Status>,
    /// Time spent on both checks.
    pub duration: Duration,
}

impl ExerciseVerdict {
    /// Whether the exercise is fine.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How to verify.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Checks to run at once.
    pub jobs: usize,
    /// Also require solutions to be clean under clippy's default lints.
    pub clippy: bool,
}

/// Verifies `exercises` with up to `options.jobs` checks at once, calling
/// `on_done` as each finishes. Results come back in course order.
pub fn verify(
    course: &Course,
    exercises: &[&Exercise],
    runner: &Runner,
    options: Options,
    on_done: &(dyn Fn(&ExerciseVerdict) + Sync),
) -> Vec<ExerciseVerdict> {
    crate::parallel::map_in_order(
        exercises,
        options.jobs,
        &|exercise| verify_one(course, exercise, runner, options),
        on_done,
    )
}

/// Checks one exercise's starter and solution.
pub fn verify_one(
    course: &Course,
    exercise: &Exercise,
    runner: &Runner,
    options: Options,
) -> ExerciseVerdict {
    let clock = std::time::Instant::now();
    let mut problems = Vec::new();
    if !exercise.file.is_file() {
        problems.push(format!(
            "its starter file {} is missing",
            course.display_path(&exercise.file)
        ));
    }
    // The starter must fail the tests a learner's check runs; the solution
    // must pass those and the grading-only ones.
    let starter = run(course, exercise, &exercise.file, runner, false);
    let mut solution = run(course, exercise, &exercise.solution, runner, true);
    // Tests that could depend on scheduling are run again and again: every
    // run must pass, and the first that does not is the one reported.
    for _ in 1..exercise.verify_runs {
        if !matches!(&solution, Ok(report) if report.status() == Status::Passed) {
            break;
        }
        solution = run(course, exercise, &exercise.solution, runner, true);
    }
    let starter_status = judge_starter(exercise, &starter, &mut problems);
    let solution_status = judge_solution(&solution, &mut problems);
    if let Ok(report) = &solution {
        for (what, key) in exercise
            .messages
            .keys()
            .map(|k| ("messages", k))
            .chain(exercise.weights.keys().map(|k| ("weights", k)))
        {
            if !report.tests.iter().any(|test| &test.name == key) {
                problems.push(format!(
                    "its {what} name `{key}`, which is not a hidden test"
                ));
            }
        }
    }
    if options.clippy && solution_status == Some(Status::Passed) {
        lint_solution(course, exercise, runner, &mut problems);
    }
    ExerciseVerdict {
        id: exercise.id.clone(),
        problems,
        starter: starter_status,
        solution: solution_status,
        duration: clock.elapsed(),
    }
}

fn lint_solution(
    course: &Course,
    exercise: &Exercise,
    runner: &Runner,
    problems: &mut Vec<String>,
) {
    let display_name = course.display_path(&exercise.solution).to_string();
    let request = CheckRequest::of(exercise, &exercise.solution, display_name);
    match runner.lint(&request, &AtomicBool::new(false)) {
        Ok(lints) if lints.is_empty() => {}
        Ok(lints) => {
            let found: Vec<String> = lints
                .iter()
                .map(|d| {
                    let line = d.primary().map_or(0, |s| s.line_start);
                    let code = d.code.as_deref().unwrap_or(d.level.as_str());
                    format!("{} (line {line}, {code})", d.message)
                })
                .collect();
            problems.push(format!(
                "its solution has clippy warnings: {}",
                found.join("; ")
            ));
        }
        Err(err) => problems.push(format!("its solution could not be linted: {err}")),
    }
}

fn run(
    course: &Course,
    exercise: &Exercise,
    file: &std::path::Path,
    runner: &Runner,
    graded: bool,
) -> Result<Report, RunError> {
    let shown = course.display_path(file).to_string();
    let cancel = AtomicBool::new(false);
    let request = if graded {
        CheckRequest::for_grading(exercise, file, shown)
    } else {
        CheckRequest::of(exercise, file, shown)
    };
    runner.check(&request, &cancel, &mut |_| {})
}

fn judge_starter(
    exercise: &Exercise,
    starter: &Result<Report, RunError>,
    problems: &mut Vec<String>,
) -> Option<Status> {
    let report = match starter {
        Ok(report) => report,
        Err(err) => {
            problems.push(format!("its starter could not be checked: {err}"));
            return None;
        }
    };
    let expected = if exercise.starter_compiles {
        Status::TestsFailed
    } else {
        Status::CompileError
    };
    if report.status() != expected {
        let why = match (report.status(), exercise.starter_compiles) {
            (Status::Passed, _) => "passes its hidden tests; a starter must fail them".to_owned(),
            (Status::CompileError, true) => format!(
                "does not compile, but its lesson says it should (set `starter_compiles: false` if that is on purpose): {}",
                first_error(report)
            ),
            (Status::TestsFailed, false) => {
                "compiles, but its lesson says it fails to compile on purpose (`starter_compiles: false`)".to_owned()
            }
            (status, _) => format!("ended as {} instead of {}", status.as_str(), expected.as_str()),
        };
        problems.push(format!("its starter {why}"));
    }
    Some(report.status())
}

fn judge_solution(
    solution: &Result<Report, RunError>,
    problems: &mut Vec<String>,
) -> Option<Status> {
    let report = match solution {
        Ok(report) => report,
        Err(err) => {
            problems.push(format!("its solution could not be checked: {err}"));
            return None;
        }
    };
    match report.status() {
        Status::Passed => {}
        Status::CompileError => problems.push(format!(
            "its solution does not compile: {}",
            first_error(report)
        )),
        Status::TestsFailed | Status::TimedOut => problems.push(solution_failures(report)),
    }
    let warnings: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == crate::runner::Level::Warning)
        .map(|d| d.message.as_str())
        .collect();
    if !warnings.is_empty() {
        problems.push(format!(
            "its solution has compiler warnings: {}",
            warnings.join("; ")
        ));
    }
    Some(report.status())
}

/// A solution that failed or timed out: each failed test with why, and how
/// the run was stopped, if it was.
fn solution_failures(report: &Report) -> String {
    let failed: Vec<String> = report
        .tests
        .iter()
        .filter(|test| !test.passed())
        .map(|test| {
            let why = match test.panic() {
                Some(panic) => panic.message.as_str(),
                None => crate::feedback::words::outcome(&test.outcome).unwrap_or("failed"),
            };
            format!("`{}` ({why})", test.name)
        })
        .collect();
    let crash = report
        .ending
        .stop()
        .map(|stop| {
            format!(
                "; {}",
                crate::feedback::words::stop_clause(stop, report.said.as_deref())
            )
        })
        .unwrap_or_default();
    format!(
        "its solution {}: {}{crash}",
        if report.status() == Status::TimedOut {
            "timed out"
        } else {
            "fails hidden tests"
        },
        failed.join(", ")
    )
}

fn first_error(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .map_or_else(
            || "no error message".to_owned(),
            |d| {
                // Where it is, naming the file: an error in the hidden tests
                // must not read as a line of the learner's file.
                let at = d
                    .primary()
                    .map(|s| {
                        let file = match &s.file {
                            crate::runner::SpanFile::Learner => "the exercise".to_owned(),
                            crate::runner::SpanFile::HiddenTests => "<hidden tests>".to_owned(),
                            crate::runner::SpanFile::Other(name) => name.clone(),
                        };
                        format!(" ({file}:{}:{})", s.line_start, s.column_start)
                    })
                    .unwrap_or_default();
                format!("{}{at}", d.message)
            },
        )
}
