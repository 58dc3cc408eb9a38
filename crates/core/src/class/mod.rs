//! A picture of a class: many students' workspaces (their progress files) or
//! saved grades (`grade --format json`), summed up per exercise (how many
//! passed, how many tries and how long it took, hints used) and per student
//! (where each is, how long they have been at it, and who is stuck by a rule
//! the instructor can set, see [`StuckRule`]), students needing help first.
//!
//! Progress files are written by the students' own tensorlings, so they say
//! what a student's copy reported; saved grades are what the sandboxed grader
//! found. Each student's source is named in the summary.

mod read;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::course::{Course, Exercise};

pub use read::read_student;

/// Where a student's record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The workspace's progress file, as the student's tensorlings wrote it.
    Progress,
    /// A grade saved with `grade --format json`.
    Grade,
}

/// One student's record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Student {
    /// The workspace's or the grade file's name.
    pub name: String,
    /// Where the record came from.
    pub source: Source,
    /// The exercise the student last worked on (progress files only).
    pub current: Option<String>,
    /// Per exercise id.
    pub exercises: BTreeMap<String, Record>,
}

/// One student's record of one exercise.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Record {
    /// Whether it passed.
    pub passed: bool,
    /// Checks run (progress files only).
    pub attempts: Option<u32>,
    /// Hints revealed (progress files only).
    pub hints: Option<u32>,
    /// Seconds from first opening to passing (progress files only).
    pub seconds_to_pass: Option<u64>,
    /// Seconds from first opening to the latest check, passed or not
    /// (progress files only).
    pub seconds_on_it: Option<u64>,
    /// Unix seconds of the latest thing done on it (progress files only).
    pub last_active: Option<u64>,
}

/// When a student counts as stuck on an exercise: not passed after at least
/// `attempts` checks, or after `minutes` from first opening it to the latest
/// check. A student who opened an exercise and has not checked it yet is not
/// stuck on it, only at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StuckRule {
    /// Checks without a pass that make a student stuck.
    pub attempts: u32,
    /// Minutes without a pass that make a student stuck.
    pub minutes: u64,
}

impl Default for StuckRule {
    fn default() -> StuckRule {
        StuckRule {
            attempts: 5,
            minutes: 20,
        }
    }
}

impl StuckRule {
    /// Whether this record is stuck by the rule.
    pub fn is_stuck(&self, record: &Record) -> bool {
        let attempts = record.attempts.unwrap_or(0);
        !record.passed
            && attempts > 0
            && (attempts >= self.attempts
                || record
                    .seconds_on_it
                    .is_some_and(|s| s >= self.minutes.saturating_mul(60)))
    }

    /// The rule in words, for every format to print beside its results.
    pub fn describe(&self) -> String {
        format!(
            "stuck: not passed after {} or more checks, or {} or more minutes from first opening it to the latest check; a student who has not checked an exercise yet is at it, not stuck",
            self.attempts, self.minutes
        )
    }
}

/// The class, per exercise and per student.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many students.
    pub class_size: usize,
    /// The rule that decided who is stuck.
    pub stuck_rule: StuckRule,
    /// The rule in words.
    pub stuck_means: String,
    /// Each student, those who need help first.
    pub students: Vec<StudentSummary>,
    /// Each exercise, in course order.
    pub exercises: Vec<ExerciseSummary>,
    /// Where each student's record came from.
    pub sources: BTreeMap<String, Source>,
}

/// One student, at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudentSummary {
    /// The workspace's or the saved grade's name.
    pub id: String,
    /// Where the record came from.
    pub source: Source,
    /// Where the student is: the exercise last worked on, or (for a saved
    /// grade) the first not passed, in course order.
    pub current: Option<String>,
    /// Whether the current exercise has passed.
    pub current_passed: bool,
    /// Exercises passed.
    pub passed: usize,
    /// Exercises in the course.
    pub total: usize,
    /// Checks of the current exercise.
    pub attempts_on_current: Option<u32>,
    /// Minutes from first opening the current exercise to its latest check.
    pub minutes_on_current: Option<u64>,
    /// Hints revealed on the current exercise.
    pub hints_on_current: Option<u32>,
    /// Hints revealed, all exercises together.
    pub hints: Option<u32>,
    /// Whether the student is stuck on some exercise (see `stuck_means`).
    pub stuck: bool,
    /// The exercises the student is stuck on, in course order.
    pub stuck_on: Vec<String>,
    /// Unix seconds of the student's latest activity, when known.
    pub last_active: Option<u64>,
    /// Per exercise in course order: `passed`, `stuck`, `tried` or `not_tried`.
    pub strip: Vec<Mark>,
}

