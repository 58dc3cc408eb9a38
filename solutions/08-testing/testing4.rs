//! Tests that pass on the correct `windows` and catch each buggy one.
//!
//! Each test pins down one place where cutting goes wrong: no input, an
//! input shorter than one window, a last window that is shorter than the
//! rest, a length where the windows end exactly at the end, and the settings
//! it must refuse rather than quietly work around.

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

#[test]
fn no_tokens_give_no_windows() {
    assert!(windows(&[], 4, 1).is_empty());
}

#[test]
fn an_input_shorter_than_a_window_is_one_window() {
    assert_eq!(cut(&[7], 4, 1), vec![vec![7]]);
    assert_eq!(cut(&[7, 8, 9], 4, 1), vec![vec![7, 8, 9]]);
}

#[test]
fn the_last_window_may_be_short_and_ends_at_the_end() {
    let tokens = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    assert_eq!(
        cut(&tokens, 4, 1),
        vec![vec![1, 2, 3, 4], vec![4, 5, 6, 7], vec![7, 8, 9]]
    );
}

#[test]
fn a_window_that_reaches_the_end_is_the_last() {
    let tokens = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert_eq!(
        cut(&tokens, 4, 2),
        vec![
            vec![1, 2, 3, 4],
            vec![3, 4, 5, 6],
            vec![5, 6, 7, 8],
            vec![7, 8, 9, 10]
        ]
    );
}

#[test]
#[should_panic(expected = "size")]
fn a_window_size_of_zero_is_refused() {
    let _ = windows(&[1, 2, 3], 0, 0);
}

#[test]
#[should_panic(expected = "overlap")]
fn an_overlap_as_large_as_the_window_is_refused() {
    let _ = windows(&[1, 2, 3], 2, 2);
}
