//! The second loading stage: from [`RawLesson`]s to a checked [`Course`].
//!
//! This file reads the course and its lessons; [`exercise`] checks each
//! exercise's entry and [`inside`] keeps every path inside the course.

mod exercise;
mod inside;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use super::raw::{FORMAT_VERSION, RawCourse, RawLesson};
use super::{Course, Lesson, Lint};
use exercise::check_exercise;
use inside::Inside;

/// One thing wrong with a course, located as precisely as the loader can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file at fault.
    pub file: PathBuf,
    /// Its 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong, in words that say what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.strip_prefix(".").unwrap_or(&self.file).display();
        match self.line {
            Some(line) => write!(f, "{file}:{line}: {}", self.message),
            None => write!(f, "{file}: {}", self.message),
        }
    }
}

/// Every problem found while loading a course; loading reports them all at once.
#[derive(Debug, Clone, thiserror::Error)]
pub struct LoadError {
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Collects problems while a course is checked.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, file: &Path, line: Option<usize>, message: impl Into<String>) {
        self.0.push(Problem {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        });
    }

    fn into_error(self) -> LoadError {
        LoadError { problems: self.0 }
    }
}

pub(super) fn load_course(root: &Path) -> Result<Course, LoadError> {
    let mut problems = Problems::default();
    let lessons_dir = root.join("lessons");
    let dirs = match lesson_dirs(&lessons_dir) {
        Ok(dirs) => dirs,
        Err(err) => {
            problems.add(
                &lessons_dir,
                None,
                format!("cannot read the lessons directory: {err}"),
            );
            return Err(problems.into_error());
        }
    };
    let inside = Inside::new(root);
    inside.check_layout(root, &dirs, &mut problems);
    let course_lints = course_settings(root, &mut problems);
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let lessons: Vec<Lesson> = dirs
        .iter()
        .filter_map(|dir| load_lesson(root, dir, &course_lints, &mut seen, &mut problems))
        .collect();
    if lessons.is_empty() && problems.0.is_empty() {
        problems.add(
            &lessons_dir,
            None,
            "no lessons: add lessons/<NN-topic>/lesson.yaml",
        );
    }
    inside.check_exercise_files(&lessons, &mut problems);
    if problems.0.is_empty() {
        Ok(Course {
            root: root.to_path_buf(),
            shown_from: root.to_path_buf(),
            lessons,
        })
    } else {
        Err(problems.into_error())
    }
}

