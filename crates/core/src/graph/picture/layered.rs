//! Where a graph's nodes go, in the usual layered way: a node's column is
//! how far it is from the output (so each operand sits just left of what
//! uses it), an edge that spans several columns passes through a point in
//! each, nodes in a column are ordered by where their users are, and each
//! sits level with the middle of its operands where there is room.

use std::collections::BTreeMap;

/// Characters of text inside a box, at most.
pub const BOX_TEXT: usize = 12;
/// Rows between boxes in a column.
const ROW_GAP: usize = 1;

/// The size of a node's box: the widest of its title and lines, and how
/// many lines it has under its title.
pub struct BoxSize {
    /// Characters of its widest text (its title with a mark's `✗ `).
    pub text: usize,
    /// Lines under the title.
    pub lines: usize,
}

/// A point of the layout: a real node, or where a long edge passes a column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Point {
    Node(usize),
    Pass(usize),
}

pub struct Layout {
    /// Column of each real node.
    pub column: Vec<usize>,
    /// Points per column, top to bottom.
    pub columns: Vec<Vec<Point>>,
    /// Edges between points in neighbouring columns.
    pub links: Vec<(Point, Point)>,
}

/// The columns of a graph of `count` nodes and its `edges`, each ordered.
pub fn layout(count: usize, edges: &[(usize, usize)]) -> Layout {
    let column = columns(count, edges);
    let deepest = column.iter().copied().max().unwrap_or(0);
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
    order(&mut columns, &links);
    Layout {
        column,
        columns,
        links,
    }
}

/// Each node's column: the output's last, every other node as far left of
/// it as its longest path to an output (cycles are cut off).
fn columns(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
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
    depth.iter().map(|d| deepest - d).collect()
}

/// Orders each column by where its points' users sit, from the right.
fn order(columns: &mut [Vec<Point>], links: &[(Point, Point)]) {
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
}

/// Where everything goes: box sizes, rows, columns and lanes.
pub struct Placement {
    /// Text width of the boxes in each column.
    pub column_text: Vec<usize>,
    /// Width of each column.
    pub widths: Vec<usize>,
    /// Rows of a box.
    pub box_height: usize,
    /// The top row of each point.
    pub top: BTreeMap<PointKey, usize>,
    /// Per column, the points whose incoming lines need a vertical lane in the gap before it.
    pub lanes: Vec<Vec<Point>>,
    /// The first column of each column.
    pub left: Vec<usize>,
    /// Width and height of the whole drawing.
    pub size: (usize, usize),
}

impl Placement {
    pub fn new(sizes: &[BoxSize], layout: &Layout) -> Placement {
        let own_width = |n: usize| -> usize { sizes[n].text.clamp(1, BOX_TEXT) };
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
        let lines_per_card = sizes.iter().map(|s| s.lines).max().unwrap_or(0);
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
    pub fn anchor(&self, p: Point) -> usize {
        match p {
            Point::Node(_) => self.box_height / 2,
            Point::Pass(_) => 0,
        }
    }

    pub fn row(&self, p: Point) -> usize {
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

/// A sortable key for a point: (is a node, index).
pub type PointKey = (bool, usize);

pub fn key(p: Point) -> PointKey {
    match p {
        Point::Node(n) => (true, n),
        Point::Pass(n) => (false, n),
    }
}

pub fn column_of(layout: &Layout, p: Point) -> usize {
    match p {
        Point::Node(n) => layout.column[n],
        Point::Pass(_) => layout
            .columns
            .iter()
            .position(|c| c.contains(&p))
            .unwrap_or(0),
    }
}
