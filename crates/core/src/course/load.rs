//! The second loading stage: from [`RawLesson`]s to a checked [`Course`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::raw::{ExerciseKind, FORMAT_VERSION, RawCourse, RawExercise, RawLesson, RawMessage};
use super::{Bug, Case, Course, DEFAULT_TIMEOUT, Exercise, Lesson, Lint, Message};
use crate::deps::DepSet;

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
}

pub(super) fn load_course(root: &Path) -> Result<Course, LoadError> {
    let mut problems = Problems::default();
    let lessons_dir = root.join("lessons");
    let mut dirs: Vec<PathBuf> = match fs::read_dir(&lessons_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect(),
        Err(err) => {
            problems.add(
                &lessons_dir,
                None,
                format!("cannot read the lessons directory: {err}"),
            );
            return Err(LoadError {
                problems: problems.0,
            });
        }
    };
    dirs.sort();
    let inside = Inside::new(root);
    for top in ["lessons", "exercises", "solutions"] {
        inside.check(&root.join(top), &mut problems);
    }
    for dir in &dirs {
        inside.check(dir, &mut problems);
    }
    let settings = root.join(super::layout::course_file());
    if settings.symlink_metadata().is_ok() {
        inside.check(&settings, &mut problems);
    }
    let course_lints = course_settings(root, &mut problems);
    let mut lessons = Vec::new();
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for dir in dirs {
        if let Some(lesson) = load_lesson(root, &dir, &course_lints, &mut seen, &mut problems) {
            lessons.push(lesson);
        }
    }
    if lessons.is_empty() && problems.0.is_empty() {
        problems.add(
            &lessons_dir,
            None,
            "no lessons: add lessons/<NN-topic>/lesson.yaml",
        );
    }
    for exercise in lessons.iter().flat_map(|l| &l.exercises) {
        for path in [&exercise.file, &exercise.solution, &exercise.tests]
            .into_iter()
            .chain(exercise.grading_tests.as_ref())
            .chain(exercise.bugs.iter().map(|b| &b.file))
        {
            inside.check(path, &mut problems);
        }
    }
    if problems.0.is_empty() {
        Ok(Course {
            root: root.to_path_buf(),
            shown_from: root.to_path_buf(),
            lessons,
        })
    } else {
        Err(LoadError {
            problems: problems.0,
        })
    }
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
    // Read the version alone first, so a file from a newer format says so
    // instead of failing on the first field this build does not know.
    #[derive(serde::Deserialize)]
    struct Version {
        format_version: Option<u32>,
    }
    match serde_norway::from_str::<Version>(text) {
        Ok(Version {
            format_version: Some(version),
        }) if version != FORMAT_VERSION => {
            problems.add(
                path,
                line_of(text, 0, |l| l.starts_with("format_version")),
                format!(
                    "format_version {version} is not supported; this build of tensorlings reads version {FORMAT_VERSION}"
                ),
            );
            return None;
        }
        _ => {}
    }
    match serde_norway::from_str::<RawLesson>(text) {
        Ok(raw) => Some(raw),
        Err(err) => {
            yaml_problem(path, &err, problems);
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

fn check_exercise(
    root: &Path,
    lesson: &str,
    yaml_path: &Path,
    text: &str,
    raw: RawExercise,
    seen: &mut HashMap<String, (PathBuf, usize)>,
    problems: &mut Problems,
) -> Option<Exercise> {
    let id_line = line_of(text, 0, |l| {
        l.trim_start_matches("- ").trim() == format!("id: {}", raw.id)
    })
    .unwrap_or(1);
    let before = problems.0.len();
    check_id(&raw.id, yaml_path, id_line, seen, problems);
    let deps = dep_set(&raw, yaml_path, text, id_line, problems);
    if let Some(secs) = raw
        .timeout_secs
        .filter(|s| !(1..=MAX_TIMEOUT_SECS).contains(s))
    {
        let line = line_of(text, id_line, |l| l.starts_with("timeout_secs"));
        problems.add(
            yaml_path,
            line.or(Some(id_line)),
            format!(
                "exercise `{}`: timeout_secs is {secs}; it must be from 1 to {MAX_TIMEOUT_SECS} (a day)",
                raw.id
            ),
        );
    }
    let messages = messages(&raw, yaml_path, text, id_line, problems);
    if let Some(points) = raw.points.filter(|&p| p > MAX_POINTS) {
        let line = line_of(text, id_line, |l| l.starts_with("points"));
        problems.add(
            yaml_path,
            line.or(Some(id_line)),
            format!(
                "exercise `{}`: points is {points}; it must be at most {MAX_POINTS}",
                raw.id
            ),
        );
    }
    let file = root.join(super::layout::exercise_file(lesson, &raw.id));
    let solution = root.join(super::layout::solution_file(lesson, &raw.id));
    let tests = root.join(super::layout::tests_file(lesson, &raw.id));
    let grading = root.join(super::layout::grading_tests_file(lesson, &raw.id));
    let grading_tests = grading.symlink_metadata().is_ok().then_some(grading);
    if grading_tests.is_some() && raw.kind == Some(super::raw::ExerciseKind::Tests) {
        problems.add(
            yaml_path,
            Some(id_line),
            format!(
                "exercise `{}`: the learner writes its tests (kind: tests), so it cannot have grading-only tests ({}{})",
                raw.id,
                raw.id,
                super::layout::GRADING_SUFFIX
            ),
        );
    }
    let graded_with_more = grading_tests.is_some() || marked_for_grading(root, &raw.id);
    // The learner's file is not required here: a learner who deleted it must
    // still be able to open the course and `reset` it. `verify` requires it.
    // In a learner's workspace the solution appears only once it passed.
    let learner_workspace = super::layout::is_learner_workspace(root);
    for (what, path) in [("solution", &solution), ("hidden tests", &tests)] {
        if what == "solution" && learner_workspace {
            continue;
        }
        if !path.is_file() {
            let shown = path.strip_prefix(root).unwrap_or(path).display();
            let message = format!("exercise `{}`: its {what} file {shown} is missing", raw.id);
            problems.add(yaml_path, Some(id_line), message);
        }
    }
    let bugs = bugs(root, lesson, &raw, yaml_path, id_line, problems);
    if problems.0.len() > before {
        return None;
    }
    Some(Exercise {
        id: raw.id,
        lesson: lesson.to_owned(),
        title: raw.title,
        crates: raw.crates,
        deps,
        timeout: raw
            .timeout_secs
            .map_or(DEFAULT_TIMEOUT, Duration::from_secs),
        starter_compiles: raw.starter_compiles.unwrap_or(true),
        hints: raw.hints,
        messages,
        points: raw.points.unwrap_or(1),
        weights: raw.weights,
        lints: Vec::new(),
        verify_runs: raw.verify_runs.unwrap_or(1).clamp(1, MAX_VERIFY_RUNS),
        kind: raw.kind.unwrap_or_default(),
        bugs,
        file,
        solution,
        tests,
        grading_tests,
        graded_with_more,
    })
}

/// Whether a learner's workspace records that its course grades `id` with
/// tests the workspace does not hold.
fn marked_for_grading(root: &Path, id: &str) -> bool {
    fs::read_to_string(root.join(super::layout::grading_marker()))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == id))
}

/// The longest time limit an exercise may set: a day.
const MAX_TIMEOUT_SECS: u64 = 24 * 60 * 60;

/// Checks that paths of a course stay inside it: a course pack from a
/// stranger could link `exercises/x.rs` to a file of the user's, which `reset`
/// would then overwrite, or `lessons/` to anywhere.
struct Inside {
    root: Option<PathBuf>,
}

impl Inside {
    fn new(root: &Path) -> Inside {
        Inside {
            root: fs::canonicalize(root).ok(),
        }
    }

    /// Adds a problem when `path` exists and resolves outside the course.
    fn check(&self, path: &Path, problems: &mut Problems) {
        let (Some(root), Ok(real)) = (&self.root, fs::canonicalize(path)) else {
            return;
        };
        if !real.starts_with(root) {
            problems.add(
                path,
                None,
                format!(
                    "a link to {}, outside the course; a course may not point outside itself",
                    real.display()
                ),
            );
        }
    }
}

/// The lightest set with the exercise's crates; an unknown crate is a problem.
fn dep_set(
    raw: &RawExercise,
    yaml_path: &Path,
    text: &str,
    id_line: usize,
    problems: &mut Problems,
) -> DepSet {
    DepSet::for_crates(&raw.crates).unwrap_or_else(|unknown| {
        let line = line_of(text, id_line, |l| l.contains(&unknown));
        problems.add(
            yaml_path,
            line.or(Some(id_line)),
            format!(
                "exercise `{}` names unknown crate `{unknown}`; the pinned crates are: {}",
                raw.id,
                DepSet::known_crates().join(", ")
            ),
        );
        DepSet::Std
    })
}

/// An id must be well-formed and unused elsewhere in the course.
fn check_id(
    id: &str,
    yaml_path: &Path,
    id_line: usize,
    seen: &mut HashMap<String, (PathBuf, usize)>,
    problems: &mut Problems,
) {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        problems.add(
            yaml_path,
            Some(id_line),
            format!("exercise id `{id}` must be lower-case letters, digits, `_` or `-`"),
        );
    }
    if let Some((other_file, other_line)) = seen.get(id) {
        problems.add(
            yaml_path,
            Some(id_line),
            format!(
                "duplicate exercise id `{}`: already used at {}:{other_line}",
                id,
                other_file.display()
            ),
        );
    } else {
        seen.insert(id.to_owned(), (yaml_path.to_path_buf(), id_line));
    }
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

/// A `tests` exercise's bugs, each with its file; none for a `code`
/// exercise, at least one for a `tests` one.
fn bugs(
    root: &Path,
    lesson: &str,
    raw: &RawExercise,
    yaml_path: &Path,
    id_line: usize,
    problems: &mut Problems,
) -> Vec<Bug> {
    let tests_kind = raw.kind == Some(ExerciseKind::Tests);
    let mut say = |message: String| {
        problems.add(
            yaml_path,
            Some(id_line),
            format!("exercise `{}`: {message}", raw.id),
        );
    };
    if !tests_kind {
        if !raw.bugs.is_empty() {
            say("`bugs` belong to an exercise of `kind: tests`".to_owned());
        }
        return Vec::new();
    }
    if raw.bugs.is_empty() {
        say("an exercise of `kind: tests` needs `bugs` for its tests to catch".to_owned());
    }
    let mut out = Vec::new();
    for (name, description) in &raw.bugs {
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !well_formed {
            say(format!(
                "the bug name `{name}` may hold only a-z, 0-9, _ and -"
            ));
            continue;
        }
        let file = root.join(super::layout::bug_file(lesson, &raw.id, name));
        if !file.is_file() {
            let shown = super::layout::bug_file(lesson, &raw.id, name);
            say(format!("its bug file {} is missing", shown.display()));
            continue;
        }
        out.push(Bug {
            name: name.clone(),
            description: description.clone(),
            file,
        });
    }
    out
}

/// The most runs `verify_runs` may ask for (more are taken as this many).
const MAX_VERIFY_RUNS: u32 = 200;

/// The most points one exercise may be worth: enough for any course, small
/// enough that no sum of them overflows.
const MAX_POINTS: u32 = 1000;

/// The exercise's messages, each case list checked: not empty, no empty
/// pattern, and a case for any failure only last (anything after it could
/// never be shown).
fn messages(
    raw: &RawExercise,
    yaml_path: &Path,
    text: &str,
    id_line: usize,
    problems: &mut Problems,
) -> BTreeMap<String, Message> {
    let mut out = BTreeMap::new();
    for (test, message) in &raw.messages {
        let cases: Vec<Case> = match message {
            RawMessage::Always(say) => vec![Case {
                when: None,
                say: say.clone(),
            }],
            RawMessage::Cases(cases) => cases
                .iter()
                .map(|c| Case {
                    when: c.when.clone(),
                    say: c.say.clone(),
                })
                .collect(),
        };
        let catch_all = cases.iter().position(|c| c.when.is_none());
        let problem = if cases.is_empty() {
            Some("has no cases".to_owned())
        } else if cases.iter().any(|c| c.when.as_deref() == Some("")) {
            Some("has an empty `when`, which every failure contains".to_owned())
        } else if catch_all.is_some_and(|at| at + 1 < cases.len()) {
            Some("has a case without `when` before others, which could never be shown".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            let line = line_of(text, id_line, |l| l.starts_with(&format!("{test}:")));
            problems.add(
                yaml_path,
                line.or(Some(id_line)),
                format!("exercise `{}`: the message for `{test}` {problem}", raw.id),
            );
        }
        out.insert(test.clone(), Message { cases });
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
