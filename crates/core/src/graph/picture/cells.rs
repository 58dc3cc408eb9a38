//! A picture as rows of cells, each a character and what it means.

/// What a cell of a picture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Meaning {
    /// Nothing: the space between things.
    Blank,
    /// A line from an operand to what uses it, and its arrow head.
    Edge,
    /// The border of a node's box.
    Border,
    /// The border of a marked node's box.
    MarkedBorder,
    /// The title of an operator's box (`×`, `Gemm`).
    Operator,
    /// The title of a named value's box (a leaf's label, an ONNX input).
    Name,
    /// The title of a marked node's box, after its `✗`.
    MarkedTitle,
    /// What a box says under its title: a value and gradient, a name and shape.
    Text,
    /// A task's name, left of its bar.
    Task,
    /// A timeline's frame, each task's times and the time axis.
    Axis,
    /// A task's bar: finished (`█`) or still running (`▒…→`), marked when
    /// the task broke a rule.
    Bar {
        /// Whether the task was still running when the test looked.
        running: bool,
        /// Whether the task broke a rule.
        marked: bool,
    },
    /// An instant that broke a rule (`▲` on the time axis).
    Instant,
    /// Where part of the picture was left out.
    Cut,
}

/// One character of a picture and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The character (one column wide).
    pub ch: char,
    /// What it is.
    pub meaning: Meaning,
}

/// A picture: rows of cells, top to bottom, each without trailing blanks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picture {
    rows: Vec<Vec<Cell>>,
}

impl Picture {
    /// The rows, top to bottom.
    pub fn rows(&self) -> &[Vec<Cell>] {
        &self.rows
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The widest row's width, in columns.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Each row as plain text.
    pub fn text(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|row| row.iter().map(|c| c.ch).collect())
            .collect()
    }

    /// A row as runs of cells with the same meaning, for painting.
    pub fn runs(row: &[Cell]) -> Vec<(String, Meaning)> {
        let mut runs: Vec<(String, Meaning)> = Vec::new();
        for cell in row {
            match runs.last_mut() {
                Some((text, meaning)) if *meaning == cell.meaning => text.push(cell.ch),
                _ => runs.push((cell.ch.to_string(), cell.meaning)),
            }
        }
        runs
    }

    /// Adds a row, without its trailing blanks.
    pub(super) fn push(&mut self, mut row: Vec<Cell>) {
        while row.last().is_some_and(|c| c.ch == ' ') {
            row.pop();
        }
        self.rows.push(row);
    }
}

/// A row being written left to right.
#[derive(Default)]
pub(super) struct Row(pub(super) Vec<Cell>);

impl Row {
    pub(super) fn text(mut self, text: &str, meaning: Meaning) -> Row {
        self.0.extend(text.chars().map(|ch| Cell {
            ch,
            meaning: if ch == ' ' { Meaning::Blank } else { meaning },
        }));
        self
    }
}