/// How one student stands on one exercise, for the progress strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Passed.
    Passed,
    /// Stuck on it, by the rule.
    Stuck,
    /// Tried, not passed, not stuck.
    Tried,
    /// Not tried.
    NotTried,
}

/// The class on one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseSummary {
    /// Its lesson.
    pub lesson: String,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Students who passed it.
    pub passed: usize,
    /// Students who tried it (a check run, or a grade).
    pub tried: usize,
    /// The median number of checks among those who passed.
    pub median_attempts: Option<f64>,
    /// The median seconds to pass among those who passed.
    pub median_seconds_to_pass: Option<f64>,
    /// Hints revealed, all students together.
    pub hints: u32,
    /// Students for whom it is the current exercise: where they are.
    pub here: usize,
    /// Students stuck on it, by the rule.
    pub stuck: usize,
    /// Their names.
    pub stuck_students: Vec<String>,
}

/// Sums up `students` over `course`'s exercises, deciding who is stuck by `rule`.
pub fn summarize(course: &Course, students: &[Student], rule: StuckRule) -> Summary {
    let mut exercises: Vec<ExerciseSummary> = course
        .exercises()
        .map(|e| exercise_summary(e, students))
        .collect();
    let mut people: Vec<StudentSummary> = students
        .iter()
        .map(|s| student_summary(course, s, rule))
        .collect();
    mark_where_they_are(&people, &mut exercises);
    people.sort_by(|a, b| need(b).cmp(&need(a)).then_with(|| a.id.cmp(&b.id)));
    Summary {
        class_size: students.len(),
        stuck_rule: rule,
        stuck_means: rule.describe(),
        students: people,
        exercises,
        sources: students
            .iter()
            .map(|s| (s.name.clone(), s.source))
            .collect(),
    }
}

/// How the class did on exercise `e`; who is on it and stuck on it is
/// counted later, by [`mark_where_they_are`].
fn exercise_summary(e: &Exercise, students: &[Student]) -> ExerciseSummary {
    let records: Vec<&Record> = students
        .iter()
        .filter_map(|s| s.exercises.get(&e.id))
        .collect();
    let passed: Vec<&&Record> = records.iter().filter(|r| r.passed).collect();
    let attempts: Vec<f64> = passed
        .iter()
        .filter_map(|r| r.attempts)
        .map(f64::from)
        .collect();
    #[allow(clippy::cast_precision_loss)] // seconds of a course fit in f64
    let seconds: Vec<f64> = passed
        .iter()
        .filter_map(|r| r.seconds_to_pass)
        .map(|s| s as f64)
        .collect();
    ExerciseSummary {
        lesson: e.lesson.clone(),
        id: e.id.clone(),
        title: e.title.clone(),
        passed: passed.len(),
        tried: records.iter().filter(|r| tried(r)).count(),
        median_attempts: median(attempts),
        median_seconds_to_pass: median(seconds),
        hints: records.iter().filter_map(|r| r.hints).sum(),
        here: 0,
        stuck: 0,
        stuck_students: Vec::new(),
    }
}

/// Counts, on each exercise, the students whose current exercise it is and
/// the students stuck on it (naming them).
fn mark_where_they_are(people: &[StudentSummary], exercises: &mut [ExerciseSummary]) {
    for person in people {
        for e in exercises.iter_mut() {
            if person.current.as_deref() == Some(e.id.as_str()) {
                e.here += 1;
            }
            if person.stuck_on.contains(&e.id) {
                e.stuck += 1;
                e.stuck_students.push(person.id.clone());
            }
        }
    }
}

