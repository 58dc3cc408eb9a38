//! What is costly to draw, prepared in `update` and kept between frames:
//! highlighted files and the shown lesson's rendered prose.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::text::Line;

use super::app::App;
use super::ui::{self, code::Code, prose};

/// Rendered content kept between frames.
#[derive(Debug, Default)]
pub struct View {
    files: HashMap<PathBuf, Code>,
    prose: Option<(usize, usize, Vec<Line<'static>>)>,
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
        let width = usize::from(ui::layout(self, self.size).inner.width);
        let (lesson, _) = self.shown_lesson();
        if self.view.prose(lesson, width).is_none() {
            let lines = prose::render(&self.course().lessons[lesson].prose, width, self.colors);
            self.view.prose = Some((lesson, width, lines));
        }
    }
}
