//! The app's state and the one place it changes: [`App::update`].
//!
//! Drawing reads `&App` (see [`super::ui`]); side effects that need the
//! terminal or a thread (starting a check, opening an editor) are queued as
//! [`Effect`]s for the loop in [`super::run`] to carry out, so the whole app is
//! driven in tests by feeding it events.

use std::collections::HashMap;
use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::checks::{Checks, DepState};
use super::event::{Event, RunFailure};
use super::keys::{self, Action};
use super::ui::{self, ColorMode};
use super::view::View;
use crate::course::progress::Progress;
use crate::course::{Course, Exercise, Lesson};
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

    fn index(self) -> usize {
        Tab::ALL.iter().position(|tab| *tab == self).unwrap_or(0)
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
}

/// The result of the last check of an exercise.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The check ran; the report says how it went.
    Report(Report),
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

/// Everything the app knows.
pub struct App {
    /// The course.
    pub course: Course,
    /// The learner's progress, saved after every change.
    pub progress: Progress,
    progress_path: Option<PathBuf>,
    /// Exercises in course order, as (lesson index, index within the lesson).
    index: Vec<(usize, usize)>,
    /// The course tree's rows.
    pub rows: Vec<Row>,
    /// The selected row.
    pub cursor: usize,
    /// The exercise `c`, `e`, `h`, `s` act on (index in course order).
    pub current: usize,
    /// Where the movement keys go.
    pub focus: Focus,
    /// The tab shown on the right.
    pub tab: Tab,
    /// A box over everything, if any.
    pub overlay: Option<Overlay>,
    /// Scroll offsets of the Lesson, Exercise and Feedback tabs and of the help.
    pub scroll: [usize; 4],
    /// Whether the solution is shown beside the learner's code.
    pub show_solution: bool,
    /// The last outcome of each exercise checked in this session.
    pub results: HashMap<usize, Outcome>,
    /// Checks running and waiting, and the dependency sets' builds.
    pub checks: Checks,
    /// A message for the status bar, cleared by the next key.
    pub status: Option<(Level, String)>,
    /// Animation frames elapsed.
    pub ticks: u64,
    /// The terminal's size.
    pub size: Rect,
    /// How colours are drawn.
    pub colors: ColorMode,
    /// Set when the app should end.
    pub quit: bool,
    /// Highlighted files and rendered prose, kept between frames.
    pub view: View,
    effects: Vec<Effect>,
}

impl App {
    /// The app on `course`, resuming at `progress.current`. `progress_path` is
    /// where progress is saved (`None` keeps it in memory, for tests).
    /// Fails when the course has no exercises.
    pub fn new(
        course: Course,
        progress: Progress,
        progress_path: Option<PathBuf>,
        size: Rect,
        colors: ColorMode,
    ) -> Result<App, String> {
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
        let ids: Vec<&str> = course.exercises().map(|e| e.id.as_str()).collect();
        let resumed = progress
            .current
            .as_deref()
            .and_then(|id| ids.iter().position(|e| *e == id));
        let first_open = ids.iter().position(|id| !progress.passed(id)).unwrap_or(0);
        let current = resumed.unwrap_or(first_open);
        let mut app = App {
            course,
            progress,
            progress_path,
            index,
            cursor: 0,
            rows,
            current,
            focus: Focus::Tree,
            tab: if resumed.is_some() {
                Tab::Exercise
            } else {
                Tab::Lesson
            },
            overlay: None,
            scroll: [0; 4],
            show_solution: false,
            results: HashMap::new(),
            checks: Checks::default(),
            status: None,
            ticks: 0,
            size,
            colors,
            quit: false,
            view: View::default(),
            effects: Vec::new(),
        };
        app.cursor = app.row_of(current);
        app.refresh_view();
        Ok(app)
    }

    /// The exercise at `index` in course order.
    pub fn exercise(&self, index: usize) -> &Exercise {
        let (l, e) = self.index[index];
        &self.course.lessons[l].exercises[e]
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
        let l = match self.rows[self.cursor] {
            Row::Lesson(l) => l,
            Row::Exercise(e) => self.lesson_of(e),
        };
        (l, &self.course.lessons[l])
    }

