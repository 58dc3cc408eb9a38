use super::*;
#[allow(unused_imports)]
use prost::Message as _;

/// Small deterministic numbers in [-1, 1).
fn values(seed: u32, n: usize) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            #[allow(clippy::cast_precision_loss)]
            let v = (s >> 8) as f32 / (1u32 << 24) as f32;
            v * 2.0 - 1.0
        })
        .collect()
}

fn layer(seed: u32, in_features: usize, out_features: usize) -> Linear {
    Linear {
        in_features,
        out_features,
        weight: values(seed, in_features * out_features),
        bias: values(seed + 100, out_features),
    }
}

fn bytes_of(layer: &Linear, batch: usize) -> Vec<u8> {
    linear_model(layer, batch).encode_to_vec()
}

/// The tests' own closeness check (the F32 tolerance), so the tests about
/// loading and running do not depend on the learner's `parity` (its own
/// tests check it).
fn agrees(got: &[f32], want: &[f32]) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(a, e)| (a - e).abs() <= 1e-5 + 1.3e-6 * e.abs())
}

#[test]
fn a_model_loaded_from_bytes_matches_the_rust_layer() {
    for (seed, batch, i, o) in [(1, 1, 3, 2), (2, 4, 5, 3), (3, 2, 8, 8)] {
        let l = layer(seed, i, o);
        draw_model(&linear_model(&l, batch));
        let plan = load_bytes(&bytes_of(&l, batch)).expect("a valid model loads");
        let x = values(seed + 50, batch * i);
        let got = run(&plan, &x, batch, i).expect("the model runs");
        let want = l.forward(&x);
        assert_eq!(
            got.len(),
            batch * o,
            "run returns batch x out values, flattened"
        );
        assert!(
            agrees(&got, &want),
            "the model run by tract gives {got:?}, the Rust layer {want:?}: run should feed the input as [batch, in] and return the first output, flattened"
        );
    }
}

#[test]
fn a_plan_can_be_run_many_times() {
    let l = layer(4, 3, 3);
    let plan = load_bytes(&bytes_of(&l, 1)).expect("loads");
    for seed in 10..14 {
        let x = values(seed, 3);
        let got = run(&plan, &x, 1, 3).expect("runs");
        let want = l.forward(&x);
        assert!(
            agrees(&got, &want),
            "run {seed} of the same plan gives {got:?}, the Rust layer {want:?}: a plan is reusable, run it again with new input"
        );
    }
}

#[test]
fn a_saved_file_loads_back_and_gives_the_same_answers() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("linear.onnx");
    let l = layer(5, 4, 2);
    save_model(&linear_model(&l, 2), &path).expect("save the model");
    let on_disk = std::fs::read(&path).expect("the file exists");
    assert_eq!(
        on_disk,
        bytes_of(&l, 2),
        "the file holds exactly the encoded model"
    );
    let plan = load_file(&path).expect("the file loads");
    let x = values(55, 8);
    let got = run(&plan, &x, 2, 4).expect("runs");
    let want = l.forward(&x);
    assert!(
        agrees(&got, &want),
        "the file-loaded model gives {got:?}, the Rust layer {want:?}"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("a temp dir");
    assert!(
        load_file(&dir.path().join("nope.onnx")).is_err(),
        "no file, no model"
    );
}

#[test]
fn garbage_and_truncated_bytes_are_errors_not_panics() {
    assert!(load_bytes(b"").is_err(), "empty bytes hold no graph");
    assert!(
        load_bytes(b"\x80\x04\x95 definitely not protobuf").is_err(),
        "garbage bytes"
    );
    let good = bytes_of(&layer(6, 3, 2), 1);
    assert!(
        load_bytes(&good[..good.len() / 2]).is_err(),
        "half a model is not a model"
    );
}

