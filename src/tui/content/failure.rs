//! One failed hidden test: its name, the panic message in plain words, the
//! two sides of a failed assertion set apart, the lesson's explanation for
//! that test, and the learner's line when the panic happened in their code.
//! The words come from the core's feedback model; this file draws them.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::code::Code;
use super::theme;
use super::wrap::{hard_wrap, wrap};
use crate::feedback::Failure;

/// Appends the lines for `failure` to `out`. A repeat failed with the same
/// panic as a test shown above it: only its name and lesson note are shown.
pub fn lines(
    failure: &Failure<'_>,
    code: Option<&Code>,
    name: &str,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let bold_bad = theme::bad().add_modifier(Modifier::BOLD);
    out.push(Line::from(vec![
        Span::styled("✗ ", bold_bad),
        Span::styled(failure.test.to_owned(), bold_bad),
    ]));
    let indent = [Span::raw("    ")];
    if failure.repeat {
        out.push(Line::styled("    the same panic as above", theme::dim()));
        explanation(failure.explanation, width, out);
        out.push(Line::default());
        return;
    }
    for line in failure.message.iter().flat_map(|m| m.lines()) {
        out.extend(wrap(&[Span::raw(line.to_owned())], width, &indent, &indent));
    }
    if let Some(plain) = failure.plain {
        out.extend(wrap(
            &[Span::styled(plain, theme::dim())],
            width,
            &indent,
            &indent,
        ));
    }
    sides(failure, width, out);
    explanation(failure.explanation, width, out);
    location(failure, code, name, width, out);
    if !failure.output.is_empty() {
        out.push(Line::styled("    it printed:", theme::dim()));
        for line in &failure.output {
            out.extend(hard_wrap(
                line,
                theme::dim(),
                width,
                &[Span::raw("      ")],
                6,
            ));
        }
        if failure.more_output > 0 {
            out.push(Line::styled(
                format!("      … {} more lines", failure.more_output),
                theme::dim(),
            ));
        }
    }
    out.push(Line::default());
}

/// The left and right of a failed assertion.
fn sides(failure: &Failure<'_>, width: usize, out: &mut Vec<Line<'static>>) {
    if let Some(left) = failure.left {
        let label = [
            Span::raw("    "),
            Span::styled("left:  ", theme::bad().add_modifier(Modifier::BOLD)),
        ];
        out.extend(hard_wrap(left, theme::bad(), width, &label, 11));
    }
    if let Some(right) = failure.right {
        let label = [
            Span::raw("    "),
            Span::styled("right: ", theme::good().add_modifier(Modifier::BOLD)),
        ];
        out.extend(hard_wrap(right, theme::good(), width, &label, 11));
    }
}

/// The learner's line the panic came from, with a caret under the column.
fn location(
    failure: &Failure<'_>,
    code: Option<&Code>,
    name: &str,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    let Some((line, column)) = failure.place else {
        return;
    };
    out.extend(wrap(
        &[Span::styled(
            format!("at {name}:{line}:{column}"),
            theme::dim(),
        )],
        width,
        &[Span::raw("    ")],
        &[Span::raw("      ")],
    ));
    if let Some(text) = code.and_then(|c| c.line(line)) {
        let gutter = format!("{line:>6} │ ");
        let blank = format!("{:>6} │ ", "");
        let mut spans = vec![Span::styled(gutter, theme::dim())];
        spans.extend(text.spans.iter().cloned());
        out.push(Line::from(spans));
        out.push(Line::from(vec![
            Span::styled(blank, theme::dim()),
            Span::raw(" ".repeat(column.saturating_sub(1))),
            Span::styled("^ panicked here", theme::bad().add_modifier(Modifier::BOLD)),
        ]));
    }
}

/// The lesson's note for a failed test, when it has one.
fn explanation(explain: Option<&str>, width: usize, out: &mut Vec<Line<'static>>) {
    if let Some(explain) = explain {
        let first = [Span::styled(
            "    → ",
            theme::explain().add_modifier(Modifier::BOLD),
        )];
        out.extend(wrap(
            &[Span::styled(explain.to_owned(), theme::explain())],
            width,
            &first,
            &[Span::raw("      ")],
        ));
    }
}
