//! One exercise's entry in `lesson.yaml`, checked: a well-formed, unique id,
//! known crates, limits in range, its messages, its files and its bugs.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Problems, line_of};
use crate::course::raw::{ExerciseKind, RawExercise, RawMessage};
use crate::course::{Bug, Case, DEFAULT_TIMEOUT, Exercise, Message, layout};
use crate::deps::DepSet;

/// The exercise `raw` of `lesson`, or `None` when any of its problems was found.
pub(super) fn check_exercise(
    root: &Path,
    lesson: &str,
    yaml_path: &Path,
    text: &str,
    raw: RawExercise,
    seen: &mut HashMap<String, (PathBuf, usize)>,
    problems: &mut Problems,
) -> Option<Exercise> {
    let id_line = id_line(text, &raw.id);
    let before = problems.0.len();
    check_id(&raw.id, yaml_path, id_line, seen, problems);
    let deps = dep_set(&raw, yaml_path, text, id_line, problems);
    check_timeout(&raw, yaml_path, text, id_line, problems);
    let messages = messages(&raw, yaml_path, text, id_line, problems);
    check_points(&raw, yaml_path, text, id_line, problems);
    let files = Files::of(root, lesson, &raw.id);
    files.check(root, &raw, yaml_path, id_line, problems);
    let bugs = bugs(root, lesson, &raw, yaml_path, id_line, problems);
    if problems.0.len() > before {
        return None;
    }
    let graded_with_more = files.grading_tests.is_some() || marked_for_grading(root, &raw.id);
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
        file: files.file,
        solution: files.solution,
        tests: files.tests,
        grading_tests: files.grading_tests,
        graded_with_more,
    })
}

/// The line of the exercise's `id:` (1 when it cannot be found), which its
/// problems point at when they have no line of their own.
fn id_line(text: &str, id: &str) -> usize {
    let wanted = format!("id: {id}");
    line_of(text, 0, |l| l.trim_start_matches("- ").trim() == wanted).unwrap_or(1)
}

/// The files of one exercise, where the course's layout puts them.
struct Files {
    file: PathBuf,
    solution: PathBuf,
    tests: PathBuf,
    /// The tests only `grade` runs, when the course has them.
    grading_tests: Option<PathBuf>,
}

impl Files {
    fn of(root: &Path, lesson: &str, id: &str) -> Files {
        let grading = root.join(layout::grading_tests_file(lesson, id));
        Files {
            file: root.join(layout::exercise_file(lesson, id)),
            solution: root.join(layout::solution_file(lesson, id)),
            tests: root.join(layout::tests_file(lesson, id)),
            grading_tests: grading.symlink_metadata().is_ok().then_some(grading),
        }
    }

    /// Grading-only tests only where the course writes the tests, and the
    /// solution and hidden tests present.
    fn check(
        &self,
        root: &Path,
        raw: &RawExercise,
        yaml_path: &Path,
        id_line: usize,
        problems: &mut Problems,
    ) {
        if self.grading_tests.is_some() && raw.kind == Some(ExerciseKind::Tests) {
            problems.add(
                yaml_path,
                Some(id_line),
                format!(
                    "exercise `{}`: the learner writes its tests (kind: tests), so it cannot have grading-only tests ({}{})",
                    raw.id,
                    raw.id,
                    layout::GRADING_SUFFIX
                ),
            );
        }
        // The learner's file is not required here: a learner who deleted it must
        // still be able to open the course and `reset` it. `verify` requires it.
        // In a learner's workspace the solution appears only once it passed.
        let learner_workspace = layout::is_learner_workspace(root);
        for (what, path) in [("solution", &self.solution), ("hidden tests", &self.tests)] {
            if what == "solution" && learner_workspace {
                continue;
            }
            if !path.is_file() {
                let shown = path.strip_prefix(root).unwrap_or(path).display();
                let message = format!("exercise `{}`: its {what} file {shown} is missing", raw.id);
                problems.add(yaml_path, Some(id_line), message);
            }
        }
    }
}

/// A `timeout_secs` outside 1 second to a day is a problem.
fn check_timeout(
    raw: &RawExercise,
    yaml_path: &Path,
    text: &str,
    id_line: usize,
    problems: &mut Problems,
) {
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
}

/// `points` above [`MAX_POINTS`] is a problem.
fn check_points(
    raw: &RawExercise,
    yaml_path: &Path,
    text: &str,
    id_line: usize,
    problems: &mut Problems,
) {
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
}

/// Whether a learner's workspace records that its course grades `id` with
/// tests the workspace does not hold.
fn marked_for_grading(root: &Path, id: &str) -> bool {
    fs::read_to_string(root.join(layout::grading_marker()))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == id))
}

/// The longest time limit an exercise may set: a day.
const MAX_TIMEOUT_SECS: u64 = 24 * 60 * 60;

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
        let file = root.join(layout::bug_file(lesson, &raw.id, name));
        if !file.is_file() {
            let shown = layout::bug_file(lesson, &raw.id, name);
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
            let key = format!("{test}:");
            let line = line_of(text, id_line, |l| l.starts_with(&key));
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
