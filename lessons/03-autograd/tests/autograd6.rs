use super::*;
use candle_core::{Device, Tensor, Var};

/// The loss written out in plain f64, independent of candle.
fn loss_f64(w: f64, b: f64, xs: &[f32], ys: &[f32]) -> f64 {
    let n = xs.len() as f64;
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| (w * f64::from(x) + b - f64::from(y)).powi(2))
        .sum::<f64>()
        / n
}

/// Central finite differences of `loss_f64` in w and in b.
fn numeric_grad(w: f64, b: f64, xs: &[f32], ys: &[f32]) -> (f64, f64) {
    let h = 1e-5;
    let dw = (loss_f64(w + h, b, xs, ys) - loss_f64(w - h, b, xs, ys)) / (2.0 * h);
    let db = (loss_f64(w, b + h, xs, ys) - loss_f64(w, b - h, xs, ys)) / (2.0 * h);
    (dw, db)
}

fn near(got: f32, want: f64, rel: f64) -> bool {
    (f64::from(got) - want).abs() <= rel * want.abs().max(1.0)
}

fn line(w: f32, b: f32, xs: &[f32]) -> Vec<f32> {
    xs.iter().map(|x| w * x + b).collect()
}

const XS: [f32; 8] = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0];

#[test]
fn mse_loss_is_the_mean_of_squared_errors() {
    let device = Device::Cpu;
    let ys = [0.5f32, -1.0, 2.0, 0.0];
    let xs = [1.0f32, 2.0, -1.0, 0.5];
    for (w, b) in [(0.0f32, 0.0f32), (2.0, 1.0), (-1.5, 0.25)] {
        let loss = mse_loss(
            &Var::new(w, &device).unwrap(),
            &Var::new(b, &device).unwrap(),
            &Tensor::new(&xs, &device).unwrap(),
            &Tensor::new(&ys, &device).unwrap(),
        )
        .expect("mse_loss should succeed on matching shapes");
        assert_eq!(
            loss.dims(),
            &[] as &[usize],
            "the loss is a single number: a rank-0 tensor"
        );
        let got = loss.to_scalar::<f32>().unwrap();
        let want = loss_f64(f64::from(w), f64::from(b), &xs, &ys);
        assert!(
            near(got, want, 1e-5),
            "loss at w = {w}, b = {b}: expected {want}, got {got}"
        );
    }
}

#[test]
fn gradients_from_backward_match_finite_differences_at_several_points() {
    let datasets: [(&[f32], Vec<f32>); 2] = [
        (&XS, line(2.0, 1.0, &XS)),
        (&[0.5, 1.5, -2.0], vec![1.0, -0.5, 3.0]),
    ];
    for (xs, ys) in &datasets {
        for (w, b) in [(0.0f32, 0.0f32), (1.0, -1.0), (2.5, 0.5), (-0.75, 3.0)] {
            let (loss, dw, db) =
                loss_and_grads(w, b, xs, ys).expect("loss_and_grads should succeed");
            let (want_dw, want_db) = numeric_grad(f64::from(w), f64::from(b), xs, ys);
            let want_loss = loss_f64(f64::from(w), f64::from(b), xs, ys);
            assert!(
                near(loss, want_loss, 1e-5),
                "loss at ({w}, {b}): expected {want_loss}, got {loss}"
            );
            assert!(
                near(dw, want_dw, 1e-3) && near(db, want_db, 1e-3),
                "gradient at w = {w}, b = {b} on xs = {xs:?}: finite differences say ({want_dw}, {want_db}), got ({dw}, {db})"
            );
        }
    }
}

// For authors: in candle-core 0.11.1 (`backprop.rs`, `Tensor::backward`) every
// input of a recorded op gets an entry (`grads.or_insert(lhs)` / `(rhs)`), so
// `grads.get(&x)` is `Some` for the data tensor `x` as well. `None` comes only
// for a tensor outside the recorded graph, such as `unused` below.
#[test]
fn scalar_grad_is_an_error_not_a_panic_for_a_var_outside_the_loss() {
    let device = Device::Cpu;
    let w = Var::new(1.0f32, &device).unwrap();
    let b = Var::new(0.5f32, &device).unwrap();
    let unused = Var::new(3.0f32, &device).unwrap();
    let x = Tensor::new(&[1.0f32, 2.0], &device).unwrap();
    let y = Tensor::new(&[0.0f32, 1.0], &device).unwrap();
    let grads = mse_loss(&w, &b, &x, &y).unwrap().backward().unwrap();
    assert!(
        scalar_grad(&grads, &w).is_ok(),
        "w is part of the loss, so it has a gradient"
    );
    assert!(
        scalar_grad(&grads, &unused).is_err(),
        "a Var the loss never used has no entry in the GradStore: return an Err"
    );
}

#[test]
fn mismatched_lengths_are_an_error_not_a_panic() {
    let result = loss_and_grads(1.0, 0.0, &[1.0, 2.0, 3.0], &[1.0, 2.0]);
    assert!(
        result.is_err(),
        "3 inputs and 2 targets cannot be compared: expected Err, got {result:?}"
    );
}

#[test]
fn fit_by_hand_recovers_y_equals_2x_plus_1() {
    let ys = line(2.0, 1.0, &XS);
    let fit = fit_by_hand(&XS, &ys, 0.1, 100).expect("fit_by_hand should succeed");
    for (step, loss) in fit.losses.iter().enumerate() {
        println!("tensorlings:loss {step} {loss}");
    }
    assert_eq!(fit.losses.len(), 100, "one loss per step");
    let start = loss_f64(0.0, 0.0, &XS, &ys);
    assert!(
        near(fit.losses[0], start, 1e-5),
        "losses[0] is the loss at w = 0, b = 0 (before any update): {start}, got {}",
        fit.losses[0]
    );
    let last = fit.losses[99];
    assert!(
        last < 1e-3,
        "after 100 steps the loss should be below 1e-3, got {last}"
    );
    assert!(
        (fit.w - 2.0).abs() < 0.05 && (fit.b - 1.0).abs() < 0.05,
        "expected w = 2, b = 1, got w = {}, b = {}",
        fit.w,
        fit.b
    );
}

#[test]
fn fit_by_hand_follows_the_gradient_step_by_step_on_another_line() {
    let ys = line(-3.0, 0.5, &XS);
    let lr = 0.2;
    let fit = fit_by_hand(&XS, &ys, lr, 3).expect("fit_by_hand should succeed");
    let (mut w, mut b) = (0.0f64, 0.0f64);
    for _ in 0..3 {
        let (dw, db) = numeric_grad(w, b, &XS, &ys);
        w -= lr * dw;
        b -= lr * db;
    }
    assert!(
        near(fit.w, w, 1e-3) && near(fit.b, b, 1e-3),
        "3 steps of gradient descent with lr {lr} from (0, 0) should reach ({w}, {b}), got ({}, {}): \
         move each variable by -lr * its gradient",
        fit.w,
        fit.b
    );
    let long = fit_by_hand(&XS, &ys, 0.1, 100).expect("fit_by_hand should succeed");
    assert!(
        (long.w + 3.0).abs() < 0.05 && (long.b - 0.5).abs() < 0.05,
        "y = -3x + 0.5: got w = {}, b = {}",
        long.w,
        long.b
    );
}
