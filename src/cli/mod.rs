//! The command line: one file per command, holding its arguments and its run.
//!
//! A new command is a new file here with an `Args` struct and a `run`, one
//! variant in [`Command`], and one line in [`run`]. Everything the commands
//! share with the app (the session, checks, feedback) lives in the core.

/// `println!` that stays quiet when stdout is closed early (`tensorlings list | head`)
/// and never lets a control character through (see [`output::emit`]).
macro_rules! outln {
    () => {{
        $crate::cli::output::emit("\n");
    }};
    ($($arg:tt)*) => {{
        $crate::cli::output::emit(&format!("{}\n", format_args!($($arg)*)));
    }};
}

/// `print!` that stays quiet when stdout is closed early, and safe (see [`output::emit`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        $crate::cli::output::emit(&format!($($arg)*));
    }};
}

/// `eprintln!` with control characters made visible.
macro_rules! errln {
    ($($arg:tt)*) => {{
        eprintln!("{}", $crate::text::printable(&format!($($arg)*)));
    }};
}

mod check;
mod class;
mod doctor;
mod grade;
mod hint;
mod init;
mod list;
mod new_exercise;
pub mod output;
mod prepare;
mod report;
mod reset;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::course::{Course, Exercise, find_root};
use crate::session::Session;

/// Learn the engineering habits production AI code needs, one exercise at a time.
#[derive(Debug, Parser)]
#[command(name = "tensorlings", version, about, long_about = None)]
pub struct Cli {
    /// The course directory (the one holding lessons/); default: the current
    /// directory or the nearest parent that has lessons/.
    #[arg(long, global = true, value_name = "DIR")]
    pub course: Option<PathBuf>,

    /// Notice saves by looking at the exercise files every 400 ms rather than
    /// asking the system, for filesystems whose changes go unreported. The app
    /// does this by itself on 9p (WSL's Windows drives), NFS, SMB, FUSE and
    /// shared folders.
    #[arg(long)]
    pub poll: bool,

    /// What to do; without a command, the tutorial opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// JSON for programs.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the course's lessons and exercises with their status.
    List(list::Args),
    /// Check an exercise against its hidden tests.
    Check(check::Args),
    /// Show an exercise's hints.
    Hint(hint::Args),
    /// Put an exercise back to its starter (the current file is backed up first).
    Reset(reset::Args),
    /// Prove the course: every starter fails its hidden tests, every solution passes.
    Verify(verify::Args),
    /// Create a learner workspace from the course built into this binary.
    Init(init::Args),
    /// Download and build the pinned crates once, so checks are fast and work offline.
    Prepare(prepare::Args),
    /// Progress per lesson and exercise: passed, attempts, hints, time to pass.
    Report(report::Args),
    /// A whole class from students' workspaces or saved grades: passes,
    /// attempts, time, hints, and where students are stuck.
    Class(class::Args),
    /// Check every exercise in a learner's workspace, without a terminal.
    ///
    /// The hidden tests come from --course, or from the course built into this
    /// binary; the workspace's own copies are ignored. Exit 0 when all pass, 1
    /// when some do not, 2 when the tool failed.
    Grade(grade::Args),
    /// Scaffold a new exercise (and its lesson if new) for a course author.
    NewExercise(new_exercise::Args),
    /// Print the JSON Schema of lesson.yaml.
    Schema,
    /// Show which protections the sandbox has on this system.
    Doctor(doctor::Args),
}

/// What the command line leaves to the binary: the command's exit code, or
/// the app to open (the command line never draws the app itself).
#[derive(Debug)]
pub enum Outcome {
    /// The command ran; exit with this code.
    Exit(ExitCode),
    /// No command was given: open the app.
    OpenApp(AppArgs),
}

/// What the app opens with.
#[derive(Debug)]
pub struct AppArgs {
    /// The learner's course.
    pub course: Course,
    /// What the learner should read first (a newer starter, a file the
    /// course no longer has).
    pub notes: Vec<String>,
    /// Look at the files for saves instead of asking the system.
    pub poll: bool,
}

/// Parses arguments and runs the command.
pub fn main() -> Outcome {
    let cli = Cli::parse();
    match run(cli) {
        Ok(outcome) => outcome,
        Err(err) => Outcome::Exit(failed(&err)),
    }
}

/// Says why tensorlings failed, and the exit code for a tool failure.
pub fn failed(err: &anyhow::Error) -> ExitCode {
    errln!("error: {err:#}");
    ExitCode::from(2)
}

/// Runs one command. Commands that need no course come first; the rest get
/// the course found from `--course` or the current directory.
pub fn run(cli: Cli) -> Result<Outcome> {
    let course_dir = cli.course.as_deref();
    let Some(command) = cli.command else {
        let (course, notes) = learner_course(course_dir)?;
        return Ok(Outcome::OpenApp(AppArgs {
            course,
            notes,
            poll: cli.poll,
        }));
    };
    run_command(command, course_dir).map(Outcome::Exit)
}

