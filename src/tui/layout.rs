//! Where everything goes on the screen: pure geometry, used by `update` (to
//! page, scroll and hit-test the mouse) and by `ui` (to draw). It measures
//! text from [`super::content`]; it never draws.

use ratatui::layout::{Constraint, Flex, Layout, Margin, Position, Rect};
use ratatui::text::Line;

use super::content::screen::Screen;
use super::content::{self, code::numbered};
use super::state::{Outcome, Tab};

/// The smallest terminal the app draws in: columns, rows.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// Width below which the solution goes under the learner's code, not beside it.
const SIDE_BY_SIDE: u16 = 80;

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
pub fn layout(app: &Screen, size: Rect) -> Areas {
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
        u16::try_from(content::tree::gauges(app, usize::from(tree_inner.width)).len()).unwrap_or(1);
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
pub fn comparing(app: &Screen) -> bool {
    app.show_solution && app.tab == Tab::Exercise
}

/// Rows of the right pane's content in a terminal of `size`.
pub fn pane_height(size: Rect) -> usize {
    usize::from(size.height.saturating_sub(3))
}

/// The first tree row shown when `height` rows fit: the cursor stays in view.
pub fn tree_offset(app: &Screen, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    (app.cursor + 1).saturating_sub(height)
}

/// The tree row under a mouse position, if any.
pub fn tree_row_at(app: &Screen, list: Rect, at: Position) -> Option<usize> {
    if !list.contains(at) {
        return None;
    }
    let row = tree_offset(app, usize::from(list.height)) + usize::from(at.y - list.y);
    (row < app.rows.len()).then_some(row)
}

/// The tab whose title is at `at`, if any.
pub fn tab_at(app: &Screen, right: Rect, at: Position) -> Option<Tab> {
    if at.y != right.y {
        return None;
    }
    content::tab_titles(app)
        .into_iter()
        .find(|(_, x, span)| {
            let start = right.x + x;
            let width = u16::try_from(span.width()).unwrap_or(0);
            at.x >= start && at.x < start + width
        })
        .map(|(tab, _, _)| tab)
}

/// Areas of the Exercise tab: the header, then one or two code panes, each
/// with a one-line label when the solution is shown.
pub fn exercise_areas(app: &Screen, inner: Rect) -> (Rect, Vec<Rect>) {
    let [header, body] =
        Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
    if !app.show_solution {
        return (header, vec![body]);
    }
    let halves: [Rect; 2] = if inner.width >= SIDE_BY_SIDE {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(2)
            .areas(body)
    } else {
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(1)
            .areas(body)
    };
    (header, halves.to_vec())
}

/// Rows of code and rows visible in the Exercise tab.
fn exercise_extent(app: &Screen, inner: Rect) -> (usize, u16) {
    let (_, panes) = exercise_areas(app, inner);
    let exercise = app.exercise(app.current);
    let width = usize::from(panes[0].width);
    let len = |path| {
        app.view
            .code(path)
            .map_or(0, |c| numbered(c, &[], width).len())
    };
    let mut content = len(&exercise.file);
    let mut visible = panes[0].height;
    if app.show_solution {
        content = content.max(len(&exercise.solution));
        visible = visible.saturating_sub(1);
    }
    (content, visible)
}

/// Where the parts of the Feedback tab go.
pub struct FeedbackAreas {
    /// The loss chart, for training exercises.
    pub chart: Option<Rect>,
    /// The scrolling text.
    pub text: Rect,
    /// The hints box, once a hint is revealed.
    pub hints: Option<Rect>,
}

/// Splits the Feedback tab's inner area for the current exercise.
pub fn feedback_areas(app: &Screen, inner: Rect) -> FeedbackAreas {
    let has_chart =
        matches!(app.outcome(app.current), Some(Outcome::Report(r)) if !r.losses.is_empty());
    let chart_height = if has_chart && inner.height >= 16 {
        (inner.height / 2).min(14)
    } else {
        0
    };
    let width = usize::from(inner.width);
    let hint_lines = content::feedback::hint_lines(&app.feedback_view(), width).len();
    let room = usize::from(inner.height.saturating_sub(chart_height));
    let text_lines = if hint_lines == 0 {
        0
    } else {
        let (banner, body) = app.feedback_lines(width);
        banner.len() + body.len()
    };
    let hints_height = if hint_lines == 0 {
        0
    } else {
        // All the hints when the feedback above is short; else at most 3/5 of the room.
        let most = room.saturating_sub(text_lines + 1).max(room * 3 / 5).max(4);
        (hint_lines + 1).min(most)
    };
    // The hints follow the feedback when both fit; else they take the bottom.
    let text_height = if hints_height == 0 {
        room
    } else if text_lines + 1 + hints_height <= room {
        text_lines + 1
    } else {
        room.saturating_sub(hints_height)
    };
    let length = |n: usize| Constraint::Length(u16::try_from(n).unwrap_or(u16::MAX));
    let [chart, text, hints, _] = Layout::vertical([
        Constraint::Length(chart_height),
        length(text_height),
        length(hints_height),
        Constraint::Fill(1),
    ])
    .areas(inner);
    FeedbackAreas {
        chart: (chart_height > 0).then_some(chart),
        text,
        hints: (hints_height > 0).then_some(hints),
    }
}

/// How far `tab` can scroll.
pub fn max_scroll(app: &Screen, tab: Tab) -> usize {
    let inner = layout(app, app.size).inner;
    let (content, visible) = match tab {
        Tab::Lesson => (
            app.lesson_lines(usize::from(inner.width)).len(),
            inner.height,
        ),
        Tab::Exercise => exercise_extent(app, inner),
        Tab::Feedback => {
            let text = feedback_areas(app, inner).text;
            let (banner, body) = app.feedback_lines(usize::from(text.width));
            (banner.len() + body.len(), text.height)
        }
    };
    content.saturating_sub(usize::from(visible))
}

/// How far a graph drawing in the Feedback tab can scroll sideways.
pub fn max_graph_x(app: &Screen) -> usize {
    let inner = layout(app, app.size).inner;
    let text = feedback_areas(app, inner).text;
    let (_, body) = app.feedback_lines(usize::from(text.width));
    body.iter()
        .filter(|l| l.alignment == Some(content::picture::GRAPH_ROW))
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .saturating_sub(usize::from(text.width))
}

/// The box of the `?` screen in a terminal of `size`.
pub fn help_area(size: Rect) -> Rect {
    let width = size.width.saturating_sub(4).min(72);
    let height = size
        .height
        .saturating_sub(2)
        .min(u16::try_from(super::keys::BINDINGS.len() + 7).unwrap_or(u16::MAX));
    centered(size, width, height)
}

/// A box of `width` × `height` in the middle of `size`.
pub fn centered(size: Rect, width: u16, height: u16) -> Rect {
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(size);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    area
}

/// How far the `?` screen scrolls in a terminal of `size`.
pub fn help_max_scroll(size: Rect, about: &[String]) -> usize {
    let area = help_area(size);
    let inner = usize::from(area.height.saturating_sub(2));
    content::help::lines(usize::from(area.width.saturating_sub(4)), about)
        .len()
        .saturating_sub(inner)
}
