//! `tensorlings hint`: an exercise's hints, one level at a time.

use std::process::ExitCode;

use anyhow::Result;

use crate::course::Course;

/// Arguments of `hint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exercise id; default: the one you are working on.
    pub id: Option<String>,
    /// Show hints up to this level (1 = a nudge); default: the next unseen one.
    #[arg(long, value_name = "N")]
    pub level: Option<u32>,
}

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
    let mut session = super::open_session(course)?;
    let exercise = super::exercise_or_current(&session, args.id.as_deref())?;
    let id = &exercise.id;
    let hints = session.reveal_hint(&exercise, args.level)?;
    if hints.total == 0 {
        outln!("{id} has no hints.");
        return Ok(ExitCode::SUCCESS);
    }
    for (i, hint) in hints.shown.iter().enumerate() {
        outln!("Hint {}/{}:\n{}\n", i + 1, hints.total, hint.trim_end());
    }
    if hints.shown.len() < hints.total {
        outln!("(`tensorlings hint {id}` again for the next one.)");
    }
    Ok(ExitCode::SUCCESS)
}
