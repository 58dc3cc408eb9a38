//! `tensorlings reset`: an exercise back to its starter, the learner's file
//! saved first.

use std::process::ExitCode;

use anyhow::Result;

use crate::course::Course;

/// Arguments of `reset`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exercise id.
    pub id: String,
}

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
    let session = super::open_session(course)?;
    let exercise = super::exercise_or_current(&session, Some(&args.id))?;
    let builtin = crate::workspace::builtin_starter(&exercise.lesson, &exercise.id);
    let done = session.reset(&exercise, builtin)?;
    crate::workspace::clear_newer_starter(&session.course().root, &exercise.id);
    let course = session.course();
    let shown = course.display_path(&exercise.file);
    match done.backup {
        Some(backup) => outln!(
            "{shown} is back to its starter; your version is saved in {}",
            course.display_path(&backup)
        ),
        None => outln!("{shown} is back to its starter."),
    }
    Ok(ExitCode::SUCCESS)
}
