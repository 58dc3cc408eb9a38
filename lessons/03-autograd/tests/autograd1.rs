use super::*;

const POINTS: [f64; 7] = [-3.0, -1.25, -0.5, 0.0, 0.3, 1.7, 10.0];

#[test]
fn central_difference_is_exact_for_a_quadratic() {
    // (x+h)^2 - (x-h)^2 = 4xh exactly, so only rounding is left.
    // A one-sided difference would be off by h = 1e-3 here.
    for &x in &POINTS {
        let d = central_difference(|t| t * t, x, 1e-3);
        assert!(
            (d - 2.0 * x).abs() < 1e-8,
            "d/dx x^2 at x = {x}: expected {}, got {d}. Step to BOTH sides: (f(x+h) - f(x-h)) / (2h).",
            2.0 * x
        );
    }
}

#[test]
fn central_difference_matches_known_derivatives() {
    let h = 1e-5;
    for &x in &POINTS {
        let cases: [(&str, f64, f64); 3] = [
            ("sin", central_difference(f64::sin, x, h), x.cos()),
            ("x^3", central_difference(|t| t * t * t, x, h), 3.0 * x * x),
            (
                "exp(x/4)",
                central_difference(|t| (t / 4.0).exp(), x, h),
                (x / 4.0).exp() / 4.0,
            ),
        ];
        for (name, got, want) in cases {
            let tol = 1e-6 * want.abs().max(1.0);
            assert!(
                (got - want).abs() < tol,
                "derivative of {name} at x = {x}: expected {want}, got {got}"
            );
        }
    }
}

#[test]
fn numeric_gradient_matches_a_known_gradient_at_several_points() {
    // f(x, y, z) = x*y + z^3 + sin(x)
    let f = |v: &[f64]| v[0] * v[1] + v[2].powi(3) + v[0].sin();
    let points: [[f64; 3]; 4] = [
        [0.0, 0.0, 0.0],
        [1.0, -2.0, 0.5],
        [-0.7, 3.3, -1.2],
        [2.5, 0.1, 2.0],
    ];
    for p in points {
        let want = [p[1] + p[0].cos(), p[0], 3.0 * p[2] * p[2]];
        let got = numeric_gradient(f, &p, 1e-5);
        assert_eq!(
            got.len(),
            3,
            "one partial derivative per coordinate at {p:?}"
        );
        for i in 0..3 {
            assert!(
                (got[i] - want[i]).abs() < 1e-6,
                "partial {i} at {p:?}: expected {}, got {}",
                want[i],
                got[i]
            );
        }
    }
}

#[test]
fn numeric_gradient_puts_each_coordinate_back_before_the_next() {
    // d/dy (x*y) = x. If x is left nudged by -h after its own turn,
    // the y-partial comes out as x - h instead of x.
    for (x, y) in [(1.0, 2.0), (-4.0, 0.5), (3.0, -3.0)] {
        let h = 1e-3;
        let g = numeric_gradient(|v: &[f64]| v[0] * v[1], &[x, y], h);
        assert!(
            (g[0] - y).abs() < 1e-9 && (g[1] - x).abs() < 1e-9,
            "gradient of x*y at ({x}, {y}) should be [{y}, {x}], got {g:?}: restore a coordinate after nudging it"
        );
    }
}

#[test]
fn numeric_gradient_of_an_empty_point_is_empty() {
    let g = numeric_gradient(|_: &[f64]| 42.0, &[], 1e-4);
    assert!(
        g.is_empty(),
        "no coordinates, no partial derivatives; got {g:?}"
    );
}

#[test]
fn grads_close_is_relative_for_big_numbers_and_absolute_for_small_ones() {
    assert!(
        grads_close(&[1000.0], &[1000.001], 1e-5),
        "1000 vs 1000.001 differ by one part in a million"
    );
    assert!(
        !grads_close(&[1000.0], &[1001.0], 1e-5),
        "1000 vs 1001 differ by one part in a thousand"
    );
    assert!(
        grads_close(&[0.0], &[1e-9], 1e-6),
        "near zero, compare absolutely"
    );
    assert!(
        !grads_close(&[1e-3], &[2e-3], 1e-5),
        "small numbers are not all equal"
    );
    assert!(
        grads_close(&[-2.0, 3.0], &[-2.0, 3.0], 1e-12),
        "identical slices agree"
    );
    assert!(grads_close(&[], &[], 1e-6), "two empty gradients agree");
}

#[test]
fn grads_close_rejects_nan_and_length_mismatch() {
    assert!(
        !grads_close(&[f64::NAN], &[1.0], 1e-3),
        "a NaN gradient must never pass a check"
    );
    assert!(
        !grads_close(&[1.0], &[f64::NAN], 1e-3),
        "a NaN numeric estimate must never pass a check"
    );
    assert!(
        !grads_close(&[1.0, 2.0], &[1.0], 1e-3),
        "a missing partial derivative is a mismatch"
    );
    assert!(
        !grads_close(&[1.0], &[1.0, 2.0], 1e-3),
        "an extra partial derivative is a mismatch"
    );
}
