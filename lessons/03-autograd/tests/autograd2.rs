use super::*;

/// Whether `got` is the variant `want`, by the variant alone: an `Op` whose
/// `PartialEq` always says yes cannot pass a test that compares operations.
fn is_op(got: Op, want: Op) -> bool {
    std::mem::discriminant(&got) == std::mem::discriminant(&want)
}

const PAIRS: [(f64, f64); 5] = [
    (2.0, 3.0),
    (-1.5, 4.0),
    (0.0, -2.0),
    (7.25, 0.5),
    (-3.0, -6.0),
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_new_value_is_a_leaf_with_zero_gradient() {
    for x in [0.0, -2.5, 1e6] {
        let v = Value::new(x);
        assert!(
            close(v.data(), x),
            "Value::new({x}).data() should be {x}, got {}",
            v.data()
        );
        assert!(
            close(v.grad(), 0.0),
            "a new value starts with gradient 0, got {}",
            v.grad()
        );
        assert!(is_op(v.op(), Op::Leaf), "a value made with Value::new is a leaf, not {:?}", v.op());
        assert!(v.parents().is_empty(), "a leaf has no parents");
    }
}

#[test]
fn operators_compute_the_forward_values() {
    for (x, y) in PAIRS {
        let (a, b) = (Value::new(x), Value::new(y));
        let cases = [
            ("a + b", a.clone() + b.clone(), x + y),
            ("a - b", a.clone() - b.clone(), x - y),
            ("a * b", a.clone() * b.clone(), x * y),
            ("a / b", a.clone() / b.clone(), x / y),
            ("-a", -a.clone(), -x),
        ];
        for (name, got, want) in cases {
            assert!(
                close(got.data(), want),
                "{name} with a = {x}, b = {y}: expected {want}, got {}",
                got.data()
            );
        }
    }
}

#[test]
fn each_operator_records_its_op_and_its_parents_in_operand_order() {
    for (x, y) in PAIRS {
        let (a, b) = (Value::new(x), Value::new(y));
        for (name, out, op) in [
            ("a + b", a.clone() + b.clone(), Op::Add),
            ("a - b", a.clone() - b.clone(), Op::Sub),
            ("a * b", a.clone() * b.clone(), Op::Mul),
            ("a / b", a.clone() / b.clone(), Op::Div),
        ] {
            assert!(is_op(out.op(), op), "{name} should record {op:?}, not {:?}", out.op());
            let ps = out.parents();
            assert_eq!(ps.len(), 2, "{name} has two parents");
            assert!(
                ps[0].same_node(&a) && ps[1].same_node(&b),
                "{name} should record [a, b] in that order (the order matters for - and /), and the SAME nodes, not copies"
            );
        }
        let n = -b.clone();
        assert!(is_op(n.op(), Op::Neg), "-b should record Op::Neg, not {:?}", n.op());
        let ps = n.parents();
        assert!(
            ps.len() == 1 && ps[0].same_node(&b),
            "-b has exactly one parent, b itself"
        );
    }
}

#[test]
fn clones_are_handles_to_the_same_node() {
    let a = Value::new(1.5);
    let c = a.clone();
    assert!(
        c.same_node(&a),
        "clone a Value and you get a second handle to the same node"
    );
    let out = c * Value::new(2.0);
    assert!(
        out.parents()[0].same_node(&a),
        "an operation on a clone records the original node"
    );
    assert!(
        !Value::new(1.5).same_node(&a),
        "two Value::new calls make two nodes, even with equal data"
    );
}

#[test]
fn a_value_used_twice_is_recorded_twice() {
    for x in [3.0, -0.5] {
        let a = Value::new(x);
        let sq = a.clone() * a.clone();
        assert!(close(sq.data(), x * x), "a * a with a = {x}");
        let ps = sq.parents();
        assert!(
            ps.len() == 2 && ps[0].same_node(&a) && ps[1].same_node(&a),
            "a * a has two parents that are both a"
        );
    }
}

#[test]
fn a_longer_expression_builds_a_graph_with_the_right_shape() {
    for (x, y) in PAIRS {
        let z = x + 1.0;
        let (a, b, c) = (Value::new(x), Value::new(y), Value::new(z));
        // (a * b + c) / -c, written with the reference and f64 conveniences too
        let top = (&a * &b + &c) / -&c;
        let want = (x * y + z) / -z;
        assert!(
            close(top.data(), want),
            "(a*b + c) / -c at ({x}, {y}, {z}): expected {want}, got {}",
            top.data()
        );
        assert!(is_op(top.op(), Op::Div), "{:?} is not {:?}", top.op(), Op::Div);
        let ps = top.parents();
        assert!(is_op(ps[0].op(), Op::Add), "{:?} is not {:?}", ps[0].op(), Op::Add);
        assert!(is_op(ps[1].op(), Op::Neg), "{:?} is not {:?}", ps[1].op(), Op::Neg);
        assert!(
            ps[1].parents()[0].same_node(&c),
            "the denominator's parent is c"
        );
        let sum_parents = ps[0].parents();
        assert!(is_op(sum_parents[0].op(), Op::Mul), "{:?} is not {:?}", sum_parents[0].op(), Op::Mul);
        assert!(sum_parents[1].same_node(&c), "the sum's second parent is c");
        let shifted = &a * 2.0 - 1.0;
        assert!(
            close(shifted.data(), 2.0 * x - 1.0),
            "a * 2.0 - 1.0 at a = {x}"
        );
        draw(&top, &[(&a, "a"), (&b, "b"), (&c, "c")]);
    }
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
        println!("tensorlings:graph node {i} {op} {} - {label}", v.data());
        for p in v.parents() {
            println!("tensorlings:graph edge {} {i}", id(&p));
        }
    }
}
