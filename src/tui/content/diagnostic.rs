//! A compiler message as the learner should see it: the message, then their
//! own lines it points at, highlighted, with the span underlined and labelled,
//! like rustc but in colour. Spans in the hidden tests are named, never shown.

use std::collections::BTreeMap;

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::code::Code;
use super::theme;
use super::wrap::{str_width, wrap};
use crate::runner::{Diagnostic, Span as CodeSpan, SpanFile};

/// How many lines of a multi-line span are shown at most (first and last ones).
const SPAN_LINES: usize = 4;

/// The lines for one diagnostic. `code` is the learner's file, `name` its path
/// as shown.
pub fn lines(
    diag: &Diagnostic,
    code: Option<&Code>,
    name: &str,
    width: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let level_style = match diag.level.as_str() {
        "warning" => theme::warn(),
        level if level.starts_with("error") => theme::bad(),
        _ => theme::accent(),
    }
    .add_modifier(Modifier::BOLD);
    let head = match &diag.code {
        Some(code) => format!("{}[{code}]", diag.level),
        None => diag.level.to_string(),
    };
    let headline = [
        Span::styled(format!("{head}: "), level_style),
        Span::styled(diag.message.clone(), theme::strong()),
    ];
    out.extend(wrap(&headline, width, &[], &[Span::raw("  ")]));
    if let Some(primary) = diag.primary() {
        let place = match &primary.file {
            SpanFile::Learner => format!("{name}:{}:{}", primary.line_start, primary.column_start),
            SpanFile::HiddenTests => "the hidden tests".to_owned(),
            SpanFile::Other(file) => format!("{file}:{}", primary.line_start),
        };
        out.push(Line::from(vec![
            Span::styled("  --> ", theme::accent()),
            Span::styled(place, theme::dim()),
        ]));
    }
    let learner: Vec<&CodeSpan> = diag
        .spans
        .iter()
        .filter(|s| s.file == SpanFile::Learner)
        .collect();
    if !learner.is_empty() {
        out.extend(snippet(&learner, code, width));
    }
    if diag.spans.iter().any(|s| s.file == SpanFile::HiddenTests) {
        out.extend(hidden_note(diag, width));
    }
    for note in &diag.notes {
        out.extend(note_lines(note, width));
    }
    out
}

/// A compiler note or help (`= help: …`), wrapped under its label.
fn note_lines(note: &str, width: usize) -> Vec<Line<'static>> {
    let (kind, text) = note.split_once(": ").unwrap_or(("note", note));
    let style = if kind == "help" {
        theme::accent()
    } else {
        theme::dim()
    };
    let first = [
        Span::styled("  = ", theme::dim()),
        Span::styled(format!("{kind}: "), style.add_modifier(Modifier::BOLD)),
    ];
    wrap(
        &[Span::raw(text.to_owned())],
        width,
        &first,
        &[Span::raw("    ")],
    )
}

/// What the hidden tests' spans say, without their code.
fn hidden_note(diag: &Diagnostic, width: usize) -> Vec<Line<'static>> {
    let mut text =
        "This error is in the hidden tests, which call your code the way the exercise describes: \
                    a name, a type or a signature in your file differs from what they expect."
            .to_owned();
    let labels: Vec<&str> = diag
        .spans
        .iter()
        .filter(|s| s.file == SpanFile::HiddenTests)
        .filter_map(|s| s.label.as_deref())
        .collect();
    if !labels.is_empty() {
        text.push_str(" The compiler says there: ");
        text.push_str(&labels.join("; "));
        text.push('.');
    }
    wrap(
        &[Span::styled(text, theme::warn())],
        width,
        &[Span::raw("     ")],
        &[Span::raw("     ")],
    )
}

/// An underline on one line: from column, to column, primary, label.
type Mark = (usize, usize, bool, Option<String>);

