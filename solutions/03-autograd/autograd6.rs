//! candle's autograd: `Var`, `backward`, `GradStore`.
//!
//! A `Var` is where candle starts recording; `loss.backward()` returns a
//! fresh `GradStore` mapping every tensor the recorded ops used (the data
//! included) to d(loss)/d(tensor). The `Var`s are the ones you update.
//! With it, fit the line y = w*x + b by plain gradient descent, by hand.

use candle_core::backprop::GradStore;
use candle_core::{Device, Result, Tensor, Var};

/// The result of a fit: the final parameters and the loss of every step.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub w: f32,
    pub b: f32,
    pub losses: Vec<f32>,
}

/// `mean((w * x + b - y)^2)`, where `w` and `b` are scalar (rank 0) variables
/// and `x`, `y` are vectors of the same length.
///
/// # Errors
/// Propagates candle errors (shape or dtype mismatches).
pub fn mse_loss(w: &Var, b: &Var, x: &Tensor, y: &Tensor) -> Result<Tensor> {
    let pred = x.broadcast_mul(w)?.broadcast_add(b)?;
    (pred - y)?.sqr()?.mean_all()
}

/// The gradient of `var` in `grads`, as a plain number.
///
/// # Errors
/// An error (not a panic) when `var` played no part in the loss, so the store
/// holds nothing for it.
pub fn scalar_grad(grads: &GradStore, var: &Var) -> Result<f32> {
    match grads.get(var) {
        Some(grad) => grad.to_scalar::<f32>(),
        None => candle_core::bail!("no gradient for this variable: it is not part of the loss"),
    }
}

/// The loss at `(w, b)` on the data, with d(loss)/dw and d(loss)/db.
///
/// # Errors
/// Propagates candle errors, e.g. when `xs` and `ys` differ in length.
pub fn loss_and_grads(w: f32, b: f32, xs: &[f32], ys: &[f32]) -> Result<(f32, f32, f32)> {
    let device = Device::Cpu;
    let w = Var::new(w, &device)?;
    let b = Var::new(b, &device)?;
    let x = Tensor::new(xs, &device)?;
    let y = Tensor::new(ys, &device)?;
    let loss = mse_loss(&w, &b, &x, &y)?;
    let grads = loss.backward()?;
    Ok((
        loss.to_scalar::<f32>()?,
        scalar_grad(&grads, &w)?,
        scalar_grad(&grads, &b)?,
    ))
}

/// Gradient descent from `w = 0, b = 0`, updating the variables by hand with
/// `Var::set`. `losses[i]` is the loss at the start of step `i`.
///
/// # Errors
/// Propagates candle errors, e.g. when `xs` and `ys` differ in length.
pub fn fit_by_hand(xs: &[f32], ys: &[f32], lr: f64, steps: usize) -> Result<Fit> {
    let device = Device::Cpu;
    let w = Var::new(0f32, &device)?;
    let b = Var::new(0f32, &device)?;
    let x = Tensor::new(xs, &device)?;
    let y = Tensor::new(ys, &device)?;
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let loss = mse_loss(&w, &b, &x, &y)?;
        losses.push(loss.to_scalar::<f32>()?);
        let grads = loss.backward()?;
        for var in [&w, &b] {
            if let Some(grad) = grads.get(var) {
                var.set(&(var.as_tensor() - (grad * lr)?)?)?;
            }
        }
    }
    Ok(Fit {
        w: w.to_scalar::<f32>()?,
        b: b.to_scalar::<f32>()?,
        losses,
    })
}
