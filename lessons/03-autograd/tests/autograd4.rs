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
        let names: Vec<String> = (0..leaves.len()).map(|i| format!("x{i}")).collect();
        let labels: Vec<(&Value, &str)> = leaves.iter().zip(&names).map(|(l, n)| (l, n.as_str())).collect();
        draw(&out, &labels);
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

const SPREAD: [f64; 6] = [-2.0, -0.7, -0.05, 0.1, 0.9, 2.5];

fn each(points: &[f64]) -> Vec<[f64; 1]> {
    points.iter().map(|&x| [x]).collect()
}

fn check_1d(name: &str, build: fn(&[Value]) -> Value, points: &[f64]) {
    for p in each(points) {
        check(name, build, &[&p]);
    }
}

/// Fails, naming the cause, when an op recorded something other than the
/// value it was called on: then no gradient can flow back to that value.
fn assert_parent_is_input(op: &str) {
    let a = Value::new(0.7);
    let out = match op {
        "tanh" => a.tanh(),
        "relu" => a.relu(),
        "exp" => a.exp(),
        _ => a.powf(2.0),
    };
    let ps = out.parents();
    assert!(
        ps.len() == 1 && ps[0].same_node(&a),
        "{op} must record the value it was called on as its one parent, got {} parent(s); \
         a copy made with `Value::new` has no link back",
        ps.len()
    );
}

/// The four new operations one by one, so a test that combines them names
/// the operation that is wrong.
fn check_each_new_op_alone() {
    for op in ["tanh", "relu", "exp", "powf"] {
        assert_parent_is_input(op);
    }
    check_1d("the single op tanh(x)", |v| v[0].tanh(), &SPREAD);
    check_1d("the single op relu(x)", |v| v[0].relu(), &SPREAD);
    check_1d("the single op exp(x)", |v| v[0].exp(), &SPREAD);
    check_1d("the single op x^-1", |v| v[0].powf(-1.0), &SPREAD);
    check_1d("the single op x^2", |v| v[0].powf(2.0), &SPREAD);
}

#[test]
fn forward_methods_record_their_op_and_their_input() {
    for x in SPREAD {
        let a = Value::new(x);
        let cases = [
            ("tanh", a.tanh(), x.tanh(), Op::Tanh),
            ("relu", a.relu(), x.max(0.0), Op::Relu),
            ("exp", a.exp(), x.exp(), Op::Exp),
            ("powf(3)", a.powf(3.0), x.powf(3.0), Op::Powf(3.0)),
        ];
        for (name, out, want, op) in cases {
            assert!(
                (out.data() - want).abs() < 1e-12,
                "{name}({x}) should be {want}, got {}",
                out.data()
            );
            assert_eq!(out.op(), op, "{name} should record {op:?}");
            let ps = out.parents();
            assert!(
                ps.len() == 1 && ps[0].same_node(&a),
                "{name} has exactly one parent: the value it was called on"
            );
        }
    }
}

#[test]
fn tanh_gradient_matches_finite_differences() {
    assert_parent_is_input("tanh");
    check_1d("tanh(x)", |v| v[0].tanh(), &SPREAD);
    check(
        "tanh(x0 * x1)",
        |v| (&v[0] * &v[1]).tanh(),
        &[&[0.5, -1.0], &[1.5, 0.3], &[-2.0, -0.4]],
    );
}

#[test]
fn relu_passes_gradient_only_where_the_input_is_positive() {
    assert_parent_is_input("relu");
    for x in SPREAD {
        let a = Value::new(x);
        let out = a.relu();
        out.backward();
        let want = if x > 0.0 { 1.0 } else { 0.0 };
        assert!(
            (a.grad() - want).abs() < 1e-12,
            "relu at {x}: gradient should be {want}, got {}",
            a.grad()
        );
    }
    check(
        "relu(x0 * x1 - x2)",
        |v| (&v[0] * &v[1] - &v[2]).relu() * &v[2],
        &[
            &[1.0, 2.0, 0.5],
            &[-1.0, 2.0, 0.5],
            &[3.0, -0.5, -4.0],
            &[0.7, 0.7, 0.2],
        ],
    );
}

