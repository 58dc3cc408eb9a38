//! Text from learners and course packs, made safe to show in a terminal.
//!
//! A panic message, a test's output, a lesson title or a hint can hold
//! control characters: escape sequences that set the window title, write the
//! clipboard, clear the screen or move the cursor, and bidirectional overrides
//! that make code read differently from what it is. None of them may reach
//! the user's terminal raw; they are shown as visible escapes instead.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` with every control character (but line breaks and tabs) and every
/// bidirectional control shown as a visible `\u{..}` escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`printable`], but keeps colour sequences (`ESC [ digits ; … m`), for
/// output that tensorlings itself coloured. Anything else (titles, clipboard,
/// cursor movement, bells) is escaped.
pub fn printable_keeping_colour(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = colour_sequence(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of the colour sequence `text` starts with, if it starts with one.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
        .unwrap_or(body.len());
    (body[params..].starts_with('m') && params <= 32).then_some(2 + params + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched() {
        assert!(matches!(
            printable("a line\n\tindented — ünïcode"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn titles_clipboard_bells_and_bidi_overrides_become_visible() {
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{202e}txt";
        let shown = printable(hostile);
        assert!(!shown.chars().any(is_unsafe), "{shown}");
        assert!(shown.contains("\\u{1b}]0;pwned\\u{7}"), "{shown}");
        assert!(shown.contains("\\u{202e}"), "{shown}");
    }

    #[test]
    fn colours_survive_where_asked_and_nothing_else_does() {
        let coloured = "\u{1b}[1;31merror\u{1b}[0m \u{1b}]0;x\u{7} \u{1b}[2J";
        let shown = printable_keeping_colour(coloured);
        assert_eq!(
            shown,
            "\u{1b}[1;31merror\u{1b}[0m \\u{1b}]0;x\\u{7} \\u{1b}[2J"
        );
    }
}