fn tried(record: &Record) -> bool {
    record.passed || record.attempts.is_none_or(|a| a > 0)
}

/// How much a student needs help, most first: stuck, then stuck longer and
/// on more tries, then further behind.
fn need(s: &StudentSummary) -> (bool, u64, u32, std::cmp::Reverse<usize>) {
    let on_current = s.current.as_ref().is_some_and(|c| s.stuck_on.contains(c));
    let (minutes, attempts) = if on_current {
        (
            s.minutes_on_current.unwrap_or(0),
            s.attempts_on_current.unwrap_or(0),
        )
    } else {
        (0, 0)
    };
    (s.stuck, minutes, attempts, std::cmp::Reverse(s.passed))
}

fn student_summary(course: &Course, student: &Student, rule: StuckRule) -> StudentSummary {
    let record = |id: &str| student.exercises.get(id);
    let current = student
        .current
        .clone()
        .filter(|id| course.exercise(id).is_some())
        .or_else(|| {
            course
                .exercises()
                .find(|e| !record(&e.id).is_some_and(|r| r.passed))
                .map(|e| e.id.clone())
        });
    let on_current = current.as_deref().and_then(record);
    let strip = course
        .exercises()
        .map(|e| match record(&e.id) {
            Some(r) if r.passed => Mark::Passed,
            Some(r) if rule.is_stuck(r) => Mark::Stuck,
            Some(r) if tried(r) && r.attempts != Some(0) => Mark::Tried,
            _ => Mark::NotTried,
        })
        .collect::<Vec<_>>();
    let stuck_on: Vec<String> = course
        .exercises()
        .zip(&strip)
        .filter(|(_, m)| **m == Mark::Stuck)
        .map(|(e, _)| e.id.clone())
        .collect();
    let progress = student.source == Source::Progress;
    StudentSummary {
        id: student.name.clone(),
        source: student.source,
        current_passed: on_current.is_some_and(|r| r.passed),
        current,
        passed: strip.iter().filter(|m| **m == Mark::Passed).count(),
        total: strip.len(),
        attempts_on_current: progress.then(|| on_current.and_then(|r| r.attempts).unwrap_or(0)),
        minutes_on_current: progress
            .then(|| on_current.and_then(|r| r.seconds_on_it).unwrap_or(0) / 60),
        hints_on_current: progress.then(|| on_current.and_then(|r| r.hints).unwrap_or(0)),
        hints: progress.then(|| student.exercises.values().filter_map(|r| r.hints).sum()),
        stuck: !stuck_on.is_empty(),
        stuck_on,
        last_active: student
            .exercises
            .values()
            .filter_map(|r| r.last_active)
            .max(),
        strip,
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        f64::midpoint(values[mid - 1], values[mid])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }

    fn record(passed: bool, attempts: u32, seconds: Option<u64>) -> Record {
        Record {
            passed,
            attempts: Some(attempts),
            seconds_on_it: seconds,
            ..Record::default()
        }
    }

    #[test]
    fn stuck_takes_tries_or_time_without_a_pass() {
        let rule = StuckRule {
            attempts: 3,
            minutes: 10,
        };
        assert!(rule.is_stuck(&record(false, 3, Some(0))), "by tries");
        assert!(rule.is_stuck(&record(false, 1, Some(600))), "by time");
        assert!(!rule.is_stuck(&record(false, 2, Some(599))), "neither yet");
        assert!(!rule.is_stuck(&record(true, 9, Some(6_000))), "passed");
        assert!(
            !rule.is_stuck(&record(false, 0, Some(6_000))),
            "opened long ago, never checked: at it, not stuck"
        );
        let graded = Record {
            passed: false,
            ..Record::default()
        };
        assert!(
            !rule.is_stuck(&graded),
            "a saved grade has no tries or time"
        );
        assert!(
            rule.describe()
                .contains("3 or more checks, or 10 or more minutes")
        );
    }
}
