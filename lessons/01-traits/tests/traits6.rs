use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A predictor of a kind the exercise has never seen: labels as strings.
struct Parity;

impl Predictor for Parity {
    type Input = u32;
    type Output = &'static str;
    const NAME: &'static str = "parity";

    fn predict(&self, n: &u32) -> &'static str {
        if n % 2 == 0 { "even" } else { "odd" }
    }
}

#[test]
fn linear_regressor_computes_weights_dot_x_plus_bias() {
    let three = LinearRegressor { weights: [1.0, 2.0, 3.0], bias: 0.5 };
    assert!(close(three.predict(&[1.0, 1.0, 1.0]), 6.5));
    assert!(close(three.predict(&[2.0, 0.0, -1.0]), -0.5));
    let one = LinearRegressor { weights: [-4.0], bias: 1.0 };
    assert!(close(one.predict(&[0.25]), 0.0));
    let two = LinearRegressor { weights: [0.5, -0.5], bias: -2.0 };
    assert!(close(two.predict(&[4.0, 2.0]), -1.0));
    assert_eq!(two.predict_all(&[[0.0, 0.0], [2.0, 0.0]]), vec![-2.0, -1.0]);
}

#[test]
fn linear_regressor_with_no_features_predicts_its_bias() {
    let model = LinearRegressor { weights: [], bias: 3.5 };
    assert!(close(model.predict(&[]), 3.5), "no features: only the bias is left");
}

#[test]
fn threshold_classifier_says_yes_at_or_above_the_threshold() {
    let model = ThresholdClassifier { threshold: 0.5 };
    assert!(model.predict(&0.5), "exactly at the threshold counts as yes");
    assert!(model.predict(&0.9));
    assert!(!model.predict(&0.49));
    assert!(!model.predict(&-3.0));
    let strict = ThresholdClassifier { threshold: -1.0 };
    assert_eq!(strict.predict_all(&[-2.0, -1.0, 0.0]), vec![false, true, true]);
}

#[test]
fn names_are_associated_consts_known_without_an_instance() {
    assert_eq!(LinearRegressor::<3>::NAME, "linear");
    assert_eq!(LinearRegressor::<0>::NAME, "linear");
    assert_eq!(ThresholdClassifier::NAME, "threshold");
    assert_eq!(<Chain<LinearRegressor<2>, ThresholdClassifier>>::NAME, "chain");
}

#[test]
fn metric_key_uses_the_type_name() {
    assert_eq!(metric_key::<ThresholdClassifier>("accuracy"), "threshold/accuracy");
    assert_eq!(metric_key::<LinearRegressor<4>>("mse"), "linear/mse");
    assert_eq!(metric_key::<Parity>("accuracy"), "parity/accuracy", "any predictor, not just the two here");
    assert_eq!(metric_key::<Parity>(""), "parity/");
}

#[test]
fn chain_feeds_the_first_output_into_the_second() {
    let model = Chain {
        first: LinearRegressor { weights: [1.0, 1.0], bias: 0.0 },
        second: ThresholdClassifier { threshold: 1.0 },
    };
    assert!(model.predict(&[0.5, 0.5]), "score 1.0 >= 1.0");
    assert!(!model.predict(&[0.5, 0.0]), "score 0.5 < 1.0");
    assert_eq!(model.predict_all(&[[2.0, 0.0], [-1.0, 0.0], [0.0, 1.0]]), vec![true, false, true]);
}

#[test]
fn accuracy_is_the_fraction_of_matching_outputs() {
    let model = ThresholdClassifier { threshold: 0.5 };
    let scores = [0.1, 0.6, 0.5, 0.4];
    let acc = accuracy(&model, &scores, &[false, true, true, true]).expect("same lengths");
    assert!(close(acc, 0.75), "3 of 4 correct, got {acc}");
    let acc = accuracy(&model, &scores, &[true, false, false, true]).expect("same lengths");
    assert!(close(acc, 0.0), "none correct, got {acc}");

    let acc = accuracy(&Parity, &[1, 2, 3, 4, 5], &["odd", "even", "even", "even", "odd"]).expect("same lengths");
    assert!(close(acc, 0.8), "4 of 5 correct, got {acc}");
}

#[test]
fn accuracy_is_none_for_empty_or_mismatched_inputs() {
    let model = ThresholdClassifier { threshold: 0.5 };
    assert_eq!(accuracy(&model, &[], &[]), None, "accuracy over nothing is undefined, not 0 or 1");
    assert_eq!(accuracy(&model, &[0.7, 0.2], &[true]), None, "lengths differ");
    assert_eq!(accuracy(&Parity, &[1], &["odd", "odd"]), None, "lengths differ");
}
