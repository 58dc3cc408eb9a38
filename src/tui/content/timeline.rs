//! Draws a timeline from a check (when each task of an async exercise ran,
//! in virtual milliseconds) as one bar per task over a shared time axis,
//! fitted to the width it is given.
//!
//! ```text
//! p0  │██                        │ 0–10 ms
//! p4  │ ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒→│ 10 ms–
//!     │▲                         │
//!     0 ms                   1000 ms
//! ```
//!
//! A finished task is `█`, one still running when the test looked is `▒`
//! up to the right edge with an arrow, and a task or instant that broke a
//! rule is drawn in the colour of a failure and listed under the drawing, so
//! the picture reads the same without colour.

use ratatui::text::{Line, Span};

use super::theme;
use crate::runner::timeline::Timeline;

/// Rows drawn at most; the rest are counted.
const MAX_ROWS: usize = 24;
/// Columns of a task's name, at most.
const MAX_NAME: usize = 14;
/// Columns of the bars, at least.
const MIN_BARS: usize = 10;

/// The drawing, fitted to `width` columns (it never gets narrower than its
/// names and ten columns of bars).
pub fn draw(timeline: &Timeline, width: usize) -> Vec<Line<'static>> {
    if timeline.spans.is_empty() && timeline.marks.is_empty() {
        return Vec::new();
    }
    let shown = &timeline.spans[..timeline.spans.len().min(MAX_ROWS)];
    let name_width = shown
        .iter()
        .map(|s| s.name.chars().count().min(MAX_NAME))
        .max()
        .unwrap_or(0)
        .max(2);
    let ranges: Vec<String> = shown.iter().map(range).collect();
    let range_width = ranges.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    let bars = width
        .saturating_sub(name_width + range_width + 4)
        .max(MIN_BARS);
    let total = timeline.end_ms().max(1);
    let column = |ms: u64| -> usize {
        let col = u128::from(ms) * (bars as u128 - 1) / u128::from(total);
        usize::try_from(col).unwrap_or(bars - 1).min(bars - 1)
    };
    let mut lines = Vec::new();
    for (span, range) in shown.iter().zip(&ranges) {
        let style = if span.mark.is_some() {
            theme::bad()
        } else {
            theme::accent()
        };
        let from = column(span.start_ms);
        let bar: String = match span.end_ms {
            Some(end) => {
                let to = column(end).max(from);
                " ".repeat(from) + &"█".repeat(to - from + 1) + &" ".repeat(bars - 1 - to)
            }
            None if from + 1 >= bars => " ".repeat(bars - 1) + "→",
            None => " ".repeat(from) + &"▒".repeat(bars - 1 - from) + "→",
        };
        lines.push(Line::from(vec![
            Span::styled(fit(&span.name, name_width), theme::code()),
            Span::styled(" │", theme::dim()),
            Span::styled(bar, style),
            Span::styled("│ ", theme::dim()),
            Span::styled(range.clone(), theme::dim()),
        ]));
    }
    if !timeline.marks.is_empty() {
        let mut row = vec![' '; bars];
        for mark in &timeline.marks {
            row[column(mark.at_ms)] = '▲';
        }
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(name_width)),
            Span::styled(" │", theme::dim()),
            Span::styled(row.into_iter().collect::<String>(), theme::bad()),
            Span::styled("│", theme::dim()),
        ]));
    }
    let start = "0 ms".to_owned();
    let end = format!("{total} ms");
    // Under the first and the last column of the bars.
    let gap = bars.saturating_sub(start.len() + end.len()).max(1);
    lines.push(Line::styled(
        format!(
            "{}{start}{}{end}",
            " ".repeat(name_width + 2),
            " ".repeat(gap)
        ),
        theme::dim(),
    ));
    let hidden = timeline.spans.len() - shown.len();
    if hidden > 0 || timeline.truncated {
        lines.push(Line::styled(
            format!("and {hidden} more tasks not drawn"),
            theme::warn(),
        ));
    }
    lines
}

/// What broke a rule, one line each: the marked tasks, then the instants.
pub fn marks(timeline: &Timeline) -> Vec<String> {
    let spans = timeline
        .spans
        .iter()
        .filter_map(|s| s.mark.as_ref().map(|why| format!("{}: {why}", s.name)));
    let instants = timeline
        .marks
        .iter()
        .map(|m| format!("at {} ms: {}", m.at_ms, m.text));
    spans.chain(instants).collect()
}

fn range(span: &crate::runner::timeline::TimeSpan) -> String {
    match span.end_ms {
        Some(end) => format!("{}–{end} ms", span.start_ms),
        None => format!("{} ms–", span.start_ms),
    }
}

/// `text` cut or padded to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::timeline::from_output;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn bars_sit_where_their_times_are() {
        let timeline = from_output(
            "tensorlings:span p0 0 10\n\
             tensorlings:span p1 0 1000\n\
             tensorlings:span slow 500 - still running after shutdown\n\
             tensorlings:mark 0 3 in flight; the limit is 2\n",
        )
        .expect("a timeline");
        let rows = text(&draw(&timeline, 40));
        assert!(rows.iter().all(|r| r.chars().count() <= 40), "{rows:#?}");
        assert!(rows[0].starts_with("p0   │█ "), "{rows:#?}");
        assert!(rows[1].contains("│████████████████"), "{rows:#?}");
        assert!(rows[2].contains("▒→│ 500 ms–"), "{rows:#?}");
        assert!(rows[3].contains("│▲ "), "{rows:#?}");
        // The axis: 0 under the first column of the bars, the end under the last.
        let column = |row: &str, c: char| row.chars().position(|x| x == c);
        let first_bar = column(&rows[0], '│').unwrap() + 1;
        assert_eq!(column(&rows[4], '0'), Some(first_bar), "{rows:#?}");
        let last_bar = rows[1].chars().count()
            - column(&rows[1].chars().rev().collect::<String>(), '│').unwrap()
            - 1;
        assert_eq!(rows[4].chars().count(), last_bar, "{rows:#?}");
        assert!(rows[4].ends_with("1000 ms"), "{rows:#?}");
        assert_eq!(
            marks(&timeline),
            vec![
                "slow: still running after shutdown".to_owned(),
                "at 0 ms: 3 in flight; the limit is 2".to_owned()
            ]
        );
    }

    #[test]
    fn a_narrow_width_keeps_ten_columns_of_bars() {
        let timeline = from_output("tensorlings:span a-very-long-task-name 0 5\n").unwrap();
        let rows = text(&draw(&timeline, 5));
        assert!(
            rows[0].starts_with("a-very-long-t… │██████████│"),
            "{rows:#?}"
        );
    }
}