/// The lesson directories under `lessons/`, in course order.
fn lesson_dirs(lessons_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(lessons_dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The course-wide lints of `lessons/course.yaml`, when the course has one.
fn course_settings(root: &Path, problems: &mut Problems) -> Vec<Lint> {
    let path = root.join(super::layout::course_file());
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(err) => {
            problems.add(&path, None, format!("cannot read the course file: {err}"));
            return Vec::new();
        }
    };
    match serde_norway::from_str::<RawCourse>(&text) {
        Ok(raw) if raw.format_version != FORMAT_VERSION => {
            problems.add(
                &path,
                line_of(&text, 0, |l| l.starts_with("format_version")),
                format!(
                    "format_version {} is not supported; this build of tensorlings reads version {FORMAT_VERSION}",
                    raw.format_version
                ),
            );
            Vec::new()
        }
        Ok(raw) => lints(&raw.lints, &path, &text, problems),
        Err(err) => {
            yaml_problem(&path, &err, problems);
            Vec::new()
        }
    }
}

fn load_lesson(
    root: &Path,
    dir: &Path,
    course_lints: &[Lint],
    seen: &mut HashMap<String, (PathBuf, usize)>,
    problems: &mut Problems,
) -> Option<Lesson> {
    let id = dir.file_name()?.to_string_lossy().into_owned();
    let yaml_path = dir.join("lesson.yaml");
    let text = match fs::read_to_string(&yaml_path) {
        Ok(text) => text,
        Err(err) => {
            problems.add(
                &yaml_path,
                None,
                format!("cannot read the lesson file: {err}"),
            );
            return None;
        }
    };
    let raw = parse_lesson(&yaml_path, &text, problems)?;
    // The course's lints, then the lesson's: a lesson's level wins for its names.
    let own = lints(&raw.lints, &yaml_path, &text, problems);
    let mut lints: Vec<Lint> = course_lints
        .iter()
        .filter(|base| own.iter().all(|l| l.name != base.name))
        .cloned()
        .collect();
    lints.extend(own);
    let exercises = raw
        .exercises
        .into_iter()
        .filter_map(|raw_ex| check_exercise(root, &id, &yaml_path, &text, raw_ex, seen, problems))
        .map(|mut exercise| {
            exercise.lints.clone_from(&lints);
            exercise
        })
        .collect();
    Some(Lesson {
        id,
        title: raw.title,
        summary: raw.summary,
        prose: raw.prose,
        exercises,
    })
}

/// Parses the YAML and checks its version before anything else about it.
fn parse_lesson(path: &Path, text: &str, problems: &mut Problems) -> Option<RawLesson> {
    let unsupported = |version: u32, problems: &mut Problems| {
        problems.add(
            path,
            line_of(text, 0, |l| l.starts_with("format_version")),
            format!(
                "format_version {version} is not supported; this build of tensorlings reads version {FORMAT_VERSION}"
            ),
        );
    };
    match serde_norway::from_str::<RawLesson>(text) {
        Ok(raw) if raw.format_version == FORMAT_VERSION => Some(raw),
        Ok(raw) => {
            unsupported(raw.format_version, problems);
            None
        }
        Err(err) => {
            // A file of a newer format fails on the first field this build
            // does not know: its version, read alone, says so instead.
            #[derive(serde::Deserialize)]
            struct Version {
                format_version: Option<u32>,
            }
            match serde_norway::from_str::<Version>(text) {
                Ok(Version {
                    format_version: Some(version),
                }) if version != FORMAT_VERSION => unsupported(version, problems),
                _ => yaml_problem(path, &err, problems),
            }
            None
        }
    }
}

/// A YAML file that does not parse, with its line in front.
fn yaml_problem(path: &Path, err: &serde_norway::Error, problems: &mut Problems) {
    let line = err.location().map(|loc| loc.line());
    let message = err.to_string();
    // serde_norway appends " at line L column C"; the line is shown in front instead.
    let message = message
        .split_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);
    problems.add(path, line, message);
}

/// Lint levels of a lesson or the course. A name must look like a lint
/// (`dead_code`, `clippy::needless_range_loop`): it becomes an attribute in
/// the check's crate. `unsafe_code` is refused: unsafe code stays forbidden.
fn lints(
    levels: &BTreeMap<String, super::raw::LintLevel>,
    yaml_path: &Path,
    text: &str,
    problems: &mut Problems,
) -> Vec<Lint> {
    let mut out = Vec::new();
    for (name, level) in levels {
        let word = |w: &str| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        let well_formed = match name.split_once("::") {
            Some((tool, lint)) => matches!(tool, "clippy" | "rustdoc") && word(lint),
            None => word(name),
        };
        let problem = if !well_formed {
            Some(format!(
                "`{name}` is not a lint name (such as `dead_code` or `clippy::needless_range_loop`)"
            ))
        } else if name == "unsafe_code" {
            Some("`unsafe_code` cannot be set: unsafe code is always refused".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            let line = line_of(text, 0, |l| l.starts_with(&format!("{name}:")));
            problems.add(yaml_path, line, format!("lints: {problem}"));
            continue;
        }
        out.push(Lint {
            name: name.clone(),
            level: *level,
        });
    }
    out
}

/// The 1-based number of the first line after line `after` (1-based; 0 for the
/// whole text) whose trimmed text satisfies `pred`.
fn line_of(text: &str, after: usize, pred: impl Fn(&str) -> bool) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(after.saturating_sub(1))
        .find(|(_, line)| pred(line.trim()))
        .map(|(i, _)| i + 1)
}
