//! What saves and the editor do: a saved exercise is shown and checked.
//! Part of `App::update`.

use crate::tui::app::App;
use crate::tui::state::Overlay;

impl App {
    /// A save of an exercise file: show that exercise and check it.
    pub(in crate::tui::app) fn on_file_changed(&mut self, id: &str) {
        let Some(exercise) = self.find(id) else {
            return;
        };
        let file = self.exercise(exercise).file.clone();
        self.view.forget(&file);
        if let Some(written) = self.written_by_reset.remove(&exercise)
            && std::fs::read(&file).is_ok_and(|now| now == written)
        {
            return;
        }
        if exercise != self.current {
            self.select_row(self.row_of(exercise));
        }
        self.request_check(exercise);
    }

    /// Back from the editor: check, unless a save already started a check.
    pub(in crate::tui::app) fn on_editor_closed(&mut self, id: &str, error: Option<String>) {
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
}
