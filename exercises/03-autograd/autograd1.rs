//! Numeric gradients by central finite differences.
//!
//! Write the three functions below. Every gradient you compute later in this
//! lesson, by hand or by a library, gets checked against them: they are slow
//! and approximate, but simple enough to trust.

/// The derivative of `f` at `x`, estimated by the central difference
/// `(f(x + h) - f(x - h)) / (2h)`.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    // TODO: evaluate f on BOTH sides of x (not f(x + h) - f(x)).
    let _ = (f, x, h);
    todo!()
}

/// The gradient of `f` at the point `x`: one central difference per
/// coordinate, moving that coordinate alone and leaving the others where they are.
#[must_use]
pub fn numeric_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    // TODO: copy `x` into a Vec you can change; for each coordinate i,
    // nudge it up by h, then down by h, then PUT IT BACK before moving on.
    let _ = (f, x, h);
    todo!()
}

/// `true` when both slices have the same length and every pair agrees within
/// `tol`, measured relative to the larger magnitude (or absolutely, below 1).
/// A NaN anywhere never counts as agreement.
#[must_use]
pub fn grads_close(analytic: &[f64], numeric: &[f64], tol: f64) -> bool {
    // TODO: scale = max(1, |a|, |n|); the pair agrees when |a - n| <= tol * scale.
    let _ = (analytic, numeric, tol);
    todo!()
}
