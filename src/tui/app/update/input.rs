//! What keys and the mouse do to the app: moving through the course,
//! scrolling, tabs, hints, the solution. Part of `App::update`.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use crate::tui::app::App;
use crate::tui::keys::{self, Action};
use crate::tui::layout;
use crate::tui::state::{Ask, Effect, Focus, GoTo, Level, Overlay, Row, Tab};

/// Columns a graph drawing moves per `<` or `>`.
const GRAPH_STEP: usize = 8;

impl App {
    /// A key press: the action it maps to, where it lands.
    pub(in crate::tui::app) fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        // These two read keys as text, not as the table's actions.
        match &self.overlay {
            Some(Overlay::GoTo(_)) => return self.goto_key(key),
            Some(Overlay::Confirm(ask)) => return self.confirm_key(*ask, key),
            _ => {}
        }
        let Some(action) = keys::action(key) else {
            return;
        };
        if self.overlay.is_some() {
            return self.overlay_key(action);
        }
        self.status = None;
        match action {
            Action::Quit => self.quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.scroll.help = 0;
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
                self.open_exercise(self.current);
                self.effect(Effect::Edit(self.current));
            }
            Action::Hint => self.reveal_hint(),
            Action::Solution => self.toggle_solution(),
            Action::Next => self.next_exercise(),
            Action::Previous => self.previous_exercise(),
            Action::GoTo => self.overlay = Some(Overlay::GoTo(GoTo::default())),
            Action::Reset => self.overlay = Some(Overlay::Confirm(Ask::Reset(self.current))),
            Action::ResetAll => self.overlay = Some(Overlay::Confirm(Ask::ResetAll)),
            Action::GraphLeft => {
                self.scroll.graph_x = self.scroll.graph_x.saturating_sub(GRAPH_STEP);
            }
            Action::GraphRight => {
                self.scroll.graph_x =
                    (self.scroll.graph_x + GRAPH_STEP).min(layout::max_graph_x(&self.screen()));
            }
        }
    }

    /// A key while a box is shown: the help screen scrolls, `q` quits,
    /// anything else closes it.
    fn overlay_key(&mut self, action: Action) {
        match (&self.overlay, action) {
            (_, Action::Quit) => self.quit(),
            (Some(Overlay::Help), Action::Down | Action::PageDown) => self.scroll.help += 1,
            (Some(Overlay::Help), Action::Up | Action::PageUp) => {
                self.scroll.help = self.scroll.help.saturating_sub(1);
            }
            _ => self.overlay = None,
        }
    }

    fn page(&self) -> isize {
        isize::try_from(layout::pane_height(self.size).saturating_sub(2).max(1)).unwrap_or(1)
    }

    /// Moves the tree cursor or scrolls the focused tab.
    fn step(&mut self, by: isize) {
        if self.focus == Focus::Tree && !layout::comparing(&self.screen()) {
            self.move_cursor(by);
        } else {
            self.scroll_tab(by);
        }
    }

    fn scroll_tab(&mut self, by: isize) {
        let slot = self.scroll.tab_mut(self.tab);
        *slot = slot.saturating_add_signed(by);
    }

    fn move_cursor(&mut self, by: isize) {
        let last = self.rows.len() - 1;
        let cursor = self.cursor.saturating_add_signed(by).min(last);
        self.select_row(cursor);
    }

    /// Puts the cursor on `row`; an exercise row makes that exercise current.
    pub(in crate::tui::app) fn select_row(&mut self, row: usize) {
        let before = self.shown_lesson().0;
        self.cursor = row;
        if let Row::Exercise(e) = self.rows[row] {
            self.set_current(e);
        }
        if self.shown_lesson().0 != before {
            self.scroll.lesson = 0;
        }
    }

    fn set_current(&mut self, exercise: usize) {
        if exercise != self.current {
            self.current = exercise;
            self.show_solution = false;
            self.scroll.exercise = 0;
            self.scroll.feedback = 0;
            self.scroll.graph_x = 0;
        }
    }

    /// The tree row of an exercise.
    pub(in crate::tui::app) fn row_of(&self, exercise: usize) -> usize {
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
                self.open_exercise(e);
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
        self.go_to(next);
    }

    fn previous_exercise(&mut self) {
        let Some(previous) = self.current.checked_sub(1) else {
            self.say(Level::Info, "this is the first exercise of the course");
            return;
        };
        self.go_to(previous);
    }

    /// Makes `exercise` current and opens it; entering a new lesson starts
    /// with its prose.
    pub(in crate::tui::app) fn go_to(&mut self, exercise: usize) {
        let new_lesson = self.lesson_of(exercise) != self.lesson_of(self.current);
        self.select_row(self.row_of(exercise));
        self.open_exercise(exercise);
        self.tab = if new_lesson {
            Tab::Lesson
        } else {
            Tab::Exercise
        };
    }

    /// Records that the learner opened `exercise`.
    pub(in crate::tui::app) fn open_exercise(&mut self, exercise: usize) {
        let id = self.exercise(exercise).id.clone();
        let saved = self.session.open_exercise(&id);
        self.unsaved(saved);
    }

    fn reveal_hint(&mut self) {
        let exercise = self.exercise(self.current).clone();
        let (id, total) = (&exercise.id, exercise.hints.len());
        let seen = self.session.hints_seen(id) as usize;
        self.tab = Tab::Feedback;
        if total == 0 {
            self.say(Level::Info, format!("{id} has no hints"));
        } else if seen >= total {
            self.say(
                Level::Info,
                format!("all {total} hints of {id} are shown; s shows the solution once it passes"),
            );
        } else {
            self.open_exercise(self.current);
            let saved = self.session.reveal_hint(&exercise, None).map(drop);
            self.unsaved(saved);
            self.say(Level::Info, format!("hint {} of {total}", seen + 1));
        }
    }

    fn toggle_solution(&mut self) {
        let id = self.exercise(self.current).id.clone();
        if self.session.passed(&id) {
            // Passed before the workspace kept solutions back, or written
            // elsewhere: it is put in place now.
            let exercise = self.exercise(self.current).clone();
            if !self.show_solution && !exercise.solution.exists() {
                let _ = crate::workspace::reveal_solution(self.course(), &exercise);
                self.view.forget(&exercise.solution);
            }
            self.show_solution = !self.show_solution;
            self.tab = Tab::Exercise;
            if self.show_solution {
                // The tree makes way for the two files.
                self.focus = Focus::Pane;
            }
        } else {
            self.say(
                Level::Warn,
                format!("the solution unlocks once {id} passes; h reveals a hint"),
            );
        }
    }

    pub(in crate::tui::app) fn quit(&mut self) {
        self.quit = true;
        self.open_exercise(self.current);
        if let Some(running) = &self.checks.running {
            running
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The wheel scrolls what is under the pointer; a click selects.
    pub(in crate::tui::app) fn on_mouse(&mut self, mouse: MouseEvent) {
        let at = Position::new(mouse.column, mouse.row);
        let areas = layout::layout(&self.screen(), self.size);
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
                if let Some(row) = layout::tree_row_at(&self.screen(), areas.list, at) {
                    self.focus = Focus::Tree;
                    self.select_row(row);
                } else if let Some(tab) = layout::tab_at(&self.screen(), areas.right, at) {
                    self.tab = tab;
                } else if areas.right.contains(at) {
                    self.focus = Focus::Pane;
                }
            }
            _ => {}
        }
    }

    /// Keeps every scroll offset within its content, so scrolling back up is immediate.
    pub(in crate::tui::app) fn clamp_scroll(&mut self) {
        for tab in Tab::ALL {
            let max = layout::max_scroll(&self.screen(), tab);
            let slot = self.scroll.tab_mut(tab);
            *slot = (*slot).min(max);
        }
        let help_max = layout::help_max_scroll(self.size, &self.about);
        self.scroll.help = self.scroll.help.min(help_max);
    }
}
