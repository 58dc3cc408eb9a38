//! Draws a graph from a check (an autograd expression or an ONNX model) as
//! boxes and arrows, left to right, the output on the right.
//!
//! Layout, in the usual layered way: a node's column is how far it is from
//! the output (so each operand sits just left of what uses it), an edge
//! that spans several columns passes through a point in each, nodes in a
//! column are ordered by where their users are, and each sits level with
//! the middle of its operands where there is room. Lines are drawn as
//! connections on a grid and turned into box-drawing characters last, so
//! lines that meet join cleanly.

use std::collections::BTreeMap;

use ratatui::layout::Alignment;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme;
use crate::runner::graph::{Graph, OnnxRole, shape_text, short};

/// The alignment that tags a row of a drawing, so the Feedback tab can
/// scroll those rows sideways and leave the wrapped text alone. Left is how
/// every line is drawn anyway; other lines leave the alignment unset.
pub const GRAPH_ROW: Alignment = Alignment::Left;

/// Characters of text inside a box, at most.
const BOX_TEXT: usize = 12;
/// Rows between boxes in a column.
const ROW_GAP: usize = 1;

/// What a box says.
struct Card {
    title: String,
    lines: Vec<String>,
    marked: bool,
    /// Whether the title is an operator (drawn bold) or a name.
    op: bool,
}

