//! Learner workspaces: the course built into the binary, written out by
//! `tensorlings init`, with pristine starters kept for `reset` and an editor
//! setup for rust-analyzer. A workspace holds no reference solution and no
//! grading-only test: a solution is put there once its exercise passed
//! ([`reveal_solution`]), from the course built into the binary or, in a
//! clone, the clone's own course.

pub mod sync;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::course::progress::Progress;
use crate::course::{Course, Exercise, layout};
use crate::deps::DepSet;

/// The course as it was when this binary was built.
static LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");
static EXERCISES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");
static SOLUTIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/solutions");
static SCHEMA: &str = include_str!("../../schema/lesson.schema.json");

/// The directory, inside a clone of the repository, where the learner works:
/// ignored by git, so solving exercises never changes a tracked file.
pub const IN_CLONE: &str = "workspace";

/// Whether `root` is the tensorlings repository itself (a clone), rather than
/// a learner's workspace or a course pack.
pub fn is_repository(root: &Path) -> bool {
    root.join("crates")
        .join("core")
        .join("Cargo.toml")
        .is_file()
        && fs::read_to_string(root.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.contains("name = \"tensorlings\""))
}

/// Where a workspace keeps the starters as shipped, for `reset`.
pub fn starters_dir(course_root: &Path) -> PathBuf {
    course_root.join(".tensorlings").join("starters")
}

/// Why a workspace could not be created.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The target exists and holds files; nothing is overwritten.
    #[error("{0} already exists and is not empty; choose a new directory (nothing was changed)")]
    NotEmpty(PathBuf),
    /// Writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Created {
    /// Number of exercises in the workspace.
    pub exercises: usize,
}

/// Writes a new learner workspace into `dest`, which must not exist or be empty.
pub fn init(dest: &Path) -> Result<Created, InitError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dest.exists() {
        let mut entries = fs::read_dir(dest).map_err(io_err(dest))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dest.to_path_buf()));
        }
    }
    fs::create_dir_all(dest).map_err(io_err(dest))?;
    // No answers: neither the solutions nor the tests only grading runs.
    let learners = |path: &Path| !layout::is_grading_tests(path);
    write_dir(&LESSONS, &dest.join("lessons"), &learners).map_err(io_err(dest))?;
    write_dir(&EXERCISES, &dest.join("exercises"), &all).map_err(io_err(dest))?;
    write_dir(&EXERCISES, &starters_dir(dest), &all).map_err(io_err(dest))?;
    let files: [(&Path, String); 6] = [
        (Path::new(".gitignore"), GITIGNORE.to_owned()),
        (Path::new("Cargo.toml"), editor_manifest()),
        (Path::new("Cargo.lock"), DepSet::Ml.lockfile().to_owned()),
        (
            Path::new(".vscode/settings.json"),
            VSCODE_SETTINGS.to_owned(),
        ),
        (Path::new("schema/lesson.schema.json"), SCHEMA.to_owned()),
        (&layout::grading_marker(), grading_marker(&LESSONS)),
    ];
    for (name, contents) in files {
        let path = dest.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        fs::write(&path, contents).map_err(io_err(&path))?;
    }
    let progress = Progress::path(dest);
    Progress::new()
        .save(&progress)
        .map_err(|err| InitError::Io {
            path: progress,
            source: io::Error::other(err.to_string()),
        })?;
    Ok(Created {
        exercises: exercise_files().count(),
    })
}

/// Writes the whole course built into the binary into `dest`: lessons with
/// every hidden and grading-only test, starters and reference solutions. The
/// course an instructor grades against, never a learner's workspace.
pub fn write_course(dest: &Path) -> io::Result<()> {
    write_dir(&LESSONS, &dest.join("lessons"), &all)?;
    write_dir(&EXERCISES, &dest.join("exercises"), &all)?;
    write_dir(&SOLUTIONS, &dest.join("solutions"), &all)
}

/// Puts the reference solution of `exercise` into the learner's workspace,
/// once it has passed: from the clone's course when the workspace is a
/// clone's `workspace/`, else from the course built into the binary (when the
/// workspace's starter is that course's, so the answer fits the question).
/// Returns whether a file was written; a course that keeps its solutions
/// (an author's) already has it.
pub fn reveal_solution(course: &Course, exercise: &Exercise) -> io::Result<bool> {
    if exercise.solution.symlink_metadata().is_ok() || !layout::is_learner_workspace(&course.root) {
        return Ok(false);
    }
    let solution = layout::solution_file(&exercise.lesson, &exercise.id);
    let clone = course
        .root
        .parent()
        .filter(|parent| course.root.ends_with(IN_CLONE) && is_repository(parent));
    let bytes = if let Some(clone) = clone {
        match fs::read(clone.join(&solution)) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(err) => return Err(err),
        }
    } else {
        let kept = fs::read(
            course
                .root
                .join(layout::starter_copy(&exercise.lesson, &exercise.id)),
        );
        let builtin = builtin_starter(&exercise.lesson, &exercise.id);
        let same_course = kept.is_ok_and(|kept| Some(kept.as_slice()) == builtin);
        match SOLUTIONS.get_file(format!("{}/{}.rs", exercise.lesson, exercise.id)) {
            Some(file) if same_course => file.contents().to_vec(),
            _ => return Ok(false),
        }
    };
    if let Some(parent) = exercise.solution.parent() {
        fs::create_dir_all(parent)?;
    }
    crate::session::write_atomically(&exercise.solution, &bytes)?;
    Ok(true)
}

