use super::*;

fn gate(ys: [f64; 4]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let xs = vec![
        vec![0.0, 0.0],
        vec![0.0, 1.0],
        vec![1.0, 0.0],
        vec![1.0, 1.0],
    ];
    (xs, ys.to_vec())
}

fn regression_data() -> (Vec<Vec<f64>>, Vec<f64>) {
    let xs = vec![
        vec![1.0, 0.5, -1.0],
        vec![-1.0, 2.0, 0.0],
        vec![0.5, -1.0, 1.0],
        vec![2.0, 1.0, 1.0],
        vec![-2.0, -1.0, 0.5],
        vec![0.0, 1.0, -2.0],
    ];
    (xs, vec![0.5, -0.3, 0.2, 0.8, -0.7, 0.1])
}

/// The loss as a plain function of the parameters (weights then bias).
fn loss_at(params: &[f64], xs: &[Vec<f64>], ys: &[f64]) -> f64 {
    let (w, b) = params.split_at(params.len() - 1);
    mse_loss(&Neuron::new(w, b[0]), xs, ys).data()
}

/// Central finite differences of the loss with respect to every parameter.
fn numeric_grad(params: &[f64], xs: &[Vec<f64>], ys: &[f64]) -> Vec<f64> {
    let h = 1e-6;
    (0..params.len())
        .map(|i| {
            let mut up = params.to_vec();
            let mut down = params.to_vec();
            up[i] += h;
            down[i] -= h;
            (loss_at(&up, xs, ys) - loss_at(&down, xs, ys)) / (2.0 * h)
        })
        .collect()
}

fn current(neuron: &Neuron) -> Vec<f64> {
    neuron.parameters().iter().map(Value::data).collect()
}

/// Where plain gradient descent ends after `steps` steps from `start`, by
/// finite differences. `carry` keeps adding every earlier step's gradient
/// (what a missing zero_grad does); `sign` is -1 for descent, +1 for ascent.
fn descend(start: &[f64], xs: &[Vec<f64>], ys: &[f64], lr: f64, steps: usize, carry: bool, sign: f64) -> Vec<f64> {
    let mut p = start.to_vec();
    let mut total = vec![0.0; p.len()];
    for _ in 0..steps {
        let g = numeric_grad(&p, xs, ys);
        for (i, gi) in g.into_iter().enumerate() {
            total[i] = if carry { total[i] + gi } else { gi };
            p[i] += sign * lr * total[i];
        }
    }
    p
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6)
}

/// Fails, naming the cause, when training left every parameter where it began.
fn assert_moved(neuron: &Neuron, start: &[f64]) {
    let now = current(neuron);
    assert!(
        now != start,
        "the parameters never moved: {start:?} after training; every gradient was 0 when the update ran"
    );
}

#[test]
fn forward_is_tanh_of_the_weighted_sum_plus_bias() {
    let cases: [(&[f64], f64, &[f64]); 4] = [
        (&[0.5, -1.0], 0.1, &[2.0, 3.0]),
        (&[1.5], -0.4, &[0.7]),
        (&[0.2, 0.3, -0.8], 0.0, &[-1.0, 4.0, 0.5]),
        (&[], 0.6, &[]),
    ];
    for (w, b, x) in cases {
        let want = (w.iter().zip(x).map(|(wi, xi)| wi * xi).sum::<f64>() + b).tanh();
        let neuron = Neuron::new(w, b);
        let out = neuron.forward(x);
        if w.len() == 2 {
            // The picture: the two-input neuron, after backward.
            out.backward();
            let params = neuron.parameters();
            draw(&out, &[(&params[0], "w1"), (&params[1], "w2"), (&params[2], "b")]);
        }
        let got = out.data();
        let dot = w.iter().zip(x).map(|(wi, xi)| wi * xi).sum::<f64>();
        if (got - want).abs() >= 1e-12 && (got - (dot + b)).abs() < 1e-12 {
            panic!("neuron w = {w:?}, b = {b} on x = {x:?}: got {got}, the weighted sum plus bias without tanh; expected tanh of it, {want}");
        }
        if (got - want).abs() >= 1e-12 && b != 0.0 && (got - dot.tanh()).abs() < 1e-12 {
            panic!("neuron w = {w:?}, b = {b} on x = {x:?}: got {got}, tanh of the weighted sum without the bias; expected {want}");
        }
        assert!(
            (got - want).abs() < 1e-12,
            "neuron w = {w:?}, b = {b} on x = {x:?}: expected {want}, got {got}"
        );
    }
}

#[test]
fn loss_gradients_match_finite_differences_at_several_points() {
    let (gx, gy) = gate([-1.0, 1.0, 1.0, 1.0]);
    let (rx, ry) = regression_data();
    let cases: [(&[f64], &[Vec<f64>], &[f64]); 4] = [
        (&[0.3, -0.2, 0.1], &gx, &gy),
        (&[-1.0, 0.8, 0.5], &gx, &gy),
        (&[0.1, -0.1, 0.2, 0.0], &rx, &ry),
        (&[0.6, 0.4, -0.3, -0.2], &rx, &ry),
    ];
    for (params, xs, ys) in cases {
        let (w, b) = params.split_at(params.len() - 1);
        let neuron = Neuron::new(w, b[0]);
        let loss = mse_loss(&neuron, xs, ys);
        let want_loss: f64 = xs
            .iter()
            .zip(ys)
            .map(|(x, y)| {
                let z: f64 = w.iter().zip(x).map(|(wi, xi)| wi * xi).sum::<f64>() + b[0];
                (z.tanh() - y).powi(2)
            })
            .sum::<f64>()
            / xs.len() as f64;
        assert!(
            (loss.data() - want_loss).abs() < 1e-12,
            "the MEAN squared error at {params:?} is {want_loss}, got {}",
            loss.data()
        );
        loss.backward();
        let want = numeric_grad(params, xs, ys);
        for (i, p) in neuron.parameters().iter().enumerate() {
            assert!(
                (p.grad() - want[i]).abs() < 1e-6,
                "d loss / d param {i} at {params:?}: finite differences say {}, backward gave {}",
                want[i],
                p.grad()
            );
        }
    }
}

