//! The terminal: raw mode and the alternate screen on the way in, restored on
//! the way out, after an error, after a panic, and around the editor.

use std::io::{self, Stdout, stdout};
use std::path::Path;
use std::process::Command;

use crossterm::cursor::Show;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The app's terminal.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Takes over the terminal. A panic from here on, in any thread, restores it,
/// prints the panic message, and ends the app: a half-working app (a dead
/// check worker, a spinner that never stops) would be worse.
pub fn enter() -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
        std::process::exit(101);
    }));
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Gives the terminal back as it was. Safe to call more than once.
pub fn leave() {
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// Runs the learner's editor on `path` with the terminal handed over to it;
/// returns why it failed, if it did.
pub fn edit(term: &mut Term, path: &Path) -> io::Result<Option<String>> {
    leave();
    let outcome = run_editor(path);
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    term.clear()?;
    Ok(outcome)
}

/// `$VISUAL`, else `$EDITOR`, else this system's default editor.
fn editor() -> String {
    for var in ["VISUAL", "EDITOR"] {
        if let Ok(value) = std::env::var(var)
            && !value.trim().is_empty()
        {
            return value;
        }
    }
    default_editor(cfg!(windows), |name| {
        std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path)
                .any(|dir| dir.join(name).is_file() || dir.join(format!("{name}.exe")).is_file())
        })
    })
}

/// The editor when none is set: Notepad on Windows (always there, and the
/// app waits until it closes); elsewhere nano when installed (kinder to
/// newcomers), else vi.
fn default_editor(windows: bool, on_path: impl Fn(&str) -> bool) -> String {
    if windows {
        "notepad".to_owned()
    } else if on_path("nano") {
        "nano".to_owned()
    } else {
        "vi".to_owned()
    }
}

fn run_editor(path: &Path) -> Option<String> {
    let editor = editor();
    // `EDITOR="code --wait"` is common: the first word is the program.
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    match Command::new(program).args(words).arg(path).status() {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("The editor `{editor}` ended with {status}.")),
        Err(err) => Some(format!(
            "The editor `{program}` could not be started: {err}. Set EDITOR to the editor you use \
             (for example `export EDITOR=nano`, or `set EDITOR=notepad` on Windows), or edit the file \
             in any editor: saving it checks it here."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::default_editor;

    #[test]
    fn the_default_editor_fits_the_system() {
        assert_eq!(default_editor(true, |_| true), "notepad");
        assert_eq!(default_editor(false, |name| name == "nano"), "nano");
        assert_eq!(default_editor(false, |_| false), "vi");
    }
}
