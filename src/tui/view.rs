//! What is costly to draw, prepared in `update` and kept between frames:
//! highlighted files, the shown lesson's rendered prose, and the Feedback
//! tab's text (rebuilt when an event may have changed it, keyed by exercise,
//! width and the app's generation; never for an animation tick).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::text::Line;

use super::content::code::Code;
use super::content::screen::Cache;

/// Rendered content kept between frames.
#[derive(Debug, Default)]
pub struct View {
    files: HashMap<PathBuf, Code>,
    prose: Option<(usize, usize, Vec<Line<'static>>)>,
    feedback: Option<(usize, usize, u64, Vec<Line<'static>>)>,
}

impl Cache for View {
    fn code(&self, path: &Path) -> Option<&Code> {
        self.files.get(path)
    }

    fn prose(&self, lesson: usize, width: usize) -> Option<&[Line<'static>]> {
        match &self.prose {
            Some((l, w, lines)) if *l == lesson && *w == width => Some(lines),
            _ => None,
        }
    }

    fn feedback(&self, exercise: usize, width: usize, generation: u64) -> Option<&[Line<'static>]> {
        match &self.feedback {
            Some((e, w, g, lines)) if *e == exercise && *w == width && *g == generation => {
                Some(lines)
            }
            _ => None,
        }
    }
}

impl View {
    /// Whether `path` is loaded.
    pub fn has_code(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    /// Keeps a highlighted file.
    pub fn keep_code(&mut self, path: PathBuf, code: Code) {
        self.files.insert(path, code);
    }

    /// Keeps lesson `lesson`'s prose rendered at `width`.
    pub fn keep_prose(&mut self, lesson: usize, width: usize, lines: Vec<Line<'static>>) {
        self.prose = Some((lesson, width, lines));
    }

    /// Keeps the Feedback tab's text for `exercise` at `width` in `generation`.
    pub fn keep_feedback(
        &mut self,
        exercise: usize,
        width: usize,
        generation: u64,
        lines: Vec<Line<'static>>,
    ) {
        self.feedback = Some((exercise, width, generation, lines));
    }

    /// Drops a file so it is read again (it changed on disk).
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// Drops everything (the colours changed).
    pub fn clear(&mut self) {
        *self = View::default();
    }
}
