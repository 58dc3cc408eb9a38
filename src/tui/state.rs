//! The small types the app's state is made of: focus, tabs, tree rows,
//! overlays, scroll positions, the outcome of a check, status messages, and
//! the effects `update` queues for the loop.

use crate::runner::Report;

/// Which pane the movement keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The course tree on the left.
    Tree,
    /// The tab shown on the right.
    Pane,
}

/// The tabs of the right pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The lesson's prose.
    Lesson,
    /// The exercise's file (and the solution beside it).
    Exercise,
    /// The last check's result and the hints.
    Feedback,
}

impl Tab {
    /// The tabs in display order.
    pub const ALL: [Tab; 3] = [Tab::Lesson, Tab::Exercise, Tab::Feedback];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Lesson => "Lesson",
            Tab::Exercise => "Exercise",
            Tab::Feedback => "Feedback",
        }
    }

    /// The tab's position.
    pub(crate) fn index(self) -> usize {
        Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0)
    }
}

/// How far each tab, and the help screen, is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    /// The Lesson tab.
    pub lesson: usize,
    /// The Exercise tab.
    pub exercise: usize,
    /// The Feedback tab.
    pub feedback: usize,
    /// How far a graph drawing in the Feedback tab is scrolled sideways.
    pub graph_x: usize,
    /// The help screen.
    pub help: usize,
}

impl Scroll {
    /// The offset of `tab`.
    pub fn tab(&self, tab: Tab) -> usize {
        match tab {
            Tab::Lesson => self.lesson,
            Tab::Exercise => self.exercise,
            Tab::Feedback => self.feedback,
        }
    }

    /// The offset of `tab`, to change.
    pub fn tab_mut(&mut self, tab: Tab) -> &mut usize {
        match tab {
            Tab::Lesson => &mut self.lesson,
            Tab::Exercise => &mut self.exercise,
            Tab::Feedback => &mut self.feedback,
        }
    }
}

/// One row of the course tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A lesson, by index.
    Lesson(usize),
    /// An exercise, by its index in course order.
    Exercise(usize),
}

/// A box drawn over everything until a key closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The list of keys.
    Help,
    /// Something the learner should read (a progress file set aside, a tool failure).
    Notice(String),
    /// A question before the learner's files change: `y` goes ahead.
    Confirm(Ask),
    /// Going straight to an exercise by typing part of its name.
    GoTo(GoTo),
}

/// What a [`Overlay::Confirm`] asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Put this exercise (index in course order) back to its starter.
    Reset(usize),
    /// Put every exercise back to its starter.
    ResetAll,
}

/// The go-to box: what was typed, and which match is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoTo {
    /// The text typed so far.
    pub query: String,
    /// The chosen match, as a position in the list of matches.
    pub choice: usize,
}

/// The result of the last check of an exercise.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The check ran; the report says how it went.
    Report(Box<Report>),
    /// The learner's file was not there to check; says which.
    FileMissing(String),
    /// The tool could not run the check.
    Failed(String),
}

/// How the status bar shows a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Neutral information.
    Info,
    /// Good news.
    Good,
    /// Something to pay attention to.
    Warn,
}

/// Work for the loop outside `update`: it needs a thread or the terminal.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Start a check on the worker.
    Check {
        /// The run's number.
        run: u64,
        /// The exercise, by index in course order.
        exercise: usize,
        /// The flag that cancels it.
        cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    },
    /// Suspend the app and edit this exercise's file.
    Edit(usize),
}
