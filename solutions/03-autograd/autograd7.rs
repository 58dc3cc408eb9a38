//! An optimizer does the update; `detach` decides where gradients stop.
//!
//! `candle_nn::SGD` performs `var -= lr * grad` for every variable it was
//! given, through the `Optimizer` trait. `detach` turns a tensor into a
//! constant for backward: the right tool when a target is computed from the
//! model itself but must be treated as a fixed label.

use candle_core::{Device, Result, Tensor, Var};
use candle_nn::{Optimizer, SGD};

/// The result of a fit: the final parameters and the loss of every step.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub w: f32,
    pub b: f32,
    pub losses: Vec<f32>,
}

/// `mean((w * x + b - y)^2)` for scalar variables `w`, `b`.
///
/// # Errors
/// Propagates candle errors (shape or dtype mismatches).
pub fn mse_loss(w: &Var, b: &Var, x: &Tensor, y: &Tensor) -> Result<Tensor> {
    let pred = x.broadcast_mul(w)?.broadcast_add(b)?;
    (pred - y)?.sqr()?.mean_all()
}

/// Fit y = w*x + b from `w = 0, b = 0` with `candle_nn::SGD`.
/// `losses[i]` is the loss at the start of step `i`.
///
/// # Errors
/// Propagates candle errors, e.g. when `xs` and `ys` differ in length.
pub fn fit_with_sgd(xs: &[f32], ys: &[f32], lr: f64, steps: usize) -> Result<Fit> {
    let device = Device::Cpu;
    let w = Var::new(0f32, &device)?;
    let b = Var::new(0f32, &device)?;
    let x = Tensor::new(xs, &device)?;
    let y = Tensor::new(ys, &device)?;
    let mut sgd = SGD::new(vec![w.clone(), b.clone()], lr)?;
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let loss = mse_loss(&w, &b, &x, &y)?;
        losses.push(loss.to_scalar::<f32>()?);
        sgd.backward_step(&loss)?;
    }
    Ok(Fit {
        w: w.to_scalar::<f32>()?,
        b: b.to_scalar::<f32>()?,
        losses,
    })
}

/// A bootstrapped loss: the model `v(x) = w * x` is pulled towards
/// `target = reward + gamma * v(x_next)`, where the target is computed by the
/// same model but is DETACHED, so gradients flow through the prediction only:
/// `mean((w * x - detach(reward + gamma * w * x_next))^2)`.
///
/// `detach` shares storage with what it detaches. That is fine within one
/// loss; a frozen copy kept across optimizer steps needs `.copy()`.
///
/// # Errors
/// Propagates candle errors (shape or dtype mismatches).
pub fn bootstrap_loss(
    w: &Var,
    x: &Tensor,
    x_next: &Tensor,
    reward: &Tensor,
    gamma: f64,
) -> Result<Tensor> {
    let prediction = x.broadcast_mul(w)?;
    let target = (reward + (x_next.broadcast_mul(w)? * gamma)?)?.detach();
    (prediction - target)?.sqr()?.mean_all()
}
