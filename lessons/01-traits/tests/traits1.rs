use super::*;
use std::cell::Cell;

/// A model the exercise knows nothing about: the defaults must work for it too.
struct Square;

impl Model for Square {
    fn name(&self) -> &str {
        "square"
    }
    fn param_count(&self) -> usize {
        0
    }
    fn predict(&self, x: f64) -> f64 {
        x * x
    }
}

/// Counts how often `predict` is called.
struct Counting {
    calls: Cell<usize>,
}

impl Model for Counting {
    fn name(&self) -> &str {
        "counting"
    }
    fn param_count(&self) -> usize {
        7
    }
    fn predict(&self, x: f64) -> f64 {
        self.calls.set(self.calls.get() + 1);
        x + 1000.0
    }
}

/// The answers bound to the types the trait declares: a learner's type whose
/// `PartialEq` always says yes cannot stand in for them.
fn batch<M: Model + ?Sized>(model: &M, xs: &[f64]) -> Vec<f64> {
    model.predict_batch(xs)
}

fn describe<M: Model + ?Sized>(model: &M) -> String {
    model.describe()
}

fn name<M: Model + ?Sized>(model: &M) -> &str {
    model.name()
}

fn params<M: Model + ?Sized>(model: &M) -> usize {
    model.param_count()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn linear_predicts_weight_times_x_plus_bias() {
    let cases = [
        (Linear { weight: 2.0, bias: 1.0 }, 3.0, 7.0),
        (Linear { weight: 2.0, bias: 1.0 }, 0.0, 1.0),
        (Linear { weight: -0.5, bias: 4.0 }, 2.0, 3.0),
        (Linear { weight: 0.0, bias: -3.25 }, 99.0, -3.25),
        (Linear { weight: 1.5, bias: 0.0 }, -4.0, -6.0),
    ];
    for (model, x, want) in cases {
        let got = model.predict(x);
        if !close(got, want) && close(got, model.weight * x) {
            panic!("{model:?}.predict({x}) = {got}, which is weight * x without the bias; expected {want}");
        }
        if !close(got, want) && close(got, model.bias * x + model.weight) {
            panic!("{model:?}.predict({x}) = {got}, which is bias * x + weight (the two swapped); expected {want}");
        }
        assert!(close(got, want), "{model:?}.predict({x}) = {got}, expected {want}");
    }
}

#[test]
fn linear_reports_its_name_and_two_parameters() {
    let model = Linear { weight: 0.3, bias: 0.7 };
    assert_eq!(name(&model), "linear", "the name is the registry key: exactly \"linear\"");
    assert_eq!(params(&model), 2, "a linear model learns a weight and a bias");
}

#[test]
fn predict_batch_returns_one_prediction_per_input_in_order() {
    let model = Linear { weight: 3.0, bias: -1.0 };
    let xs = [0.0, 1.0, -2.0, 10.0, 0.5];
    let got = batch(&model, &xs);
    // Expected from the learner's own `predict`: this test is about the
    // batch (one per input, in order), and the test above about `predict`.
    let want: Vec<f64> = xs.iter().map(|&x| model.predict(x)).collect();
    assert_eq!(got, want, "batch of {xs:?}: one prediction per input, in order, each what predict gives");
}

#[test]
fn predict_batch_of_no_inputs_is_empty() {
    let model = Linear { weight: 3.0, bias: -1.0 };
    assert!(batch(&model, &[]).is_empty(), "no inputs, no predictions");
    assert!(batch(&Square, &[]).is_empty(), "no inputs, no predictions");
}

#[test]
fn default_predict_batch_works_for_any_model() {
    let got = batch(&Square, &[1.0, -2.0, 3.0, 0.0]);
    assert_eq!(
        got,
        vec![1.0, 4.0, 9.0, 0.0],
        "the default predict_batch must use the model's own predict"
    );
}

#[test]
fn default_predict_batch_calls_predict_once_per_input() {
    let model = Counting { calls: Cell::new(0) };
    let got = batch(&model, &[1.0, 2.0, 3.0]);
    assert_eq!(got, vec![1001.0, 1002.0, 1003.0]);
    assert_eq!(model.calls.get(), 3, "predict should run exactly once per input");
}

#[test]
fn describe_is_built_from_name_and_param_count() {
    let linear = Linear { weight: 1.0, bias: 2.0 };
    let want = format!("{}(params={})", name(&linear), params(&linear));
    assert_eq!(describe(&linear), want, "describe is name(params=N), from the model's own name and param_count");
    assert_eq!(describe(&Square), "square(params=0)");
    let counting = Counting { calls: Cell::new(0) };
    assert_eq!(describe(&counting), "counting(params=7)");
    assert_eq!(counting.calls.get(), 0, "describe should not need to predict anything");
}
