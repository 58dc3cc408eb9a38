//! Every key the app knows, in one table: it yields the key map (a pure
//! function, tested without a terminal), the `?` screen and the status bar's
//! hints. A new key is one row here and one arm where its action lands.
//!
//! The app decides what an action means where it lands (Down moves the tree
//! cursor or scrolls a pane, depending on focus); this file only names intent.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Show or hide the list of keys.
    Help,
    /// Close an overlay, or go back to the course tree.
    Back,
    /// One step up.
    Up,
    /// One step down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
    /// The previous tab of the right pane.
    PrevTab,
    /// The next tab of the right pane.
    NextTab,
    /// A tab by number (1 Lesson, 2 Exercise, 3 Feedback).
    Tab(u8),
    /// Move focus to the other pane.
    SwitchFocus,
    /// Open the exercise under the cursor.
    Open,
    /// Check the current exercise.
    Check,
    /// Edit the current exercise in `$VISUAL`/`$EDITOR`.
    Edit,
    /// Reveal the next hint.
    Hint,
    /// Show or hide the reference solution.
    Solution,
    /// Go to the next exercise.
    Next,
    /// Go to the previous exercise.
    Previous,
    /// Go straight to an exercise, by typing part of its name.
    GoTo,
    /// Put the current exercise back to its starter (asks first).
    Reset,
    /// Put every exercise back to its starter (asks first).
    ResetAll,
    /// Scroll a graph drawing left.
    GraphLeft,
    /// Scroll a graph drawing right.
    GraphRight,
}

/// One key press, as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    /// A key without modifiers (Shift may be part of the character).
    Key(KeyCode),
    /// A letter with Ctrl.
    Ctrl(char),
}

/// One row of the table: keys, the actions they ask for, and how the `?`
/// screen and the status bar name them.
pub struct Binding {
    /// The keys as the `?` screen shows them.
    pub keys: &'static str,
    /// What they do, for the `?` screen.
    pub does: &'static str,
    /// Each key press and the action it asks for.
    pub presses: &'static [(Press, Action)],
    /// The key and the word the status bar offers, when it offers this row.
    pub bar: Option<(&'static str, &'static str)>,
}

const fn key(c: char) -> Press {
    Press::Key(KeyCode::Char(c))
}

