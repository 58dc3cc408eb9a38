//! Sparse features in CSR (compressed sparse row) form.
//!
//! A bag-of-words matrix of 100 000 documents × 1 000 000 terms is almost
//! all zeros; stored densely it would need 400 GB. CSR stores only the
//! entries that are there, row by row: `cols` and `values` hold each
//! entry's column and value, and row `r`'s entries are
//! `row_starts[r]..row_starts[r + 1]` of them. Within a row, columns are
//! ascending and each appears once.
//!
//! Write `from_triplets`, `get` and `mul_vec`.

/// Why a matrix could not be built or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SparseError {
    /// Triplet `index` names a row or a column outside the shape.
    OutOfRange {
        index: usize,
        row: usize,
        col: usize,
    },
    /// A vector of `len` values was multiplied by a matrix of `cols` columns.
    WrongLength { len: usize, cols: usize },
}

/// A sparse matrix in compressed sparse row form.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    n_rows: usize,
    n_cols: usize,
    /// `n_rows + 1` offsets into `cols` and `values`: row `r` is
    /// `row_starts[r]..row_starts[r + 1]`.
    row_starts: Vec<usize>,
    cols: Vec<usize>,
    values: Vec<f32>,
}

impl Csr {
    /// Builds the matrix from `(row, col, value)` triplets in any order.
    /// Triplets for the same cell are summed into one entry.
    ///
    /// # Errors
    /// `OutOfRange` for the first triplet outside `n_rows` × `n_cols`.
    pub fn from_triplets(
        n_rows: usize,
        n_cols: usize,
        triplets: &[(usize, usize, f32)],
    ) -> Result<Csr, SparseError> {
        // TODO: check every triplet against the shape, put them in (row,
        // col) order, sum the duplicates, and count each row's entries into
        // `row_starts`.
        let _ = (n_rows, n_cols, triplets);
        todo!()
    }

    /// How many entries are stored.
    #[must_use]
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// The value at `(row, col)`: the stored entry, or 0 if none is stored
    /// or the cell is outside the matrix. A binary search within the row.
    #[must_use]
    pub fn get(&self, row: usize, col: usize) -> f32 {
        // TODO: the row's columns are sorted: `binary_search`.
        let _ = (row, col);
        todo!()
    }

    /// The product of the matrix and `x`: one sum per row over that row's
    /// stored entries only.
    ///
    /// # Errors
    /// `WrongLength` unless `x` has one value per column.
    pub fn mul_vec(&self, x: &[f32]) -> Result<Vec<f32>, SparseError> {
        // TODO: visit only the stored entries, row by row.
        let _ = x;
        todo!()
    }
}