/// The learner's lines under the spans, each followed by its underlines.
fn snippet(spans: &[&CodeSpan], code: Option<&Code>, width: usize) -> Vec<Line<'static>> {
    let marks = marks(spans, code);
    let digits = marks.keys().last().copied().unwrap_or(1).max(1).ilog10() as usize + 1;
    let gutter = |number: Option<usize>| {
        let text = number.map_or_else(|| " ".repeat(digits), |n| format!("{n:>digits$}"));
        Span::styled(format!("  {text} │ "), theme::dim())
    };
    let mut out = vec![Line::from(gutter(None))];
    let mut previous: Option<usize> = None;
    for (number, line_marks) in &marks {
        if previous.is_some_and(|p| p + 1 < *number) {
            out.push(Line::from(Span::styled(
                format!("  {:>digits$}", "…"),
                theme::dim(),
            )));
        }
        previous = Some(*number);
        let mut spans = vec![gutter(Some(*number))];
        match code.and_then(|c| c.line(*number)) {
            Some(line) => spans.extend(line.spans.iter().cloned()),
            None => spans.push(Span::styled(
                "(this line is no longer in the file)",
                theme::dim(),
            )),
        }
        out.push(Line::from(spans));
        let mut sorted = line_marks.clone();
        sorted.sort_by_key(|(from, _, primary, _)| (!primary, *from));
        for (from, to, primary, label) in sorted {
            out.extend(underline(
                gutter(None),
                from,
                to,
                primary,
                label.as_deref(),
                width,
            ));
        }
    }
    out
}

/// Line number → the marks on it: (from column, to column, primary, label).
/// A span over several lines marks the end of its first line and the start
/// of its last, and keeps a few lines between.
fn marks(spans: &[&CodeSpan], code: Option<&Code>) -> BTreeMap<usize, Vec<Mark>> {
    let mut marks: BTreeMap<usize, Vec<Mark>> = BTreeMap::new();
    let text = |line: usize| {
        code.and_then(|c| c.lines.get(line - 1))
            .map_or("", String::as_str)
    };
    for span in spans {
        let label = span.label.clone();
        if span.line_start == span.line_end {
            let end = span.column_end.max(span.column_start + 1);
            let mark = (span.column_start, end, span.is_primary, label);
            marks.entry(span.line_start).or_default().push(mark);
            continue;
        }
        let first_end = text(span.line_start).chars().count() + 1;
        let first = (
            span.column_start,
            first_end.max(span.column_start + 1),
            span.is_primary,
            None,
        );
        marks.entry(span.line_start).or_default().push(first);
        let last = text(span.line_end);
        let indent = last.chars().take_while(|c| c.is_whitespace()).count() + 1;
        let end = span.column_end.max(indent + 1);
        marks
            .entry(span.line_end)
            .or_default()
            .push((indent, end, span.is_primary, label));
        for line in (span.line_start + 1..span.line_end).take(SPAN_LINES - 2) {
            marks.entry(line).or_default();
        }
    }
    marks
}

/// `^^^ label` (primary) or `--- label` under columns `from..to` (1-based).
fn underline(
    gutter: Span<'static>,
    from: usize,
    to: usize,
    primary: bool,
    label: Option<&str>,
    width: usize,
) -> Vec<Line<'static>> {
    let (mark, style) = if primary {
        ('^', theme::bad())
    } else {
        ('-', theme::accent())
    };
    let style = style.add_modifier(Modifier::BOLD);
    let pad = " ".repeat(from.saturating_sub(1));
    let marks: String = std::iter::repeat_n(mark, to.saturating_sub(from).max(1)).collect();
    let used = str_width(&gutter.content) + pad.len() + marks.len();
    let mut line = vec![
        gutter.clone(),
        Span::raw(pad.clone()),
        Span::styled(marks, style),
    ];
    let Some(label) = label.filter(|l| !l.is_empty()) else {
        return vec![Line::from(line)];
    };
    let label_style = if primary {
        theme::bad()
    } else {
        theme::accent()
    };
    if used + 1 + str_width(label) <= width {
        line.push(Span::styled(format!(" {label}"), label_style));
        return vec![Line::from(line)];
    }
    // No room beside the marks: the label goes below them, moved left as far
    // as it needs to fit on one line.
    let room = width.saturating_sub(str_width(&gutter.content));
    let column = pad.len().min(room.saturating_sub(str_width(label)));
    let indent = vec![gutter, Span::raw(" ".repeat(column))];
    let mut out = vec![Line::from(line)];
    out.extend(wrap(
        &[Span::styled(label.to_owned(), label_style)],
        width,
        &indent,
        &indent,
    ));
    out
}

/// A one-line summary of how many errors and warnings there are.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.level == crate::runner::Level::Warning)
        .count();
    (errors, warnings)
}

/// Lines the diagnostics point at in the learner's file, for the gutter marks.
pub fn marked_lines(diagnostics: &[Diagnostic]) -> Vec<usize> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(Diagnostic::primary)
        .filter(|s| s.file == SpanFile::Learner)
        .map(|s| s.line_start)
        .collect()
}
