//! An optimizer does the update; `detach` decides where gradients stop.
//!
//! `mse_loss` is done. Write `fit_with_sgd` with `candle_nn::SGD` (the
//! `Optimizer` trait gives it `new` and `backward_step`), then
//! `bootstrap_loss`, whose target comes from the model itself and must be
//! `detach`ed so backward treats it as a fixed label. See the `// TODO` markers.

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
    // The constructor comes from the `Optimizer` trait (in scope above):
    let _new: fn(Vec<Var>, f64) -> Result<SGD> = SGD::new;
    // TODO: two Vars at 0, an SGD over clones of both (a Var clone shares its
    // storage), then each step: the loss (record it) and one backward_step.
    let _ = (xs, ys, lr, steps, &device);
    todo!()
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
    // TODO: prediction = w * x; target = reward + gamma * (w * x_next), then
    // cut the target out of the graph; the mean squared difference.
    let _ = (w, x, x_next, reward, gamma);
    todo!()
}
