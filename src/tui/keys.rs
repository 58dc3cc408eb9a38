//! Keys to actions: a pure function, so key handling is tested without a terminal.
//!
//! The app decides what an action means where it lands (Down moves the tree
//! cursor or scrolls a pane, depending on focus); this file only names intent.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something the learner asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the app (`q`, Ctrl-C).
    Quit,
    /// Show or hide the list of keys (`?`).
    Help,
    /// Close an overlay, or go back to the course tree (Esc).
    Back,
    /// One step up (Up, `k`).
    Up,
    /// One step down (Down, `j`).
    Down,
    /// A page up (`PageUp`, Ctrl-U, Ctrl-B).
    PageUp,
    /// A page down (`PageDown`, Space, Ctrl-D, Ctrl-F).
    PageDown,
    /// To the top (Home, `g`).
    Top,
    /// To the bottom (End, `G`).
    Bottom,
    /// The previous tab of the right pane (Left, `[`).
    PrevTab,
    /// The next tab of the right pane (Right, `]`).
    NextTab,
    /// A tab by number (`1` Lesson, `2` Exercise, `3` Feedback).
    Tab(u8),
    /// Move focus to the other pane (Tab, Shift-Tab).
    SwitchFocus,
    /// Open the exercise under the cursor (Enter).
    Open,
    /// Check the current exercise (`c`).
    Check,
    /// Edit the current exercise in `$VISUAL`/`$EDITOR` (`e`).
    Edit,
    /// Reveal the next hint (`h`).
    Hint,
    /// Show or hide the reference solution (`s`).
    Solution,
    /// Go to the next exercise (`n`).
    Next,
}

/// One row of the `?` screen: the keys and what they do.
pub struct KeyHelp {
    /// The keys as the learner types them.
    pub keys: &'static str,
    /// What they do.
    pub does: &'static str,
}

/// Every key the app knows, in the order the `?` screen lists them.
pub const HELP: &[KeyHelp] = &[
    KeyHelp {
        keys: "↑ ↓  k j",
        does: "move in the course tree, or scroll the pane",
    },
    KeyHelp {
        keys: "PgUp PgDn  Space",
        does: "scroll a page (also Ctrl-U, Ctrl-D)",
    },
    KeyHelp {
        keys: "Home End  g G",
        does: "jump to the top or the bottom",
    },
    KeyHelp {
        keys: "Enter",
        does: "open the exercise under the cursor",
    },
    KeyHelp {
        keys: "← →  [ ]",
        does: "previous or next tab: Lesson, Exercise, Feedback",
    },
    KeyHelp {
        keys: "1 2 3",
        does: "go to the Lesson, Exercise or Feedback tab",
    },
    KeyHelp {
        keys: "Tab",
        does: "switch focus between the tree and the tabs",
    },
    KeyHelp {
        keys: "c",
        does: "check the exercise (saving its file does too)",
    },
    KeyHelp {
        keys: "e",
        does: "edit the exercise in $VISUAL or $EDITOR",
    },
    KeyHelp {
        keys: "h",
        does: "reveal the next hint",
    },
    KeyHelp {
        keys: "s",
        does: "show the reference solution (once passed)",
    },
    KeyHelp {
        keys: "n",
        does: "go to the next exercise",
    },
    KeyHelp {
        keys: "mouse wheel",
        does: "scroll the pane under the pointer",
    },
    KeyHelp {
        keys: "Esc",
        does: "close this screen, or back to the tree",
    },
    KeyHelp {
        keys: "?",
        does: "show or hide this screen",
    },
    KeyHelp {
        keys: "q  Ctrl-C",
        does: "quit (progress is saved)",
    },
];

/// The action a key press asks for, if any. Key releases and repeats of
/// non-movement keys are ignored (some terminals report both).
pub fn action(key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            KeyCode::Char('u' | 'b') => Some(Action::PageUp),
            KeyCode::Char('d' | 'f') => Some(Action::PageDown),
            _ => None,
        };
    }
    let action = match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Back,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Left | KeyCode::Char('[') => Action::PrevTab,
        KeyCode::Right | KeyCode::Char(']') => Action::NextTab,
        KeyCode::Char(digit @ '1'..='3') => Action::Tab(digit as u8 - b'0'),
        KeyCode::Tab | KeyCode::BackTab => Action::SwitchFocus,
        KeyCode::Enter => Action::Open,
        KeyCode::Char('c') => Action::Check,
        KeyCode::Char('e') => Action::Edit,
        KeyCode::Char('h') => Action::Hint,
        KeyCode::Char('s') => Action::Solution,
        KeyCode::Char('n') => Action::Next,
        _ => return None,
    };
    let moves = matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
    );
    if key.kind == KeyEventKind::Repeat && !moves {
        return None;
    }
    Some(action)
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
    fn every_action_is_listed_on_the_help_screen() {
        let listed: String = HELP
            .iter()
            .map(|row| row.keys)
            .collect::<Vec<_>>()
            .join(" ");
        for key in [
            "k j", "Enter", "Tab", "c", "e", "h", "s", "n", "?", "q", "Esc", "1 2 3",
        ] {
            assert!(
                listed.contains(key),
                "{key} is missing from the help screen"
            );
        }
    }
}
