//! candle's autograd: `Var`, `backward`, `GradStore`.
//!
//! A `Var` is where candle starts recording; `loss.backward()` returns a
//! fresh `GradStore` mapping every tensor the recorded ops used (the data
//! included) to d(loss)/d(tensor). The `Var`s are the ones you update.
//! Write the four functions (see `// TODO`), then fit y = w*x + b by plain
//! gradient descent with your own update, no optimizer.

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
    // TODO: w and b are rank 0, x is a vector: use broadcast_mul / broadcast_add,
    // then the squared error and its mean over all elements.
    let _ = (w, b, x, y);
    todo!()
}

/// The gradient of `var` in `grads`, as a plain number.
///
/// # Errors
/// An error (not a panic) when `var` played no part in the loss, so the store
/// holds nothing for it.
pub fn scalar_grad(grads: &GradStore, var: &Var) -> Result<f32> {
    // TODO: `grads.get(..)` gives an Option; `None` becomes an Err
    // (`candle_core::bail!` builds one), `Some` becomes an f32 with `to_scalar`.
    let _ = (grads, var);
    todo!()
}

/// The loss at `(w, b)` on the data, with d(loss)/dw and d(loss)/db.
///
/// # Errors
/// Propagates candle errors, e.g. when `xs` and `ys` differ in length.
pub fn loss_and_grads(w: f32, b: f32, xs: &[f32], ys: &[f32]) -> Result<(f32, f32, f32)> {
    let device = Device::Cpu;
    // TODO: w and b as Vars (where recording starts), xs and ys as plain
    // Tensors, the loss, `backward()`, then read both gradients from the store.
    let _ = (w, b, xs, ys, &device);
    todo!()
}

/// Gradient descent from `w = 0, b = 0`, updating the variables by hand with
/// `Var::set`. `losses[i]` is the loss at the start of step `i`.
///
/// # Errors
/// Propagates candle errors, e.g. when `xs` and `ys` differ in length.
pub fn fit_by_hand(xs: &[f32], ys: &[f32], lr: f64, steps: usize) -> Result<Fit> {
    let device = Device::Cpu;
    // TODO: start both Vars at 0. Each step: the loss (record it), backward,
    // then for each Var: var.set(&(var.as_tensor() - (grad * lr)?)?)?
    let _ = (xs, ys, lr, steps, &device);
    todo!()
}
