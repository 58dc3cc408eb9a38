//! The app's state and the one place it changes: [`App::update`].
//!
//! Its fields are private to this module and its handlers (`update/`).
//! Measuring and drawing read a [`Screen`], the view model [`App::screen`]
//! lends for a frame (see [`super::ui`]); side effects that need the
//! terminal or a thread (starting a check, opening an editor) are queued as
//! [`Effect`]s for the loop in [`super::run`] to carry out, so the whole app is
//! driven in tests by feeding it events.

mod update;

use std::collections::HashMap;

use ratatui::layout::Rect;

use super::checks::{Checks, DepState};
use super::content::ColorMode;
use super::content::screen::Screen;
use super::event::{Event, RunFailure};
pub use super::state::{Effect, Focus, Level, Outcome, Overlay, Row, Scroll, Tab};
use super::view::View;
use crate::course::{Course, Exercise, Lesson};
use crate::runner::Report;
use crate::session::Session;

/// Everything the app knows.
pub struct App {
    /// The learner's session: the course and their progress, saved (merged)
    /// after every change.
    session: Session,
    /// Exercises in course order, as (lesson index, index within the lesson).
    index: Vec<(usize, usize)>,
    /// The course tree's rows.
    rows: Vec<Row>,
    /// The selected row.
    cursor: usize,
    /// The exercise `c`, `e`, `h`, `s` act on (index in course order).
    current: usize,
    /// Where the movement keys go.
    focus: Focus,
    /// The tab shown on the right.
    tab: Tab,
    /// A box over everything, if any.
    overlay: Option<Overlay>,
    /// How far the tabs and the help screen are scrolled.
    scroll: Scroll,
    /// Whether the solution is shown beside the learner's code.
    show_solution: bool,
    /// The last outcome of each exercise checked in this session.
    results: HashMap<usize, Outcome>,
    /// Checks running and waiting, and the dependency sets' builds.
    checks: Checks,
    /// A message for the status bar, cleared by the next key.
    status: Option<(Level, String)>,
    /// Animation frames elapsed.
    ticks: u64,
    /// The terminal's size.
    size: Rect,
    /// How colours are drawn.
    colors: ColorMode,
    /// Set when the app should end.
    quit: bool,
    /// Highlighted files and rendered prose, kept between frames.
    view: View,
    /// Lines about this system for the help screen: what the sandbox
    /// provides here, and how saves are noticed.
    about: Vec<String>,
    /// Counts the events that may change what the Feedback tab says, so its
    /// text is rebuilt only then (never for an animation tick).
    generation: u64,
    /// What a reset wrote into each exercise file, until the watcher reports
    /// that write (which is not the learner's save, so starts no check).
    written_by_reset: HashMap<usize, Vec<u8>>,
    effects: Vec<Effect>,
}

impl App {
    /// The app on `session`, resuming at the exercise in progress. Fails
    /// when the course has no exercises.
    pub fn new(session: Session, size: Rect, colors: ColorMode) -> Result<App, String> {
        let course = session.course();
        let mut index = Vec::new();
        let mut rows = Vec::new();
        for (l, lesson) in course.lessons.iter().enumerate() {
            rows.push(Row::Lesson(l));
            for e in 0..lesson.exercises.len() {
                rows.push(Row::Exercise(index.len()));
                index.push((l, e));
            }
        }
        if index.is_empty() {
            return Err("this course has no exercises yet".to_owned());
        }
        // The same rule as `check` without an id: the exercise in progress.
        let ids: Vec<&str> = course.exercises().map(|e| e.id.as_str()).collect();
        let current = session
            .current()
            .and_then(|e| ids.iter().position(|id| *id == e.id))
            .unwrap_or(0);
        let resumed = session.progress().current.is_some();
        let mut app = App {
            session,
            index,
            cursor: 0,
            rows,
            current,
            focus: Focus::Tree,
            tab: if resumed { Tab::Exercise } else { Tab::Lesson },
            overlay: None,
            scroll: Scroll::default(),
            show_solution: false,
            results: HashMap::new(),
            checks: Checks::default(),
            status: None,
            ticks: 0,
            size,
            colors,
            quit: false,
            view: View::default(),
            about: Vec::new(),
            generation: 0,
            written_by_reset: HashMap::new(),
            effects: Vec::new(),
        };
        app.cursor = app.row_of(current);
        app.refresh_view();
        Ok(app)
    }

    /// The same app drawing colours as `colors` says.
    #[must_use]
    pub fn with_colors(mut self, colors: ColorMode) -> App {
        self.colors = colors;
        self.view.clear();
        self.refresh_view();
        self
    }

