//! A picture of a class: many students' workspaces (their progress files) or
//! saved grades (`grade --format json`), summed up per exercise: how many
//! passed, how many tries and how long it took, hints used, and where
//! students are stuck.
//!
//! Progress files are written by the students' own tensorlings, so they say
//! what a student's copy reported; saved grades are what the sandboxed grader
//! found. Each student's source is named in the summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::course::progress::Progress;

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
}

/// The most a progress file or saved grade may hold.
const MAX_RECORD: u64 = 8 << 20;

/// Reads a student's record from `path`: a workspace directory (its progress
/// file) or a saved grade. Nothing is followed through a link, and devices,
/// FIFOs and huge files are refused.
pub fn read_student(path: &Path) -> Result<Student, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if meta.is_dir() {
        let relative = Progress::path(Path::new(""));
        let text = crate::grade::read_student_file(path, &relative)
            .map_err(|why| format!("{}: its progress file {why}", path.display()))?;
        let progress: Progress = serde_json::from_str(&text)
            .map_err(|e| format!("{}: its progress file is not valid ({e})", path.display()))?;
        let exercises = progress
            .exercises
            .into_iter()
            .map(|(id, p)| {
                let record = Record {
                    passed: p.passed,
                    attempts: Some(p.attempts),
                    hints: Some(p.hints_used),
                    seconds_to_pass: p
                        .passed_at
                        .zip(p.first_opened)
                        .map(|(a, b)| a.saturating_sub(b)),
                };
                (id, record)
            })
            .collect();
        return Ok(Student {
            name,
            source: Source::Progress,
            exercises,
        });
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    let file = PathBuf::from(path.file_name().unwrap_or_default());
    let text = crate::grade::read_student_file(parent, &file)
        .map_err(|why| format!("{}: {why}", path.display()))?;
    if text.len() as u64 > MAX_RECORD {
        return Err(format!("{}: too large for a grade", path.display()));
    }
    let saved: SavedGrade = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: neither a workspace nor a grade saved with `grade --format json` ({e})",
            path.display()
        )
    })?;
    let exercises = saved
        .exercises
        .into_iter()
        .map(|g| {
            let record = Record {
                passed: g.status == "passed",
                ..Record::default()
            };
            (g.id, record)
        })
        .collect();
    Ok(Student {
        name: path
            .file_stem()
            .map_or(name, |s| s.to_string_lossy().into_owned()),
        source: Source::Grade,
        exercises,
    })
}

/// The part of a saved grade the class view reads.
#[derive(Deserialize)]
struct SavedGrade {
    exercises: Vec<SavedExercise>,
}

#[derive(Deserialize)]
struct SavedExercise {
    id: String,
    status: String,
}

/// The class, per exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many students.
    pub students: usize,
    /// Each exercise, in course order.
    pub exercises: Vec<ExerciseSummary>,
    /// Where each student's record came from.
    pub sources: BTreeMap<String, Source>,
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
    /// Students for whom this is the first exercise not passed, in course
    /// order: where they are stuck.
    pub stuck_here: usize,
}

/// Sums up `students` over `course`'s exercises.
pub fn summarize(course: &Course, students: &[Student]) -> Summary {
    let mut exercises: Vec<ExerciseSummary> = course
        .exercises()
        .map(|e| {
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
                tried: records
                    .iter()
                    .filter(|r| r.passed || r.attempts.is_none_or(|a| a > 0))
                    .count(),
                median_attempts: median(attempts),
                median_seconds_to_pass: median(seconds),
                hints: records.iter().filter_map(|r| r.hints).sum(),
                stuck_here: 0,
            }
        })
        .collect();
    for student in students {
        let first_open = exercises
            .iter()
            .position(|e| !student.exercises.get(&e.id).is_some_and(|r| r.passed));
        if let Some(at) = first_open {
            exercises[at].stuck_here += 1;
        }
    }
    Summary {
        students: students.len(),
        exercises,
        sources: students
            .iter()
            .map(|s| (s.name.clone(), s.source))
            .collect(),
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
}
