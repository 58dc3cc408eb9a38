//! Containment: every path of a course resolves inside the course.

use std::fs;
use std::path::{Path, PathBuf};

use super::Problems;
use crate::course::{Lesson, layout};

/// Checks that paths of a course stay inside it: a course pack from a
/// stranger could link `exercises/x.rs` to a file of the user's, which `reset`
/// would then overwrite, or `lessons/` to anywhere.
pub(super) struct Inside {
    root: Option<PathBuf>,
}

impl Inside {
    pub(super) fn new(root: &Path) -> Inside {
        Inside {
            root: fs::canonicalize(root).ok(),
        }
    }

    /// The course's top directories, its lesson directories and its course file.
    pub(super) fn check_layout(
        &self,
        root: &Path,
        lesson_dirs: &[PathBuf],
        problems: &mut Problems,
    ) {
        for top in ["lessons", "exercises", "solutions"] {
            self.check(&root.join(top), problems);
        }
        for dir in lesson_dirs {
            self.check(dir, problems);
        }
        let settings = root.join(layout::course_file());
        if settings.symlink_metadata().is_ok() {
            self.check(&settings, problems);
        }
    }

    /// Every file the course's exercises name.
    pub(super) fn check_exercise_files(&self, lessons: &[Lesson], problems: &mut Problems) {
        for exercise in lessons.iter().flat_map(|l| &l.exercises) {
            for path in [&exercise.file, &exercise.solution, &exercise.tests]
                .into_iter()
                .chain(exercise.grading_tests.as_ref())
                .chain(exercise.bugs.iter().map(|b| &b.file))
            {
                self.check(path, problems);
            }
        }
    }

    /// Adds a problem when `path` exists and resolves outside the course.
    fn check(&self, path: &Path, problems: &mut Problems) {
        let (Some(root), Ok(real)) = (&self.root, fs::canonicalize(path)) else {
            return;
        };
        if !real.starts_with(root) {
            problems.add(
                path,
                None,
                format!(
                    "a link to {}, outside the course; a course may not point outside itself",
                    real.display()
                ),
            );
        }
    }
}
