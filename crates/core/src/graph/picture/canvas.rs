//! A graph drawn as boxes and arrows, left to right, the output on the
//! right, onto a grid of cells (placed by [`super::layered`]). Lines are
//! drawn as connections on the grid and turned into box-drawing characters
//! last, so lines that meet join cleanly.

use super::cells::{Cell, Meaning, Picture};
use super::layered::{BoxSize, Layout, Placement, Point, column_of, key, layout};
use crate::graph::autograd::Op;
use crate::graph::model::{Graph, OnnxRole, short};
use crate::graph::shape::shape_text;

/// What a box says.
struct Card {
    title: String,
    lines: Vec<String>,
    marked: bool,
    /// Whether the title is an operator or a name.
    op: bool,
}

impl Card {
    fn size(&self) -> BoxSize {
        let title = self.title.chars().count() + if self.marked { 2 } else { 0 };
        BoxSize {
            text: self
                .lines
                .iter()
                .map(|l| l.chars().count())
                .chain([title])
                .max()
                .unwrap_or(1),
            lines: self.lines.len(),
        }
    }
}

fn cards(graph: &Graph) -> Vec<Card> {
    match graph {
        Graph::Autograd { nodes, .. } => nodes
            .iter()
            .map(|n| {
                let title = match (Op::parse(&n.op), &n.label) {
                    (Op::Leaf, Some(label)) => label.clone(),
                    (Op::Mul, _) => "×".to_owned(),
                    (Op::Div, _) => "÷".to_owned(),
                    (Op::Sub, _) => "−".to_owned(),
                    _ => {
                        n.op.strip_prefix("pow:")
                            .map_or_else(|| n.op.clone(), |p| format!("^{p}"))
                    }
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

/// Connection bits of a grid cell.
const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

struct Canvas {
    width: usize,
    cells: Vec<Vec<Cell>>,
    bits: Vec<Vec<u8>>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Canvas {
        let blank = Cell {
            ch: ' ',
            meaning: Meaning::Blank,
        };
        Canvas {
            width,
            cells: vec![vec![blank; width]; height],
            bits: vec![vec![0; width]; height],
        }
    }

    fn put(&mut self, x: usize, y: usize, ch: char, meaning: Meaning) {
        if y < self.cells.len() && x < self.width {
            let meaning = if ch == ' ' { Meaning::Blank } else { meaning };
            self.cells[y][x] = Cell { ch, meaning };
            self.bits[y][x] = 0;
        }
    }

    fn text(&mut self, x: usize, y: usize, text: &str, meaning: Meaning) {
        for (i, c) in text.chars().enumerate() {
            self.put(x + i, y, c, meaning);
        }
    }

    fn connect(&mut self, x: usize, y: usize, bits: u8) {
        if y < self.bits.len() && x < self.width {
            self.bits[y][x] |= bits;
        }
    }

    fn horizontal(&mut self, y: usize, x1: usize, x2: usize) {
        let (a, b) = (x1.min(x2), x1.max(x2));
        for x in a..=b {
            let mut bits = 0;
            if x > a {
                bits |= LEFT;
            }
            if x < b {
                bits |= RIGHT;
            }
            self.connect(x, y, bits);
        }
    }

    fn vertical(&mut self, x: usize, y1: usize, y2: usize) {
        let (a, b) = (y1.min(y2), y1.max(y2));
        for y in a..=b {
            let mut bits = 0;
            if y > a {
                bits |= UP;
            }
            if y < b {
                bits |= DOWN;
            }
            self.connect(x, y, bits);
        }
    }

    fn picture(self) -> Picture {
        let mut picture = Picture::default();
        for (row, bits) in self.cells.into_iter().zip(self.bits) {
            let row = row
                .into_iter()
                .zip(bits)
                .map(|(cell, bit)| match bit {
                    0 => cell,
                    bit => Cell {
                        ch: joint(bit),
                        meaning: Meaning::Edge,
                    },
                })
                .collect();
            picture.push(row);
        }
        picture
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

impl Picture {
    /// The drawing of `graph`: a box per node with its op, value and
    /// gradient (or role, name and shape), arrows from operands to results
    /// left to right, marked nodes in heavy boxes with a ✗.
    pub fn of_graph(graph: &Graph) -> Picture {
        draw(graph)
    }
}

fn draw(graph: &Graph) -> Picture {
    let cards = cards(graph);
    if cards.is_empty() {
        return Picture::default();
    }
    let layout = layout(cards.len(), graph.edges());
    let sizes: Vec<BoxSize> = cards.iter().map(Card::size).collect();
    let place = Placement::new(&sizes, &layout);
    let mut canvas = Canvas::new(place.size.0, place.size.1);
    links(&mut canvas, &layout, &place);
    for (n, card) in cards.iter().enumerate() {
        card_box(&mut canvas, card, n, &layout, &place);
    }
    canvas.picture()
}

/// The lines from operands to results, and through passes.
fn links(canvas: &mut Canvas, layout: &Layout, place: &Placement) {
    for &(from, to) in &layout.links {
        let (fc, tc) = (column_of(layout, from), column_of(layout, to));
        let start = match from {
            Point::Node(_) => place.left[fc] + place.widths[fc] - 1,
            Point::Pass(_) => place.left[fc],
        };
        let end = place.left[tc];
        let (fy, ty) = (place.row(from), place.row(to));
        if fy == ty {
            canvas.horizontal(fy, start, end);
        } else {
            let index = place.lanes[tc].iter().position(|p| *p == to).unwrap_or(0);
            let lx = place.left[tc] - 2 - place.lanes[tc].len() + index;
            canvas.horizontal(fy, start, lx);
            canvas.vertical(lx, fy, ty);
            canvas.horizontal(ty, lx, end);
        }
    }
    for (c, column) in layout.columns.iter().enumerate() {
        for &p in column {
            if let Point::Pass(_) = p {
                let y = place.top[&key(p)];
                let (x, width) = (place.left[c], place.widths[c]);
                canvas.horizontal(y, x, x + width - 1);
                canvas.connect(x, y, LEFT | RIGHT);
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
        (Meaning::MarkedBorder, ['┏', '┓', '┗', '┛', '━', '┃'])
    } else {
        (Meaning::Border, ['╭', '╮', '╰', '╯', '─', '│'])
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
        canvas.text(x + 1, row, &" ".repeat(text_width), Meaning::Blank);
    }
    let (title, meaning) = if card.marked {
        (format!("✗ {}", card.title), Meaning::MarkedTitle)
    } else if card.op {
        (card.title.clone(), Meaning::Operator)
    } else {
        (card.title.clone(), Meaning::Name)
    };
    canvas.text(x + 1, y + 1, &clip(&title, text_width), meaning);
    for (row, text) in (y + 2..).zip(&card.lines) {
        canvas.text(x + 1, row, &clip(text, text_width), Meaning::Text);
    }
    if layout.links.iter().any(|(_, to)| *to == point) && x > 0 {
        canvas.put(x - 1, y + place.anchor(point), '▶', Meaning::Edge);
    }
}