/// Reveals the solution of every exercise `progress` records as passed (a
/// pass recorded before solutions were kept back, or by a front end that
/// did not reveal it). Failures are left for the next pass.
pub fn reveal_passed(course: &Course, progress: &Progress) {
    for exercise in course.exercises().filter(|e| progress.passed(&e.id)) {
        let _ = reveal_solution(course, exercise);
    }
}

/// The ids of exercises that have grading-only tests in `lessons`, one a line.
pub fn grading_marker(lessons: &Dir<'_>) -> String {
    let mut ids = Vec::new();
    for lesson in lessons.dirs() {
        for dir in lesson.dirs() {
            for file in dir.files() {
                let name = file.path().file_name().and_then(|n| n.to_str());
                if let Some(id) = name.and_then(|n| n.strip_suffix(layout::GRADING_SUFFIX)) {
                    ids.push(id.to_owned());
                }
            }
        }
    }
    ids.sort();
    ids.into_iter().map(|id| id + "\n").collect()
}

/// The built-in starter for `exercises/<lesson>/<id>.rs`, if there is one.
pub fn builtin_starter(lesson: &str, id: &str) -> Option<&'static [u8]> {
    EXERCISES
        .get_file(format!("{lesson}/{id}.rs"))
        .map(include_dir::File::contents)
}

fn exercise_files() -> impl Iterator<Item = &'static include_dir::File<'static>> {
    EXERCISES.dirs().flat_map(Dir::files)
}

fn all(_: &Path) -> bool {
    true
}

/// Writes the files of `dir` that `keep` accepts into `dest`.
fn write_dir(dir: &Dir<'_>, dest: &Path, keep: &dyn Fn(&Path) -> bool) -> io::Result<()> {
    fs::create_dir_all(dest)?;
    for file in dir.files().filter(|f| keep(f.path())) {
        let name = file.path().file_name().unwrap_or_default();
        fs::write(dest.join(name), file.contents())?;
    }
    for sub in dir.dirs() {
        let name = sub.path().file_name().unwrap_or_default();
        write_dir(sub, &dest.join(name), keep)?;
    }
    Ok(())
}

/// A manifest that makes every exercise a crate root rust-analyzer understands,
/// with the course's pinned crates, building in the workspace's own `target/`
/// (never the runner's shared cache).
fn editor_manifest() -> String {
    let mut manifest = String::from(
        "# For your editor only: rust-analyzer reads this to understand the exercise files.\n\
         # Checks do not use it; run `tensorlings` to check your work.\n\
         [package]\nname = \"tensorlings-workspace\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\
         autobins = false\nautoexamples = false\nautotests = false\nautobenches = false\n\n[workspace]\n\n",
    );
    let deps = DepSet::Ml.manifest();
    if let Some(start) = deps.find("[dependencies]") {
        let table = &deps[start..];
        let end = table[1..].find("\n[").map_or(table.len(), |i| i + 1);
        manifest.push_str(table[..end].trim_end());
        manifest.push_str("\n\n");
    }
    let mut files: Vec<&str> = exercise_files().filter_map(|f| f.path().to_str()).collect();
    files.sort_unstable();
    for path in files {
        let name = Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("exercise");
        let _ = write!(
            manifest,
            "[[test]]\nname = \"{name}\"\npath = \"exercises/{path}\"\n\n"
        );
    }
    manifest
}

const GITIGNORE: &str = "\
# Your progress and backups stay on your machine.
/.tensorlings/progress.json
/.tensorlings/progress.json.*
/.tensorlings/backups/
# Secrets never go into git.
.env
.env.*
!.env.example
# Editor builds.
/target/
";

const VSCODE_SETTINGS: &str = r#"{
  "rust-analyzer.cargo.targetDir": true,
  "rust-analyzer.check.allTargets": true,
  "yaml.schemas": { "./schema/lesson.schema.json": "lessons/*/lesson.yaml" }
}
"#;