/// Every key, in the order the `?` screen lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "↑ ↓  k j",
        does: "move in the course tree, or scroll the pane",
        presses: &[
            (Press::Key(KeyCode::Up), Action::Up),
            (key('k'), Action::Up),
            (Press::Key(KeyCode::Down), Action::Down),
            (key('j'), Action::Down),
        ],
        bar: None,
    },
    Binding {
        keys: "PgUp PgDn  Space",
        does: "scroll a page (also Ctrl-U, Ctrl-D)",
        presses: &[
            (Press::Key(KeyCode::PageUp), Action::PageUp),
            (Press::Ctrl('u'), Action::PageUp),
            (Press::Ctrl('b'), Action::PageUp),
            (Press::Key(KeyCode::PageDown), Action::PageDown),
            (key(' '), Action::PageDown),
            (Press::Ctrl('d'), Action::PageDown),
            (Press::Ctrl('f'), Action::PageDown),
        ],
        bar: None,
    },
    Binding {
        keys: "Home End  g G",
        does: "jump to the top or the bottom",
        presses: &[
            (Press::Key(KeyCode::Home), Action::Top),
            (key('g'), Action::Top),
            (Press::Key(KeyCode::End), Action::Bottom),
            (key('G'), Action::Bottom),
        ],
        bar: None,
    },
    Binding {
        keys: "Enter",
        does: "open the exercise under the cursor",
        presses: &[(Press::Key(KeyCode::Enter), Action::Open)],
        bar: Some(("Enter", "open")),
    },
    Binding {
        keys: "← →  [ ]",
        does: "previous or next tab: Lesson, Exercise, Feedback",
        presses: &[
            (Press::Key(KeyCode::Left), Action::PrevTab),
            (key('['), Action::PrevTab),
            (Press::Key(KeyCode::Right), Action::NextTab),
            (key(']'), Action::NextTab),
        ],
        bar: None,
    },
    Binding {
        keys: "1 2 3",
        does: "go to the Lesson, Exercise or Feedback tab",
        presses: &[
            (key('1'), Action::Tab(1)),
            (key('2'), Action::Tab(2)),
            (key('3'), Action::Tab(3)),
        ],
        bar: None,
    },
    Binding {
        keys: "Tab",
        does: "switch focus between the tree and the tabs",
        presses: &[
            (Press::Key(KeyCode::Tab), Action::SwitchFocus),
            (Press::Key(KeyCode::BackTab), Action::SwitchFocus),
        ],
        bar: Some(("Tab", "focus")),
    },
    Binding {
        keys: "c",
        does: "check the exercise (saving its file does too)",
        presses: &[(key('c'), Action::Check)],
        bar: Some(("c", "check")),
    },
    Binding {
        keys: "e",
        does: "edit the exercise in $VISUAL or $EDITOR",
        presses: &[(key('e'), Action::Edit)],
        bar: Some(("e", "edit")),
    },
    Binding {
        keys: "h",
        does: "reveal the next hint",
        presses: &[(key('h'), Action::Hint)],
        bar: Some(("h", "hint")),
    },
    Binding {
        keys: "s",
        does: "show the reference solution (once passed)",
        presses: &[(key('s'), Action::Solution)],
        bar: Some(("s", "solution")),
    },
    Binding {
        keys: "n  p",
        does: "go to the next or the previous exercise",
        presses: &[(key('n'), Action::Next), (key('p'), Action::Previous)],
        bar: Some(("n", "next")),
    },
    Binding {
        keys: "/",
        does: "go straight to an exercise: type part of its name",
        presses: &[(key('/'), Action::GoTo)],
        bar: Some(("/", "go to")),
    },
    Binding {
        keys: "r  R",
        does: "reset this exercise, or every one, to the starter (asks first; your files are backed up)",
        presses: &[(key('r'), Action::Reset), (key('R'), Action::ResetAll)],
        bar: None,
    },
    Binding {
        keys: "mouse wheel",
        does: "scroll the pane under the pointer",
        presses: &[],
        bar: None,
    },
    Binding {
        keys: "Esc",
        does: "close this screen, or back to the tree",
        presses: &[(Press::Key(KeyCode::Esc), Action::Back)],
        bar: None,
    },
    Binding {
        keys: "< >",
        does: "scroll a graph drawing in Feedback sideways",
        presses: &[
            (key('<'), Action::GraphLeft),
            (key('>'), Action::GraphRight),
        ],
        bar: None,
    },
    Binding {
        keys: "?",
        does: "show or hide this screen",
        presses: &[(key('?'), Action::Help)],
        bar: Some(("?", "keys")),
    },
    Binding {
        keys: "q  Ctrl-C",
        does: "quit (progress is saved)",
        presses: &[(key('q'), Action::Quit), (Press::Ctrl('c'), Action::Quit)],
        bar: Some(("q", "quit")),
    },
];

/// The action a key press asks for, if any. Key releases, and repeats of
/// anything but movement, are ignored (some terminals report both).
pub fn action(event: KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let press = if event.modifiers.contains(KeyModifiers::CONTROL) {
        match event.code {
            KeyCode::Char(c) => Press::Ctrl(c),
            _ => return None,
        }
    } else {
        Press::Key(event.code)
    };
    let action = BINDINGS
        .iter()
        .flat_map(|b| b.presses)
        .find(|(p, _)| *p == press)
        .map(|(_, action)| *action)?;
    let moves = matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
    );
    if event.kind == KeyEventKind::Repeat && !moves {
        return None;
    }
    Some(action)
}

/// How the status bar offers `action`: its key and a word.
pub fn bar(action: Action) -> Option<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .find(|b| b.presses.iter().any(|(_, a)| *a == action))
        .and_then(|b| b.bar)
}

