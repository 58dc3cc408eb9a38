use super::*;
use std::collections::HashSet;
use tract_onnx::pb;
use tract_onnx::pb::tensor_shape_proto::dimension::Value as DimValue;

/// Small deterministic numbers in [-1, 1).
fn values(seed: u32, n: usize) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(3);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            #[allow(clippy::cast_precision_loss)]
            let v = (s >> 8) as f32 / (1u32 << 24) as f32;
            v * 2.0 - 1.0
        })
        .collect()
}

fn linear(seed: u32, in_features: usize, out_features: usize) -> Linear {
    Linear {
        in_features,
        out_features,
        weight: values(seed, in_features * out_features),
        bias: values(seed + 100, out_features),
    }
}

fn mlp(seed: u32, i: usize, h: usize, o: usize) -> Mlp {
    Mlp {
        hidden: linear(seed, i, h),
        output: linear(seed + 1, h, o),
    }
}

fn dims(info: &pb::ValueInfoProto) -> Vec<Option<DimValue>> {
    let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(t)),
        ..
    }) = &info.r#type
    else {
        panic!("`{}` has no tensor type", info.name);
    };
    t.shape
        .as_ref()
        .expect("a declared shape")
        .dim
        .iter()
        .map(|d| d.value.clone())
        .collect()
}

#[test]
fn batch_info_declares_a_symbolic_first_dimension() {
    for features in [1, 4, 9] {
        let info = batch_info("x", features);
        assert_eq!(info.name, "x");
        assert_eq!(
            dims(&info),
            vec![
                Some(DimValue::DimParam("batch".into())),
                Some(DimValue::DimValue(features as i64))
            ],
            "dim 0 is the symbol `batch` (a DimParam), dim 1 is fixed"
        );
    }
}

#[test]
fn the_graph_is_gemm_relu_gemm_in_topological_order() {
    let m = export_mlp(&mlp(1, 3, 4, 2)).expect("a valid MLP exports");
    let g = m.graph.as_ref().expect("a graph");
    let ops: Vec<&str> = g.node.iter().map(|n| n.op_type.as_str()).collect();
    assert_eq!(ops, vec!["Gemm", "Relu", "Gemm"]);
    let mut known: HashSet<&str> = g.initializer.iter().map(|t| t.name.as_str()).collect();
    known.extend(g.input.iter().map(|i| i.name.as_str()));
    for n in &g.node {
        for i in &n.input {
            assert!(
                known.contains(i.as_str()),
                "node `{}` reads `{i}` before anything writes it",
                n.op_type
            );
        }
        known.extend(n.output.iter().map(String::as_str));
    }
    assert_eq!(
        g.node[0].input[0], INPUT,
        "the first Gemm reads the graph input"
    );
    assert_eq!(
        g.node[2].output,
        vec![OUTPUT.to_string()],
        "the last Gemm writes the graph output"
    );
}

#[test]
fn each_layer_has_its_own_initializer_names() {
    let m = export_mlp(&mlp(2, 2, 3, 2)).expect("exports");
    let g = m.graph.as_ref().expect("a graph");
    let names: Vec<&str> = g.initializer.iter().map(|t| t.name.as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(names.len(), 4, "two weights and two biases, have {names:?}");
    assert_eq!(
        unique.len(),
        4,
        "initializer names must be unique, have {names:?}"
    );
    assert_ne!(
        g.node[0].input[1], g.node[2].input[1],
        "the two Gemms must read different weights"
    );
    let inputs: Vec<&str> = g.input.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        inputs,
        vec![INPUT],
        "weights are initializers, not graph inputs"
    );
}

#[test]
fn input_and_output_both_use_the_batch_symbol() {
    let m = export_mlp(&mlp(3, 5, 4, 3)).expect("exports");
    let g = m.graph.as_ref().expect("a graph");
    let batch = Some(DimValue::DimParam("batch".into()));
    assert_eq!(
        dims(&g.input[0]),
        vec![batch.clone(), Some(DimValue::DimValue(5))]
    );
    assert_eq!(dims(&g.output[0]), vec![batch, Some(DimValue::DimValue(3))]);
    let v = m
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty())
        .map(|o| o.version);
    assert_eq!(v, Some(15), "opset 15 for the default domain");
}

#[test]
fn one_loaded_model_runs_batches_of_1_3_and_7() {
    for (seed, i, h, o) in [(4, 3, 5, 2), (5, 6, 4, 4)] {
        let net = mlp(seed, i, h, o);
        let plan = load(&export_mlp(&net).expect("exports")).expect("loads");
        for batch in [1, 3, 7] {
            let x = values(seed * 10 + batch as u32, batch * i);
            let got = run(&plan, &x, batch, i).expect("one plan serves every batch size");
            let want = net.forward(&x);
            assert_eq!(got.len(), batch * o, "batch {batch}: output size");
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5,
                    "batch {batch}: tract {got:?} vs Rust {want:?}"
                );
            }
        }
    }
}

#[test]
fn the_relu_is_really_in_the_graph() {
    // Hidden biases of -5 make every hidden unit negative: with the ReLU the
    // output is just the output bias.
    let mut net = mlp(6, 2, 3, 2);
    net.hidden.bias = vec![-5.0; 3];
    let plan = load(&export_mlp(&net).expect("exports")).expect("loads");
    let got = run(&plan, &[0.5, -0.5, 0.25, 0.75], 2, 2).expect("runs");
    let want = [net.output.bias.clone(), net.output.bias.clone()].concat();
    for (g, w) in got.iter().zip(&want) {
        assert!(
            (g - w).abs() <= 1e-5,
            "negative hidden units must be clipped to 0: got {got:?}"
        );
    }
}

#[test]
fn layers_that_do_not_chain_are_refused_at_export() {
    let net = Mlp {
        hidden: linear(7, 3, 4),
        output: linear(8, 5, 2),
    };
    assert_eq!(
        export_mlp(&net),
        Err(ExportError::LayersDoNotChain {
            hidden_out: 4,
            output_in: 5
        }),
        "catch the shape mismatch now, not at the first request"
    );
}

#[test]
fn parameter_counts_that_do_not_match_the_shape_are_refused() {
    let mut net = mlp(9, 3, 4, 2);
    net.hidden.weight.pop();
    assert_eq!(
        export_mlp(&net),
        Err(ExportError::WrongParameterCount {
            layer: "hidden",
            what: "weight",
            expected: 12,
            got: 11
        })
    );
    let mut net = mlp(9, 3, 4, 2);
    net.output.bias.push(0.0);
    assert_eq!(
        export_mlp(&net),
        Err(ExportError::WrongParameterCount {
            layer: "output",
            what: "bias",
            expected: 2,
            got: 3
        })
    );
}
