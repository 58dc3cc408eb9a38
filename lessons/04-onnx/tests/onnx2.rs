use super::*;
#[allow(unused_imports)]
use prost::Message as _;
use tract_onnx::pb;
use tract_onnx::pb::attribute_proto::AttributeType;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::tensor_shape_proto::dimension::Value as DimValue;
use tract_onnx::prelude::*;

/// Small deterministic numbers in [-1, 1).
fn values(seed: u32, n: usize) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
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

fn decoded(layer: &Linear, batch: usize) -> pb::ModelProto {
    let bytes = to_onnx_bytes(layer, batch);
    assert!(!bytes.is_empty(), "to_onnx_bytes returned no bytes");
    pb::ModelProto::decode(bytes.as_slice()).expect("the bytes decode as a ModelProto")
}

fn tensor_values(t: &pb::TensorProto) -> Vec<f32> {
    if t.raw_data.is_empty() {
        t.float_data.clone()
    } else {
        t.raw_data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }
}

fn fixed_dims(info: &pb::ValueInfoProto) -> (i32, Vec<Option<i64>>) {
    let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(t)),
        ..
    }) = &info.r#type
    else {
        panic!(
            "`{}` has no tensor type: every graph input and output needs one",
            info.name
        );
    };
    let shape = t.shape.as_ref().expect("a declared shape");
    let dims = shape
        .dim
        .iter()
        .map(|d| match d.value {
            Some(DimValue::DimValue(v)) => Some(v),
            _ => None,
        })
        .collect();
    (t.elem_type, dims)
}

/// The graph's one node, checked to be a Gemm with its three inputs, so that
/// later checks can index it without a panic of their own.
fn the_gemm(g: &pb::GraphProto) -> &pb::NodeProto {
    let ops: Vec<&str> = g.node.iter().map(|n| n.op_type.as_str()).collect();
    assert_eq!(
        ops,
        vec!["Gemm"],
        "the graph must hold exactly one Gemm node"
    );
    let node = &g.node[0];
    assert_eq!(
        node.input.len(),
        3,
        "Gemm takes three inputs: A (input), B (weight), C (bias)"
    );
    node
}

fn int_attr(node: &pb::NodeProto, name: &str) -> i64 {
    node.attribute
        .iter()
        .find(|a| a.name == name)
        .map_or(0, |a| a.i)
}

#[test]
fn every_node_has_a_name_of_its_own() {
    // Optional in the format, but tract's and onnxruntime's errors and
    // profiles name a node by it: an unnamed node is only "#5".
    let m = decoded(&layer(2, 4, 3), 2);
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
    let m = decoded(&layer(2, 4, 3), 2);
    let g = m.graph.as_ref().expect("a graph");
    assert!(
        !g.name.trim().is_empty(),
        "the graph has an empty name: the ONNX checker requires one (e.g. `name: \"linear\".into()`)"
    );
}

#[test]
fn the_model_imports_the_default_opset_at_version_15() {
    let m = decoded(&layer(1, 3, 2), 1);
    let default = m
        .opset_import
        .iter()
        .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .expect("an opset_import for the default domain (\"\")");
    assert_eq!(default.version, 15, "export against opset 15");
    assert_eq!(
        m.ir_version, IR_VERSION,
        "set ir_version: onnxruntime refuses a model without it"
    );
}

#[test]
fn the_graph_has_one_gemm_node_wired_from_input_to_output() {
    let m = decoded(&layer(2, 4, 3), 2);
    draw_model(&m);
    let g = m.graph.as_ref().expect("a graph");
    let node = the_gemm(g);
    assert_eq!(node.input[0], INPUT, "A must be the graph input");
    assert_eq!(
        node.output,
        vec![OUTPUT.to_string()],
        "the node writes the graph output"
    );
    let inits: Vec<&str> = g.initializer.iter().map(|t| t.name.as_str()).collect();
    for name in &node.input[1..] {
        assert!(
            inits.contains(&name.as_str()),
            "`{name}` must be an initializer, have {inits:?}"
        );
    }
}

#[test]
fn weights_are_initializers_not_graph_inputs() {
    let m = decoded(&layer(3, 2, 5), 1);
    let g = m.graph.as_ref().expect("a graph");
    let names: Vec<&str> = g.input.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        vec![INPUT],
        "list only the real input: a weight listed as input can be overridden by the caller"
    );
    let outs: Vec<&str> = g.output.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(outs, vec![OUTPUT]);
}

