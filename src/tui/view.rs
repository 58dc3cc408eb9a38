//! What is costly to draw, prepared in `update` and kept between frames:
//! highlighted files, the shown lesson's rendered prose, and the Feedback
//! tab's text (rebuilt when an event may have changed it, keyed by exercise,
//! width and the app's generation; never for an animation tick).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::text::Line;

use super::app::App;
use super::content::{code::Code, feedback, prose};
use super::layout;

/// Rendered content kept between frames.
#[derive(Debug, Default)]
pub struct View {
    files: HashMap<PathBuf, Code>,
    prose: Option<(usize, usize, Vec<Line<'static>>)>,
    feedback: Option<(usize, usize, u64, Vec<Line<'static>>)>,
}

impl View {
    /// A highlighted file, if it was loaded.
    pub fn code(&self, path: &Path) -> Option<&Code> {
        self.files.get(path)
    }

    /// Lesson `lesson`'s prose rendered at `width`, if that is what is cached.
    pub fn prose(&self, lesson: usize, width: usize) -> Option<&[Line<'static>]> {
        match &self.prose {
            Some((l, w, lines)) if *l == lesson && *w == width => Some(lines),
            _ => None,
        }
    }

    /// The Feedback tab's text for `exercise` at `width`, if it is cached for
    /// this generation.
    pub fn feedback(
        &self,
        exercise: usize,
        width: usize,
        generation: u64,
    ) -> Option<&[Line<'static>]> {
        match &self.feedback {
            Some((e, w, g, lines)) if *e == exercise && *w == width && *g == generation => {
                Some(lines)
            }
            _ => None,
        }
    }

    /// Drops a file so it is read again (it changed on disk).
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }
}

impl App {
    /// Loads what the next frame shows and is not cached yet.
    pub(super) fn refresh_view(&mut self) {
        let exercise = self.exercise(self.current);
        let mut wanted = vec![exercise.file.clone()];
        if self.show_solution {
            wanted.push(exercise.solution.clone());
        }
        for path in wanted {
            if !self.view.files.contains_key(&path) {
                let code = Code::load(&path, self.colors);
                self.view.files.insert(path, code);
            }
        }
        let width = usize::from(layout::layout(self, self.size).inner.width);
        let (lesson, _) = self.shown_lesson();
        if self.view.prose(lesson, width).is_none() {
            let lines = prose::render(&self.course().lessons[lesson].prose, width, self.colors);
            self.view.prose = Some((lesson, width, lines));
        }
        if self
            .view
            .feedback(self.current, width, self.generation)
            .is_none()
        {
            let lines = feedback::body(self, width);
            self.view.feedback = Some((self.current, width, self.generation, lines));
        }
    }
}
