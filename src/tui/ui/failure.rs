//! One failed hidden test: its name, the panic message, the two sides of a
//! failed assertion set apart, the lesson's explanation for that test, and the
//! learner's line when the panic happened in their code.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::theme;
use super::wrap::{hard_wrap, wrap};
use crate::runner::TestResult;
use crate::tui::app::App;

/// Lines of program output shown per test at most.
const OUTPUT_LINES: usize = 8;

/// Appends the lines for `test` to `out`. A `repeat` failed with the same
/// panic as a test shown above it: only its name and lesson note are shown.
pub fn lines(
    app: &App,
    test: &TestResult,
    width: usize,
    repeat: bool,
    out: &mut Vec<Line<'static>>,
) {
    let exercise = app.exercise(app.current);
    out.push(Line::from(vec![
        Span::styled("✗ ", theme::bad().add_modifier(Modifier::BOLD)),
        Span::styled(test.name.clone(), theme::bad().add_modifier(Modifier::BOLD)),
    ]));
    let indent = [Span::raw("    ")];
    if repeat {
        out.push(Line::styled("    the same panic as above", theme::dim()));
        explanation(exercise.messages.get(&test.name), width, out);
        out.push(Line::default());
        return;
    }
    if let Some(message) = test.message.as_deref().filter(|m| !m.is_empty()) {
        for line in message.lines() {
            out.extend(wrap(&[Span::raw(line.to_owned())], width, &indent, &indent));
        }
        if let Some(plain) = plain_words(message) {
            out.extend(wrap(
                &[Span::styled(plain, theme::dim())],
                width,
                &indent,
                &indent,
            ));
        }
    }
    if let Some(left) = &test.left {
        let label = [
            Span::raw("    "),
            Span::styled("left:  ", theme::bad().add_modifier(Modifier::BOLD)),
        ];
        out.extend(hard_wrap(left, theme::bad(), width, &label, 11));
    }
    if let Some(right) = &test.right {
        let label = [
            Span::raw("    "),
            Span::styled("right: ", theme::good().add_modifier(Modifier::BOLD)),
        ];
        out.extend(hard_wrap(right, theme::good(), width, &label, 11));
    }
    explanation(exercise.messages.get(&test.name), width, out);
    location(app, test, width, out);
    let output: Vec<&str> = test.output.lines().collect();
    if !output.is_empty() {
        out.push(Line::styled("    it printed:", theme::dim()));
        for line in output.iter().take(OUTPUT_LINES) {
            out.extend(hard_wrap(
                line,
                theme::dim(),
                width,
                &[Span::raw("      ")],
                6,
            ));
        }
        if output.len() > OUTPUT_LINES {
            out.push(Line::styled(
                format!("      … {} more lines", output.len() - OUTPUT_LINES),
                theme::dim(),
            ));
        }
    }
    out.push(Line::default());
}

/// The learner's line the panic came from, with a caret under the column.
fn location(app: &App, test: &TestResult, width: usize, out: &mut Vec<Line<'static>>) {
    let Some(location) = &test.location else {
        return;
    };
    let name = app.display_name(app.current);
    let Some(rest) = location
        .strip_prefix(&name)
        .and_then(|r| r.strip_prefix(':'))
    else {
        return;
    };
    let mut parts = rest.split(':').map(str::parse::<usize>);
    let (Some(Ok(line)), column) = (parts.next(), parts.next()) else {
        return;
    };
    let column = column.and_then(Result::ok).unwrap_or(1);
    let place = format!("at {name}:{line}:{column}");
    out.extend(wrap(
        &[Span::styled(place, theme::dim())],
        width,
        &[Span::raw("    ")],
        &[Span::raw("      ")],
    ));
    let code = app.view.code(&app.exercise(app.current).file);
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

/// A plain-words reading of panic messages that puzzle newcomers.
fn plain_words(message: &str) -> Option<String> {
    let first = message.lines().next().unwrap_or_default();
    let text = if first.starts_with("not yet implemented") {
        "A `todo!()` in your code was reached: replace it with a real body."
    } else if first.starts_with("not implemented") {
        "An `unimplemented!()` in your code was reached."
    } else if first.contains("index out of bounds") {
        "An index past the end of a slice or Vec: check lengths, or use `get`, which returns an Option."
    } else if first.contains("called `Option::unwrap()` on a `None` value") {
        "`unwrap` on a None: handle the missing case (match, `?`, `ok_or`) instead of assuming a value."
    } else if first.contains("called `Result::unwrap()` on an `Err` value") {
        "`unwrap` on an Err: the operation failed; handle or return the error instead."
    } else if first.contains("attempt to") && first.contains("with overflow") {
        "An integer overflowed: the value went past what its type holds."
    } else if first.contains("attempt to divide by zero") {
        "A division by zero: check the divisor (often an empty input's length) first."
    } else {
        return None;
    };
    Some(text.to_owned())
}

/// The lesson's note for a failed test, when it has one.
fn explanation(explain: Option<&String>, width: usize, out: &mut Vec<Line<'static>>) {
    if let Some(explain) = explain {
        let first = [Span::styled(
            "    → ",
            theme::explain().add_modifier(Modifier::BOLD),
        )];
        out.extend(wrap(
            &[Span::styled(explain.clone(), theme::explain())],
            width,
            &first,
            &[Span::raw("      ")],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn common_panics_get_plain_words() {
        assert!(plain_words("not yet implemented").is_some_and(|t| t.contains("todo!()")));
        assert!(plain_words("index out of bounds: the len is 0 but the index is 0").is_some());
        assert_eq!(plain_words("assertion failed: x > 0"), None);
    }
}