#[test]
fn two_training_steps_equal_two_manual_gradient_steps() {
    // The second step only matches if the first step's gradients were zeroed.
    let (rx, ry) = regression_data();
    let (gx, gy) = gate([-1.0, -1.0, -1.0, 1.0]);
    let cases: [(&[f64], &[Vec<f64>], &[f64], f64); 3] = [
        (&[0.1, -0.1, 0.2, 0.0], &rx, &ry, 0.3),
        (&[0.3, -0.2, 0.1], &gx, &gy, 0.5),
        (&[-0.5, 0.5, 0.0], &gx, &gy, 1.0),
    ];
    for (start, xs, ys, lr) in cases {
        let expected = descend(start, xs, ys, lr, 2, false, -1.0);
        let (w, b) = start.split_at(start.len() - 1);
        let neuron = Neuron::new(w, b[0]);
        let history = train(&neuron, xs, ys, lr, 2);
        assert_eq!(history.len(), 2, "two steps, two losses");
        let got = current(&neuron);
        assert_moved(&neuron, start);
        assert!(
            close(&got, &expected) || !close(&got, &descend(start, xs, ys, lr, 2, true, -1.0)),
            "step 2 also applied step 1's gradient (got {got:?}): the gradients were not zeroed between steps"
        );
        assert!(
            !close(&got, &descend(start, xs, ys, lr, 2, false, 1.0)),
            "the parameters moved uphill (got {got:?}): each step must subtract lr * gradient"
        );
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert!(
                (g - e).abs() < 1e-6,
                "after 2 steps from {start:?} with lr {lr}, param {i} should be {e}, got {g} (all: {got:?}). \
                 Forgetting zero_grad makes step 2 use step 1's gradient too; check the sign of the update as well."
            );
        }
    }
}

#[test]
fn train_records_the_loss_before_each_update() {
    let (xs, ys) = regression_data();
    let start = [0.1, -0.1, 0.2, 0.0];
    let first = loss_at(&start, &xs, &ys);
    let neuron = Neuron::new(&start[..3], start[3]);
    let history = train(&neuron, &xs, &ys, 0.2, 5);
    assert_eq!(history.len(), 5, "one loss per step");
    assert!(
        (history[0] - first).abs() < 1e-12,
        "history[0] is the loss BEFORE any update: {first}, got {}",
        history[0]
    );
    let none = train(&Neuron::new(&[0.5], 0.5), &[vec![1.0]], &[0.0], 0.1, 0);
    assert!(none.is_empty(), "zero steps, empty history, got {none:?}");
}

#[test]
fn training_on_the_or_gate_drives_the_loss_below_a_bound() {
    let (xs, ys) = gate([-1.0, 1.0, 1.0, 1.0]);
    let neuron = Neuron::new(&[0.3, -0.2], 0.1);
    let history = train(&neuron, &xs, &ys, 0.5, 60);
    for (step, loss) in history.iter().enumerate() {
        println!("tensorlings:loss {step} {loss}");
    }
    assert_moved(&neuron, &[0.3, -0.2, 0.1]);
    assert_eq!(history.len(), 60, "one loss per step");
    let last = history[history.len() - 1];
    assert!(
        last < 0.05,
        "after 60 steps the OR loss should be below 0.05, got {last}"
    );
    assert!(
        last < history[0] / 10.0,
        "the loss should fall at least tenfold: {} -> {last}",
        history[0]
    );
    for (i, (x, y)) in xs.iter().zip(&ys).enumerate() {
        let p = neuron.forward(x).data();
        assert!(
            p * y > 0.0,
            "example {i} {x:?}: the trained neuron says {p}, the target is {y}"
        );
    }
}

#[test]
fn training_also_fits_other_data() {
    let (gx, gy) = gate([-1.0, -1.0, -1.0, 1.0]);
    let neuron = Neuron::new(&[0.3, -0.2], 0.1);
    let history = train(&neuron, &gx, &gy, 1.0, 60);
    assert_moved(&neuron, &[0.3, -0.2, 0.1]);
    let last = history[history.len() - 1];
    assert!(
        last < 0.05,
        "AND gate: after 60 steps the loss should be below 0.05, got {last} (curve start {:?})",
        &history[..5]
    );

    let (rx, ry) = regression_data();
    let neuron = Neuron::new(&[0.1, -0.1, 0.2], 0.0);
    let history = train(&neuron, &rx, &ry, 0.2, 40);
    let last = history[history.len() - 1];
    assert!(
        last < 0.01,
        "regression: after 40 steps the loss should be below 0.01, got {last}"
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
