use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn data<'a>(xs: &'a [f64], ys: &'a [f64]) -> Data<'a> {
    Data { xs, ys }
}

/// Predicts a fixed value; lets the tests build models of a third type.
struct Fixed {
    name: &'static str,
    value: f64,
}

impl Model for Fixed {
    fn name(&self) -> &str {
        self.name
    }
    fn param_count(&self) -> usize {
        0
    }
    fn predict(&self, _x: f64) -> f64 {
        self.value
    }
}

#[test]
fn mean_squared_error_averages_squared_errors() {
    let model = Linear { weight: 1.0, bias: 0.0 };
    let d = data(&[1.0, 2.0, 3.0], &[1.0, 4.0, 0.0]);
    // errors: 0, -2, 3 -> squares 0, 4, 9 -> mean 13/3
    let mse = mean_squared_error(&model, d).expect("usable data");
    assert!(close(mse, 13.0 / 3.0), "got {mse}, expected 13/3");

    let baseline = MeanBaseline { mean: 2.0 };
    let mse = mean_squared_error(&baseline, data(&[0.0, 0.0], &[1.0, 5.0])).expect("usable data");
    assert!(close(mse, 5.0), "errors 1 and -3 give a mean square of 5, got {mse}");

    let perfect = mean_squared_error(&model, data(&[-1.0, 7.0], &[-1.0, 7.0])).expect("usable data");
    assert!(close(perfect, 0.0), "a perfect model scores 0, got {perfect}");
}

#[test]
fn mean_squared_error_refuses_empty_or_mismatched_data() {
    let model = Linear { weight: 1.0, bias: 0.0 };
    assert_eq!(mean_squared_error(&model, data(&[], &[])), None, "a score over nothing is not 0");
    assert_eq!(mean_squared_error(&model, data(&[1.0, 2.0], &[1.0])), None, "lengths differ");
    assert_eq!(mean_squared_error(&model, data(&[1.0], &[1.0, 2.0])), None, "lengths differ");
}

#[test]
fn mean_squared_error_accepts_trait_objects() {
    let boxed: Box<dyn Model> = Box::new(Linear { weight: 2.0, bias: 0.0 });
    let mse = mean_squared_error(boxed.as_ref(), data(&[1.0, 2.0], &[2.0, 6.0])).expect("usable data");
    assert!(close(mse, 2.0), "errors 0 and -2 give 2, got {mse}");
}

#[test]
fn baseline_fit_takes_the_mean_of_the_targets() {
    let model = MeanBaseline::fit(data(&[9.0, -9.0, 0.0, 1.0], &[1.0, 2.0, 3.0, 6.0])).expect("usable data");
    assert!(close(model.mean, 3.0), "mean of the ys, not the xs: got {}", model.mean);
    assert_eq!(MeanBaseline::fit(data(&[], &[])), None, "nothing to fit");
    assert_eq!(MeanBaseline::fit(data(&[1.0], &[1.0, 2.0])), None, "lengths differ");
    assert_eq!(MeanBaseline::fit(data(&[1.0, 2.0], &[f64::NAN, 2.0])), None, "a NaN target");
}

#[test]
fn fit_and_score_works_for_every_trainable_type() {
    let train = data(&[0.0, 1.0, 2.0, 3.0], &[1.0, 3.0, 5.0, 7.0]);
    let test = data(&[10.0, -1.0], &[21.0, -1.0]);

    let (linear, score) = fit_and_score::<Linear>(train, test).expect("linear fits this data");
    assert!(close(linear.weight, 2.0) && close(linear.bias, 1.0), "fitted {linear:?}");
    assert!(close(score, 0.0), "the line is exact, so the test error is 0, got {score}");

    let (baseline, score) = fit_and_score::<MeanBaseline>(train, test).expect("the baseline fits anything usable");
    assert!(close(baseline.mean, 4.0), "mean of the training ys is 4, got {}", baseline.mean);
    // test errors: 4 - 21 = -17, 4 - (-1) = 5 -> (289 + 25) / 2. Compared
    // with the learner's own `mean_squared_error` (which its own tests
    // check): this test is about `fit_and_score` putting the two together.
    let own = mean_squared_error(&baseline, test);
    assert!(
        own.is_some_and(|own| close(score, own)),
        "fit_and_score should return the fitted model's mean_squared_error on the TEST data, {own:?}, got {score}"
    );
    assert!(close(score, 157.0), "the baseline's squared error on the test data is (289 + 25) / 2 = 157, got {score}");
}

