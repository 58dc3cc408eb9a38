//! Tests that pass on the correct `softmax` and catch each broken one:
//! properties over a range wide enough to overflow a careless `exp`, and
//! plain tests for the edges a generator rarely hits.

use super::*;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// The same cases on every run: a fixed seed, and no regression files.
/// A property that finds a bug only on some runs is a flaky test.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(500);
    config.rng_seed = RngSeed::Fixed(6);
    config.failure_persistence = None;
    config
}

/// Logits as large as a model's raw outputs get, and far apart.
fn logits() -> impl Strategy<Value = Vec<f32>> {
    prop::collection::vec(-1000.0f32..1000.0, 1..8)
}

#[test]
fn equal_logits_share_evenly() {
    let probabilities = softmax(&[2.0, 2.0, 2.0, 2.0]);
    assert_eq!(probabilities, vec![0.25; 4]);
}

#[test]
fn there_is_one_probability_per_logit() {
    proptest!(config(), |(logits in prop::collection::vec(-10.0f32..10.0, 1..8))| {
        let probabilities = softmax(&logits);
        prop_assert_eq!(probabilities.len(), logits.len());
    });
}

#[test]
fn outputs_are_probabilities_that_sum_to_one() {
    proptest!(config(), |(logits in logits())| {
        let probabilities = softmax(&logits);
        for &p in &probabilities {
            prop_assert!((0.0..=1.0).contains(&p), "{} is not a probability", p);
        }
        let sum: f32 = probabilities.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-4, "the probabilities sum to {}", sum);
    });
}

#[test]
fn a_larger_logit_never_gets_a_smaller_probability() {
    proptest!(config(), |(logits in logits())| {
        let probabilities = softmax(&logits);
        for (i, &a) in logits.iter().enumerate() {
            for (j, &b) in logits.iter().enumerate() {
                if a > b {
                    prop_assert!(
                        probabilities[i] >= probabilities[j],
                        "logit {} got {}, but the smaller logit {} got {}",
                        a, probabilities[i], b, probabilities[j]
                    );
                }
            }
        }
    });
}

#[test]
fn no_logits_give_no_probabilities() {
    assert!(softmax(&[]).is_empty());
}

#[test]
fn large_logits_far_apart_do_not_overflow() {
    assert_eq!(softmax(&[1000.0, 1000.0]), vec![0.5, 0.5]);
    assert_eq!(softmax(&[0.0, 200.0]), vec![0.0, 1.0]);
}
