//! A timeline from a check (when each task of an async exercise ran, in
//! virtual milliseconds) as one bar per task over a shared time axis: the
//! core lays it out ([`Picture::of_timeline`]), this paints it.

use ratatui::text::Line;

use crate::graph::{Mark, Picture, Timeline};

/// The drawing, fitted to `width` columns (it never gets narrower than its
/// names and ten columns of bars).
pub fn draw(timeline: &Timeline, width: usize) -> Vec<Line<'static>> {
    super::picture::lines(&Picture::of_timeline(timeline, width))
}

/// What broke a rule, one line each: the marked tasks, then the instants.
pub fn marks(timeline: &Timeline) -> Vec<String> {
    Mark::in_timeline(timeline)
        .into_iter()
        .map(|m| format!("{}: {}", m.place.text(), m.why))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_output(output: &str) -> Option<crate::graph::Timeline> {
        crate::graph::read(output).pictures.timeline
    }

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
