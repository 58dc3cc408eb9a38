//! Commands that set things up: `init`, `prepare` and `new-exercise`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::course::Course;
use crate::deps::DepSet;
use crate::runner::{Event, Runner};
use crate::workspace;

pub fn init(dir: &Path) -> Result<ExitCode> {
    let created = workspace::init(dir)?;
    outln!(
        "Created a tensorlings workspace with {} exercises in {}.\n\nNext:\n  cd {}\n  tensorlings            # open the tutorial\n  tensorlings prepare    # optional: build the ML crates now, then work offline",
        created.exercises,
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Fetches and builds every dependency set once, with a progress bar.
pub fn prepare(sets: &[DepSet]) -> Result<ExitCode> {
    let runner = Runner::new()?;
    let style = ProgressStyle::with_template("{prefix:>6} [{bar:30}] {pos}/{len} crates  {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    for &set in sets {
        let started = Instant::now();
        let total = crate_count(set);
        let bar = ProgressBar::new(total)
            .with_style(style.clone())
            .with_prefix(set.name());
        let mut on_event = |event: Event| match event {
            Event::Fetching(_) => bar.set_message("downloading…"),
            Event::Compiled { name, .. } => {
                bar.inc(1);
                bar.set_message(name);
            }
            Event::Testing => {}
        };
        runner.prepare(set, &AtomicBool::new(false), &mut on_event)?;
        bar.finish_and_clear();
        outln!(
            "{:>6}: ready ({} crates, {:.0}s)",
            set.name(),
            bar.position(),
            started.elapsed().as_secs_f64()
        );
    }
    let used = dir_size(runner.cache().root());
    #[allow(clippy::cast_precision_loss)]
    let megabytes = used as f64 / 1e6;
    outln!(
        "Built crates use {megabytes:.0} MB in {}; checks now work offline.",
        runner.cache().root().display()
    );
    Ok(ExitCode::SUCCESS)
}

/// How many crates a set builds, roughly: the packages in its lockfile.
pub fn crate_count(set: DepSet) -> u64 {
    let packages = set.lockfile().matches("[[package]]").count();
    u64::try_from(packages.saturating_sub(1)).unwrap_or(0)
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => dir_size(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Scaffolds a new exercise (and its lesson, when new) for a course author.
pub fn new_exercise(
    root: &Path,
    lesson: &str,
    id: &str,
    title: &str,
    crates: &[String],
) -> Result<ExitCode> {
    if let Err(unknown) = DepSet::for_crates(crates) {
        bail!(
            "unknown crate `{unknown}`; the pinned crates are: {}",
            DepSet::known_crates().join(", ")
        );
    }
    if Course::load(root).is_ok_and(|course| course.exercise(id).is_some()) {
        bail!("an exercise `{id}` already exists in this course");
    }
    let files = [
        (
            root.join("exercises").join(lesson).join(format!("{id}.rs")),
            starter_template(title),
        ),
        (
            root.join("solutions").join(lesson).join(format!("{id}.rs")),
            solution_template(title),
        ),
        (
            root.join("lessons")
                .join(lesson)
                .join("tests")
                .join(format!("{id}.rs")),
            TESTS_TEMPLATE.to_owned(),
        ),
    ];
    if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        bail!("{} already exists; nothing was changed", path.display());
    }
    let yaml = root.join("lessons").join(lesson).join("lesson.yaml");
    let entry = exercise_entry(id, title, crates);
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
    outln!(
        "  {} ({})",
        shown(&yaml),
        if new_lesson {
            "new lesson"
        } else {
            "entry added"
        }
    );
    outln!(
        "\nWrite the tests and the solution, then prove it with `tensorlings verify --lesson {lesson}`."
    );
    Ok(ExitCode::SUCCESS)
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
    super::commands::write_atomically(yaml, text.as_bytes())
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
