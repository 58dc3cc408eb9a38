//! A feature batch as one contiguous buffer.
//!
//! `Vec<Vec<f32>>` is one allocation per row, scattered over the heap, with
//! nothing to stop rows of different lengths. `Batch` keeps every value in
//! one `Vec<f32>`, row after row: row `r` is `values[r * width..(r + 1) *
//! width]`, and column `c` is every `width`-th value from `c`. Rows are
//! borrowed as `&[f32]`, columns are read in place, nothing is copied.
//!
//! Write `from_rows`, `from_flat`, `row`, `rows`, `column` and `column_stats`.

/// Why a batch could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// A batch needs at least one feature per row.
    ZeroWidth,
    /// Row `index` has `len` values instead of `width`.
    RowLength {
        index: usize,
        len: usize,
        width: usize,
    },
    /// A flat buffer of `len` values is not a whole number of rows.
    NotWholeRows { len: usize, width: usize },
}

/// Rows of `width` features each, in one buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    width: usize,
    values: Vec<f32>,
}

/// The mean and population standard deviation of one column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnStats {
    pub mean: f32,
    pub std: f32,
}

impl Batch {
    /// Copies `rows` into one buffer, allocated once at its final size.
    ///
    /// # Errors
    /// `ZeroWidth`, or `RowLength` for the first row whose length is not
    /// `width`.
    pub fn from_rows(width: usize, rows: &[Vec<f32>]) -> Result<Batch, BatchError> {
        // TODO: refuse width 0 and the first row of the wrong length; this
        // version also lets its buffer grow while filling it.
        let mut values = Vec::new();
        for row in rows {
            values.extend_from_slice(row);
        }
        Ok(Batch { width, values })
    }

    /// Takes `values` as the batch's buffer, without copying it.
    ///
    /// # Errors
    /// `ZeroWidth`, or `NotWholeRows` when `values.len()` is not a multiple
    /// of `width`.
    pub fn from_flat(width: usize, values: Vec<f32>) -> Result<Batch, BatchError> {
        // TODO: check the shape; keep `values` itself (no copy).
        Ok(Batch {
            width,
            values: values.clone(),
        })
    }

    /// How many rows the batch holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len() / self.width
    }

    /// Whether the batch holds no row.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Features per row.
    #[must_use]
    pub fn width(&self) -> usize {
        self.width
    }

    /// Row `index`, borrowed from the buffer; `None` past the last row.
    #[must_use]
    pub fn row(&self, index: usize) -> Option<&[f32]> {
        // TODO: never panic, whatever the index.
        let _ = index;
        todo!()
    }

    /// Every row in order, each borrowed from the buffer.
    pub fn rows(&self) -> impl Iterator<Item = &[f32]> {
        // TODO
        std::iter::empty()
    }

    /// Column `col`, read in place: every `width`-th value from `col`.
    /// Empty when `col` is not a column.
    pub fn column(&self, col: usize) -> impl Iterator<Item = f32> + '_ {
        // TODO: `step_by(self.width)`.
        let _ = col;
        std::iter::empty()
    }

    /// Each column's mean and population standard deviation, read row by
    /// row from the buffer (two passes: means, then squared distances from
    /// them); empty for an empty batch.
    #[must_use]
    pub fn column_stats(&self) -> Vec<ColumnStats> {
        // TODO: means first, then the squared distances from them.
        todo!()
    }
}
