use super::*;
use candle_core::{Device, Tensor, Var};

const XS: [f32; 8] = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0];

fn line(w: f32, b: f32, xs: &[f32]) -> Vec<f32> {
    xs.iter().map(|x| w * x + b).collect()
}

fn mse_f64(w: f64, b: f64, xs: &[f32], ys: &[f32]) -> f64 {
    xs.iter()
        .zip(ys)
        .map(|(&x, &y)| (w * f64::from(x) + b - f64::from(y)).powi(2))
        .sum::<f64>()
        / xs.len() as f64
}

/// Central finite difference of a function of one variable.
fn fd(f: impl Fn(f64) -> f64, at: f64) -> f64 {
    let h = 1e-5;
    (f(at + h) - f(at - h)) / (2.0 * h)
}

fn near(got: f32, want: f64, rel: f64) -> bool {
    (f64::from(got) - want).abs() <= rel * want.abs().max(1.0)
}

struct Transitions {
    x: [f32; 4],
    x_next: [f32; 4],
    reward: [f32; 4],
    gamma: f64,
}

const DATA: Transitions = Transitions {
    x: [1.0, 2.0, -1.0, 0.5],
    x_next: [2.0, -1.0, 0.5, 1.5],
    reward: [0.5, -1.0, 2.0, 0.25],
    gamma: 0.9,
};

/// The bootstrap loss in plain f64, with the target computed at `w_target`.
fn bootstrap_f64(w: f64, w_target: f64, d: &Transitions) -> f64 {
    (0..4)
        .map(|i| {
            let target = f64::from(d.reward[i]) + d.gamma * w_target * f64::from(d.x_next[i]);
            (w * f64::from(d.x[i]) - target).powi(2)
        })
        .sum::<f64>()
        / 4.0
}

fn bootstrap_at(w: f32, d: &Transitions) -> (f32, Option<f32>) {
    let device = Device::Cpu;
    let wv = Var::new(w, &device).unwrap();
    let loss = bootstrap_loss(
        &wv,
        &Tensor::new(&d.x, &device).unwrap(),
        &Tensor::new(&d.x_next, &device).unwrap(),
        &Tensor::new(&d.reward, &device).unwrap(),
        d.gamma,
    )
    .expect("bootstrap_loss should succeed on matching shapes");
    let grads = loss.backward().unwrap();
    let g = grads.get(&wv).map(|t| t.to_scalar::<f32>().unwrap());
    (loss.to_scalar::<f32>().unwrap(), g)
}

#[test]
fn fit_with_sgd_recovers_y_equals_2x_plus_1() {
    let ys = line(2.0, 1.0, &XS);
    let fit = fit_with_sgd(&XS, &ys, 0.1, 100).expect("fit_with_sgd should succeed");
    for (step, loss) in fit.losses.iter().enumerate() {
        println!("tensorlings:loss {step} {loss}");
    }
    assert_eq!(fit.losses.len(), 100, "one loss per step");
    let last = fit.losses[99];
    assert!(
        last < 1e-3,
        "after 100 steps the loss should be below 1e-3, got {last}"
    );
    assert!(
        (fit.w - 2.0).abs() < 0.05 && (fit.b - 1.0).abs() < 0.05,
        "expected w = 2, b = 1, got w = {}, b = {}: did the optimizer get BOTH variables?",
        fit.w,
        fit.b
    );
}

#[test]
fn sgd_takes_the_same_steps_as_manual_gradient_descent() {
    for (true_w, true_b, lr) in [(-3.0f32, 0.5f32, 0.2), (0.5, -2.0, 0.05), (1.0, 1.0, 0.3)] {
        let ys = line(true_w, true_b, &XS);
        let fit = fit_with_sgd(&XS, &ys, lr, 3).expect("fit_with_sgd should succeed");
        let (mut w, mut b) = (0.0f64, 0.0f64);
        for _ in 0..3 {
            let dw = fd(|w2| mse_f64(w2, b, &XS, &ys), w);
            let db = fd(|b2| mse_f64(w, b2, &XS, &ys), b);
            w -= lr * dw;
            b -= lr * db;
        }
        assert!(
            near(fit.w, w, 1e-3) && near(fit.b, b, 1e-3),
            "3 SGD steps with lr {lr} on y = {true_w}x + {true_b} should reach ({w}, {b}), got ({}, {}): \
             the learning rate is the optimizer's config",
            fit.w,
            fit.b
        );
    }
}

#[test]
fn losses_are_measured_before_each_update() {
    let ys = line(-1.0, 2.0, &XS);
    let fit = fit_with_sgd(&XS, &ys, 0.1, 4).expect("fit_with_sgd should succeed");
    assert_eq!(fit.losses.len(), 4, "one loss per step");
    let start = mse_f64(0.0, 0.0, &XS, &ys);
    assert!(
        near(fit.losses[0], start, 1e-5),
        "losses[0] is the loss at w = b = 0: {start}, got {}",
        fit.losses[0]
    );
    let none = fit_with_sgd(&XS, &ys, 0.1, 0).expect("zero steps is fine");
    assert!(
        none.losses.is_empty() && none.w == 0.0 && none.b == 0.0,
        "zero steps: no losses, parameters untouched, got {none:?}"
    );
    assert!(
        fit_with_sgd(&[1.0, 2.0], &[1.0], 0.1, 3).is_err(),
        "mismatched lengths are an Err, not a panic"
    );
}

#[test]
fn bootstrap_loss_has_the_right_value() {
    for w in [-1.0f32, 0.0, 0.4, 2.0] {
        let (loss, _) = bootstrap_at(w, &DATA);
        let want = bootstrap_f64(f64::from(w), f64::from(w), &DATA);
        assert!(
            near(loss, want, 1e-5),
            "bootstrap loss at w = {w}: expected {want}, got {loss}"
        );
    }
}

#[test]
fn the_bootstrap_target_is_a_constant_for_backward() {
    for w in [-1.0f32, 0.0, 0.4, 2.0] {
        let (_, grad) = bootstrap_at(w, &DATA);
        let grad = grad.expect("w is part of the prediction, so it must have a gradient");
        let w0 = f64::from(w);
        // target frozen at the current w: the gradient we want
        let semi = fd(|w2| bootstrap_f64(w2, w0, &DATA), w0);
        // target moving with w: what you get without detach
        let full = fd(|w2| bootstrap_f64(w2, w2, &DATA), w0);
        assert!(
            (semi - full).abs() > 0.1,
            "test data check: the two gradients differ at w = {w}"
        );
        assert!(
            near(grad, semi, 1e-3),
            "at w = {w}: with the target detached the gradient is {semi}; got {grad} \
             (without detach it would be {full})"
        );
    }
}

#[test]
fn bootstrap_with_gamma_zero_is_plain_regression_on_the_reward() {
    let d = Transitions { gamma: 0.0, ..DATA };
    for w in [-0.5f32, 1.5] {
        let (_, grad) = bootstrap_at(w, &d);
        let want = fd(|w2| bootstrap_f64(w2, w2, &d), f64::from(w));
        let grad = grad.expect("w must have a gradient");
        assert!(
            near(grad, want, 1e-3),
            "gamma = 0 at w = {w}: expected gradient {want}, got {grad}"
        );
    }
}
