//! Write the tests this time.
//!
//! The course has a function you cannot see the body of:
//!
//! ```text
//! pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]>
//! ```
//!
//! It cuts `tokens` into windows of at most `size` tokens, the way a long
//! document is cut before it is embedded. Each window starts
//! `size - overlap` tokens after the one before, so neighbours share
//! `overlap` tokens. The first window starts at 0; the last one ends at the
//! end of the input and may be shorter than `size`; no window lies entirely
//! inside the one before it. No tokens, no windows. It panics when `size`
//! is 0 or `overlap >= size`.
//!
//! For example, ten tokens with `size` 4 and `overlap` 2 give the windows
//! `0..4`, `2..6`, `4..8` and `6..10`.
//!
//! Your tests run twice over. First on the correct `windows`: every test
//! must pass. Then on several versions with a bug each: every bug must make
//! at least one of your tests fail. The check tells you which bugs got
//! through. Think about where cutting goes wrong: the ends, the edges, the
//! sizes that divide evenly and the ones that do not.

use super::*;

/// The windows as vectors, easy to compare with `vec![vec![..], ..]`.
fn cut(tokens: &[u32], size: usize, overlap: usize) -> Vec<Vec<u32>> {
    windows(tokens, size, overlap)
        .into_iter()
        .map(<[u32]>::to_vec)
        .collect()
}

#[test]
fn without_overlap_windows_sit_side_by_side() {
    let tokens = [1, 2, 3, 4, 5, 6];
    assert_eq!(cut(&tokens, 3, 0), vec![vec![1, 2, 3], vec![4, 5, 6]]);
}

// TODO: more tests. A test that passes on the correct code and on every
// bug catches nothing: each one should pin down a case some cut could get
// wrong.
