//! Drawing: a pure function of `&Screen`. Where things go comes from
//! [`super::layout`], what they say from [`super::content`]; nothing here
//! changes state, and `update` never calls in here.

pub mod chart;
pub mod feedback;
pub mod help;
pub mod panes;
pub mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::content::screen::Screen;
use super::content::{ColorMode, spinner, tab_titles, theme, wrap};
use super::keys::{self, Action};
use super::layout::{Areas, MIN_SIZE, layout};
use super::state::{Focus, Level, Overlay, Tab};

/// Draws the whole app.
pub fn draw(frame: &mut Frame, app: &Screen) {
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
            Some(Overlay::Help) => help::draw(frame, app.scroll.help, app.about),
            Some(Overlay::Notice(text)) => help::notice(frame, text),
            Some(Overlay::Confirm(ask)) => {
                help::confirm(frame, &super::content::goto::question(app, *ask));
            }
            Some(Overlay::GoTo(goto)) => help::goto(frame, app, goto),
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

fn draw_tree(frame: &mut Frame, app: &Screen, areas: &Areas) {
    let block = Block::bordered()
        .border_style(border_style(app.focus == Focus::Tree))
        .title(Span::styled(
            " tensorlings ",
            theme::accent().add_modifier(Modifier::BOLD),
        ));
    frame.render_widget(block, areas.tree);
    tree::draw(frame, app, areas.list);
    let gauges = super::content::tree::gauges(app, usize::from(areas.gauges.width));
    frame.render_widget(Paragraph::new(gauges), areas.gauges);
}

fn draw_right(frame: &mut Frame, app: &Screen, areas: &Areas) {
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

fn draw_status(frame: &mut Frame, app: &Screen, area: Rect) {
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
            format!(" {} checking {id} ", spinner(app.ticks)),
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

/// The keys worth showing now, most useful first (the bar drops the rest),
/// named as the key table names them.
fn key_hints(app: &Screen) -> Vec<(&'static str, &'static str)> {
    let passed = app.session.passed(&app.exercise(app.current).id);
    let mut actions = Vec::new();
    if passed {
        actions.push(Action::Next);
    }
    actions.extend([Action::Check, Action::Edit, Action::Hint]);
    if passed {
        actions.push(Action::Solution);
    }
    actions.extend([Action::Help, Action::Quit, Action::GoTo]);
    if app.focus == Focus::Tree {
        actions.push(Action::Open);
    }
    actions.push(Action::SwitchFocus);
    actions.into_iter().filter_map(keys::bar).collect()
}