/// The key that asks for `action`, as a message names it: `h`, `<`.
pub fn name(action: Action) -> Option<String> {
    BINDINGS
        .iter()
        .flat_map(|b| b.presses)
        .find(|(_, a)| *a == action)
        .map(|(press, _)| match press {
            Press::Key(KeyCode::Char(c)) => c.to_string(),
            Press::Key(code) => code.to_string(),
            Press::Ctrl(c) => format!("Ctrl-{c}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn arrows_and_vim_keys_move_alike() {
        assert_eq!(action(press(KeyCode::Up)), Some(Action::Up));
        assert_eq!(action(press(KeyCode::Char('k'))), Some(Action::Up));
        assert_eq!(action(press(KeyCode::Down)), Some(Action::Down));
        assert_eq!(action(press(KeyCode::Char('j'))), Some(Action::Down));
        assert_eq!(action(press(KeyCode::Char('g'))), Some(Action::Top));
        assert_eq!(action(press(KeyCode::Char('G'))), Some(Action::Bottom));
        assert_eq!(action(ctrl('d')), Some(Action::PageDown));
        assert_eq!(action(ctrl('u')), Some(Action::PageUp));
    }

    #[test]
    fn q_and_ctrl_c_quit_but_plain_c_checks() {
        assert_eq!(action(press(KeyCode::Char('q'))), Some(Action::Quit));
        assert_eq!(action(ctrl('c')), Some(Action::Quit));
        assert_eq!(action(press(KeyCode::Char('c'))), Some(Action::Check));
    }

    #[test]
    fn exercise_keys() {
        let pairs = [
            ('e', Action::Edit),
            ('h', Action::Hint),
            ('s', Action::Solution),
            ('n', Action::Next),
            ('p', Action::Previous),
            ('/', Action::GoTo),
            ('r', Action::Reset),
            ('R', Action::ResetAll),
            ('?', Action::Help),
            ('1', Action::Tab(1)),
            ('3', Action::Tab(3)),
        ];
        for (c, expected) in pairs {
            assert_eq!(action(press(KeyCode::Char(c))), Some(expected), "key {c}");
        }
        assert_eq!(action(press(KeyCode::Tab)), Some(Action::SwitchFocus));
        assert_eq!(action(press(KeyCode::BackTab)), Some(Action::SwitchFocus));
        assert_eq!(action(press(KeyCode::Enter)), Some(Action::Open));
        assert_eq!(action(press(KeyCode::Esc)), Some(Action::Back));
    }

    #[test]
    fn unknown_keys_and_releases_do_nothing() {
        assert_eq!(action(press(KeyCode::Char('x'))), None);
        assert_eq!(action(press(KeyCode::Char('4'))), None);
        assert_eq!(action(ctrl('x')), None);
        let mut release = press(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(action(release), None);
    }

    #[test]
    fn held_keys_repeat_movement_only() {
        let mut held = press(KeyCode::Down);
        held.kind = KeyEventKind::Repeat;
        assert_eq!(action(held), Some(Action::Down));
        let mut held = press(KeyCode::Char('c'));
        held.kind = KeyEventKind::Repeat;
        assert_eq!(action(held), None);
    }

    #[test]
    fn every_action_has_a_key_and_a_row_on_the_help_screen() {
        use Action::*;
        let all = [
            Quit,
            Help,
            Back,
            Up,
            Down,
            PageUp,
            PageDown,
            Top,
            Bottom,
            PrevTab,
            NextTab,
            Tab(1),
            Tab(2),
            Tab(3),
            SwitchFocus,
            Open,
            Check,
            Edit,
            Hint,
            Solution,
            Next,
            Previous,
            GoTo,
            Reset,
            ResetAll,
        ];
        for wanted in all {
            assert!(
                BINDINGS
                    .iter()
                    .any(|b| b.presses.iter().any(|(_, a)| *a == wanted)),
                "{wanted:?} has no key"
            );
        }
    }

    #[test]
    fn the_status_bar_names_come_from_the_table() {
        assert_eq!(bar(Action::Check), Some(("c", "check")));
        assert_eq!(bar(Action::Quit), Some(("q", "quit")));
        assert_eq!(bar(Action::Down), None);
    }
}
