//! Drawing: a pure function of `&App`. The layout is computed here too, so
//! `update` can ask how tall a pane is (for scrolling and mouse clicks).

pub mod chart;
pub mod code;
pub mod diagnostic;
pub mod failure;
pub mod feedback;
pub mod help;
pub mod panes;
pub mod prose;
pub mod table;
pub mod theme;
pub mod tree;
pub mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Focus, Level, Outcome, Overlay, Tab};
use crate::runner::Status;

/// The smallest terminal the app draws in: columns, rows.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// How colours are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// No colours at all (`NO_COLOR` is set).
    Off,
    /// The 256-colour palette.
    Ansi256,
    /// 24-bit colour (`COLORTERM=truecolor`).
    TrueColor,
}

impl ColorMode {
    /// From `NO_COLOR` (set and not empty: no colour) and `COLORTERM`.
    pub fn from_env() -> ColorMode {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            ColorMode::Off
        } else if std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit") {
            ColorMode::TrueColor
        } else {
            ColorMode::Ansi256
        }
    }
}

/// Where everything goes.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    /// The course tree's box.
    pub tree: Rect,
    /// The tree's rows.
    pub list: Rect,
    /// The gauges under the rows.
    pub gauges: Rect,
    /// The right box, with the tabs in its top border.
    pub right: Rect,
    /// Inside the right box, less a column of margin on each side.
    pub inner: Rect,
    /// The status bar.
    pub status: Rect,
}

/// The layout of the app in a terminal of `size`.
pub fn layout(app: &App, size: Rect) -> Areas {
    let [main, status] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(size);
    let tree_width = if comparing(app) {
        0
    } else {
        (size.width * 3 / 10).clamp(24, 36)
    };
    let [tree, right] =
        Layout::horizontal([Constraint::Length(tree_width), Constraint::Fill(1)]).areas(main);
    let tree_inner = tree.inner(Margin::new(1, 1));
    let gauge_rows =
        u16::try_from(tree::gauges(app, usize::from(tree_inner.width)).len()).unwrap_or(1);
    let [list, _, gauges] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(gauge_rows),
    ])
    .areas(tree_inner);
    Areas {
        tree,
        list,
        gauges,
        right,
        inner: right.inner(Margin::new(2, 1)),
        status,
    }
}

/// Whether the course tree makes way for the solution beside the learner's
/// code: comparing two files needs the width more than the tree does.
pub fn comparing(app: &App) -> bool {
    app.show_solution && app.tab == Tab::Exercise
}

/// Rows of the right pane's content in a terminal of `size`.
pub fn pane_height(size: Rect) -> usize {
    usize::from(size.height.saturating_sub(3))
}

/// The spinner's current frame.
pub fn spinner(app: &App) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[usize::try_from(app.ticks % 10).unwrap_or(0)]
}

/// How far `tab` can scroll.
pub fn max_scroll(app: &App, tab: Tab) -> usize {
    let inner = layout(app, app.size).inner;
    let (content, visible) = match tab {
        Tab::Lesson => (
            panes::lesson_lines(app, usize::from(inner.width)).len(),
            inner.height,
        ),
        Tab::Exercise => panes::exercise_extent(app, inner),
        Tab::Feedback => {
            let text = feedback::areas(app, inner).text;
            (
                feedback::lines(app, usize::from(text.width)).len(),
                text.height,
            )
        }
    };
    content.saturating_sub(usize::from(visible))
}

/// The tab titles as spans, with the column each starts at (relative to the box).
fn tab_titles(app: &App) -> Vec<(Tab, u16, Span<'static>)> {
    let mut out = Vec::new();
    let mut x = 1;
    for (i, tab) in Tab::ALL.into_iter().enumerate() {
        let mark = if tab == Tab::Feedback {
            feedback_mark(app)
        } else {
            String::new()
        };
        let text = format!(" {} {}{mark} ", i + 1, tab.title());
        let style = if tab == app.tab {
            theme::selected().add_modifier(Modifier::BOLD)
        } else {
            theme::dim()
        };
        let width = u16::try_from(wrap::str_width(&text)).unwrap_or(0);
        out.push((tab, x, Span::styled(text, style)));
        x += width + 1;
    }
    out
}

fn feedback_mark(app: &App) -> String {
    if app
        .checks
        .running
        .as_ref()
        .is_some_and(|r| r.exercise == app.current)
    {
        return format!(" {}", spinner(app));
    }
    match app.outcome(app.current) {
        Some(Outcome::Report(r)) if r.status == Status::Passed => " ✓".to_owned(),
        Some(_) => " ✗".to_owned(),
        None => String::new(),
    }
}

