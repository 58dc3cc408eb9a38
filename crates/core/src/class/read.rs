//! Reading one student's record: a workspace's progress file, or a grade
//! saved with `grade --format json`, never through a link.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Record, Source, Student};
use crate::course::progress::{ExerciseProgress, Progress};

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
        read_workspace(path, name)
    } else {
        read_saved_grade(path, name)
    }
}

/// A workspace's record: its progress file, every exercise with its tries,
/// hints and times.
fn read_workspace(path: &Path, name: String) -> Result<Student, String> {
    let relative = Progress::path(Path::new(""));
    let text = crate::grade::read_student_file(path, &relative)
        .map_err(|why| format!("{}: its progress file {why}", path.display()))?;
    let progress: Progress = serde_json::from_str(&text)
        .map_err(|e| format!("{}: its progress file is not valid ({e})", path.display()))?;
    let exercises = progress
        .exercises
        .into_iter()
        .map(|(id, p)| (id, progress_record(&p)))
        .collect();
    Ok(Student {
        name,
        source: Source::Progress,
        current: progress.current,
        exercises,
    })
}

/// One exercise's record as a workspace's progress keeps it.
fn progress_record(p: &ExerciseProgress) -> Record {
    Record {
        passed: p.passed,
        attempts: Some(p.attempts),
        hints: Some(p.hints_used),
        seconds_to_pass: p
            .passed_at
            .zip(p.first_opened)
            .map(|(a, b)| a.saturating_sub(b)),
        seconds_on_it: p.seconds_on_it(),
        last_active: p.last_checked.max(p.passed_at).max(p.first_opened),
    }
}

/// A grade saved with `grade --format json`: only whether each exercise
/// passed, under the file's name without its extension.
fn read_saved_grade(path: &Path, name: String) -> Result<Student, String> {
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
        current: None,
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
