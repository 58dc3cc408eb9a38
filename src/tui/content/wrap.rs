//! Word wrapping of styled text, so every pane knows its exact height (for
//! scrolling) and text wraps with hanging indents under bullets and labels.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// A piece of a word: text in one style.
type Piece = (String, Style);

/// Wraps `spans` to `width` columns. The first line starts with `first`, the
/// others with `rest` (a hanging indent). Runs of spaces become one space;
/// a word longer than a line is cut.
pub fn wrap(
    spans: &[Span<'_>],
    width: usize,
    first: &[Span<'static>],
    rest: &[Span<'static>],
) -> Vec<Line<'static>> {
    let words = words(spans);
    let mut out = Vec::new();
    let mut line: Vec<Span<'static>> = first.to_vec();
    let mut used = spans_width(first);
    let mut empty = true;
    let indent = spans_width(rest);
    for (word, space_style) in words {
        let word_width: usize = word.iter().map(|(text, _)| str_width(text)).sum();
        if !empty && used + 1 + word_width > width {
            out.push(Line::from(std::mem::replace(&mut line, rest.to_vec())));
            used = indent;
            empty = true;
        }
        if !empty {
            line.push(Span::styled(" ", space_style));
            used += 1;
        }
        for (text, style) in word {
            for ch in text.chars() {
                let w = ch.width().unwrap_or(0);
                if used + w > width && used > indent {
                    out.push(Line::from(std::mem::replace(&mut line, rest.to_vec())));
                    used = indent;
                }
                push_char(&mut line, ch, style);
                used += w;
            }
        }
        empty = false;
    }
    if !empty || out.is_empty() {
        out.push(Line::from(line));
    }
    out
}

/// Wraps text whose spaces matter (values, code, program output) by cutting
/// lines at `width`, continuing under `indent` columns of space.
pub fn hard_wrap(
    text: &str,
    style: Style,
    width: usize,
    first: &[Span<'static>],
    indent: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let rest = vec![Span::raw(" ".repeat(indent))];
    for (n, source) in text.lines().enumerate() {
        let mut line: Vec<Span<'static>> = if n == 0 { first.to_vec() } else { rest.clone() };
        let mut used = spans_width(&line);
        for ch in source.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > width && used > indent {
                out.push(Line::from(std::mem::replace(&mut line, rest.clone())));
                used = indent;
            }
            push_char(&mut line, ch, style);
            used += w;
        }
        out.push(Line::from(line));
    }
    if out.is_empty() {
        out.push(Line::from(first.to_vec()));
    }
    out
}

/// Breaks a styled line of code at `width` columns, keeping every character
/// and its style: the first row starts with `first`, later rows with `more`.
pub fn wrap_code(
    spans: &[Span<'_>],
    width: usize,
    first: &[Span<'static>],
    more: &[Span<'static>],
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut line = first.to_vec();
    let mut used = spans_width(&line);
    let start = used;
    for span in spans {
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > width && used > start {
                out.push(Line::from(std::mem::replace(&mut line, more.to_vec())));
                used = spans_width(more);
            }
            push_char(&mut line, ch, span.style);
            used += w;
        }
    }
    out.push(Line::from(line));
    out
}

fn push_char(line: &mut Vec<Span<'static>>, ch: char, style: Style) {
    match line.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push(ch),
        _ => line.push(Span::styled(ch.to_string(), style)),
    }
}

/// Splits styled text into words (each a list of styled pieces) with the
/// style of the space before each.
fn words(spans: &[Span<'_>]) -> Vec<(Vec<Piece>, Style)> {
    let mut words: Vec<(Vec<Piece>, Style)> = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut space_style = Style::default();
    for span in spans {
        for ch in span.content.chars() {
            if ch.is_whitespace() {
                if !current.is_empty() {
                    words.push((std::mem::take(&mut current), space_style));
                }
                space_style = span.style;
                continue;
            }
            match current.last_mut() {
                Some((text, style)) if *style == span.style => text.push(ch),
                _ => current.push((ch.to_string(), span.style)),
            }
        }
    }
    if !current.is_empty() {
        words.push((current, space_style));
    }
    words
}

/// Display width of a string in columns.
pub fn str_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|span| str_width(&span.content)).sum()
}

/// Shortens `text` to `width` columns, ending with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if str_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn words_wrap_at_the_width_with_a_hanging_indent() {
        let spans = [Span::raw("one two three four five")];
        let lines = wrap(&spans, 10, &[Span::raw("• ")], &[Span::raw("  ")]);
        assert_eq!(text(&lines), ["• one two", "  three", "  four", "  five"]);
    }

    #[test]
    fn styles_survive_wrapping_and_words_span_styles() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = [
            Span::raw("a "),
            Span::styled("bold", bold),
            Span::raw("er word"),
        ];
        let lines = wrap(&spans, 80, &[], &[]);
        assert_eq!(text(&lines), ["a bolder word"]);
        assert!(
            lines[0]
                .spans
                .iter()
                .any(|s| s.content == "bold" && s.style == bold)
        );
    }

    #[test]
    fn long_words_are_cut_and_empty_text_is_one_line() {
        let lines = wrap(&[Span::raw("abcdefghij")], 4, &[], &[]);
        assert_eq!(text(&lines), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap(&[], 10, &[], &[]).len(), 1);
    }

    #[test]
    fn hard_wrap_keeps_spaces() {
        let lines = hard_wrap("a  b  c  d", Style::default(), 6, &[Span::raw("> ")], 2);
        assert_eq!(text(&lines), ["> a  b", "    c ", "   d"]);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
