//! `tensorlings reset`: an exercise, or every one, back to its starter, the
//! learner's changed files saved first.

use std::process::ExitCode;

use anyhow::Result;

use crate::course::{Course, Exercise};
use crate::session::{ResetDone, Session};

/// Arguments of `reset`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exercise id.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub id: Option<String>,

    /// Every exercise of the course; each changed file is backed up first.
    #[arg(long)]
    pub all: bool,
}

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
    let session = super::open_session(course)?;
    if args.all {
        return Ok(reset_all(&session));
    }
    let exercise = super::exercise_or_current(&session, args.id.as_deref())?;
    let done = session.reset(&exercise)?;
    outln!("{}", said(session.course(), &exercise, &done));
    Ok(ExitCode::SUCCESS)
}

fn reset_all(session: &Session) -> ExitCode {
    let course = session.course();
    let mut failed = 0;
    let mut backed_up = 0;
    let done = session.reset_all();
    for (exercise, result) in &done {
        match result {
            Ok(done) => {
                backed_up += usize::from(done.backup.is_some());
                if done.changed {
                    outln!("{}", said(course, exercise, done));
                }
            }
            Err(err) => {
                failed += 1;
                errln!("{}: not reset: {err}", exercise.id);
            }
        }
    }
    let total = done.len();
    outln!(
        "{} of {total} exercises are at their starters; {backed_up} changed files backed up in {}.",
        total - failed,
        course.display_path(&course.root.join(crate::course::layout::backups_dir()))
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// What a reset did, in one line.
fn said(course: &Course, exercise: &Exercise, done: &ResetDone) -> String {
    let shown = course.display_path(&exercise.file);
    match (&done.backup, done.changed) {
        (Some(backup), _) => format!(
            "{shown} is back to its starter; your version is saved in {}",
            course.display_path(backup)
        ),
        (None, true) => format!("{shown} is back to its starter."),
        (None, false) => format!("{shown} already is its starter; nothing to do."),
    }
}