#[test]
fn wrong_input_sizes_are_errors_not_panics() {
    let plan = load_bytes(&bytes_of(&layer(7, 3, 2), 1)).expect("loads");
    assert!(
        run(&plan, &[1.0, 2.0], 1, 3).is_err(),
        "2 values cannot fill a 1x3 input"
    );
    assert!(
        run(&plan, &[1.0; 4], 1, 4).is_err(),
        "the model wants 3 features, not 4"
    );
    assert!(
        run(&plan, &[1.0; 6], 2, 3).is_err(),
        "this model was exported for batch 1"
    );
}

#[test]
fn parity_allows_atol_plus_rtol_times_the_expected_value() {
    let tol = Tolerance {
        atol: 1e-5,
        rtol: 1e-3,
    };
    let got: Result<(), Mismatch> = parity(&[100.05], &[100.0], tol);
    assert_eq!(
        got,
        Ok(()),
        "|100.05 - 100| = 0.05 is within 1e-5 + 1e-3 * 100: the relative part must count"
    );
    let got: Result<(), Mismatch> = parity(&[2e-5], &[0.0], tol);
    assert!(
        matches!(got, Err(Mismatch::Element { index: 0, .. })),
        "|2e-5 - 0| is over 1e-5 + 1e-3 * 0: near zero only the absolute part counts, got {got:?}"
    );
    let got: Result<(), Mismatch> = parity(
        &[0.15],
        &[0.0],
        Tolerance {
            atol: 0.1,
            rtol: 0.5,
        },
    );
    assert!(
        matches!(got, Err(Mismatch::Element { index: 0, .. })),
        "the relative part scales |expected| (0 here), not |actual|: got {got:?}"
    );
    // An output BELOW the expected value is as wrong as one above: without
    // `.abs()`, `a - e` is negative and passes any tolerance.
    let got: Result<(), Mismatch> = parity(&[99.0], &[100.0], tol);
    assert!(
        matches!(got, Err(Mismatch::Element { index: 0, .. })),
        "99 against 100 is 1 below, over 1e-5 + 1e-3 * 100: an output below the expected value is out of tolerance too (take the absolute difference), got {got:?}"
    );
    let got: Result<(), Mismatch> = parity(&[-100.05], &[-100.0], tol);
    assert_eq!(
        got,
        Ok(()),
        "|-100.05 - -100| = 0.05 is within 1e-5 + 1e-3 * |-100|: the relative part scales the SIZE of expected"
    );
    let got: Result<(), Mismatch> = parity(&[], &[], Tolerance::F32);
    assert_eq!(got, Ok(()), "nothing to compare, nothing wrong");
}

#[test]
fn parity_reports_the_first_element_out_of_tolerance() {
    let got: Result<(), Mismatch> = parity(&[1.0, 1.5, 9.0], &[1.0, 2.0, 3.0], Tolerance::F32);
    assert!(
        matches!(got, Err(Mismatch::Element { index: 1, .. })),
        "1.5 against 2.0 is 0.5 below: an output below the expected value is out of tolerance too (take the absolute difference), got {got:?}"
    );
    let got: Result<(), Mismatch> = parity(&[1.0, 2.5, 9.0], &[1.0, 2.0, 3.0], Tolerance::F32);
    match got {
        Err(Mismatch::Element {
            index,
            actual,
            expected,
        }) => {
            assert_eq!(index, 1, "the first bad element is at index 1");
            assert!(
                (actual - 2.5).abs() < 1e-6 && (expected - 2.0).abs() < 1e-6,
                "report the values found at that index: actual {actual}, expected {expected}"
            );
        }
        other => panic!("expected Mismatch::Element at index 1, got {other:?}"),
    }
}

#[test]
fn parity_never_hides_nan_or_a_length_mismatch() {
    let loose = Tolerance {
        atol: 1e3,
        rtol: 1.0,
    };
    let got: Result<(), Mismatch> = parity(&[1.0, f32::NAN], &[1.0, 1.0], loose);
    assert!(
        matches!(got, Err(Mismatch::Element { index: 1, .. })),
        "a NaN output is a mismatch, however loose the tolerance: got {got:?}"
    );
    let got: Result<(), Mismatch> = parity(&[f32::NAN], &[f32::NAN], loose);
    assert!(
        matches!(got, Err(Mismatch::Element { index: 0, .. })),
        "NaN is not close even to NaN: got {got:?}"
    );
    let got: Result<(), Mismatch> = parity(&[1.0, 2.0], &[1.0], loose);
    assert_eq!(
        got,
        Err(Mismatch::Lengths {
            actual: 2,
            expected: 1
        }),
        "a missing or extra output is a length mismatch"
    );
}

