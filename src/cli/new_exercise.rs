//! `tensorlings new-exercise`: scaffold an exercise (and its lesson, when
//! new) for a course author.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::course::{Course, find_root, layout};
use crate::deps::DepSet;
use crate::session::write_atomically;

/// Arguments of `new-exercise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The lesson's directory name, such as 06-serving.
    pub lesson: String,
    /// The exercise id, such as serving1.
    pub id: String,
    /// The exercise's title.
    #[arg(long, default_value = "A new exercise")]
    pub title: String,
    /// Crates it uses, from the pinned set (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub crates: Vec<String>,
}

/// Scaffolds a new exercise (and its lesson, when new) for a course author.
pub fn run(course_dir: Option<&Path>, args: &Args) -> Result<ExitCode> {
    let root = match course_dir {
        Some(dir) => dir.to_path_buf(),
        None => find_root(&std::env::current_dir()?).unwrap_or_else(|| PathBuf::from(".")),
    };
    let (root, lesson, id, title) = (
        root.as_path(),
        args.lesson.as_str(),
        args.id.as_str(),
        args.title.as_str(),
    );
    validate(root, lesson, id, &args.crates)?;
    let files = [
        (
            root.join(layout::exercise_file(lesson, id)),
            starter_template(title),
        ),
        (
            root.join(layout::solution_file(lesson, id)),
            solution_template(title),
        ),
        (
            root.join(layout::tests_file(lesson, id)),
            TESTS_TEMPLATE.to_owned(),
        ),
    ];
    if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        bail!("{} already exists; nothing was changed", path.display());
    }
    let yaml = root.join("lessons").join(lesson).join("lesson.yaml");
    let entry = exercise_entry(id, title, &args.crates);
    let new_lesson = !yaml.exists();
    for (path, contents) in &files {
        fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
        fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    if new_lesson {
        fs::write(&yaml, lesson_template(lesson) + &entry)
            .with_context(|| format!("writing {}", yaml.display()))?;
    } else {
        append_entry(&yaml, &entry)?;
    }
    let shown = |p: &PathBuf| p.strip_prefix(root).unwrap_or(p).display().to_string();
    outln!("Created {id}:");
    for (path, _) in &files {
        outln!("  {}", shown(path));
    }
    let what = if new_lesson {
        "new lesson"
    } else {
        "entry added"
    };
    outln!("  {} ({what})", shown(&yaml));
    outln!(
        "\nWrite the tests and the solution, then prove it with `tensorlings verify --lesson {lesson}`."
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuses names that would write outside the course (an absolute path, a
/// `..`, anything but lower-case letters, digits, `_` and `-`), unknown
/// crates, and an id the course already has.
fn validate(root: &Path, lesson: &str, id: &str, crates: &[String]) -> Result<()> {
    for (what, name) in [("lesson", lesson), ("exercise id", id)] {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !ok {
            bail!(
                "the {what} `{name}` may hold only lower-case letters, digits, `_` and `-`; nothing was changed"
            );
        }
    }
    if let Err(unknown) = DepSet::for_crates(crates) {
        bail!(
            "unknown crate `{unknown}`; the pinned crates are: {}",
            DepSet::known_crates().join(", ")
        );
    }
    if Course::load(root).is_ok_and(|course| course.exercise(id).is_some()) {
        bail!("an exercise `{id}` already exists in this course");
    }
    Ok(())
}

/// Appends an exercise entry when `exercises:` is the file's last top-level key.
fn append_entry(yaml: &Path, entry: &str) -> Result<()> {
    let text = fs::read_to_string(yaml).with_context(|| format!("reading {}", yaml.display()))?;
    let last_key = text
        .lines()
        .rfind(|line| !line.starts_with([' ', '#', '-']) && line.contains(':'))
        .unwrap_or("");
    if !last_key.starts_with("exercises:") {
        bail!(
            "{}: `exercises:` is not the last key, so the entry cannot be appended safely; add this under it:\n{entry}",
            yaml.display()
        );
    }
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(entry);
    write_atomically(yaml, text.as_bytes()).with_context(|| format!("writing {}", yaml.display()))
}

fn exercise_entry(id: &str, title: &str, crates: &[String]) -> String {
    let crates = if crates.is_empty() {
        String::new()
    } else {
        format!("    crates: [{}]\n", crates.join(", "))
    };
    format!(
        "  - id: {id}\n    title: {title:?}\n{crates}    hints:\n      - \"A nudge in the right direction.\"\n      - \"Nearly the answer.\"\n    messages: {{}}\n"
    )
}

fn lesson_template(lesson: &str) -> String {
    format!(
        "# yaml-language-server: $schema=../../schema/lesson.schema.json\nformat_version: 1\ntitle: \"{lesson}\"\nsummary: \"One sentence about the lesson.\"\nprose: |\n  # {lesson}\n\n  The idea, why it matters, and the Rust way.\nexercises:\n"
    )
}

fn starter_template(title: &str) -> String {
    format!(
        "//! {title}\n//!\n//! Say what to build in two to five lines.\n\n/// What this function is for.\npub fn answer() -> u32 {{\n    // TODO: return the answer\n    todo!()\n}}\n"
    )
}

fn solution_template(title: &str) -> String {
    format!(
        "//! {title}\n//!\n//! Say what to build in two to five lines.\n\n/// What this function is for.\npub fn answer() -> u32 {{\n    42\n}}\n"
    )
}

const TESTS_TEMPLATE: &str = "use super::*;\n\n#[test]\nfn answer_is_forty_two() {\n    assert_eq!(answer(), 42, \"name tests as sentences about behaviour\");\n}\n";
