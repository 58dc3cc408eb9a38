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
    assert_eq!(
        t.elem_type,
        pb::tensor_proto::DataType::Float as i32,
        "`{}`: elem_type is not FLOAT (1)",
        info.name
    );
    let Some(shape) = t.shape.as_ref() else {
        panic!("`{}` declares no shape", info.name);
    };
    shape.dim.iter().map(|d| d.value.clone()).collect()
}

/// The exported graph, checked to be Gemm, Relu, Gemm so that later checks
/// can look at each node without an index panic.
fn gemm_relu_gemm(m: &pb::ModelProto) -> [&pb::NodeProto; 3] {
    let g = m.graph.as_ref().expect("the model has no graph");
    let ops: Vec<&str> = g.node.iter().map(|n| n.op_type.as_str()).collect();
    assert!(
        ops.contains(&"Relu"),
        "no Relu node in the graph: the nodes are {ops:?}"
    );
    assert_eq!(
        ops,
        vec!["Gemm", "Relu", "Gemm"],
        "the nodes are not Gemm, Relu, Gemm in that order"
    );
    [&g.node[0], &g.node[1], &g.node[2]]
}

fn second_input(node: &pb::NodeProto) -> &str {
    assert!(
        node.input.len() >= 2,
        "a Gemm without a weight input: `{}` reads only {:?}",
        node.name,
        node.input
    );
    &node.input[1]
}

#[test]
fn batch_info_declares_a_symbolic_first_dimension() {
    for features in [1, 4, 9] {
        let info = batch_info("x", features);
        assert_eq!(info.name, "x", "batch_info must use the name it is given");
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
    draw_model(&m);
    let [first, _, last] = gemm_relu_gemm(&m);
    let g = m.graph.as_ref().expect("the model has no graph");
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
        first.input.first().map(String::as_str),
        Some(INPUT),
        "the first Gemm does not read the graph input"
    );
    assert_eq!(
        last.output,
        vec![OUTPUT.to_string()],
        "the last Gemm does not write the graph output"
    );
}

#[test]
fn each_layer_has_its_own_initializer_names() {
    let m = export_mlp(&mlp(2, 2, 3, 2)).expect("exports");
    let g = m.graph.as_ref().expect("the model has no graph");
    let names: Vec<&str> = g.initializer.iter().map(|t| t.name.as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(
        names.len(),
        4,
        "expected 4 initializers (two weights, two biases), have {names:?}"
    );
    assert_eq!(unique.len(), 4, "initializer names collide: {names:?}");
    let [hidden, _, output] = gemm_relu_gemm(&m);
    assert_ne!(
        second_input(hidden),
        second_input(output),
        "both Gemms read the same weight"
    );
    let inputs: Vec<&str> = g.input.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        inputs,
        vec![INPUT],
        "weights are listed as graph inputs: only the data is an input"
    );
}

#[test]
fn input_and_output_both_use_the_batch_symbol() {
    let m = export_mlp(&mlp(3, 5, 4, 3)).expect("exports");
    let g = m.graph.as_ref().expect("the model has no graph");
    assert!(
        g.input.len() == 1 && g.output.len() == 1,
        "expected one graph input and one graph output, have {} and {}",
        g.input.len(),
        g.output.len()
    );
    let batch = Some(DimValue::DimParam("batch".into()));
    assert_eq!(
        dims(&g.input[0]),
        vec![batch.clone(), Some(DimValue::DimValue(5))],
        "the graph input is not [batch, in_features]"
    );
    assert_eq!(
        dims(&g.output[0]),
        vec![batch, Some(DimValue::DimValue(3))],
        "the graph output is not [batch, out_features]"
    );
}

#[test]
fn every_node_has_a_name_of_its_own() {
    // Optional in the format, but tract's and onnxruntime's errors and
    // profiles name a node by it: an unnamed node is only "#5".
    let m = export_mlp(&mlp(1, 3, 4, 2)).expect("a valid MLP exports");
    let g = m.graph.as_ref().expect("a graph");
    let mut seen = std::collections::HashSet::new();
    for node in &g.node {
        assert!(
            !node.name.trim().is_empty(),
            "a `{}` node has no name: give every node one, so errors can say which node failed",
            node.op_type
        );
        assert!(
            seen.insert(node.name.as_str()),
            "two nodes are both named `{}`: give each its own name",
            node.name
        );
    }
}