#[test]
fn parity_catches_a_model_exported_from_different_weights() {
    let exported = layer(8, 4, 3);
    let mut changed = exported.clone();
    changed.weight[5] += 0.01;
    let plan = load_bytes(&bytes_of(&exported, 1)).expect("loads");
    let x = vec![1.0; 4];
    let got = run(&plan, &x, 1, 4).expect("runs");
    let verdict: Result<(), Mismatch> = parity(&got, &changed.forward(&x), Tolerance::F32);
    // The changed weight is 0.01 larger and every input is 1, so the
    // exported model's output is 0.01 BELOW the changed layer's.
    assert!(
        verdict.is_err(),
        "a 0.01 change in one weight must show up in the parity check (here the model's output is 0.01 below the expected one)"
    );
}

/// Prints the model's graph as `tensorlings:onnx` lines, for the app to draw
/// (inputs, initializers with their dims, nodes, outputs; the app marks a
/// name nothing produces and shapes that do not fit). Only reads the model.
/// A node without a name is called `#<index>`.
fn draw_model(model: &tract_onnx::pb::ModelProto) {
    use tract_onnx::pb::tensor_shape_proto::dimension::Value as Dim;
    use tract_onnx::pb::type_proto::Value as Type;
    let Some(graph) = &model.graph else { return };
    let word = |s: &str| -> String {
        let joined = s.split_whitespace().collect::<Vec<_>>().join("_");
        if joined.is_empty() { "_".to_owned() } else { joined }
    };
    let shape = |info: &tract_onnx::pb::ValueInfoProto| -> String {
        let Some(Type::TensorType(tensor)) = info.r#type.as_ref().and_then(|t| t.value.as_ref()) else {
            return "?".to_owned();
        };
        let Some(shape) = &tensor.shape else { return "?".to_owned() };
        if shape.dim.is_empty() {
            return "-".to_owned();
        }
        let dims: Vec<String> = shape
            .dim
            .iter()
            .map(|d| match &d.value {
                Some(Dim::DimValue(v)) => v.to_string(),
                Some(Dim::DimParam(p)) if !p.is_empty() => word(p),
                _ => "?".to_owned(),
            })
            .collect();
        dims.join("x")
    };
    let list = |names: &[String]| -> String {
        if names.is_empty() { "-".to_owned() } else { names.iter().map(|n| word(n)).collect::<Vec<_>>().join(",") }
    };
    println!("tensorlings:onnx begin");
    for input in &graph.input {
        println!("tensorlings:onnx input {} {}", word(&input.name), shape(input));
    }
    for init in &graph.initializer {
        let dims: Vec<String> = init.dims.iter().map(i64::to_string).collect();
        let dims = if dims.is_empty() { "-".to_owned() } else { dims.join("x") };
        println!("tensorlings:onnx init {} {dims}", word(&init.name));
    }
    for (index, node) in graph.node.iter().enumerate() {
        let name = if node.name.is_empty() { format!("#{index}") } else { word(&node.name) };
        let attrs: Vec<String> = node
            .attribute
            .iter()
            .filter(|a| a.name == "transA" || a.name == "transB")
            .map(|a| format!("{}={}", a.name, a.i))
            .collect();
        println!(
            "tensorlings:onnx node {name} {} {} {} {}",
            word(&node.op_type),
            list(&node.input),
            list(&node.output),
            attrs.join(" ")
        );
    }
    for output in &graph.output {
        println!("tensorlings:onnx output {} {}", word(&output.name), shape(output));
    }
}