fn run_command(command: Command, course_dir: Option<&Path>) -> Result<ExitCode> {
    match command {
        Command::Schema => {
            outln!("{}", crate::course::raw::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(args) => init::run(&args),
        Command::Prepare(args) => prepare::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Grade(args) => grade::run(course_dir, &args),
        Command::NewExercise(args) => new_exercise::run(course_dir, &args),
        Command::List(args) => list::run(learner(course_dir)?, &args),
        Command::Check(args) => {
            // The build's sandbox is set up while the course loads.
            let runner = crate::runner::Runner::new().ok();
            if let Some(runner) = &runner {
                runner.warm_up();
            }
            check::run(learner(course_dir)?, &args, runner)
        }
        Command::Hint(args) => hint::run(learner(course_dir)?, &args),
        Command::Reset(args) => reset::run(learner(course_dir)?, &args),
        Command::Report(args) => report::run(learner(course_dir)?, &args),
        // Proving a course is for its authors: the course itself, never a
        // learner's workspace.
        Command::Verify(args) => verify::run(&load_course(course_dir)?, &args),
        // The course the students take: --course, else the one built in.
        Command::Class(args) => class::run(&instructor_course(course_dir)?, &args),
    }
}

/// The course a learner works in, with what changed on the way printed.
fn learner(dir: Option<&Path>) -> Result<Course> {
    let (course, notes) = learner_course(dir)?;
    for note in notes {
        errln!("note: {note}");
    }
    Ok(course)
}

/// The course a learner works in: the one named with `--course`, or found
/// from the current directory; in a clone of the repository, its git-ignored
/// `workspace/`, brought in step with the clone's course first. Returns what
/// the learner should hear about that (newer starters, kept files).
pub fn learner_course(dir: Option<&Path>) -> Result<(Course, Vec<String>)> {
    let root = course_root(dir)?;
    if dir.is_some() || !crate::workspace::is_repository(&root) {
        return Ok((load(&root)?, Vec::new()));
    }
    let workspace = root.join(crate::workspace::IN_CLONE);
    let synced = crate::workspace::sync::sync(&root, &workspace)?;
    let mut course = load(&workspace)?;
    // Paths read as the learner finds them from where they stand.
    course.shown_from = root;
    Ok((course, notes(&synced)))
}

/// What a sync did that the learner should know.
fn notes(synced: &crate::workspace::sync::Synced) -> Vec<String> {
    let mut notes = Vec::new();
    if synced.created {
        notes.push(format!(
            "your work goes in {}/ (ignored by git); the repository's exercises/ stay as shipped",
            crate::workspace::IN_CLONE
        ));
    }
    for id in &synced.newer {
        notes.push(format!(
            "the course has a newer starter for {id}; your file is kept. `tensorlings reset {id}` puts the new one in place (your file is backed up first)"
        ));
    }
    for file in &synced.orphans {
        notes.push(format!(
            "{}/{} is no longer part of the course; it is kept",
            crate::workspace::IN_CLONE,
            file.display()
        ));
    }
    notes
}

/// The course in `dir`, or found from the current directory.
/// The course students take, for commands about students' work: `--course`,
/// else the course here (when the current directory is in one), else the
/// course built into this binary. Only its lessons and exercises are read.
fn instructor_course(dir: Option<&Path>) -> Result<Course> {
    if dir.is_some() || course_root(None).is_ok() {
        return load_course(dir);
    }
    let builtin = tempfile::tempdir().context("creating a temporary directory")?;
    crate::workspace::write_course(builtin.path()).context("writing the built-in course")?;
    load_course(Some(builtin.path()))
}

pub fn load_course(dir: Option<&Path>) -> Result<Course> {
    load(&course_root(dir)?)
}

/// The course directory: `dir`, or found from the current directory.
fn course_root(dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = dir {
        if !dir.join("lessons").is_dir() {
            bail!(
                "{} is not a course: it has no lessons/ directory",
                dir.display()
            );
        }
        Ok(dir.to_path_buf())
    } else {
        let cwd = std::env::current_dir().context("reading the current directory")?;
        let found = find_root(&cwd).ok_or_else(|| {
            anyhow!("no course here: run `tensorlings init DIR` to create one, run inside a course (a directory with lessons/), or pass --course DIR")
        })?;
        // Show paths relative to where the learner stands when the course is here.
        Ok(if found == cwd {
            PathBuf::from(".")
        } else {
            found
        })
    }
}

fn load(root: &Path) -> Result<Course> {
    Course::load(root).map_err(|err| match err.problems.len() {
        1 => anyhow!("{err} (fix the lesson file and run again)"),
        n => anyhow!("the course has {n} problems; fix them and run again:\n{err}"),
    })
}

/// The learner's session with `course`, warning when an unreadable progress
/// file was set aside.
pub fn open_session(course: Course) -> Result<Session> {
    let (session, warning) = Session::open(course)?;
    let session = session.with_builtin_starters(crate::workspace::builtin_starter);
    if let Some(warning) = warning {
        errln!("warning: {warning}");
    }
    crate::workspace::reveal_passed(session.course(), session.progress());
    Ok(session)
}

/// The exercise named `id`, or the one the learner is on.
pub fn exercise_or_current(session: &Session, id: Option<&str>) -> Result<Exercise> {
    let course = session.course();
    if let Some(id) = id {
        return course.exercise(id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = course.exercises().map(|e| e.id.as_str()).collect();
            anyhow!(
                "no exercise `{id}` in this course; `tensorlings list` shows them all ({} … {})",
                ids.first().unwrap_or(&""),
                ids.last().unwrap_or(&"")
            )
        });
    }
    let current = session
        .current()
        .ok_or_else(|| anyhow!("this course has no exercises"))?;
    if session.passed(&current.id) {
        bail!("every exercise has passed; name one to check it again");
    }
    Ok(current.clone())
}