    /// The exercise index with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        (0..self.index.len()).find(|&i| self.exercise(i).id == id)
    }

    /// The file's name as the learner sees it (relative to the course).
    pub fn display_name(&self, index: usize) -> String {
        self.course
            .display_path(&self.exercise(index).file)
            .to_string()
    }

    /// Takes the effects queued by `update`, for the loop to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub(super) fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Whether something animates, so the loop should send ticks.
    pub fn animating(&self) -> bool {
        self.checks.running.is_some() || self.checks.building().is_some()
    }

    /// The one place state changes.
    pub fn update(&mut self, event: Event) {
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
        }
        self.refresh_view();
        self.clamp_scroll();
    }

    pub(super) fn say(&mut self, level: Level, message: impl Into<String>) {
        self.status = Some((level, message.into()));
    }

    pub(super) fn save_progress(&mut self) {
        let Some(path) = &self.progress_path else {
            return;
        };
        if let Err(err) = self.progress.save(path) {
            self.say(Level::Warn, format!("progress was not saved: {err}"));
        }
    }

    fn on_key(&mut self, key: KeyEvent) {
        let Some(action) = keys::action(key) else {
            return;
        };
        if let Some(overlay) = &self.overlay {
            match (overlay, action) {
                (_, Action::Quit) => self.quit(),
                (Overlay::Help, Action::Down | Action::PageDown) => self.scroll[3] += 1,
                (Overlay::Help, Action::Up | Action::PageUp) => {
                    self.scroll[3] = self.scroll[3].saturating_sub(1)
                }
                _ => self.overlay = None,
            }
            return;
        }
        self.status = None;
        match action {
            Action::Quit => self.quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.scroll[3] = 0;
            }
            Action::Back => self.focus = Focus::Tree,
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-self.page()),
            Action::PageDown => self.step(self.page()),
            Action::Top => self.step(-isize::MAX / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::PrevTab => self.tab = Tab::ALL[(self.tab.index() + 2) % 3],
            Action::NextTab => self.tab = Tab::ALL[(self.tab.index() + 1) % 3],
            Action::Tab(n) => self.tab = Tab::ALL[usize::from(n.clamp(1, 3)) - 1],
            Action::SwitchFocus => {
                self.focus = if self.focus == Focus::Tree {
                    Focus::Pane
                } else {
                    Focus::Tree
                };
            }
            Action::Open => self.open_row(),
            Action::Check => self.request_check(self.current),
            Action::Edit => {
                self.progress
                    .opened(&self.exercise(self.current).id.clone());
                self.save_progress();
                self.effect(Effect::Edit(self.current));
            }
            Action::Hint => self.reveal_hint(),
            Action::Solution => self.toggle_solution(),
            Action::Next => self.next_exercise(),
        }
    }

    fn page(&self) -> isize {
        isize::try_from(ui::pane_height(self.size).saturating_sub(2).max(1)).unwrap_or(1)
    }

    /// Moves the tree cursor or scrolls the focused tab.
    fn step(&mut self, by: isize) {
        match self.focus {
            Focus::Tree => self.move_cursor(by),
            Focus::Pane => self.scroll_tab(by),
        }
    }

    fn scroll_tab(&mut self, by: isize) {
        let slot = &mut self.scroll[self.tab.index()];
        *slot = slot.saturating_add_signed(by);
    }

    fn move_cursor(&mut self, by: isize) {
        let last = self.rows.len() - 1;
        let cursor = self.cursor.saturating_add_signed(by).min(last);
        self.select_row(cursor);
    }

    /// Puts the cursor on `row`; an exercise row makes that exercise current.
    pub(super) fn select_row(&mut self, row: usize) {
        let before = self.shown_lesson().0;
        self.cursor = row;
        if let Row::Exercise(e) = self.rows[row] {
            self.set_current(e);
        }
        if self.shown_lesson().0 != before {
            self.scroll[0] = 0;
        }
    }

    fn set_current(&mut self, exercise: usize) {
        if exercise != self.current {
            self.current = exercise;
            self.show_solution = false;
            self.scroll[1] = 0;
            self.scroll[2] = 0;
        }
    }

    pub(super) fn row_of(&self, exercise: usize) -> usize {
        self.rows
            .iter()
            .position(|row| *row == Row::Exercise(exercise))
            .unwrap_or(0)
    }

    fn open_row(&mut self) {
        match self.rows[self.cursor] {
            Row::Lesson(_) => self.tab = Tab::Lesson,
            Row::Exercise(e) => {
                self.set_current(e);
                self.progress.opened(&self.exercise(e).id.clone());
                self.save_progress();
                self.tab = Tab::Exercise;
            }
        }
        self.focus = Focus::Pane;
    }

    fn next_exercise(&mut self) {
        let next = self.current + 1;
        if next >= self.exercise_count() {
            self.say(Level::Info, "this is the last exercise of the course");
            return;
        }
        let new_lesson = self.lesson_of(next) != self.lesson_of(self.current);
        self.select_row(self.row_of(next));
        self.progress.opened(&self.exercise(next).id.clone());
        self.save_progress();
        // A new lesson starts with its prose.
        self.tab = if new_lesson {
            Tab::Lesson
        } else {
            Tab::Exercise
        };
    }

    fn reveal_hint(&mut self) {
        let exercise = self.exercise(self.current);
        let (id, total) = (exercise.id.clone(), exercise.hints.len());
        let seen = self
            .progress
            .exercises
            .get(&id)
            .map_or(0, |r| r.hints_used as usize);
        self.tab = Tab::Feedback;
        if total == 0 {
            self.say(Level::Info, format!("{id} has no hints"));
        } else if seen >= total {
            self.say(
                Level::Info,
                format!("all {total} hints of {id} are shown; s shows the solution once it passes"),
            );
        } else {
            self.progress.opened(&id);
            self.progress
                .hint_revealed(&id, u32::try_from(seen + 1).unwrap_or(u32::MAX));
            self.save_progress();
            self.say(Level::Info, format!("hint {} of {total}", seen + 1));
        }
    }

    fn toggle_solution(&mut self) {
        let id = self.exercise(self.current).id.clone();
        if self.progress.passed(&id) {
            self.show_solution = !self.show_solution;
            self.tab = Tab::Exercise;
        } else {
            self.say(
                Level::Warn,
                format!("the solution unlocks once {id} passes; h reveals a hint"),
            );
        }
    }

    fn quit(&mut self) {
        self.quit = true;
        self.progress.current = Some(self.exercise(self.current).id.clone());
        self.save_progress();
        if let Some(running) = &self.checks.running {
            running
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn on_file_changed(&mut self, id: &str) {
        let Some(exercise) = self.find(id) else {
            return;
        };
        self.view.forget(&self.exercise(exercise).file.clone());
        if exercise != self.current {
            self.select_row(self.row_of(exercise));
        }
        self.request_check(exercise);
    }

    fn on_editor_closed(&mut self, id: &str, error: Option<String>) {
        let Some(exercise) = self.find(id) else {
            return;
        };
        self.view.forget(&self.exercise(exercise).file.clone());
        if let Some(error) = error {
            self.overlay = Some(Overlay::Notice(error));
        } else if !self.checks.pending(exercise) {
            // A save seen by the watcher has already started a check.
            self.request_check(exercise);
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent) {
        let at = Position::new(mouse.column, mouse.row);
        let areas = ui::layout(self, self.size);
        if self.overlay.is_some() {
            if mouse.kind == MouseEventKind::Down(MouseButton::Left) {
                self.overlay = None;
            }
            return;
        }
        let in_tree = areas.tree.contains(at);
        match mouse.kind {
            MouseEventKind::ScrollDown if in_tree => self.move_cursor(1),
            MouseEventKind::ScrollUp if in_tree => self.move_cursor(-1),
            MouseEventKind::ScrollDown if areas.right.contains(at) => self.scroll_tab(3),
            MouseEventKind::ScrollUp if areas.right.contains(at) => self.scroll_tab(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(row) = ui::tree::row_at(self, areas.list, at) {
                    self.focus = Focus::Tree;
                    self.select_row(row);
                } else if let Some(tab) = ui::tab_at(self, areas.right, at) {
                    self.tab = tab;
                } else if areas.right.contains(at) {
                    self.focus = Focus::Pane;
                }
            }
            _ => {}
        }
    }

    fn clamp_scroll(&mut self) {
        for tab in Tab::ALL {
            let max = ui::max_scroll(self, tab);
            let slot = &mut self.scroll[tab.index()];
            *slot = (*slot).min(max);
        }
        let help_max = ui::help::max_scroll(self.size);
        self.scroll[3] = self.scroll[3].min(help_max);
    }

    /// The outcome shown for `exercise`, unless a cancelled run left none.
    pub fn outcome(&self, exercise: usize) -> Option<&Outcome> {
        self.results.get(&exercise)
    }

    pub(super) fn record(&mut self, exercise: usize, outcome: Result<Report, RunFailure>) {
        match outcome {
            Err(RunFailure::Cancelled) => {}
            Err(RunFailure::Tool(message)) => {
                self.results.insert(exercise, Outcome::Failed(message));
            }
            Ok(report) => {
                self.results.insert(exercise, Outcome::Report(report));
            }
        }
        self.scroll[2] = 0;
    }

    /// The state of `set`'s background build, if the course needs it.
    pub fn dep_state(&self, set: crate::deps::DepSet) -> Option<&DepState> {
        self.checks
            .deps
            .iter()
            .find(|(s, _)| *s == set)
            .map(|(_, state)| state)
    }
}