    /// What measuring and drawing read, for one frame.
    pub fn screen(&self) -> Screen<'_> {
        Screen {
            session: &self.session,
            index: &self.index,
            rows: &self.rows,
            cursor: self.cursor,
            current: self.current,
            focus: self.focus,
            tab: self.tab,
            overlay: self.overlay.as_ref(),
            scroll: self.scroll,
            show_solution: self.show_solution,
            results: &self.results,
            checks: &self.checks,
            status: self.status.as_ref(),
            ticks: self.ticks,
            size: self.size,
            colors: self.colors,
            about: &self.about,
            generation: self.generation,
            view: &self.view,
        }
    }

    /// The learner's session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The exercise `c`, `e`, `h`, `s` act on (index in course order).
    pub fn current(&self) -> usize {
        self.current
    }

    /// The tab shown on the right.
    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// Where the movement keys go.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The box over everything, if any.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// The status bar's message, if any.
    pub fn status(&self) -> Option<&(Level, String)> {
        self.status.as_ref()
    }

    /// How far the tabs and the help screen are scrolled.
    pub fn scroll(&self) -> Scroll {
        self.scroll
    }

    /// Whether the solution is shown beside the learner's code.
    pub fn show_solution(&self) -> bool {
        self.show_solution
    }

    /// Checks running and waiting, and the dependency sets' builds.
    pub fn checks(&self) -> &Checks {
        &self.checks
    }

    /// Counts the events that may change what the Feedback tab says.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The terminal's size.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// What is cached between frames.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// Whether the app should end.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// The flag that cancels the running check, if one runs: the loop sets
    /// it when the app ends, so no check outlives it.
    pub fn running_cancel(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicBool>> {
        self.checks.running.as_ref().map(|r| r.cancel.clone())
    }

    /// The course.
    pub fn course(&self) -> &Course {
        self.session.course()
    }

    /// The exercise at `index` in course order.
    pub fn exercise(&self, index: usize) -> &Exercise {
        self.screen().exercise(index)
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
    pub fn shown_lesson(&self) -> (usize, &Lesson) {
        self.screen().shown_lesson()
    }

    /// The exercise index with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        (0..self.index.len()).find(|&i| self.exercise(i).id == id)
    }

    /// The file's name as the learner sees it (relative to the course).
    pub fn display_name(&self, index: usize) -> String {
        self.screen().display_name(index)
    }

    /// Takes the effects queued by `update`, for the loop to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Queues work for the loop.
    fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Whether something animates, so the loop should send ticks.
    pub fn animating(&self) -> bool {
        self.checks.running.is_some() || self.checks.building().is_some()
    }

    /// The one place state changes: each kind of event goes to its handler
    /// (see `update/`), then what the next frame needs is prepared.
    pub fn update(&mut self, event: Event) {
        if !matches!(event, Event::Tick) {
            self.generation = self.generation.wrapping_add(1);
        }
        match event {
            Event::Key(key) => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(cols, rows) => self.size = Rect::new(0, 0, cols, rows),
            Event::Tick => self.ticks = self.ticks.wrapping_add(1),
            Event::FileChanged(id) => self.on_file_changed(&id),
            Event::Progress { run, event } => self.checks.progress(run, &event),
            Event::Finished { run, outcome } => self.on_finished(run, outcome),
            Event::Prep(prep) => self.on_prep(prep),
            Event::EditorClosed { exercise, error } => self.on_editor_closed(&exercise, error),
            Event::Problem(message) => self.say(Level::Warn, message),
            Event::Notice(text) => self.overlay = Some(Overlay::Notice(text)),
            Event::About(line) => self.about.push(line),
        }
        self.refresh_view();
        self.clamp_scroll();
    }

    /// Shows a message in the status bar until the next key.
    fn say(&mut self, level: Level, message: impl Into<String>) {
        self.status = Some((level, message.into()));
    }

    /// Says in the status bar that progress could not be saved.
    fn unsaved(&mut self, result: Result<(), crate::course::progress::ProgressError>) {
        if let Err(err) = result {
            self.say(Level::Warn, format!("progress was not saved: {err}"));
        }
    }

    /// The outcome shown for `exercise`, unless a cancelled run left none.
    pub fn outcome(&self, exercise: usize) -> Option<&Outcome> {
        self.results.get(&exercise)
    }

    /// Keeps the outcome of a check to show (a cancelled run leaves none).
    fn record(&mut self, exercise: usize, outcome: Result<Box<Report>, RunFailure>) {
        match outcome {
            Err(RunFailure::Cancelled) => {}
            Err(RunFailure::Tool(message)) => {
                self.results.insert(exercise, Outcome::Failed(message));
            }
            Err(RunFailure::FileMissing(message)) => {
                self.results.insert(exercise, Outcome::FileMissing(message));
            }
            Ok(report) => {
                self.results.insert(exercise, Outcome::Report(report));
            }
        }
        self.scroll.feedback = 0;
        self.scroll.graph_x = 0;
    }

    /// The state of `set`'s background build, if the course needs it.
    pub fn dep_state(&self, set: crate::deps::DepSet) -> Option<&DepState> {
        self.checks
            .deps
            .iter()
            .find(|(s, _)| *s == set)
            .map(|(_, state)| state)
    }

    /// The exercises whose id, title or lesson title hold every word of
    /// `query` (ignoring case), in course order; all of them for no words.
    pub fn goto_matches(&self, query: &str) -> Vec<usize> {
        self.screen().goto_matches(query)
    }
}