#[test]
fn fit_and_score_is_none_when_fitting_or_scoring_fails() {
    let good = data(&[0.0, 1.0], &[0.0, 1.0]);
    let flat_x = data(&[2.0, 2.0, 2.0], &[1.0, 2.0, 3.0]);
    assert!(fit_and_score::<Linear>(flat_x, good).is_none(), "no slope can be fitted when every x is equal");
    assert!(fit_and_score::<MeanBaseline>(data(&[], &[]), good).is_none(), "empty training data");
    assert!(fit_and_score::<MeanBaseline>(good, data(&[], &[])).is_none(), "empty test data");
    assert!(fit_and_score::<Linear>(good, data(&[1.0, 2.0], &[1.0])).is_none(), "mismatched test data");
}

#[test]
fn best_by_mse_picks_the_lowest_error_among_different_types() {
    let models: Vec<Box<dyn Model>> = vec![
        Box::new(MeanBaseline { mean: 0.0 }),
        Box::new(Linear { weight: 2.0, bias: 0.0 }),
        Box::new(Fixed { name: "fixed", value: 3.0 }),
    ];
    let d = data(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]);
    let best = best_by_mse(&models, d).expect("there are models to choose from");
    assert_eq!(best.name(), "linear");

    let d = data(&[100.0, -100.0], &[3.0, 3.0]);
    assert_eq!(best_by_mse(&models, d).map(|m| m.name()), Some("fixed"));
}

#[test]
fn best_by_mse_gives_a_tie_to_the_first_model() {
    let models: Vec<Box<dyn Model>> = vec![
        Box::new(Fixed { name: "worse", value: 10.0 }),
        Box::new(Fixed { name: "first", value: 1.0 }),
        Box::new(Fixed { name: "second", value: 1.0 }),
        Box::new(Fixed { name: "third", value: 1.0 }),
    ];
    let best = best_by_mse(&models, data(&[0.0], &[1.0])).expect("models to choose from");
    assert_eq!(best.name(), "first", "equal errors: the earlier model wins");
}

#[test]
fn best_by_mse_never_picks_a_model_whose_error_is_nan_or_infinite() {
    let models: Vec<Box<dyn Model>> = vec![
        Box::new(Fixed { name: "nan", value: f64::NAN }),
        Box::new(Fixed { name: "inf", value: f64::INFINITY }),
        Box::new(Fixed { name: "bad-but-finite", value: 1000.0 }),
        Box::new(Fixed { name: "also-nan", value: f64::NAN }),
    ];
    let best = best_by_mse(&models, data(&[0.0, 1.0], &[0.0, 1.0]));
    assert_eq!(best.map(|m| m.name()), Some("bad-but-finite"));

    let broken: Vec<Box<dyn Model>> = vec![Box::new(Fixed { name: "nan", value: f64::NAN })];
    assert!(best_by_mse(&broken, data(&[0.0], &[0.0])).is_none(), "no finite error, no winner");
}

#[test]
fn best_by_mse_is_none_without_models_or_usable_data() {
    let none: Vec<Box<dyn Model>> = Vec::new();
    assert!(best_by_mse(&none, data(&[1.0], &[1.0])).is_none(), "no models, no winner");
    let models: Vec<Box<dyn Model>> = vec![Box::new(MeanBaseline { mean: 1.0 })];
    assert!(best_by_mse(&models, data(&[], &[])).is_none(), "no data, no winner");
}
