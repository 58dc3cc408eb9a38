//! Markdown tables as aligned columns: a bold header, a rule, and the rows;
//! cells too wide for their share of the width are cut with `…`.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme;
use super::wrap::{str_width, truncate};

/// The lines of a table of `rows` (the first is the header) in `width`
/// columns, each line starting with `indent`.
pub fn render(rows: &[Vec<String>], width: usize, indent: &[Span<'static>]) -> Vec<Line<'static>> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return Vec::new();
    }
    let budget = width.saturating_sub(3 * (columns - 1)) / columns;
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| str_width(cell.trim()))
                .max()
                .unwrap_or(0)
                .min(budget.max(4))
        })
        .collect();
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut spans = indent.to_vec();
        for (c, width) in widths.iter().enumerate() {
            if c > 0 {
                spans.push(Span::styled(" │ ", theme::dim()));
            }
            let cell = truncate(row.get(c).map_or("", |cell| cell.trim()), *width);
            let pad = width.saturating_sub(str_width(&cell));
            let style = if r == 0 {
                theme::strong()
            } else {
                Style::default()
            };
            spans.push(Span::styled(format!("{cell}{}", " ".repeat(pad)), style));
        }
        out.push(Line::from(spans));
        if r == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            out.push(Line::styled(rule.join("─┼─"), theme::dim()));
        }
    }
    out
}
