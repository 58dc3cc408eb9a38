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

/// Another predictor of the tests' own: a number's successor. The chain and
/// accuracy tests below use only the tests' own predictors, so a slip in
/// `LinearRegressor` or `ThresholdClassifier` (a `>` for `>=`, a lost bias)
/// fails the tests about those, not these.
struct Next;

impl Predictor for Next {
    type Input = u32;
    type Output = u32;
    const NAME: &'static str = "next";

    fn predict(&self, n: &u32) -> u32 {
        n + 1
    }
}

/// And a label's length: a chain can end in yet another type.
struct Length;

impl Predictor for Length {
    type Input = &'static str;
    type Output = usize;
    const NAME: &'static str = "length";

    fn predict(&self, label: &&'static str) -> usize {
        label.len()
    }
}

#[test]
fn chain_feeds_the_first_output_into_the_second() {
    let model = Chain { first: Next, second: Parity };
    let got: &'static str = model.predict(&1);
    assert_eq!(got, "even", "the chain of next and parity: 1 becomes 2, which is even");
    let got: Vec<&'static str> = model.predict_all(&[2, 5, 8]);
    assert_eq!(got, vec!["odd", "even", "odd"], "3, 6 and 9 are odd, even and odd");
    let longer = Chain { first: Chain { first: Next, second: Parity }, second: Length };
    let got: usize = longer.predict(&2);
    assert_eq!(got, 3, "2 becomes 3, \"odd\", then its length 3: a chain of chains works too");
}

#[test]
fn accuracy_is_the_fraction_of_matching_outputs() {
    let acc = accuracy(&Parity, &[1, 2, 3, 4], &["odd", "even", "odd", "odd"]).expect("same lengths");
    assert!(close(acc, 0.75), "3 of 4 correct, got {acc}");
    let acc = accuracy(&Parity, &[1, 2], &["even", "odd"]).expect("same lengths");
    assert!(close(acc, 0.0), "none correct, got {acc}");
    let acc = accuracy(&Parity, &[1, 2, 3, 4, 5], &["odd", "even", "even", "even", "odd"]).expect("same lengths");
    assert!(close(acc, 0.8), "4 of 5 correct, got {acc}");
    let acc = accuracy(&Next, &[1, 2, 3], &[2, 3, 4]).expect("same lengths");
    assert!(close(acc, 1.0), "all 3 correct, got {acc}");
}

#[test]
fn accuracy_is_none_for_empty_or_mismatched_inputs() {
    let model = ThresholdClassifier { threshold: 0.5 };
    assert_eq!(accuracy(&model, &[], &[]), None, "accuracy over nothing is undefined, not 0 or 1");
    assert_eq!(accuracy(&model, &[0.7, 0.2], &[true]), None, "lengths differ");
    assert_eq!(accuracy(&Parity, &[1], &["odd", "odd"]), None, "lengths differ");
}
