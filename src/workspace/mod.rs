//! Learner workspaces: the course built into the binary, written out by
//! `tensorlings init`, with pristine starters kept for `reset` and an editor
//! setup for rust-analyzer.

pub mod sync;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::course::progress::Progress;
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

/// Whether `id` has a newer starter than the learner's edited file.
pub fn has_newer_starter(workspace: &Path, id: &str) -> bool {
    fs::read_to_string(sync::newer_file(workspace)).is_ok_and(|t| t.lines().any(|l| l == id))
}

/// Forgets that `id` had a newer starter (after a reset put it in place).
pub fn clear_newer_starter(workspace: &Path, id: &str) {
    let path = sync::newer_file(workspace);
    if let Ok(text) = fs::read_to_string(&path) {
        let kept: String = text
            .lines()
            .filter(|l| *l != id)
            .flat_map(|l| [l, "\n"])
            .collect();
        let _ = fs::write(&path, kept);
    }
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
    write_dir(&LESSONS, &dest.join("lessons")).map_err(io_err(dest))?;
    write_dir(&EXERCISES, &dest.join("exercises")).map_err(io_err(dest))?;
    write_dir(&SOLUTIONS, &dest.join("solutions")).map_err(io_err(dest))?;
    write_dir(&EXERCISES, &starters_dir(dest)).map_err(io_err(dest))?;
    let files: [(&str, String); 5] = [
        (".gitignore", GITIGNORE.to_owned()),
        ("Cargo.toml", editor_manifest()),
        ("Cargo.lock", DepSet::Ml.lockfile().to_owned()),
        (".vscode/settings.json", VSCODE_SETTINGS.to_owned()),
        ("schema/lesson.schema.json", SCHEMA.to_owned()),
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

/// The built-in starter for `exercises/<lesson>/<id>.rs`, if there is one.
pub fn builtin_starter(lesson: &str, id: &str) -> Option<&'static [u8]> {
    EXERCISES
        .get_file(format!("{lesson}/{id}.rs"))
        .map(include_dir::File::contents)
}

fn exercise_files() -> impl Iterator<Item = &'static include_dir::File<'static>> {
    EXERCISES.dirs().flat_map(Dir::files)
}

fn write_dir(dir: &Dir<'_>, dest: &Path) -> io::Result<()> {
    fs::create_dir_all(dest)?;
    for file in dir.files() {
        let name = file.path().file_name().unwrap_or_default();
        fs::write(dest.join(name), file.contents())?;
    }
    for sub in dir.dirs() {
        let name = sub.path().file_name().unwrap_or_default();
        write_dir(sub, &dest.join(name))?;
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