fn cards(graph: &Graph) -> Vec<Card> {
    match graph {
        Graph::Autograd { nodes, .. } => nodes
            .iter()
            .map(|n| {
                let title = match (n.op.as_str(), &n.label) {
                    ("leaf", Some(label)) => label.clone(),
                    ("leaf", None) => "leaf".to_owned(),
                    ("*", _) => "×".to_owned(),
                    ("/", _) => "÷".to_owned(),
                    ("-", _) => "−".to_owned(),
                    (op, _) => op
                        .strip_prefix("pow:")
                        .map_or_else(|| op.to_owned(), |p| format!("^{p}")),
                };
                let grad = n.grad.map_or_else(|| "·".to_owned(), short);
                Card {
                    title,
                    lines: vec![format!("d {}", short(n.data)), format!("g {grad}")],
                    marked: n.mark.is_some(),
                    op: n.op != "leaf",
                }
            })
            .collect(),
        Graph::Onnx { nodes, .. } => nodes
            .iter()
            .map(|n| {
                let title = match (n.role, &n.op) {
                    (OnnxRole::Node, Some(op)) => op.clone(),
                    (OnnxRole::Input, _) => "input".to_owned(),
                    (OnnxRole::Initializer, _) => "init".to_owned(),
                    (OnnxRole::Output, _) => "output".to_owned(),
                    (OnnxRole::Node, None) => "?".to_owned(),
                };
                let shape = n.shape.as_deref().map_or_else(String::new, shape_text);
                Card {
                    title,
                    lines: vec![n.name.clone(), shape],
                    marked: n.mark.is_some(),
                    op: n.role == OnnxRole::Node,
                }
            })
            .collect(),
    }
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A point of the layout: a real node, or where a long edge passes a column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Point {
    Node(usize),
    Pass(usize),
}

struct Layout {
    /// Column of each real node.
    column: Vec<usize>,
    /// Points per column, top to bottom.
    columns: Vec<Vec<Point>>,
    /// Edges between points in neighbouring columns.
    links: Vec<(Point, Point)>,
}

fn layout(count: usize, edges: &[(usize, usize)]) -> Layout {
    // Distance to the farthest output along the edges (cycles are cut off).
    let mut depth = vec![0_usize; count];
    for _ in 0..count {
        let mut changed = false;
        for &(from, to) in edges {
            if depth[from] < depth[to] + 1 && depth[to] < count {
                depth[from] = depth[to] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let deepest = depth.iter().copied().max().unwrap_or(0);
    let column: Vec<usize> = depth.iter().map(|d| deepest - d).collect();
    let mut columns: Vec<Vec<Point>> = vec![Vec::new(); deepest + 1];
    for (n, &c) in column.iter().enumerate() {
        columns[c].push(Point::Node(n));
    }
    let mut links = Vec::new();
    let mut passes = 0;
    for &(from, to) in edges {
        let (a, b) = (column[from], column[to]);
        if b <= a {
            continue;
        }
        let mut previous = Point::Node(from);
        for column in &mut columns[a + 1..b] {
            let pass = Point::Pass(passes);
            passes += 1;
            column.push(pass);
            links.push((previous, pass));
            previous = pass;
        }
        links.push((previous, Point::Node(to)));
    }
    // Order each column by where its points' users sit, from the right.
    for c in (0..columns.len().saturating_sub(1)).rev() {
        let (left, right) = columns.split_at_mut(c + 1);
        let next = &right[0];
        let place = |p: &Point| -> f64 {
            let users: Vec<usize> = links
                .iter()
                .filter(|(from, _)| from == p)
                .filter_map(|(_, to)| next.iter().position(|q| q == to))
                .collect();
            if users.is_empty() {
                f64::MAX
            } else {
                #[allow(clippy::cast_precision_loss, reason = "tiny counts")]
                let mean = users.iter().sum::<usize>() as f64 / users.len() as f64;
                mean
            }
        };
        let column = &mut left[c];
        let mut keyed: Vec<(f64, usize, Point)> = column
            .iter()
            .enumerate()
            .map(|(i, p)| (place(p), i, *p))
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *column = keyed.into_iter().map(|(_, _, p)| p).collect();
    }
    Layout {
        column,
        columns,
        links,
    }
}

/// Connection bits of a grid cell.
const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

struct Canvas {
    width: usize,
    cells: Vec<Vec<(char, Style)>>,
    bits: Vec<Vec<u8>>,
    line_style: Vec<Vec<Style>>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            cells: vec![vec![(' ', Style::new()); width]; height],
            bits: vec![vec![0; width]; height],
            line_style: vec![vec![Style::new(); width]; height],
        }
    }

    fn put(&mut self, x: usize, y: usize, c: char, style: Style) {
        if y < self.cells.len() && x < self.width {
            self.cells[y][x] = (c, style);
            self.bits[y][x] = 0;
        }
    }

    fn text(&mut self, x: usize, y: usize, text: &str, style: Style) {
        for (i, c) in text.chars().enumerate() {
            self.put(x + i, y, c, style);
        }
    }

    fn connect(&mut self, x: usize, y: usize, bits: u8, style: Style) {
        if y < self.bits.len() && x < self.width {
            self.bits[y][x] |= bits;
            self.line_style[y][x] = style;
        }
    }

    fn horizontal(&mut self, y: usize, x1: usize, x2: usize, style: Style) {
        let (a, b) = (x1.min(x2), x1.max(x2));
        for x in a..=b {
            let mut bits = 0;
            if x > a {
                bits |= LEFT;
            }
            if x < b {
                bits |= RIGHT;
            }
            self.connect(x, y, bits, style);
        }
    }

    fn vertical(&mut self, x: usize, y1: usize, y2: usize, style: Style) {
        let (a, b) = (y1.min(y2), y1.max(y2));
        for y in a..=b {
            let mut bits = 0;
            if y > a {
                bits |= UP;
            }
            if y < b {
                bits |= DOWN;
            }
            self.connect(x, y, bits, style);
        }
    }

    fn lines(self) -> Vec<Line<'static>> {
        let Canvas {
            cells,
            bits,
            line_style,
            ..
        } = self;
        cells
            .into_iter()
            .zip(bits)
            .zip(line_style)
            .map(|((row, bits), styles)| {
                let mut spans: Vec<Span<'static>> = Vec::new();
                let mut run = String::new();
                let mut run_style = Style::new();
                for ((cell, bit), line) in row.into_iter().zip(bits).zip(styles) {
                    let (c, style) = if bit == 0 { cell } else { (joint(bit), line) };
                    if style != run_style && !run.is_empty() {
                        spans.push(Span::styled(std::mem::take(&mut run), run_style));
                    }
                    run_style = style;
                    run.push(c);
                }
                let trimmed = run.trim_end();
                if !trimmed.is_empty() {
                    spans.push(Span::styled(trimmed.to_owned(), run_style));
                }
                Line::from(spans)
            })
            .collect()
    }
}

fn joint(bits: u8) -> char {
    match bits {
        b if b == LEFT | RIGHT || b == LEFT || b == RIGHT => '─',
        b if b == UP | DOWN || b == UP || b == DOWN => '│',
        b if b == DOWN | RIGHT => '┌',
        b if b == DOWN | LEFT => '┐',
        b if b == UP | RIGHT => '└',
        b if b == UP | LEFT => '┘',
        b if b == UP | DOWN | RIGHT => '├',
        b if b == UP | DOWN | LEFT => '┤',
        b if b == LEFT | RIGHT | DOWN => '┬',
        b if b == LEFT | RIGHT | UP => '┴',
        _ => '┼',
    }
}

/// Where everything goes: box sizes, rows, columns and lanes.
struct Placement {
    /// Text width of the boxes in each column.
    column_text: Vec<usize>,
    /// Width of each column.
    widths: Vec<usize>,
    /// Rows of a box.
    box_height: usize,
    /// The top row of each point.
    top: BTreeMap<PointKey, usize>,
    /// Per column, the points whose incoming lines need a vertical lane in the gap before it.
    lanes: Vec<Vec<Point>>,
    /// The first column of each column.
    left: Vec<usize>,
    /// Width and height of the whole drawing.
    size: (usize, usize),
}

impl Placement {
    fn new(cards: &[Card], layout: &Layout) -> Placement {
        let own_width = |n: usize| -> usize {
            let card = &cards[n];
            let title = card.title.chars().count() + if card.marked { 2 } else { 0 };
            card.lines
                .iter()
                .map(|l| l.chars().count())
                .chain([title])
                .max()
                .unwrap_or(1)
                .clamp(1, BOX_TEXT)
        };
        // Every box in a column is as wide as the widest.
        let column_text: Vec<usize> = layout
            .columns
            .iter()
            .map(|col| {
                col.iter()
                    .filter_map(|p| match p {
                        Point::Node(n) => Some(own_width(*n)),
                        Point::Pass(_) => None,
                    })
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let widths: Vec<usize> = column_text
            .iter()
            .map(|&w| if w == 0 { 1 } else { w + 2 })
            .collect();
        let lines_per_card = cards.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        let mut placement = Placement {
            column_text,
            widths,
            box_height: lines_per_card + 3,
            top: BTreeMap::new(),
            lanes: vec![Vec::new(); layout.columns.len()],
            left: Vec::new(),
            size: (0, 0),
        };
        placement.rows(layout);
        placement.columns(layout);
        placement
    }

    fn height_of(&self, p: Point) -> usize {
        match p {
            Point::Node(_) => self.box_height,
            Point::Pass(_) => 1,
        }
    }

    /// Where the line in or out of a point sits: the middle row of a box.
    fn anchor(&self, p: Point) -> usize {
        match p {
            Point::Node(_) => self.box_height / 2,
            Point::Pass(_) => 0,
        }
    }

    fn row(&self, p: Point) -> usize {
        self.top[&key(p)] + self.anchor(p)
    }

    /// Rows: the first column stacked; each later point level with the
    /// middle of its operands where that does not overlap the one above.
    fn rows(&mut self, layout: &Layout) {
        for column in &layout.columns {
            let mut next_free = 0;
            for &p in column {
                let sources: Vec<usize> = layout
                    .links
                    .iter()
                    .filter(|(_, to)| *to == p)
                    .filter_map(|(from, _)| {
                        self.top.get(&key(*from)).map(|t| t + self.anchor(*from))
                    })
                    .collect();
                let wanted = if sources.is_empty() {
                    next_free
                } else {
                    (sources.iter().sum::<usize>() / sources.len()).saturating_sub(self.anchor(p))
                };
                let y = wanted.max(next_free);
                self.top.insert(key(p), y);
                next_free = y + self.height_of(p) + ROW_GAP;
            }
        }
        let height = self
            .top
            .iter()
            .map(|(k, y)| y + if k.0 { self.box_height } else { 1 })
            .max()
            .unwrap_or(0);
        self.size.1 = height;
    }

    /// Columns: each gap holds one vertical lane per point it leads into.
    fn columns(&mut self, layout: &Layout) {
        for &(from, to) in &layout.links {
            let c = column_of(layout, to);
            if self.row(from) != self.row(to) && !self.lanes[c].contains(&to) {
                self.lanes[c].push(to);
            }
        }
        for (c, lane) in self.lanes.iter_mut().enumerate() {
            lane.sort_by_key(|p| layout.columns[c].iter().position(|q| q == p));
        }
        let mut at = 0;
        for (c, width) in self.widths.iter().enumerate() {
            if c > 0 {
                at += self.lanes[c].len() + 3;
            }
            self.left.push(at);
            at += width;
        }
        self.size.0 = at;
    }
}

/// The drawing of `graph`: boxes with each node's op, value and gradient
/// (or name and shape), arrows from operands to results, marked nodes in
/// heavy red boxes with a ✗.
pub fn draw(graph: &Graph) -> Vec<Line<'static>> {
    let cards = cards(graph);
    if cards.is_empty() {
        return Vec::new();
    }
    let layout = layout(cards.len(), graph.edges());
    let place = Placement::new(&cards, &layout);
    let mut canvas = Canvas::new(place.size.0, place.size.1);
    links(&mut canvas, &layout, &place);
    for (n, card) in cards.iter().enumerate() {
        card_box(&mut canvas, card, n, &layout, &place);
    }
    canvas.lines()
}

/// The lines from operands to results, and through passes.
fn links(canvas: &mut Canvas, layout: &Layout, place: &Placement) {
    let line = theme::dim();
    for &(from, to) in &layout.links {
        let (fc, tc) = (column_of(layout, from), column_of(layout, to));
        let start = match from {
            Point::Node(_) => place.left[fc] + place.widths[fc] - 1,
            Point::Pass(_) => place.left[fc],
        };
        let end = place.left[tc];
        let (fy, ty) = (place.row(from), place.row(to));
        if fy == ty {
            canvas.horizontal(fy, start, end, line);
        } else {
            let index = place.lanes[tc].iter().position(|p| *p == to).unwrap_or(0);
            let lx = place.left[tc] - 2 - place.lanes[tc].len() + index;
            canvas.horizontal(fy, start, lx, line);
            canvas.vertical(lx, fy, ty, line);
            canvas.horizontal(ty, lx, end, line);
        }
    }
    for (c, column) in layout.columns.iter().enumerate() {
        for &p in column {
            if let Point::Pass(_) = p {
                let y = place.top[&key(p)];
                let (x, width) = (place.left[c], place.widths[c]);
                canvas.horizontal(y, x, x + width - 1, line);
                canvas.connect(x, y, LEFT | RIGHT, line);
            }
        }
    }
}

/// One node's box, with an arrow head where lines arrive.
fn card_box(canvas: &mut Canvas, card: &Card, node: usize, layout: &Layout, place: &Placement) {
    let point = Point::Node(node);
    let column = layout.column[node];
    let (x, y) = (place.left[column], place.top[&key(point)]);
    let text_width = place.column_text[column];
    let bottom = y + place.box_height - 1;
    let right = x + text_width + 1;
    let (border, [top_left, top_right, bottom_left, bottom_right, across, down]) = if card.marked {
        (
            theme::bad().add_modifier(Modifier::BOLD),
            ['┏', '┓', '┗', '┛', '━', '┃'],
        )
    } else {
        (theme::dim(), ['╭', '╮', '╰', '╯', '─', '│'])
    };
    canvas.put(x, y, top_left, border);
    canvas.put(right, y, top_right, border);
    canvas.put(x, bottom, bottom_left, border);
    canvas.put(right, bottom, bottom_right, border);
    for column in x + 1..right {
        canvas.put(column, y, across, border);
        canvas.put(column, bottom, across, border);
    }
    for row in y + 1..bottom {
        canvas.put(x, row, down, border);
        canvas.put(right, row, down, border);
        canvas.text(x + 1, row, &" ".repeat(text_width), Style::new());
    }
    let title_style = if card.marked {
        theme::bad().add_modifier(Modifier::BOLD)
    } else if card.op {
        theme::accent().add_modifier(Modifier::BOLD)
    } else {
        theme::strong()
    };
    let title = if card.marked {
        format!("✗ {}", card.title)
    } else {
        card.title.clone()
    };
    canvas.text(x + 1, y + 1, &clip(&title, text_width), title_style);
    for (row, text) in (y + 2..).zip(&card.lines) {
        canvas.text(x + 1, row, &clip(text, text_width), Style::new());
    }
    if layout.links.iter().any(|(_, to)| *to == point) && x > 0 {
        canvas.put(x - 1, y + place.anchor(point), '▶', theme::dim());
    }
}

/// A sortable key for a point: (is a node, index).
type PointKey = (bool, usize);

fn key(p: Point) -> PointKey {
    match p {
        Point::Node(n) => (true, n),
        Point::Pass(n) => (false, n),
    }
}

fn column_of(layout: &Layout, p: Point) -> usize {
    match p {
        Point::Node(n) => layout.column[n],
        Point::Pass(_) => layout
            .columns
            .iter()
            .position(|c| c.contains(&p))
            .unwrap_or(0),
    }
}

/// The drawing's width in columns.
pub fn width(lines: &[Line<'_>]) -> usize {
    lines.iter().map(Line::width).max().unwrap_or(0)
}

/// One line per marked node: which box, and what is wrong there.
pub fn marks(graph: &Graph) -> Vec<(String, String)> {
    match graph {
        Graph::Autograd { nodes, .. } => nodes
            .iter()
            .filter_map(|n| {
                let name = match (&n.label, n.op.as_str()) {
                    (Some(label), _) => label.clone(),
                    (None, op) => format!("the {op} node ({})", short(n.data)),
                };
                n.mark.clone().map(|m| (name, m))
            })
            .collect(),
        Graph::Onnx { nodes, .. } => nodes
            .iter()
            .filter_map(|n| n.mark.clone().map(|m| (n.name.clone(), m)))
            .collect(),
    }
}
