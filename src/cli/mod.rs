//! The command line: arguments, and one function per command.

/// `println!` that stays quiet when stdout is closed early (`tensorlings list | head`)
/// and never lets a control character through (see [`emit`]).
macro_rules! outln {
    () => {{
        $crate::cli::emit("\n");
    }};
    ($($arg:tt)*) => {{
        $crate::cli::emit(&format!("{}\n", format_args!($($arg)*)));
    }};
}

/// `print!` that stays quiet when stdout is closed early, and safe (see [`emit`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        $crate::cli::emit(&format!($($arg)*));
    }};
}

/// `eprintln!` with control characters made visible.
macro_rules! errln {
    ($($arg:tt)*) => {{
        eprintln!("{}", $crate::text::printable(&format!($($arg)*)));
    }};
}

mod check;
mod classroom;
mod commands;
mod doctor;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Learn the engineering habits production AI code needs, one exercise at a time.
#[derive(Debug, Parser)]
#[command(name = "tensorlings", version, about, long_about = None)]
pub struct Cli {
    /// The course directory (the one holding lessons/); default: the current
    /// directory or the nearest parent that has lessons/.
    #[arg(long, global = true, value_name = "DIR")]
    pub course: Option<PathBuf>,

    /// What to do; without a command, the tutorial opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Text for people.
    #[default]
    Text,
    /// JSON for programs.
    Json,
}

/// A dependency set named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetArg {
    /// No crates.
    Std,
    /// dotenvy, secrecy, thiserror, tempfile, ignore.
    Light,
    /// candle, tract and prost, plus the light crates.
    Ml,
}

impl From<SetArg> for crate::deps::DepSet {
    fn from(arg: SetArg) -> Self {
        match arg {
            SetArg::Std => crate::deps::DepSet::Std,
            SetArg::Light => crate::deps::DepSet::Light,
            SetArg::Ml => crate::deps::DepSet::Ml,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the course's lessons and exercises with their status.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Check an exercise against its hidden tests.
    Check {
        /// The exercise id, such as traits1; default: the one you are working
        /// on (the last opened, else the first not yet passed).
        id: Option<String>,
        /// Check this file instead of the learner's (progress is not touched).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show an exercise's hints.
    Hint {
        /// The exercise id; default: the one you are working on.
        id: Option<String>,
        /// Show hints up to this level (1 = a nudge); default: the next unseen one.
        #[arg(long, value_name = "N")]
        level: Option<u32>,
    },
    /// Put an exercise back to its starter (the current file is backed up first).
    Reset {
        /// The exercise id.
        id: String,
    },
    /// Prove the course: every starter fails its hidden tests, every solution passes.
    Verify {
        /// Only this lesson (its directory name, such as 01-traits).
        #[arg(long, value_name = "ID")]
        lesson: Option<String>,
        /// Checks to run at once.
        #[arg(long, value_name = "N", default_value_t = 2)]
        jobs: usize,
        /// Also require every solution to be clean under clippy's default lints.
        #[arg(long)]
        clippy: bool,
    },
    /// Create a learner workspace from the course built into this binary.
    Init {
        /// The new workspace's directory (must not exist or be empty).
        dir: PathBuf,
    },
    /// Download and build the pinned crates once, so checks are fast and work offline.
    Prepare {
        /// Only these dependency sets (default: all).
        #[arg(long, value_enum, value_delimiter = ',')]
        set: Vec<SetArg>,
    },
    /// Progress per lesson and exercise: passed, attempts, hints, time to pass.
    Report {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: classroom::ReportFormat,
    },
    /// Check every exercise in a learner's workspace, without a terminal.
    ///
    /// The hidden tests come from --course, or from the course built into this
    /// binary; the workspace's own copies are ignored. Exit 0 when all pass, 1
    /// when some do not, 2 when the tool failed.
    Grade {
        /// The learner's workspace (the directory holding exercises/).
        dir: PathBuf,
        /// Also write a `JUnit` XML report here (for CI test summaries).
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Checks to run at once.
        #[arg(long, value_name = "N", default_value_t = 2)]
        jobs: usize,
        /// Grade even where the sandbox lacks some protections (`tensorlings
        /// doctor` lists them); students' code is then less contained.
        #[arg(long)]
        allow_weak_sandbox: bool,
    },
    /// Scaffold a new exercise (and its lesson if new) for a course author.
    NewExercise {
        /// The lesson's directory name, such as 06-serving.
        lesson: String,
        /// The exercise id, such as serving1.
        id: String,
        /// The exercise's title.
        #[arg(long, default_value = "A new exercise")]
        title: String,
        /// Crates it uses, from the pinned set (comma separated).
        #[arg(long, value_delimiter = ',')]
        crates: Vec<String>,
    },
    /// Print the JSON Schema of lesson.yaml.
    Schema,
    /// Show which protections the sandbox has on this system.
    Doctor {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Writes text to standard output with every control character shown as a
/// visible escape, except the colours tensorlings adds itself when standard
/// output is a terminal: no title, clipboard or cursor sequence from a
/// learner's code or a course pack reaches the terminal.
pub fn emit(text: &str) {
    use std::io::Write as _;
    let safe = if colour_on() {
        crate::text::printable_keeping_colour(text)
    } else {
        crate::text::printable(text)
    };
    let _ = std::io::stdout().write_all(safe.as_bytes());
}

/// Whether standard output gets colours: a terminal, and no `NO_COLOR`.
pub fn colour_on() -> bool {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    std::io::stdout().is_terminal() && !no_color
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            errln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
