//! One function per command.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};

use super::{Cli, Command, Format, check, classroom, setup};
use crate::course::progress::Progress;
use crate::course::{Course, Exercise, find_root};
use crate::deps::DepSet;
use crate::runner::{Runner, Status};
use crate::verify;

pub fn run(cli: Cli) -> Result<ExitCode> {
    // Commands that need no course, or bring their own.
    match &cli.command {
        Some(Command::Schema) => {
            outln!("{}", crate::course::raw::json_schema());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Init { dir }) => return setup::init(dir),
        Some(Command::Doctor { format }) => return super::doctor::run(*format),
        Some(Command::Prepare { set }) => {
            let sets: Vec<DepSet> = if set.is_empty() {
                DepSet::ALL.to_vec()
            } else {
                set.iter().map(|&s| s.into()).collect()
            };
            return setup::prepare(&sets);
        }
        Some(Command::Grade {
            dir,
            junit,
            format,
            jobs,
            allow_weak_sandbox,
        }) => {
            super::doctor::require_full_sandbox(*allow_weak_sandbox)?;
            let builtin;
            let course = if let Some(course) = cli.course.as_deref() {
                load_course(Some(course))?
            } else {
                builtin = tempfile::tempdir().context("creating a temporary directory")?;
                crate::workspace::init(&builtin.path().join("course"))?;
                load_course(Some(&builtin.path().join("course")))?
            };
            let args = classroom::GradeArgs {
                workspace: dir,
                junit: junit.as_deref(),
                json: *format == Format::Json,
                jobs: *jobs,
            };
            return classroom::grade(&course, &args);
        }
        Some(Command::NewExercise {
            lesson,
            id,
            title,
            crates,
        }) => {
            let root = match cli.course.as_deref() {
                Some(dir) => dir.to_path_buf(),
                None => find_root(&std::env::current_dir()?).unwrap_or_else(|| PathBuf::from(".")),
            };
            return setup::new_exercise(&root, lesson, id, title, crates);
        }
        _ => {}
    }
    let course = load_course(cli.course.as_deref())?;
    // Without a command, the tutorial opens.
    let Some(command) = cli.command else {
        crate::tui::run(&course)?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::List { format } => list(&course, format),
        Command::Check { id, file, format } => {
            let id = id.map_or_else(|| working_on(&course), Ok)?;
            check::run(&course, &id, file.as_deref(), format)
        }
        Command::Hint { id, level } => {
            let id = id.map_or_else(|| working_on(&course), Ok)?;
            hint(&course, &id, level)
        }
        Command::Reset { id } => reset(&course, &id),
        Command::Verify {
            lesson,
            jobs,
            clippy,
        } => verify_course(&course, lesson.as_deref(), verify::Options { jobs, clippy }),
        Command::Report { format } => classroom::report(&course, format),
        Command::Schema
        | Command::Doctor { .. }
        | Command::Init { .. }
        | Command::Prepare { .. }
        | Command::Grade { .. }
        | Command::NewExercise { .. } => unreachable!("handled above"),
    }
}

fn load_course(dir: Option<&Path>) -> Result<Course> {
    let root = if let Some(dir) = dir {
        if !dir.join("lessons").is_dir() {
            bail!(
                "{} is not a course: it has no lessons/ directory",
                dir.display()
            );
        }
        dir.to_path_buf()
    } else {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let found = find_root(&cwd).ok_or_else(|| {
            anyhow!("no course here: run `tensorlings init DIR` to create one, run inside a course (a directory with lessons/), or pass --course DIR")
        })?;
        // Show paths relative to where the learner stands when the course is here.
        if found == cwd {
            PathBuf::from(".")
        } else {
            found
        }
    };
    Course::load(&root).map_err(|err| match err.problems.len() {
        1 => anyhow!("{err} (fix the lesson file and run again)"),
        n => anyhow!("the course has {n} problems; fix them and run again:\n{err}"),
    })
}

pub(super) fn find_exercise<'a>(course: &'a Course, id: &str) -> Result<&'a Exercise> {
    course.exercise(id).ok_or_else(|| {
        let ids: Vec<&str> = course.exercises().map(|e| e.id.as_str()).collect();
        anyhow!(
            "no exercise `{id}` in this course; `tensorlings list` shows them all ({} … {})",
            ids.first().unwrap_or(&""),
            ids.last().unwrap_or(&"")
        )
    })
}

/// The exercise the learner is on: the last one opened if it has not passed
/// yet, else the first in course order that has not passed.
fn working_on(course: &Course) -> Result<String> {
    let progress = load_progress(course)?;
    let current = progress
        .current
        .as_deref()
        .filter(|id| course.exercise(id).is_some() && !progress.passed(id));
    current
        .map(str::to_owned)
        .or_else(|| {
            course
                .exercises()
                .find(|e| !progress.passed(&e.id))
                .map(|e| e.id.clone())
        })
        .ok_or_else(|| anyhow!("every exercise has passed; name one to check it again"))
}

/// Loads progress, printing a warning when an unreadable file was set aside.
pub(super) fn load_progress(course: &Course) -> Result<Progress> {
    let loaded = Progress::load(&Progress::path(&course.root))?;
    if let Some(warning) = loaded.warning {
        errln!("warning: {warning}");
    }
    Ok(loaded.progress)
}

fn save_progress(course: &Course, progress: &Progress) -> Result<()> {
    Ok(progress.save(&Progress::path(&course.root))?)
}

