use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[test]
fn logistic_reports_its_name_and_two_parameters() {
    let model = Logistic { weight: 1.0, bias: 0.0 };
    assert_eq!(model.name(), "logistic");
    assert_eq!(model.param_count(), 2, "a weight and a bias");
    assert_eq!(model.describe(), "logistic(params=2)");
}

#[test]
fn logistic_predicts_sigmoid_of_weight_times_x_plus_bias() {
    let cases = [
        (Logistic { weight: 0.0, bias: 0.0 }, 5.0, 0.5),
        (Logistic { weight: 1.0, bias: 0.0 }, 0.0, 0.5),
        (Logistic { weight: 2.0, bias: -1.0 }, 0.5, 0.5),
        (Logistic { weight: 1.0, bias: 0.0 }, 2.0, sigmoid(2.0)),
        (Logistic { weight: -3.0, bias: 0.5 }, 1.0, sigmoid(-2.5)),
    ];
    for (model, x, want) in cases {
        let got = model.predict(x);
        assert!(close(got, want), "{model:?}.predict({x}) = {got}, expected {want}");
    }
}

#[test]
fn logistic_output_is_a_probability_even_far_from_zero() {
    let model = Logistic { weight: 1.0, bias: 0.0 };
    for x in [-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0] {
        let p = model.predict(x);
        assert!((0.0..=1.0).contains(&p), "predict({x}) = {p} is not in [0, 1]");
    }
    assert!(model.predict(30.0) > 0.999, "large positive z should be close to 1");
    assert!(model.predict(-30.0) < 0.001, "large negative z should be close to 0");
}

#[test]
fn predict_batch_agrees_with_predict() {
    let model = Logistic { weight: 1.5, bias: -0.5 };
    let xs = [-2.0, -0.5, 0.0, 0.25, 1.0, 3.0];
    let batch = model.predict_batch(&xs);
    assert_eq!(batch.len(), xs.len(), "one prediction per input");
    for (x, got) in xs.iter().zip(&batch) {
        let one = model.predict(*x);
        assert!(
            close(*got, one),
            "predict_batch gave {got} for x = {x} but predict gives {one}: an override that \
             disagrees with predict breaks the contract"
        );
    }
    assert!(model.predict_batch(&[]).is_empty());
}

#[test]
fn logistic_serves_behind_a_trait_object() {
    let models: Vec<Box<dyn Model>> = vec![boxed_logistic(1.0, 0.0), boxed_logistic(0.0, 2.0)];
    assert_eq!(models[0].name(), "logistic", "through a Box<dyn Model> the name is the type's own");
    assert!(close(models[0].predict(0.0), 0.5), "through a Box<dyn Model>, predict(0) with bias 0 is sigmoid(0) = 0.5");
    assert!(close(models[1].predict(-7.0), sigmoid(2.0)), "weight 0: the bias alone decides");
    assert_eq!(models[1].predict_batch(&[1.0, 2.0]).len(), 2, "one prediction per input through a trait object");
}
