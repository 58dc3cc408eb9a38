//! Nearest neighbours in an embedding table.
//!
//! `n` embeddings of `dim` values each live in one `Vec<f32>`, row after
//! row, as in the batch exercise. Cosine similarity divides a dot product
//! by two norms; the rows' norms never change, so they are computed once,
//! when the index is built, and each query computes only its own norm and
//! one dot product per row. The best k come from the heap of the top-k
//! exercise (`largest` and `Scored`, given below).
//!
//! Write `Index::new` and `Index::nearest`.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Why an index could not be built or queried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// Embeddings need at least one dimension.
    ZeroDim,
    /// A buffer of `len` values is not a whole number of rows of `dim`.
    NotWholeRows { len: usize, dim: usize },
    /// A query of `len` values against rows of `dim`.
    WrongDim { len: usize, dim: usize },
    /// A query whose norm is 0 has no direction to compare.
    ZeroQuery,
}

/// Embeddings in one buffer, with their norms.
#[derive(Debug)]
pub struct Index {
    dim: usize,
    vectors: Vec<f32>,
    /// The norm of each row, computed once by `new`.
    norms: Vec<f32>,
}

impl Index {
    /// Takes `vectors` (rows of `dim` values, without copying them) and
    /// computes each row's norm, once.
    ///
    /// # Errors
    /// `ZeroDim`, or `NotWholeRows` when the length is not a multiple of
    /// `dim`.
    pub fn new(dim: usize, vectors: Vec<f32>) -> Result<Index, IndexError> {
        if dim == 0 {
            return Err(IndexError::ZeroDim);
        }
        if !vectors.len().is_multiple_of(dim) {
            return Err(IndexError::NotWholeRows {
                len: vectors.len(),
                dim,
            });
        }
        let norms = vectors.chunks_exact(dim).map(norm).collect();
        Ok(Index {
            dim,
            vectors,
            norms,
        })
    }

    /// How many embeddings the index holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.norms.len()
    }

    /// Whether the index holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    /// The `k` rows most similar to `query` by cosine similarity, best
    /// first, as `(row, similarity)`; equal similarities rank the lower row
    /// first. Rows whose norm is 0 have no direction and are skipped.
    ///
    /// # Errors
    /// `WrongDim` unless `query` has `dim` values, `ZeroQuery` when its norm
    /// is 0.
    pub fn nearest(&self, query: &[f32], k: usize) -> Result<Vec<(usize, f32)>, IndexError> {
        if query.len() != self.dim {
            return Err(IndexError::WrongDim {
                len: query.len(),
                dim: self.dim,
            });
        }
        let query_norm = norm(query);
        if query_norm == 0.0 {
            return Err(IndexError::ZeroQuery);
        }
        let scored = self
            .vectors
            .chunks_exact(self.dim)
            .zip(&self.norms)
            .enumerate()
            .filter(|&(_, (_, &row_norm))| row_norm > 0.0)
            .map(|(index, (row, &row_norm))| Scored {
                score: dot(row, query) / (row_norm * query_norm),
                index,
            });
        Ok(largest(scored, k)
            .into_iter()
            .map(|s| (s.index, s.score))
            .collect())
    }
}

/// The dot product of two slices of the same length.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The Euclidean norm of `v`.
fn norm(v: &[f32]) -> f32 {
    dot(v, v).sqrt()
}

// From the top-k exercise.

/// The `k` greatest items of `items`, greatest first, with a heap of size k.
pub fn largest<T: Ord>(items: impl IntoIterator<Item = T>, k: usize) -> Vec<T> {
    let mut heap: BinaryHeap<Reverse<T>> = BinaryHeap::with_capacity(k);
    for item in items {
        if heap.len() < k {
            heap.push(Reverse(item));
        } else if let Some(mut smallest) = heap.peek_mut()
            && item > smallest.0
        {
            *smallest = Reverse(item);
        }
    }
    heap.into_sorted_vec()
        .into_iter()
        .map(|Reverse(item)| item)
        .collect()
}

/// A score and its row: the higher score is greater, ties go to the lower
/// index.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub score: f32,
    pub index: usize,
}

impl Ord for Scored {
    fn cmp(&self, other: &Scored) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.index.cmp(&self.index))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Scored) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Scored) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}