fn list(course: &Course, format: Format) -> Result<ExitCode> {
    let progress = load_progress(course)?;
    let status = |id: &str| match progress.exercises.get(id) {
        Some(record) if record.passed => "passed",
        Some(record) if record.attempts > 0 => "attempted",
        _ => "not_started",
    };
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = course
                .exercises()
                .map(|e| serde_json::json!({"id": e.id, "lesson": e.lesson, "title": e.title, "status": status(&e.id)}))
                .collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?);
        }
        Format::Text => {
            let total = course.exercises().count();
            let passed = course
                .exercises()
                .filter(|e| progress.passed(&e.id))
                .count();
            outln!("tensorlings — {passed}/{total} exercises passed\n");
            for lesson in &course.lessons {
                outln!("{}  {}", lesson.id, lesson.title);
                for e in &lesson.exercises {
                    let mark = match status(&e.id) {
                        "passed" => "✓",
                        "attempted" => "…",
                        _ => " ",
                    };
                    outln!("  [{mark}] {:<12} {}", e.id, e.title);
                }
            }
            outln!("\nCheck one with `tensorlings check ID`; edit its file under exercises/.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn hint(course: &Course, id: &str, level: Option<u32>) -> Result<ExitCode> {
    let exercise = find_exercise(course, id)?;
    if exercise.hints.is_empty() {
        outln!("{id} has no hints.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut progress = load_progress(course)?;
    let max = u32::try_from(exercise.hints.len()).unwrap_or(u32::MAX);
    let seen = progress.exercises.get(id).map_or(0, |r| r.hints_used);
    let level = level.unwrap_or(seen + 1).clamp(1, max);
    for (i, hint) in exercise.hints.iter().take(level as usize).enumerate() {
        outln!("Hint {}/{max}:\n{}\n", i + 1, hint.trim_end());
    }
    if level < max {
        outln!("(`tensorlings hint {id}` again for the next one.)");
    }
    progress.hint_revealed(id, level);
    save_progress(course, &progress)?;
    Ok(ExitCode::SUCCESS)
}

fn reset(course: &Course, id: &str) -> Result<ExitCode> {
    let exercise = find_exercise(course, id)?;
    let pristine = pristine_starter(course, exercise)?;
    let shown = course.display_path(&exercise.file).to_string();
    let backups = course.root.join(".tensorlings").join("backups");
    fs::create_dir_all(&backups).with_context(|| format!("creating {}", backups.display()))?;
    let backup = backups.join(format!("{id}-{}.rs", crate::course::progress::now()));
    if exercise.file.exists() {
        fs::copy(&exercise.file, &backup).with_context(|| format!("backing up {shown}"))?;
    }
    write_atomically(&exercise.file, &pristine).with_context(|| format!("writing {shown}"))?;
    if backup.exists() {
        outln!(
            "{shown} is back to its starter; your version is saved in {}",
            course.display_path(&backup)
        );
    } else {
        outln!("{shown} is back to its starter.");
    }
    Ok(ExitCode::SUCCESS)
}

/// The starter as shipped: from the workspace's pristine copies, else from git.
fn pristine_starter(course: &Course, exercise: &Exercise) -> Result<Vec<u8>> {
    let relative = Path::new("exercises")
        .join(&exercise.lesson)
        .join(format!("{}.rs", exercise.id));
    let kept = course
        .root
        .join(".tensorlings")
        .join("starters")
        .join(&exercise.lesson)
        .join(format!("{}.rs", exercise.id));
    if let Ok(bytes) = fs::read(&kept) {
        return Ok(bytes);
    }
    if let Some(bytes) = git_starter(course, &relative) {
        return Ok(bytes);
    }
    if let Some(bytes) = crate::workspace::builtin_starter(&exercise.lesson, &exercise.id) {
        return Ok(bytes.to_vec());
    }
    bail!(
        "no pristine copy of {} was found (in .tensorlings/starters/, in git, or built in); nothing was changed",
        relative.display()
    )
}

/// The starter as last committed, when the course is a git checkout.
fn git_starter(course: &Course, relative: &Path) -> Option<Vec<u8>> {
    let output = std::process::Command::new("git")
        .current_dir(&course.root)
        .args(["show", &format!("HEAD:./{}", relative.display())])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

/// Writes `bytes` to `path` so that a crash leaves the old or the new file.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

fn verify_course(
    course: &Course,
    lesson: Option<&str>,
    options: verify::Options,
) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = match lesson {
        Some(id) => {
            let lesson = course.lesson(id).ok_or_else(|| {
                let ids: Vec<&str> = course.lessons.iter().map(|l| l.id.as_str()).collect();
                anyhow!("no lesson `{id}`; the lessons are: {}", ids.join(", "))
            })?;
            lesson.exercises.iter().collect()
        }
        None => course.exercises().collect(),
    };
    let runner = Runner::new()?;
    let started = std::time::Instant::now();
    let verdicts = verify::verify(course, &exercises, &runner, options, &|verdict| {
        let show = |s: Option<Status>| s.map_or("-", Status::as_str);
        let mark = if verdict.ok() { "ok  " } else { "FAIL" };
        outln!(
            "{mark} {:<12} starter: {:<13} solution: {:<13} {:.1}s",
            verdict.id,
            show(verdict.starter),
            show(verdict.solution),
            verdict.duration.as_secs_f64()
        );
        for problem in &verdict.problems {
            outln!("       {} {problem}", verdict.id);
        }
    });
    let bad: Vec<&str> = verdicts
        .iter()
        .filter(|v| !v.ok())
        .map(|v| v.id.as_str())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    if bad.is_empty() {
        outln!("verified {} exercises in {elapsed:.1}s", verdicts.len());
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "{} of {} exercises have problems: {}",
            bad.len(),
            verdicts.len(),
            bad.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}
