//! Small view models: the plain data one piece of content needs, built from
//! the app's [`Screen`](super::screen::Screen) for it.

use super::ColorMode;
use super::code::Code;
use crate::course::Exercise;
use crate::tui::checks::{DepState, Phase};
use crate::tui::state::Outcome;

/// What the Feedback tab shows about one exercise.
pub struct FeedbackView<'a> {
    /// The exercise.
    pub exercise: &'a Exercise,
    /// Its file's name as the learner sees it.
    pub name: String,
    /// The outcome of its last check, if any.
    pub outcome: Option<&'a Outcome>,
    /// A check of it running or waiting, if any.
    pub pending: Pending<'a>,
    /// How many of its hints the learner has seen (at most how many it has).
    pub hints_seen: usize,
    /// Where to go once it passed.
    pub next: Next<'a>,
    /// The learner's file, highlighted, once loaded.
    pub code: Option<&'a Code>,
    /// How colours are drawn.
    pub colors: ColorMode,
    /// The spinner's current frame.
    pub spinner: &'static str,
}

/// A check of the exercise shown that has not ended.
pub enum Pending<'a> {
    /// None runs or waits.
    None,
    /// It runs: what it does, for how many seconds.
    Running {
        /// What it is doing.
        phase: &'a Phase,
        /// Seconds since it started.
        secs: u64,
    },
    /// It waits: for its dependency set's build (its state, if the course
    /// needs one), or for the check running now.
    Waiting(Option<&'a DepState>),
}

/// Where the learner goes after the exercise shown.
pub enum Next<'a> {
    /// The next exercise in course order.
    Exercise(&'a Exercise),
    /// It was the last one: how many of all have passed.
    Last {
        /// Exercises passed.
        passed: usize,
        /// Exercises in the course.
        total: usize,
    },
}
