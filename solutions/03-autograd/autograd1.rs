//! Numeric gradients by central finite differences.
//!
//! Every gradient you compute later in this lesson, by hand or by a library,
//! gets checked against these three functions. They are slow and approximate,
//! but they are simple enough to trust.

/// The derivative of `f` at `x`, estimated by the central difference
/// `(f(x + h) - f(x - h)) / (2h)`.
pub fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x + h) - f(x - h)) / (2.0 * h)
}

/// The gradient of `f` at the point `x`: one central difference per
/// coordinate, moving that coordinate alone and leaving the others where they are.
#[must_use]
pub fn numeric_gradient(f: impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    let mut point = x.to_vec();
    (0..x.len())
        .map(|i| {
            let original = point[i];
            point[i] = original + h;
            let up = f(&point);
            point[i] = original - h;
            let down = f(&point);
            point[i] = original;
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// `true` when both slices have the same length and every pair agrees within
/// `tol`, measured relative to the larger magnitude (or absolutely, below 1).
/// A NaN anywhere never counts as agreement.
#[must_use]
pub fn grads_close(analytic: &[f64], numeric: &[f64], tol: f64) -> bool {
    analytic.len() == numeric.len()
        && analytic.iter().zip(numeric).all(|(a, n)| {
            let scale = 1.0_f64.max(a.abs()).max(n.abs());
            (a - n).abs() <= tol * scale
        })
}
