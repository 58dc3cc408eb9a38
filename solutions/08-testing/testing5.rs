//! Tests that pass on the correct `top_k` and catch each broken one: one
//! test per promise of its description, and one for an input the
//! description takes for granted (scores below zero).

use super::*;

#[test]
fn picks_the_highest_first() {
    assert_eq!(top_k(&[0.1, 0.9, 0.5], 2), vec![1, 2]);
}

#[test]
fn equal_scores_come_out_earlier_index_first() {
    assert_eq!(top_k(&[0.5, 0.9, 0.5, 0.5], 3), vec![1, 0, 2]);
}

#[test]
fn asking_for_more_than_there_are_gives_them_all() {
    assert_eq!(top_k(&[0.2, 0.7], 5), vec![1, 0]);
    assert!(top_k(&[], 3).is_empty());
}

#[test]
fn a_nan_score_is_never_picked() {
    assert_eq!(top_k(&[0.3, f32::NAN, 0.8], 3), vec![2, 0]);
}

#[test]
fn negative_scores_are_ranked_like_any_other() {
    assert_eq!(top_k(&[-2.5, -0.1, -7.0], 2), vec![1, 0]);
}
