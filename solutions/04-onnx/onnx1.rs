//! A weights file that can only ever be numbers.
//!
//! Write `parse_weights`: turn the bytes of a `.tlw` file into a `Weights`
//! matrix, or into a `WeightsError` when the bytes are wrong. It must never
//! panic and never allocate more than the input could hold, whatever the
//! header claims. Layout: `MAGIC`, then version, rows, cols (u32 each), then
//! rows * cols f32 values, row after row, all little-endian, and nothing after.

use std::fmt;

/// The first four bytes of every weights file.
pub const MAGIC: [u8; 4] = *b"TLW\0";
/// The only format version this loader reads.
pub const VERSION: u32 = 1;
/// magic (4) + version (u32) + rows (u32) + cols (u32), all little-endian.
pub const HEADER_LEN: usize = 16;

/// A dense row-major matrix of `f32` weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub rows: usize,
    pub cols: usize,
    /// `rows * cols` values, row after row.
    pub data: Vec<f32>,
}

/// Everything that can be wrong with a weights file.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightsError {
    /// Fewer than `HEADER_LEN` bytes: not even a header.
    TruncatedHeader { got: usize },
    /// The first four bytes are not `MAGIC`.
    BadMagic([u8; 4]),
    /// A version this loader does not know.
    UnsupportedVersion(u32),
    /// `rows` or `cols` is zero.
    EmptyShape { rows: u32, cols: u32 },
    /// `rows * cols` exceeds the caller's limit, or the byte count does not fit in `usize`.
    TooLarge { rows: u32, cols: u32, limit: usize },
    /// The data section is shorter than the header promises.
    TruncatedData { expected: usize, got: usize },
    /// Bytes left over after the data section.
    TrailingBytes { extra: usize },
    /// A NaN or infinite value at this element index.
    NonFinite { index: usize },
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TruncatedHeader { got } => {
                write!(f, "file has {got} bytes, a header needs {HEADER_LEN}")
            }
            Self::BadMagic(m) => write!(f, "not a weights file (magic {m:?})"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported format version {v}"),
            Self::EmptyShape { rows, cols } => write!(f, "empty shape {rows}x{cols}"),
            Self::TooLarge { rows, cols, limit } => {
                write!(
                    f,
                    "shape {rows}x{cols} exceeds the limit of {limit} elements"
                )
            }
            Self::TruncatedData { expected, got } => {
                write!(
                    f,
                    "data section has {got} bytes, header promises {expected}"
                )
            }
            Self::TrailingBytes { extra } => write!(f, "{extra} unexpected bytes after the data"),
            Self::NonFinite { index } => write!(f, "element {index} is NaN or infinite"),
        }
    }
}

impl std::error::Error for WeightsError {}

/// Writes `w` in the `.tlw` layout (the inverse of `parse_weights`).
///
/// # Panics
/// If a dimension does not fit in `u32` or `data.len() != rows * cols`.
#[must_use]
pub fn encode_weights(w: &Weights) -> Vec<u8> {
    assert_eq!(w.data.len(), w.rows * w.cols, "data does not match shape");
    let rows = u32::try_from(w.rows).expect("rows fit in u32");
    let cols = u32::try_from(w.cols).expect("cols fit in u32");
    let mut out = Vec::with_capacity(HEADER_LEN + 4 * w.data.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&cols.to_le_bytes());
    for v in &w.data {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

/// Parses a `.tlw` file, accepting at most `max_elements` values.
///
/// Checks run in this order and the first failure is returned:
/// header length, magic, version, empty shape, size limit, data length
/// (short, then trailing), finite values.
///
/// # Errors
/// A `WeightsError` naming the first problem found.
pub fn parse_weights(bytes: &[u8], max_elements: usize) -> Result<Weights, WeightsError> {
    let Some((header, body)) = bytes.split_at_checked(HEADER_LEN) else {
        return Err(WeightsError::TruncatedHeader { got: bytes.len() });
    };
    let mut magic = [0u8; 4];
    magic.copy_from_slice(&header[..4]);
    if magic != MAGIC {
        return Err(WeightsError::BadMagic(magic));
    }
    let version = u32_at(header, 4);
    if version != VERSION {
        return Err(WeightsError::UnsupportedVersion(version));
    }
    let (rows, cols) = (u32_at(header, 8), u32_at(header, 12));
    if rows == 0 || cols == 0 {
        return Err(WeightsError::EmptyShape { rows, cols });
    }

    let too_large = WeightsError::TooLarge {
        rows,
        cols,
        limit: max_elements,
    };
    let (r, c) = (
        usize::try_from(rows).map_err(|_| too_large.clone())?,
        usize::try_from(cols).map_err(|_| too_large.clone())?,
    );
    let elements = r.checked_mul(c).ok_or_else(|| too_large.clone())?;
    if elements > max_elements {
        return Err(too_large);
    }
    let expected = elements.checked_mul(4).ok_or(too_large)?;

    // Only now, with the size bounded by both the limit and the input, do we allocate.
    if body.len() < expected {
        return Err(WeightsError::TruncatedData {
            expected,
            got: body.len(),
        });
    }
    if body.len() > expected {
        return Err(WeightsError::TrailingBytes {
            extra: body.len() - expected,
        });
    }
    let mut data = Vec::with_capacity(elements);
    for (index, chunk) in body.chunks_exact(4).enumerate() {
        let v = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        if !v.is_finite() {
            return Err(WeightsError::NonFinite { index });
        }
        data.push(v);
    }
    Ok(Weights {
        rows: r,
        cols: c,
        data,
    })
}
