//! A timeline drawn as one bar per task over a shared time axis, fitted to
//! the width it is given:
//!
//! ```text
//! p0  │██                        │ 0–10 ms
//! p4  │ ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒→│ 10 ms–
//!     │▲                         │
//!     0 ms                   1000 ms
//! ```
//!
//! A finished task is `█`, one still running when the test looked is `▒`
//! up to the right edge with an arrow; a task or an instant that broke a
//! rule is marked (and listed under the drawing by the front ends, so the
//! picture reads the same without colour).

use super::cells::{Meaning, Picture, Row};
use crate::graph::timeline::{TimeSpan, Timeline};

/// Rows drawn at most; the rest are counted.
const MAX_ROWS: usize = 24;
/// Columns of a task's name, at most.
const MAX_NAME: usize = 14;
/// Columns of the bars, at least.
const MIN_BARS: usize = 10;

impl Picture {
    /// The drawing of `timeline`, fitted to `width` columns (never narrower
    /// than its names and ten columns of bars).
    pub fn of_timeline(timeline: &Timeline, width: usize) -> Picture {
        draw(timeline, width)
    }
}

fn draw(timeline: &Timeline, width: usize) -> Picture {
    let mut picture = Picture::default();
    if timeline.spans.is_empty() && timeline.marks.is_empty() {
        return picture;
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
    let axis = Axis {
        bars,
        total: timeline.end_ms().max(1),
    };
    for (span, range) in shown.iter().zip(&ranges) {
        let row = Row::default()
            .text(&fit(&span.name, name_width), Meaning::Task)
            .text(" │", Meaning::Axis);
        let row = axis.bar(row, span).text("│ ", Meaning::Axis);
        picture.push(row.text(range, Meaning::Axis).0);
    }
    if !timeline.marks.is_empty() {
        let mut instants = vec![' '; bars];
        for mark in &timeline.marks {
            instants[axis.column(mark.at_ms)] = '▲';
        }
        let instants: String = instants.into_iter().collect();
        let row = Row::default()
            .text(&" ".repeat(name_width), Meaning::Blank)
            .text(" │", Meaning::Axis)
            .text(&instants, Meaning::Instant)
            .text("│", Meaning::Axis);
        picture.push(row.0);
    }
    let (start, end) = ("0 ms".to_owned(), format!("{} ms", axis.total));
    // Under the first and the last column of the bars.
    let gap = bars.saturating_sub(start.len() + end.len()).max(1);
    let labels = format!(
        "{}{start}{}{end}",
        " ".repeat(name_width + 2),
        " ".repeat(gap)
    );
    picture.push(Row::default().text(&labels, Meaning::Axis).0);
    let hidden = timeline.spans.len() - shown.len();
    if hidden > 0 || timeline.truncated {
        let cut = format!("and {hidden} more tasks not drawn");
        picture.push(Row::default().text(&cut, Meaning::Cut).0);
    }
    picture
}

/// Virtual time across the columns of the bars.
struct Axis {
    bars: usize,
    total: u64,
}

impl Axis {
    /// The column of the bars an instant falls in.
    fn column(&self, ms: u64) -> usize {
        let col = u128::from(ms) * (self.bars as u128 - 1) / u128::from(self.total);
        usize::try_from(col)
            .unwrap_or(self.bars - 1)
            .min(self.bars - 1)
    }

    /// `row` with the bar of `span` after it.
    fn bar(&self, row: Row, span: &TimeSpan) -> Row {
        let bars = self.bars;
        let from = self.column(span.start_ms);
        let marked = span.mark.is_some();
        let (bar, running) = match span.end_ms {
            Some(end) => {
                let to = self.column(end).max(from);
                let bar =
                    " ".repeat(from) + &"█".repeat(to - from + 1) + &" ".repeat(bars - 1 - to);
                (bar, false)
            }
            None if from + 1 >= bars => (" ".repeat(bars - 1) + "→", true),
            None => (" ".repeat(from) + &"▒".repeat(bars - 1 - from) + "→", true),
        };
        row.text(&bar, Meaning::Bar { running, marked })
    }
}

fn range(span: &TimeSpan) -> String {
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
