//! The view model: what measuring and drawing read, handed over by the app
//! (`App::screen`) as plain data it lends for one frame. `content`,
//! `layout` and `ui` take a [`Screen`], never the app, so nothing that
//! draws can change state, and the app imports them without them importing
//! it back.

use std::collections::HashMap;
use std::path::Path;

use ratatui::layout::Rect;
use ratatui::text::Line;

use std::borrow::Cow;

use super::code::Code;
use super::model::{FeedbackView, Next, Pending};
use super::{ColorMode, spinner};
use super::{feedback, prose};
use crate::course::{Course, Exercise, Lesson};
use crate::deps::DepSet;
use crate::session::Session;
use crate::tui::checks::{Checks, DepState};
use crate::tui::state::{Focus, Level, Outcome, Overlay, Row, Scroll, Tab};

/// What is costly to make and kept between frames (the app's view cache).
pub trait Cache {
    /// A highlighted file, if it was loaded.
    fn code(&self, path: &Path) -> Option<&Code>;
    /// Lesson `lesson`'s prose rendered at `width`, if that is what is cached.
    fn prose(&self, lesson: usize, width: usize) -> Option<&[Line<'static>]>;
    /// The Feedback tab's text for `exercise` at `width`, if it is cached
    /// for this generation.
    fn feedback(&self, exercise: usize, width: usize, generation: u64) -> Option<&[Line<'static>]>;
}

/// One frame's worth of the app's state, read-only.
pub struct Screen<'a> {
    /// The learner's session: the course and their progress.
    pub session: &'a Session,
    /// Exercises in course order, as (lesson index, index within the lesson).
    pub index: &'a [(usize, usize)],
    /// The course tree's rows.
    pub rows: &'a [Row],
    /// The selected row.
    pub cursor: usize,
    /// The exercise `c`, `e`, `h`, `s` act on (index in course order).
    pub current: usize,
    /// Where the movement keys go.
    pub focus: Focus,
    /// The tab shown on the right.
    pub tab: Tab,
    /// A box over everything, if any.
    pub overlay: Option<&'a Overlay>,
    /// How far the tabs and the help screen are scrolled.
    pub scroll: Scroll,
    /// Whether the solution is shown beside the learner's code.
    pub show_solution: bool,
    /// The last outcome of each exercise checked in this session.
    pub results: &'a HashMap<usize, Outcome>,
    /// Checks running and waiting, and the dependency sets' builds.
    pub checks: &'a Checks,
    /// A message for the status bar.
    pub status: Option<&'a (Level, String)>,
    /// Animation frames elapsed.
    pub ticks: u64,
    /// The terminal's size.
    pub size: Rect,
    /// How colours are drawn.
    pub colors: ColorMode,
    /// Lines about this system for the help screen.
    pub about: &'a [String],
    /// Counts the events that may change what the Feedback tab says.
    pub generation: u64,
    /// What is cached between frames.
    pub view: &'a dyn Cache,
}

impl<'a> Screen<'a> {
    /// The course.
    pub fn course(&self) -> &'a Course {
        self.session.course()
    }

    /// The exercise at `index` in course order.
    pub fn exercise(&self, index: usize) -> &'a Exercise {
        let (l, e) = self.index[index];
        &self.course().lessons[l].exercises[e]
    }

    /// How many exercises the course has.
    pub fn exercise_count(&self) -> usize {
        self.index.len()
    }

    /// The lesson an exercise belongs to, by index.
    pub fn lesson_of(&self, exercise: usize) -> usize {
        self.index[exercise].0
    }

    /// The lesson shown in the Lesson tab: the one under the cursor.
    pub fn shown_lesson(&self) -> (usize, &'a Lesson) {
        let l = match self.rows[self.cursor] {
            Row::Lesson(l) => l,
            Row::Exercise(e) => self.lesson_of(e),
        };
        (l, &self.course().lessons[l])
    }

    /// The file's name as the learner sees it (relative to the course).
    pub fn display_name(&self, index: usize) -> String {
        self.course()
            .display_path(&self.exercise(index).file)
            .to_string()
    }

    /// The outcome shown for `exercise`, unless a cancelled run left none.
    pub fn outcome(&self, exercise: usize) -> Option<&Outcome> {
        self.results.get(&exercise)
    }

    /// The state of `set`'s background build, if the course needs it.
    pub fn dep_state(&self, set: DepSet) -> Option<&DepState> {
        self.checks
            .deps
            .iter()
            .find(|(s, _)| *s == set)
            .map(|(_, state)| state)
    }

    /// What the Feedback tab shows about the current exercise.
    pub fn feedback_view(&self) -> FeedbackView<'_> {
        let exercise = self.exercise(self.current);
        let running = self
            .checks
            .running
            .as_ref()
            .filter(|r| r.exercise == self.current);
        let pending = match running {
            Some(run) => Pending::Running {
                phase: &run.phase,
                secs: self.ticks.saturating_sub(run.started_tick) / 10,
            },
            None if self.checks.queue.contains(&self.current) => {
                Pending::Waiting(self.dep_state(exercise.deps))
            }
            None => Pending::None,
        };
        let next = if self.current + 1 < self.exercise_count() {
            Next::Exercise(self.exercise(self.current + 1))
        } else {
            let passed = self
                .course()
                .exercises()
                .filter(|e| self.session.passed(&e.id));
            Next::Last {
                passed: passed.count(),
                total: self.exercise_count(),
            }
        };
        FeedbackView {
            exercise,
            name: self.display_name(self.current),
            outcome: self.outcome(self.current),
            pending,
            hints_seen: (self.session.hints_seen(&exercise.id) as usize).min(exercise.hints.len()),
            next,
            code: self.view.code(&exercise.file),
            colors: self.colors,
            spinner: spinner(self.ticks),
        }
    }

    /// The Feedback tab's text at `width`: the banner of a running check,
    /// then the body (cached when `update` made it for this width).
    pub fn feedback_lines(&self, width: usize) -> (Vec<Line<'static>>, Cow<'_, [Line<'static>]>) {
        let cached = self.view.feedback(self.current, width, self.generation);
        feedback::lines(&self.feedback_view(), cached, width)
    }

    /// The shown lesson's prose at `width` columns (from the cache when it is there).
    pub fn lesson_lines(&self, width: usize) -> Cow<'_, [Line<'static>]> {
        let (l, lesson) = self.shown_lesson();
        match self.view.prose(l, width) {
            Some(lines) => Cow::Borrowed(lines),
            None => Cow::Owned(prose::render(&lesson.prose, width, self.colors)),
        }
    }

    /// The exercises whose id, title or lesson title hold every word of
    /// `query` (ignoring case), in course order; all of them for no words.
    pub fn goto_matches(&self, query: &str) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        (0..self.exercise_count())
            .filter(|&e| {
                let exercise = self.exercise(e);
                let lesson = &self.course().lessons[self.lesson_of(e)];
                let text =
                    format!("{} {} {}", exercise.id, exercise.title, lesson.title).to_lowercase();
                words.iter().all(|word| text.contains(word.as_str()))
            })
            .collect()
    }
}
