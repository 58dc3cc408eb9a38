use super::*;

/// Central finite differences of the graph `build`, evaluated on plain numbers.
fn numeric_grad(build: fn(&[Value]) -> Value, x: &[f64]) -> Vec<f64> {
    let eval = |p: &[f64]| {
        let leaves: Vec<Value> = p.iter().map(|&v| Value::new(v)).collect();
        build(&leaves).data()
    };
    let h = 1e-6;
    (0..x.len())
        .map(|i| {
            let mut up = x.to_vec();
            let mut down = x.to_vec();
            up[i] += h;
            down[i] -= h;
            (eval(&up) - eval(&down)) / (2.0 * h)
        })
        .collect()
}

/// Runs backward on `build` at every point and compares each leaf's grad with finite differences.
fn check(name: &str, build: fn(&[Value]) -> Value, points: &[&[f64]]) {
    for &p in points {
        let leaves: Vec<Value> = p.iter().map(|&v| Value::new(v)).collect();
        let out = build(&leaves);
        out.backward();
        let want = numeric_grad(build, p);
        for (i, leaf) in leaves.iter().enumerate() {
            let got = leaf.grad();
            let tol = 1e-5 * want[i].abs().max(1.0);
            assert!(
                (got - want[i]).abs() < tol,
                "{name} at {p:?}: d/dx{i} should be about {} (finite differences), backward gave {got}",
                want[i]
            );
        }
    }
}

#[test]
fn add_and_mul_gradients_match_finite_differences() {
    check("x0 + x1", |v| &v[0] + &v[1], &[&[1.0, 2.0], &[-3.5, 0.25]]);
    check(
        "x0 * x1",
        |v| &v[0] * &v[1],
        &[&[1.0, 2.0], &[-3.5, 0.25], &[0.0, 4.0]],
    );
    check(
        "x0 * x1 + x2",
        |v| &v[0] * &v[1] + &v[2],
        &[&[2.0, -3.0, 10.0], &[0.5, 0.5, -1.0], &[-1.25, 4.0, 0.0]],
    );
}

#[test]
fn sub_neg_and_div_gradients_match_finite_differences() {
    check("x0 - x1", |v| &v[0] - &v[1], &[&[1.0, 2.0], &[-3.5, 0.25]]);
    check("-x0", |v| -&v[0], &[&[1.0], &[-7.0]]);
    check(
        "x0 / x1",
        |v| &v[0] / &v[1],
        &[&[1.0, 2.0], &[-3.5, 0.25], &[6.0, -1.5]],
    );
    check(
        "x1 / x0",
        |v| &v[1] / &v[0],
        &[&[1.0, 2.0], &[-3.5, 0.25], &[6.0, -1.5]],
    );
}

#[test]
fn a_deeper_expression_matches_finite_differences() {
    check(
        "((x0 * x1 + x2) / (x3 - x0)) * -x2",
        |v| ((&v[0] * &v[1] + &v[2]) / (&v[3] - &v[0])) * -&v[2],
        &[
            &[1.0, 2.0, 3.0, 4.0],
            &[-0.5, 1.5, -2.0, 2.5],
            &[2.0, -1.0, 0.5, -3.0],
        ],
    );
}

#[test]
fn a_value_used_twice_gets_both_contributions() {
    check("x0 * x0", |v| &v[0] * &v[0], &[&[3.0], &[-1.5], &[0.2]]);
    check("x0 + x0", |v| &v[0] + &v[0], &[&[3.0], &[-1.5]]);
    check(
        "x0 * x1 + x0 / x1",
        |v| &v[0] * &v[1] + &v[0] / &v[1],
        &[&[2.0, 3.0], &[-1.0, 0.5]],
    );
    // A shared intermediate: s is used by two later nodes.
    check(
        "s = x0 * x1; s * s - s",
        |v| {
            let s = &v[0] * &v[1];
            &s * &s - &s
        },
        &[&[1.5, 2.0], &[-0.5, 3.0], &[2.0, -2.0]],
    );
}

#[test]
fn topo_order_lists_every_node_once_with_parents_first() {
    let (a, b) = (Value::new(2.0), Value::new(-1.0));
    let s = &a * &b; // used twice below: a diamond
    let out = &s + &(&s * &a);
    let order = out.topo_order();
    // nodes: a, b, s, s*a, out
    assert_eq!(
        order.len(),
        5,
        "a, b, s, s*a and out, each exactly once; got {order:?}"
    );
    assert!(
        order.last().is_some_and(|v| v.same_node(&out)),
        "the output comes last"
    );
    for (i, node) in order.iter().enumerate() {
        for parent in node.parents() {
            let pos = order.iter().position(|v| v.same_node(&parent));
            assert!(
                pos.is_some_and(|p| p < i),
                "every parent must appear before its child in topo_order; {parent:?} comes too late for {node:?}"
            );
        }
    }
    let leaf_order = a.topo_order();
    assert!(
        leaf_order.len() == 1 && leaf_order[0].same_node(&a),
        "a leaf's order is just itself"
    );
}

#[test]
fn the_output_gradient_is_one_and_untouched_branches_stay_zero() {
    let (a, b, unused) = (Value::new(1.5), Value::new(2.0), Value::new(9.0));
    let _other = &unused * &b; // not part of `out`
    let out = &a * &b;
    out.backward();
    assert!(
        (out.grad() - 1.0).abs() < 1e-12,
        "d(out)/d(out) = 1, got {}",
        out.grad()
    );
    assert!(
        unused.grad().abs() < 1e-12,
        "a value outside the graph of `out` gets no gradient"
    );
}

#[test]
fn zero_grad_resets_every_node_so_backward_can_run_again() {
    for (x, y) in [(2.0, 3.0), (-1.0, 0.5)] {
        let (a, b) = (Value::new(x), Value::new(y));
        let mid = &a * &b;
        let out = &mid * &a; // a used twice: out = a^2 b
        out.backward();
        let first = (a.grad(), b.grad());
        out.zero_grad();
        for node in out.topo_order() {
            assert!(
                node.grad().abs() < 1e-12,
                "zero_grad must reset every node, including {node:?}"
            );
        }
        out.backward();
        assert!(
            (a.grad() - first.0).abs() < 1e-12 && (b.grad() - first.1).abs() < 1e-12,
            "backward after zero_grad should repeat the first result {first:?}, got ({}, {})",
            a.grad(),
            b.grad()
        );
        assert!(
            (a.grad() - 2.0 * x * y).abs() < 1e-9,
            "d(a^2 b)/da = 2ab at a = {x}, b = {y}"
        );
    }
}
