//! Going straight to an exercise, and putting exercises back to their
//! starters. Part of `App::update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::App;
use crate::tui::state::{Ask, Level, Overlay};

impl App {
    /// A key in the go-to box: text narrows the list, arrows choose, Enter
    /// goes, Esc leaves.
    pub(in crate::tui::app) fn goto_key(&mut self, key: KeyEvent) {
        let Some(Overlay::GoTo(goto)) = &mut self.overlay else {
            return;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => return self.quit(),
            KeyCode::Esc => self.overlay = None,
            KeyCode::Up | KeyCode::BackTab => goto.choice = goto.choice.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => goto.choice += 1,
            KeyCode::Char('p') if ctrl => goto.choice = goto.choice.saturating_sub(1),
            KeyCode::Char('n') if ctrl => goto.choice += 1,
            KeyCode::Backspace => {
                goto.query.pop();
                goto.choice = 0;
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                goto.query.push(c);
                goto.choice = 0;
            }
            KeyCode::Enter => {
                let query = goto.query.clone();
                let choice = goto.choice;
                let matches = self.goto_matches(&query);
                match matches.get(choice.min(matches.len().saturating_sub(1))) {
                    Some(&exercise) => {
                        self.overlay = None;
                        self.go_to(exercise);
                    }
                    None => self.say(Level::Info, format!("no exercise matches “{query}”")),
                }
                return;
            }
            _ => {}
        }
        self.clamp_goto();
    }

    /// Keeps the chosen match inside the list.
    fn clamp_goto(&mut self) {
        let Some(Overlay::GoTo(goto)) = &self.overlay else {
            return;
        };
        let last = self.goto_matches(&goto.query).len().saturating_sub(1);
        if let Some(Overlay::GoTo(goto)) = &mut self.overlay {
            goto.choice = goto.choice.min(last);
        }
    }

    /// A key while a question is shown: `y` goes ahead, Ctrl-C quits,
    /// anything else keeps the files as they are.
    pub(in crate::tui::app) fn confirm_key(&mut self, ask: Ask, key: KeyEvent) {
        self.overlay = None;
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit(),
            KeyCode::Char('y' | 'Y') => self.reset(ask),
            _ => self.say(Level::Info, "nothing was reset"),
        }
    }

    /// Puts the asked-for exercises back to their starters, each changed file
    /// backed up first, and says what happened.
    fn reset(&mut self, ask: Ask) {
        let targets: Vec<usize> = match ask {
            Ask::Reset(e) => vec![e],
            Ask::ResetAll => (0..self.exercise_count()).collect(),
        };
        let (mut changed, mut failed) = (Vec::new(), Vec::new());
        for e in targets {
            let exercise = self.exercise(e).clone();
            match self.session.reset(&exercise) {
                Ok(done) => {
                    if done.changed {
                        self.results.remove(&e);
                        self.view.forget(&exercise.file);
                        // The watcher will see this write: it is not a save to check.
                        if let Ok(bytes) = std::fs::read(&exercise.file) {
                            self.written_by_reset.insert(e, bytes);
                        }
                        changed.push((e, done.backup));
                    }
                }
                Err(err) => failed.push(format!("{}: {err}", exercise.id)),
            }
        }
        if !failed.is_empty() {
            self.overlay = Some(Overlay::Notice(format!(
                "Some exercises were not reset; their files are as they were.\n\n{}",
                failed.join("\n")
            )));
        }
        let backups = changed.iter().filter(|(_, b)| b.is_some()).count();
        let message = match (ask, changed.as_slice()) {
            (Ask::Reset(e), []) => format!("{} already is its starter", self.display_name(e)),
            (Ask::Reset(e), [(_, Some(backup))]) => format!(
                "{} is back to its starter; your version is saved in {}",
                self.display_name(e),
                self.course().display_path(backup)
            ),
            (Ask::Reset(e), _) => format!("{} is back to its starter", self.display_name(e)),
            (Ask::ResetAll, _) => {
                let dir = self
                    .course()
                    .root
                    .join(crate::course::layout::backups_dir());
                format!(
                    "{} back to {}; {} saved in {}",
                    count(changed.len(), "exercise"),
                    if changed.len() == 1 {
                        "its starter"
                    } else {
                        "their starters"
                    },
                    count(backups, "changed file"),
                    self.course().display_path(&dir)
                )
            }
        };
        self.say(Level::Good, message);
    }
}

/// "1 exercise", "2 exercises".
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