#[test]
fn input_and_output_declare_float_and_their_shapes() {
    for (batch, i, o) in [(1, 3, 2), (4, 5, 7)] {
        let m = decoded(&layer(4, i, o), batch);
        let g = m.graph.as_ref().expect("a graph");
        let float = DataType::Float as i32;
        assert!(
            g.input.len() == 1 && g.output.len() == 1,
            "the graph needs exactly one input and one output, has {} and {}",
            g.input.len(),
            g.output.len()
        );
        assert_eq!(
            fixed_dims(&g.input[0]),
            (float, vec![Some(batch as i64), Some(i as i64)]),
            "the input must be FLOAT [batch, in_features]"
        );
        assert_eq!(
            fixed_dims(&g.output[0]),
            (float, vec![Some(batch as i64), Some(o as i64)]),
            "the output must be FLOAT [batch, out_features]"
        );
    }
}

#[test]
fn initializers_hold_the_layers_weights_with_dims() {
    let l = layer(5, 3, 4);
    let m = decoded(&l, 1);
    let g = m.graph.as_ref().expect("a graph");
    let node = the_gemm(g);
    let find = |name: &str| {
        let found = g.initializer.iter().find(|t| t.name == name);
        assert!(
            found.is_some(),
            "the Gemm reads `{name}`, which names no initializer"
        );
        found.expect("checked above")
    };
    let (w, b) = (find(&node.input[1]), find(&node.input[2]));
    for t in [w, b] {
        assert_eq!(
            t.data_type,
            DataType::Float as i32,
            "`{}` must be FLOAT",
            t.name
        );
    }
    assert_eq!(b.dims, vec![4], "the bias needs dims [out_features]");
    assert_eq!(
        tensor_values(b),
        l.bias,
        "the bias values differ from the layer's"
    );
    if int_attr(node, "transB") == 1 {
        assert_eq!(w.dims, vec![4, 3], "with transB=1, B is out x in");
        assert_eq!(
            tensor_values(w),
            l.weight,
            "the weight values differ from the layer's (row-major, out x in)"
        );
    } else {
        assert!(
            w.dims != vec![4, 3],
            "the weight is stored out x in ([4, 3]), but the Gemm has no transB=1 attribute, so it reads B as in x out"
        );
        assert_eq!(w.dims, vec![3, 4], "without transB, B must be in x out");
        let mut t = vec![0.0; 12];
        for r in 0..4 {
            for c in 0..3 {
                t[c * 4 + r] = l.weight[r * 3 + c];
            }
        }
        assert_eq!(
            tensor_values(w),
            t,
            "the weight values differ from the layer's, transposed"
        );
    }
    for a in &node.attribute {
        if a.name == "transB" || a.name == "transA" {
            assert_eq!(
                a.r#type,
                AttributeType::Int as i32,
                "`{}` is an INT attribute",
                a.name
            );
        }
    }
}

#[test]
fn tract_reads_the_bytes_and_computes_the_layer() -> TractResult<()> {
    for (seed, batch, i, o) in [(6, 1, 3, 2), (7, 3, 4, 4)] {
        let l = layer(seed, i, o);
        let bytes = to_onnx_bytes(&l, batch);
        let plan = tract_onnx::onnx()
            .model_for_read(&mut bytes.as_slice())?
            .into_optimized()?
            .into_runnable()?;
        let x = values(seed + 50, batch * i);
        let out = plan.run(tvec!(Tensor::from_shape(&[batch, i], &x)?.into()))?;
        let got: Vec<f32> = out[0]
            .to_plain_array_view::<f32>()?
            .iter()
            .copied()
            .collect();
        let want = l.forward(&x);
        assert_eq!(got.len(), want.len(), "wrong output size");
        // |a - e| <= atol + rtol * |e|, float32's usual tolerances.
        assert!(
            got.iter()
                .zip(&want)
                .all(|(g, w)| (g - w).abs() <= 1e-5 + 1.3e-6 * w.abs()),
            "tract gave {got:?}, the Rust layer {want:?}"
        );
    }
    Ok(())
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
