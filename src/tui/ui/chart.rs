//! The loss curve of a training exercise, one line per test that printed losses.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, LegendPosition};

use super::theme;

const COLORS: [Color; 4] = [Color::Cyan, Color::Magenta, Color::Yellow, Color::Green];

/// One line of the chart: a test's name and its finite (step, loss) points.
type Series<'a> = (&'a String, Vec<(f64, f64)>);

/// Draws `losses` (test name → (step, loss)) as a line chart in `area`.
pub fn draw(frame: &mut Frame, losses: &BTreeMap<String, Vec<(u64, f64)>>, area: Rect) {
    let series = series(losses);
    let ([x_min, x_max], [y_min, y_max]) = bounds(&series);
    let datasets = series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            Dataset::default()
                .name(name.as_str())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(COLORS[i % COLORS.len()]))
                .data(points)
        })
        .collect();
    let scale = y_max.abs().max(y_min.abs());
    let label = |v: f64| Span::styled(format_number(v, scale), theme::dim());
    let step = |v: f64| Span::styled(format!("{v:.0}"), theme::dim());
    let chart = Chart::new(datasets)
        .block(
            Block::new()
                .borders(Borders::BOTTOM)
                .title(Span::styled("Training loss", theme::strong())),
        )
        .x_axis(
            Axis::default()
                .title(Span::styled("step", theme::dim()))
                .bounds([x_min, x_max])
                .labels([step(x_min), step(x_max)]),
        )
        .y_axis(Axis::default().bounds([y_min, y_max]).labels([
            label(y_min),
            label(f64::midpoint(y_min, y_max)),
            label(y_max),
        ]))
        .legend_position(Some(LegendPosition::TopRight))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)));
    frame.render_widget(chart, area);
}

/// Each test's points as the chart plots them, losses that are not finite left out.
#[allow(clippy::cast_precision_loss, reason = "steps are small counts")]
fn series(losses: &BTreeMap<String, Vec<(u64, f64)>>) -> Vec<Series<'_>> {
    losses
        .iter()
        .map(|(name, points)| {
            (
                name,
                points
                    .iter()
                    .filter(|(_, y)| y.is_finite())
                    .map(|&(x, y)| (x as f64, y))
                    .collect(),
            )
        })
        .collect()
}

/// The axes' bounds: the steps from first to last (at least to 1), the
/// losses from 0 (or below, when one is negative) to the largest; 0 to 1
/// when there is no point.
fn bounds(series: &[Series<'_>]) -> ([f64; 2], [f64; 2]) {
    let all = series.iter().flat_map(|(_, points)| points.iter());
    let (mut x_max, mut y_min, mut y_max) = (1.0_f64, f64::INFINITY, f64::NEG_INFINITY);
    let mut x_min = f64::INFINITY;
    for &(x, y) in all {
        x_min = x_min.min(x);
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    if !y_min.is_finite() {
        (x_min, y_min, y_max) = (0.0, 0.0, 1.0);
    }
    let y_min = if y_min >= 0.0 { 0.0 } else { y_min };
    if y_max <= y_min {
        y_max = y_min + 1.0;
    }
    ([x_min, x_max], [y_min, y_max])
}

/// A short axis label, its precision set by the axis' `scale` (its largest
/// magnitude) so every label of an axis has the same form.
fn format_number(value: f64, scale: f64) -> String {
    if !(0.01..1000.0).contains(&scale) {
        format!("{value:.1e}")
    } else if scale >= 10.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn axis_labels_stay_short() {
        assert_eq!(format_number(0.0, 2.0), "0.00");
        assert_eq!(format_number(0.25, 2.0), "0.25");
        assert_eq!(format_number(42.4, 50.0), "42");
        assert_eq!(format_number(0.0001, 0.001), "1.0e-4");
    }
}
