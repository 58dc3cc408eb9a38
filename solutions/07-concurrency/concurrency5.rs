//! Preprocessing a batch on every core with rayon.
//!
//! Before a batch reaches the model, each text is tokenised and each feature
//! row is normalised. Every row is independent of the others, so the work
//! splits across cores with no locks at all: each row is read, its result is
//! returned, and rayon puts the results back in input order. Nothing is shared
//! and mutated, so there is nothing to race on.
//!
//! A batch holds bad rows too. The caller gets every bad row, by its position,
//! in position order: the same answer whichever thread finished first.

use rayon::prelude::*;
use std::collections::HashMap;

/// The id of a word the vocabulary does not know.
pub const UNKNOWN: u32 = 0;

/// A row whose standard deviation is at most this share of its mean's size
/// (`std <= REL_STD * mean.abs()`, so a row of zeros too) is treated as
/// constant: its spread is rounding, not signal.
pub const REL_STD: f64 = 1e-6;

/// Maps lowercase words to token ids; ids start at 1, 0 is `UNKNOWN`.
#[derive(Debug, Clone)]
pub struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// A vocabulary of `words`, numbered 1, 2, 3, … in the order given.
    #[must_use]
    pub fn new(words: &[&str]) -> Vocab {
        let ids = words
            .iter()
            .zip(1..)
            .map(|(word, id)| (word.to_lowercase(), id))
            .collect();
        Vocab { ids }
    }

    /// The id of `word` (already lowercase), or `UNKNOWN`.
    #[must_use]
    pub fn id(&self, word: &str) -> u32 {
        self.ids.get(word).copied().unwrap_or(UNKNOWN)
    }
}

/// Why one text could not be tokenised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowError {
    /// The text has no words.
    Empty,
    /// The text has more tokens than the model takes.
    TooLong { tokens: usize, max: usize },
}

/// The token ids of one text: its words split on whitespace, lowercased and
/// looked up in `vocab`.
///
/// # Errors
/// `Empty` for a text without words, `TooLong` for more than `max_tokens`.
pub fn tokenize(text: &str, vocab: &Vocab, max_tokens: usize) -> Result<Vec<u32>, RowError> {
    let ids: Vec<u32> = text
        .split_whitespace()
        .map(|word| vocab.id(&word.to_lowercase()))
        .collect();
    if ids.is_empty() {
        Err(RowError::Empty)
    } else if ids.len() > max_tokens {
        Err(RowError::TooLong {
            tokens: ids.len(),
            max: max_tokens,
        })
    } else {
        Ok(ids)
    }
}

/// Applies `f` to every item in parallel.
///
/// Returns every output in input order, or, if any item failed, every error
/// with its item's index, in index order.
///
/// # Errors
/// One `(index, error)` per failed item, lowest index first.
pub fn par_try_map<I, T, E, F>(items: &[I], f: F) -> Result<Vec<T>, Vec<(usize, E)>>
where
    I: Sync,
    T: Send,
    E: Send,
    F: Fn(&I) -> Result<T, E> + Sync,
{
    // rayon's indexed collect keeps input order, however the work was split.
    // `&f` is `Send` because `F` is `Sync`: every thread calls the one `f`.
    let results: Vec<Result<T, E>> = items.par_iter().map(&f).collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok(output) => outputs.push(output),
            Err(error) => errors.push((index, error)),
        }
    }
    if errors.is_empty() {
        Ok(outputs)
    } else {
        Err(errors)
    }
}

/// Tokenises every text of the batch in parallel.
///
/// # Errors
/// Every text that failed, as `(index, why)`, in index order.
pub fn prepare_batch(
    texts: &[String],
    vocab: &Vocab,
    max_tokens: usize,
) -> Result<Vec<Vec<u32>>, Vec<(usize, RowError)>> {
    par_try_map(texts, |text| tokenize(text, vocab, max_tokens))
}

/// Rescales each row, in place and in parallel, to mean 0 and standard
/// deviation 1, using that row's own mean and population standard deviation
/// (divide by the row's length). The mean and the variance are summed in
/// `f64`: in `f32` the rounding of a mean is about `|x| * 2^-24` per step, so
/// a constant row of 1000.1s gets a spread of its own. A row whose standard
/// deviation is at most `REL_STD` times its mean's size becomes all zeros; an
/// empty row stays empty.
pub fn normalise_rows(rows: &mut [Vec<f32>]) {
    rows.par_iter_mut().for_each(|row| normalise(row));
}

/// One row, as `normalise_rows` describes.
fn normalise(row: &mut [f32]) {
    if row.is_empty() {
        return;
    }
    // A row of n equal f32 values sums exactly in f64 (53 bits hold 24 bits
    // times any n below 2^29), so its mean is the value and its variance 0.
    let n = row.len() as f64;
    let mean = row.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let variance = row
        .iter()
        .map(|&x| {
            let d = f64::from(x) - mean;
            d * d
        })
        .sum::<f64>()
        / n;
    let std = variance.sqrt();
    let constant = std <= REL_STD * mean.abs();
    for x in row.iter_mut() {
        *x = if constant {
            0.0
        } else {
            ((f64::from(*x) - mean) / std) as f32
        };
    }
}