/// The tab whose title is at `at`, if any.
pub fn tab_at(app: &App, right: Rect, at: Position) -> Option<Tab> {
    if at.y != right.y {
        return None;
    }
    tab_titles(app)
        .into_iter()
        .find(|(_, x, span)| {
            let start = right.x + x;
            let width = u16::try_from(span.width()).unwrap_or(0);
            at.x >= start && at.x < start + width
        })
        .map(|(tab, _, _)| tab)
}

/// Draws the whole app.
pub fn draw(frame: &mut Frame, app: &App) {
    let size = frame.area();
    if size.width < MIN_SIZE.0 || size.height < MIN_SIZE.1 {
        help::too_small(frame, MIN_SIZE);
    } else {
        let areas = layout(app, size);
        if areas.tree.width > 0 {
            draw_tree(frame, app, &areas);
        }
        draw_right(frame, app, &areas);
        draw_status(frame, app, areas.status);
        match &app.overlay {
            Some(Overlay::Help) => help::draw(frame, app.scroll.help, app.sandbox.as_deref()),
            Some(Overlay::Notice(text)) => help::notice(frame, text),
            None => {}
        }
    }
    if app.colors == ColorMode::Off {
        for cell in &mut frame.buffer_mut().content {
            cell.set_fg(Color::Reset);
            cell.set_bg(Color::Reset);
            cell.underline_color = Color::Reset;
        }
    }
}

fn border_style(focused: bool) -> ratatui::style::Style {
    if focused {
        theme::focused_border()
    } else {
        theme::dim()
    }
}

fn draw_tree(frame: &mut Frame, app: &App, areas: &Areas) {
    let block = Block::bordered()
        .border_style(border_style(app.focus == Focus::Tree))
        .title(Span::styled(
            " tensorlings ",
            theme::accent().add_modifier(Modifier::BOLD),
        ));
    frame.render_widget(block, areas.tree);
    tree::draw(frame, app, areas.list);
    let gauges = tree::gauges(app, usize::from(areas.gauges.width));
    frame.render_widget(Paragraph::new(gauges), areas.gauges);
}

fn draw_right(frame: &mut Frame, app: &App, areas: &Areas) {
    let titles: Vec<Span> = tab_titles(app)
        .into_iter()
        .map(|(_, _, span)| span)
        .collect();
    let mut title = Vec::new();
    for (i, span) in titles.into_iter().enumerate() {
        if i > 0 {
            title.push(Span::raw("─"));
        }
        title.push(span);
    }
    let block = Block::bordered()
        .border_style(border_style(app.focus == Focus::Pane))
        .title(Line::from(title))
        .title_bottom(panes::footer(app).right_aligned());
    frame.render_widget(block, areas.right);
    match app.tab {
        Tab::Lesson => panes::draw_lesson(frame, app, areas.inner),
        Tab::Exercise => panes::draw_exercise(frame, app, areas.inner),
        Tab::Feedback => feedback::draw(frame, app, areas.inner),
    }
}

fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = Vec::new();
    if let Some((level, message)) = &app.status {
        let style = match level {
            Level::Info => theme::accent(),
            Level::Good => theme::good().add_modifier(Modifier::BOLD),
            Level::Warn => theme::warn().add_modifier(Modifier::BOLD),
        };
        spans.push(Span::styled(format!(" {message} "), style));
    } else if let Some(run) = &app.checks.running {
        let id = &app.exercise(run.exercise).id;
        spans.push(Span::styled(
            format!(" {} checking {id} ", spinner(app)),
            theme::accent(),
        ));
    }
    let used: usize = spans.iter().map(Span::width).sum();
    let keys = key_hints(app);
    let room = usize::from(area.width).saturating_sub(used);
    let mut hints: Vec<Span> = Vec::new();
    let mut width = 0;
    for (key, does) in keys {
        let piece = wrap::str_width(key) + wrap::str_width(does) + 3;
        if width + piece > room {
            break;
        }
        width += piece;
        hints.push(Span::styled(
            format!(" {key}"),
            theme::accent().add_modifier(Modifier::BOLD),
        ));
        hints.push(Span::styled(format!(" {does} "), theme::dim()));
    }
    let gap = room.saturating_sub(width);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.extend(hints);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys worth showing now, most useful first (the bar drops the rest).
fn key_hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let passed = app.session.passed(&app.exercise(app.current).id);
    let mut keys = Vec::new();
    if passed {
        keys.push(("n", "next"));
    }
    keys.extend([("c", "check"), ("e", "edit"), ("h", "hint")]);
    if passed {
        keys.push(("s", "solution"));
    }
    keys.extend([("?", "keys"), ("q", "quit")]);
    if app.focus == Focus::Tree {
        keys.push(("Enter", "open"));
    }
    keys.push(("Tab", "focus"));
    keys
}
