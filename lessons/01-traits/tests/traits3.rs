use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn fit_takes_the_mean_of_the_targets() {
    let cases: [(&[f64], f64); 5] = [
        (&[1.0, 2.0, 3.0, 4.0], 2.5),
        (&[7.0], 7.0),
        (&[-2.0, 2.0], 0.0),
        (&[-1.5, -2.5, -3.5], -2.5),
        (&[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.35),
    ];
    for (targets, want) in cases {
        let model = MeanBaseline::fit(targets).expect("these targets are fine to fit");
        assert!(close(model.mean, want), "fit({targets:?}) gave mean {}, expected {want}", model.mean);
    }
}

#[test]
fn fit_refuses_empty_targets() {
    assert_eq!(MeanBaseline::fit(&[]), None, "the mean of nothing is not 0, it is no model at all");
}

#[test]
fn fit_refuses_targets_that_are_not_finite() {
    for bad in [
        vec![1.0, f64::NAN, 3.0],
        vec![f64::INFINITY],
        vec![2.0, 4.0, f64::NEG_INFINITY],
        vec![f64::NAN],
    ] {
        assert_eq!(MeanBaseline::fit(&bad), None, "fit({bad:?}) should refuse a non-finite target");
    }
}

#[test]
fn baseline_reports_its_name_and_one_parameter() {
    let model = MeanBaseline { mean: 3.0 };
    assert_eq!(model.name(), "mean");
    assert_eq!(model.param_count(), 1);
    assert_eq!(model.describe(), "mean(params=1)", "leave describe to the provided method");
}

#[test]
fn predict_ignores_the_input() {
    let model = MeanBaseline { mean: -4.25 };
    for x in [0.0, 1.0, -100.0, 1e9, f64::NAN] {
        assert_eq!(model.predict(x), -4.25, "predict({x}) should be the fitted mean");
    }
}

#[test]
fn overridden_predict_batch_gives_one_prediction_per_input() {
    let model = MeanBaseline { mean: 0.5 };
    for n in [0, 1, 2, 5, 1000] {
        let xs: Vec<f64> = (0..n).map(f64::from).collect();
        let got = model.predict_batch(&xs);
        assert_eq!(got.len(), n as usize, "{n} inputs must give {n} predictions");
    }
}

#[test]
fn overridden_predict_batch_agrees_with_predict() {
    // Built directly, not with `fit`: this test is about `predict_batch`.
    let model = MeanBaseline { mean: 6.0 };
    let xs = [0.0, -1.0, 42.0, 3.5];
    let batch = model.predict_batch(&xs);
    let one_by_one: Vec<f64> = xs.iter().map(|&x| model.predict(x)).collect();
    assert_eq!(batch, one_by_one, "an override may be faster, never different");
}

#[test]
fn baseline_works_behind_a_trait_object() {
    let model: Box<dyn Model> = Box::new(MeanBaseline { mean: 2.0 });
    assert_eq!(
        model.predict_batch(&[9.0, 8.0, 7.0]),
        vec![2.0, 2.0, 2.0],
        "through a Box<dyn Model> the override runs too: three inputs, three times the mean"
    );
    assert_eq!(model.name(), "mean", "the name through a trait object is the type's own");
}
