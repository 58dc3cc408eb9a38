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

/// Fails, naming the cause, when `topo_order` lists a node twice: backward
/// would then pass that node's gradient on twice.
fn assert_no_repeats(order: &[Value]) {
    for (i, node) in order.iter().enumerate() {
        assert!(
            !order[..i].iter().any(|earlier| earlier.same_node(node)),
            "topo_order lists the same node more than once ({node:?}), so backward processes it twice"
        );
    }
}

/// Runs backward on `build` at every point and compares each leaf's grad with finite differences.
fn check(name: &str, build: fn(&[Value]) -> Value, points: &[&[f64]]) {
    for &p in points {
        let leaves: Vec<Value> = p.iter().map(|&v| Value::new(v)).collect();
        let out = build(&leaves);
        assert_no_repeats(&out.topo_order());
        out.backward();
        let names: Vec<String> = (0..leaves.len()).map(|i| format!("x{i}")).collect();
        let labels: Vec<(&Value, &str)> = leaves.iter().zip(&names).map(|(l, n)| (l, n.as_str())).collect();
        draw(&out, &labels);
        assert!(
            (out.grad() - 1.0).abs() < 1e-12,
            "{name}: d(out)/d(out) must be 1 after backward (the seed), got {}",
            out.grad()
        );
        let want = numeric_grad(build, p);
        for (i, leaf) in leaves.iter().enumerate() {
            let got = leaf.grad();
            let tol = 1e-5 * want[i].abs().max(1.0);
            let why = if got == 0.0 {
                ": exactly 0, no gradient reached this leaf"
            } else {
                ""
            };
            assert!(
                (got - want[i]).abs() < tol,
                "{name} at {p:?}: d/dx{i} should be about {} (finite differences), backward gave {got}{why}",
                want[i]
            );
        }
    }
}

/// Every operation on its own, so a test about combining them can tell a
/// wrong local derivative from a wrong combination.
fn check_each_op_alone() {
    let at: &[&[f64]] = &[&[1.5, -2.0], &[-0.5, 4.0]];
    check("the single op x0 + x1", |v| &v[0] + &v[1], at);
    check("the single op x0 - x1", |v| &v[0] - &v[1], at);
    check("the single op x0 * x1", |v| &v[0] * &v[1], at);
    check("the single op x0 / x1", |v| &v[0] / &v[1], at);
    check("the single op -x0", |v| -&v[0], at);
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
    check_each_op_alone();
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
    check_each_op_alone();
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
    assert_no_repeats(&order);
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
        "a leaf's order is just itself, got {leaf_order:?}"
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
        assert!(
            (first.0 - 2.0 * x * y).abs() < 1e-9 && (first.1 - x * x).abs() < 1e-9,
            "the first backward, before zero_grad, is already wrong: got {first:?} for d(a^2 b)/d(a, b) = ({}, {})",
            2.0 * x * y,
            x * x
        );
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
        let why = if a.grad() == 0.0 { ": no gradient reached a" } else { "" };
        assert!(
            (a.grad() - 2.0 * x * y).abs() < 1e-9,
            "d(a^2 b)/da = 2ab at a = {x}, b = {y}, got {}{why}",
            a.grad()
        );
    }
}

#[test]
fn backward_walks_from_the_output_back_to_the_leaves() {
    // a chain: a -> b = 2a -> c = 3b -> out = c + 1, so d(out)/da = 6
    let a = Value::new(0.5);
    let b = &a * 2.0;
    let c = &b * 3.0;
    let out = &c + 1.0;
    out.backward();
    assert!(
        (out.grad() - 1.0).abs() < 1e-12,
        "d(out)/d(out) must be 1 after backward (the seed), got {}",
        out.grad()
    );
    assert!(
        (c.grad() - 1.0).abs() < 1e-12,
        "d(out)/dc = 1 for out = c + 1, got {}",
        c.grad()
    );
    assert!(
        b.grad() != 0.0,
        "the gradient stopped one step from the output (c got 1, b got 0): backward walked topo_order forwards, \
         leaves first, while their upstream gradients were still 0"
    );
    assert!(
        (b.grad() - 3.0).abs() < 1e-12 && (a.grad() - 6.0).abs() < 1e-12,
        "d(out)/db = 3 and d(out)/da = 6, got {} and {}",
        b.grad(),
        a.grad()
    );
}

/// Last in this file on purpose: a topo_order that recurses once per node
/// overflows the stack here, and a stack overflow ends the whole test
/// process, so the tests after it would not report.
#[test]
fn a_chain_of_100_000_ops_needs_no_recursion() {
    const OPS: usize = 100_000;
    let x = Value::new(1.5);
    // Never dropped: Rc's drop glue frees a chain by recursion, one call per
    // node, which would overflow the stack for a reason that is not yours.
    let chain = std::mem::ManuallyDrop::new((0..OPS).fold(x.clone(), |v, _| -v));
    check("the single op -x0", |v| -&v[0], &[&[1.5], &[-2.0]]);
    let order = chain.topo_order();
    assert_eq!(order.len(), OPS + 1, "x and 100 000 negations, each exactly once");
    assert!(
        order.last().is_some_and(|v| v.same_node(&chain)),
        "the output comes last"
    );
    drop(order);
    chain.backward();
    assert!(
        (chain.grad() - 1.0).abs() < 1e-12,
        "d(out)/d(out) must be 1 after backward (the seed), got {}",
        chain.grad()
    );
    let why = if x.grad() == 0.0 { ": no gradient reached x" } else { "" };
    assert!(
        (x.grad() - 1.0).abs() < 1e-12,
        "an even number of negations: d(out)/dx = 1, got {}{why}",
        x.grad()
    );
}

/// Prints the graph under `out` as `tensorlings:graph` lines, for the app to
/// draw; `names` labels leaves. Only reads the graph, so it cannot change
/// what a test finds. A later call replaces the picture.
fn draw(out: &Value, names: &[(&Value, &str)]) {
    let mut seen: Vec<Value> = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(v) = stack.pop() {
        if !seen.iter().any(|s| s.same_node(&v)) {
            stack.extend(v.parents().into_iter().rev());
            seen.push(v);
        }
    }
    let id = |v: &Value| seen.iter().position(|s| s.same_node(v)).unwrap_or(usize::MAX);
    println!("tensorlings:graph begin");
    for (i, v) in seen.iter().enumerate() {
        let op = match v.op() {
            Op::Leaf => "leaf".to_owned(),
            Op::Add => "+".to_owned(),
            Op::Sub => "-".to_owned(),
            Op::Mul => "*".to_owned(),
            Op::Div => "/".to_owned(),
            Op::Neg => "neg".to_owned(),
        };
        let label = names
            .iter()
            .find(|(n, _)| n.same_node(v))
            .map_or("", |(_, l)| l);
        println!("tensorlings:graph node {i} {op} {} {} {label}", v.data(), v.grad());
        for p in v.parents() {
            println!("tensorlings:graph edge {} {i}", id(&p));
        }
    }
}
