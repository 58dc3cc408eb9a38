//! What the next frame needs and is costly to make, prepared at the end of
//! each `update` and kept in the view cache. Part of `App::update`.

use crate::tui::app::App;
use crate::tui::content::code::Code;
use crate::tui::content::{feedback, prose};
use crate::tui::layout;

impl App {
    /// Loads what the next frame shows and is not cached yet: the files
    /// shown, the lesson's prose, the Feedback tab's text.
    pub(in crate::tui::app) fn refresh_view(&mut self) {
        let exercise = self.exercise(self.current);
        let mut wanted = vec![exercise.file.clone()];
        if self.show_solution {
            wanted.push(exercise.solution.clone());
        }
        for path in wanted {
            if !self.view.has_code(&path) {
                let code = Code::load(&path, self.colors);
                self.view.keep_code(path, code);
            }
        }
        let screen = self.screen();
        let width = usize::from(layout::layout(&screen, self.size).inner.width);
        let (lesson, _) = self.shown_lesson();
        let prose = match screen.view.prose(lesson, width) {
            Some(_) => None,
            None => Some(prose::render(
                &self.course().lessons[lesson].prose,
                width,
                self.colors,
            )),
        };
        let feedback = screen
            .view
            .feedback(self.current, width, self.generation)
            .is_none()
            .then(|| feedback::body(&screen.feedback_view(), width));
        if let Some(lines) = prose {
            self.view.keep_prose(lesson, width, lines);
        }
        if let Some(lines) = feedback {
            self.view
                .keep_feedback(self.current, width, self.generation, lines);
        }
    }
}