#[test]
fn the_graph_has_a_name_as_the_onnx_checker_requires() {
    // onnx.checker refuses a graph whose name is empty ("Field 'name' of
    // 'graph' is required to be non-empty"), though tract loads it. The
    // model's producer_name is optional: leaving it out changes nothing a
    // reader relies on. (A node's name is asked for by
    // `every_node_has_a_name_of_its_own`; producer_name stays optional.)
    let m = export_mlp(&mlp(1, 3, 4, 2)).expect("a valid MLP exports");
    let g = m.graph.as_ref().expect("a graph");
    assert!(
        !g.name.trim().is_empty(),
        "the graph has an empty name: the ONNX checker requires one (e.g. `name: \"mlp\".into()`)"
    );
}

#[test]
fn the_model_declares_ir_version_8_and_opset_15() {
    // tract 0.23.9 loads a model whose ir_version is 0 (the field left out),
    // but onnxruntime refuses it ("Missing model IR version") and so does
    // `onnx.checker.check_model` ("does not have an ir_version set properly"):
    // the other tests here cannot notice, this one does.
    let m = export_mlp(&mlp(3, 5, 4, 3)).expect("exports");
    assert_eq!(m.ir_version, 8, "ir_version is not set to 8");
    let defaults: Vec<i64> = m
        .opset_import
        .iter()
        .filter(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map(|o| o.version)
        .collect();
    assert_eq!(
        defaults,
        vec![15],
        "the default-domain opset import is not exactly one entry at version 15"
    );
}

/// `|got - want| <= atol + rtol * |want|` with float32's usual tolerances
/// (those of `torch.testing.assert_close`); NaN is never close.
fn close(got: f32, want: f32) -> bool {
    (got - want).abs() <= 1e-5 + 1.3e-6 * want.abs()
}

#[test]
fn one_loaded_model_runs_batches_of_1_3_and_7() {
    for (seed, i, h, o) in [(4, 3, 5, 2), (5, 6, 4, 4)] {
        let net = mlp(seed, i, h, o);
        let model = export_mlp(&net).expect("a valid MLP exports");
        let plan = match load(&model) {
            Ok(plan) => plan,
            Err(e) => panic!("tract could not load the exported model: {e:#}"),
        };
        for batch in [1, 3, 7] {
            let x = values(seed * 10 + batch as u32, batch * i);
            let got = match run(&plan, &x, batch, i) {
                Ok(got) => got,
                Err(e) => panic!("the loaded plan refused a batch of {batch}: {e:#}"),
            };
            let want = net.forward(&x);
            assert_eq!(got.len(), batch * o, "batch {batch}: wrong output size");
            assert!(
                got.iter().zip(&want).all(|(g, w)| close(*g, *w)),
                "batch {batch}: tract's answers differ from the Rust forward: {got:?} vs {want:?}"
            );
        }
    }
}

#[test]
fn the_relu_is_really_in_the_graph() {
    // Hidden biases of -5 make every hidden unit negative: with the ReLU the
    // output is just the output bias.
    let mut net = mlp(6, 2, 3, 2);
    net.hidden.bias = vec![-5.0; 3];
    let model = export_mlp(&net).expect("a valid MLP exports");
    let plan = match load(&model) {
        Ok(plan) => plan,
        Err(e) => panic!("tract could not load the exported model: {e:#}"),
    };
    let got = match run(&plan, &[0.5, -0.5, 0.25, 0.75], 2, 2) {
        Ok(got) => got,
        Err(e) => panic!("the loaded plan refused a batch of 2: {e:#}"),
    };
    let want = [net.output.bias.clone(), net.output.bias.clone()].concat();
    assert!(
        got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| close(*g, *w)),
        "negative hidden units were not clipped to 0: got {got:?}, want {want:?}"
    );
}

#[test]
fn layers_that_do_not_chain_are_refused_at_export() {
    let net = Mlp {
        hidden: linear(7, 3, 4),
        output: linear(8, 5, 2),
    };
    let got: Result<pb::ModelProto, ExportError> = export_mlp(&net);
    if got.is_ok() {
        panic!(
            "export accepted a hidden layer with 4 outputs feeding an output layer that takes 5 inputs: the model would fail at its first request"
        );
    }
    if let Err(ExportError::LayersDoNotChain {
        hidden_out: 5,
        output_in: 4,
    }) = got
    {
        panic!("LayersDoNotChain has its two sizes swapped: hidden_out is the hidden layer's out_features (4), output_in the output layer's in_features (5)");
    }
    assert_eq!(
        got,
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
        }),
        "a hidden weight one value short must be refused first"
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
        }),
        "an output bias one value too long must be refused"
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