#[test]
fn relu_has_gradient_zero_at_exactly_zero() {
    // relu has a kink at 0 and no derivative there; an engine has to pick a
    // value, and this lesson picks 0 (the input must be strictly positive).
    for zero in [0.0, -0.0] {
        let a = Value::new(zero);
        let out = a.relu();
        assert!(out.data() == 0.0, "relu({zero}) = 0, got {}", out.data());
        out.backward();
        let g = a.grad();
        assert!(g == 0.0, "relu'(0) should be 0 (input {zero}), got {g}");
    }
}

#[test]
fn exp_gradient_is_the_output_itself() {
    assert_parent_is_input("exp");
    for x in [-2.0, 0.0, 0.5, 1.0, 2.5] {
        let a = Value::new(x);
        let out = a.exp();
        out.backward();
        let (got, want) = (a.grad(), x.exp());
        assert!(
            (got - want).abs() < 1e-9 * want.max(1.0),
            "exp'({x}) should be e^{x} = {want}, the output itself; got {got}"
        );
    }
}

#[test]
fn exp_gradient_matches_finite_differences() {
    assert_parent_is_input("exp");
    check_1d("exp(x)", |v| v[0].exp(), &SPREAD);
    check(
        "exp(-x0 * x1)",
        |v| (-(&v[0] * &v[1])).exp(),
        &[&[0.5, 2.0], &[-1.0, 0.3], &[1.2, -1.1]],
    );
}

#[test]
fn powf_gradient_matches_finite_differences_for_several_exponents() {
    assert_parent_is_input("powf");
    check_1d("x^2", |v| v[0].powf(2.0), &SPREAD);
    check_1d("x^3", |v| v[0].powf(3.0), &SPREAD);
    check_1d("x^-1", |v| v[0].powf(-1.0), &SPREAD);
    check_1d("x^0.5", |v| v[0].powf(0.5), &[0.1, 0.9, 2.5, 7.0]);
    check_1d("x^1.5", |v| v[0].powf(1.5), &[0.1, 0.9, 2.5, 7.0]);
    check(
        "(x0 - x1)^2",
        |v| (&v[0] - &v[1]).powf(2.0),
        &[&[1.0, 3.0], &[-2.0, 0.5], &[4.0, 4.5]],
    );
}

#[test]
fn a_neuron_built_from_these_parts_has_correct_gradients() {
    check_each_new_op_alone();
    // tanh(w0*x0 + w1*x1 + b), gradients for weights, inputs and bias alike
    check(
        "tanh(w0*x0 + w1*x1 + b)",
        |v| (&v[0] * &v[1] + &v[2] * &v[3] + &v[4]).tanh(),
        &[
            &[0.5, 1.0, -0.3, 2.0, 0.1],
            &[-1.2, 0.4, 0.8, -0.6, -0.5],
            &[2.0, -1.0, 1.5, 0.25, 0.0],
        ],
    );
}

#[test]
fn a_sigmoid_and_a_squared_error_compose_correctly() {
    check_each_new_op_alone();
    // sigmoid(x) = 1 / (1 + e^-x), then (sigmoid(x0 * x1) - x2)^2
    check(
        "(sigmoid(x0 * x1) - x2)^2",
        |v| {
            let z = &v[0] * &v[1];
            let sig = ((-z).exp() + 1.0).powf(-1.0);
            (sig - &v[2]).powf(2.0)
        },
        &[&[0.5, 1.0, 1.0], &[-2.0, 0.7, 0.0], &[1.5, -1.5, 0.3]],
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
            Op::Tanh => "tanh".to_owned(),
            Op::Relu => "relu".to_owned(),
            Op::Exp => "exp".to_owned(),
            Op::Powf(p) => format!("pow:{p}"),
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
