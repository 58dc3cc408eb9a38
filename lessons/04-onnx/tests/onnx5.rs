use super::*;
use tract_onnx::pb;

fn opset(domain: &str, version: i64) -> pb::OperatorSetIdProto {
    pb::OperatorSetIdProto {
        domain: domain.into(),
        version,
    }
}

fn node(op_type: &str, domain: &str) -> pb::NodeProto {
    pb::NodeProto {
        op_type: op_type.into(),
        domain: domain.into(),
        ..Default::default()
    }
}

fn init(name: &str, dims: &[i64]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: dims.to_vec(),
        data_type: 1,
        ..Default::default()
    }
}

fn model(
    opsets: Vec<pb::OperatorSetIdProto>,
    node: Vec<pb::NodeProto>,
    initializer: Vec<pb::TensorProto>,
) -> pb::ModelProto {
    pb::ModelProto {
        ir_version: 8,
        opset_import: opsets,
        graph: Some(pb::GraphProto {
            node,
            initializer,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A node wired by names: `output = op_type(inputs...)`.
fn wired(op_type: &str, inputs: &[&str], output: &str) -> pb::NodeProto {
    pb::NodeProto {
        op_type: op_type.into(),
        input: inputs.iter().map(|&i| i.to_owned()).collect(),
        output: vec![output.into()],
        ..Default::default()
    }
}

/// A graph input or output of element type `elem_type`, shape `[1, 8]`.
fn info(name: &str, elem_type: i32) -> pb::ValueInfoProto {
    let dim = [1, 8]
        .map(|d| pb::tensor_shape_proto::Dimension {
            value: Some(pb::tensor_shape_proto::dimension::Value::DimValue(d)),
            ..Default::default()
        })
        .to_vec();
    pb::ValueInfoProto {
        name: name.into(),
        r#type: Some(pb::TypeProto {
            value: Some(pb::type_proto::Value::TensorType(pb::type_proto::Tensor {
                elem_type,
                shape: Some(pb::TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

const FLOAT: i32 = 1;

/// x -> Gemm -> Relu -> Gemm -> y, wired by names, every name defined once.
fn clean_mlp() -> pb::ModelProto {
    let mut m = model(
        vec![opset("", 15)],
        vec![
            wired("Gemm", &["x", "w1", "b1"], "h"),
            wired("Relu", &["h"], "r"),
            wired("Gemm", &["r", "w2", "b2"], "y"),
        ],
        vec![
            init("w1", &[16, 8]),
            init("b1", &[16]),
            init("w2", &[4, 16]),
            init("b2", &[4]),
        ],
    );
    let g = m.graph.as_mut().expect("graph");
    g.input = vec![info("x", FLOAT)];
    g.output = vec![info("y", FLOAT)];
    m
}

fn graph(m: &mut pb::ModelProto) -> &mut pb::GraphProto {
    m.graph.as_mut().expect("graph")
}

#[test]
fn a_small_clean_mlp_passes() {
    assert_eq!(validate(&clean_mlp(), &Policy::small_mlps()), Ok(()));
    let mut m = clean_mlp();
    m.opset_import = vec![opset("ai.onnx", 13)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Ok(()),
        "\"ai.onnx\" is the default domain too"
    );
}

#[test]
fn opsets_at_the_edges_of_the_range_pass_and_outside_fail() {
    let policy = Policy::small_mlps();
    for ok in [13, 18] {
        let mut m = clean_mlp();
        m.opset_import = vec![opset("", ok)];
        assert_eq!(
            validate(&m, &policy),
            Ok(()),
            "opset {ok} is inside 13..=18"
        );
    }
    for bad in [1, 12, 19, 10_000] {
        let mut m = clean_mlp();
        m.opset_import = vec![opset("", bad)];
        assert_eq!(
            validate(&m, &policy),
            Err(vec![Problem::OpsetOutOfRange {
                version: bad,
                min: 13,
                max: 18
            }])
        );
    }
}

#[test]
fn a_model_without_a_default_opset_is_rejected() {
    let mut m = clean_mlp();
    m.opset_import = vec![opset("com.example.custom", 1)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::CustomDomain {
                domain: "com.example.custom".into()
            },
            Problem::NoDefaultOpset,
        ])
    );
    m.opset_import.clear();
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::NoDefaultOpset])
    );
}

#[test]
fn ops_off_the_allowlist_are_reported_with_their_index() {
    let mut m = clean_mlp();
    let g = graph(&mut m);
    g.node.insert(1, node("Loop", ""));
    g.node.push(node("Gemm", "com.example.custom"));
    draw_model(&m);
    // The picture marks the nodes the learner's validate refused.
    if let Err(problems) = validate(&m, &Policy::small_mlps()) {
        for problem in &problems {
            if let Problem::OpNotAllowed { index, .. } = problem {
                println!("tensorlings:onnx mark #{index} {problem}");
            }
        }
    }
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::OpNotAllowed {
                index: 1,
                op_type: "Loop".into(),
                domain: String::new()
            },
            Problem::OpNotAllowed {
                index: 4,
                op_type: "Gemm".into(),
                domain: "com.example.custom".into()
            },
        ]),
        "an allowed name in a custom domain is a different op"
    );
}

#[test]
fn the_policy_passed_in_is_the_one_applied() {
    let mut strict = Policy::small_mlps();
    strict.allowed_ops = vec!["Gemm".into()];
    strict.opsets = 15..=15;
    assert_eq!(
        validate(&clean_mlp(), &strict),
        Err(vec![Problem::OpNotAllowed {
            index: 1,
            op_type: "Relu".into(),
            domain: String::new()
        }])
    );
    let mut m = clean_mlp();
    m.opset_import = vec![opset("", 16)];
    assert!(
        validate(&m, &strict).is_err_and(|p| p[0]
            == Problem::OpsetOutOfRange {
                version: 16,
                min: 15,
                max: 15
            }),
        "bounds come from the policy"
    );
}

#[test]
fn too_many_nodes_is_reported_once() {
    let mut policy = Policy::small_mlps();
    policy.max_nodes = 3;
    let mut m = clean_mlp();
    assert_eq!(
        validate(&m, &policy),
        Ok(()),
        "exactly max_nodes nodes is fine"
    );
    m.graph.as_mut().expect("graph").node.push(node("Relu", ""));
    assert_eq!(
        validate(&m, &policy),
        Err(vec![Problem::TooManyNodes { count: 4, limit: 3 }])
    );
}

#[test]
fn huge_declared_initializers_are_reported_without_overflow() {
    let policy = Policy::small_mlps();
    let mut m = clean_mlp();
    let g = m.graph.as_mut().expect("graph");
    g.initializer.push(init("big", &[2048, 1024]));
    g.initializer
        .push(init("absurd", &[1 << 40, 1 << 40, 1 << 40]));
    let problems = validate(&m, &policy).expect_err("two initializers are too large");
    assert_eq!(
        problems[0],
        Problem::InitializerTooLarge {
            name: "big".into(),
            elements: 2048 * 1024,
            limit: 1 << 20
        }
    );
    assert!(
        matches!(&problems[1], Problem::InitializerTooLarge { name, elements, .. }
            if name == "absurd" && *elements == u64::MAX),
        "a product past u64::MAX saturates instead of wrapping or panicking: {problems:?}"
    );
    // `declared_elements` (given) saturates the product; the sum is the
    // learner's: 2^21 + u64::MAX wraps to 2^21 - 1 with `wrapping_add`,
    // below the 2^22 limit, so the total check goes quiet.
    assert!(
        matches!(
            problems.last(),
            Some(Problem::TooManyElements {
                elements: u64::MAX,
                ..
            })
        ),
        "the sizes are right, but the total of 2^21 and u64::MAX should stay u64::MAX (add with saturation) and break the limit: {problems:?}"
    );
}

#[test]
fn negative_dims_and_external_data_are_reported() {
    let mut m = clean_mlp();
    let g = m.graph.as_mut().expect("graph");
    g.initializer.push(init("neg", &[4, -1]));
    let mut ext = init("ext", &[4]);
    ext.data_location = Some(pb::tensor_proto::DataLocation::External as i32);
    ext.external_data = vec![pb::StringStringEntryProto {
        key: "location".into(),
        value: "../../secrets.bin".into(),
    }];
    g.initializer.push(ext);
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::NegativeDim { name: "neg".into() },
            Problem::ExternalData { name: "ext".into() },
        ]),
        "an initializer may only hold its data inside the model"
    );
}

#[test]
fn the_total_size_is_limited_even_when_each_initializer_is_small() {
    let mut policy = Policy::small_mlps();
    policy.max_initializer_elements = 100;
    policy.max_total_elements = 250;
    let m = model(
        vec![opset("", 15)],
        vec![node("Gemm", "")],
        vec![
            init("a", &[10, 10]),
            init("b", &[10, 10]),
            init("c", &[5, 10]),
        ],
    );
    assert_eq!(
        validate(&m, &policy),
        Ok(()),
        "250 elements in total is exactly the limit"
    );
    let m = model(
        vec![opset("", 15)],
        vec![node("Gemm", "")],
        vec![
            init("a", &[10, 10]),
            init("b", &[10, 10]),
            init("c", &[6, 10]),
        ],
    );
    assert_eq!(
        validate(&m, &policy),
        Err(vec![Problem::TooManyElements {
            elements: 260,
            limit: 250
        }])
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let m = model(
        vec![opset("", 7)],
        vec![node("Gemm", ""), node("Scan", "")],
        vec![init("w", &[4096, 4096])],
    );
    let problems = validate(&m, &Policy::small_mlps()).expect_err("three problems");
    assert_eq!(
        problems,
        vec![
            Problem::OpsetOutOfRange {
                version: 7,
                min: 13,
                max: 18
            },
            Problem::OpNotAllowed {
                index: 1,
                op_type: "Scan".into(),
                domain: String::new()
            },
            Problem::InitializerTooLarge {
                name: "w".into(),
                elements: 4096 * 4096,
                limit: 1 << 20
            },
            Problem::TooManyElements {
                elements: 4096 * 4096,
                limit: 1 << 22
            },
        ],
        "collect problems into a Vec and keep going"
    );
}

#[test]
fn a_model_without_a_graph_stops_after_the_opset_checks() {
    let mut m = clean_mlp();
    m.graph = None;
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::NoGraph])
    );
    m.opset_import = vec![opset("", 99)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::OpsetOutOfRange {
                version: 99,
                min: 13,
                max: 18
            },
            Problem::NoGraph
        ])
    );
}

#[test]
fn external_data_is_found_by_either_marker() {
    // tract 0.23.9 (`load_tensor`) and onnx's `uses_external_data` decide by
    // `data_location` alone; a tensor with `external_data` entries still
    // names a file. "No external data" refuses both markers rather than bet
    // on which rule the next reader follows.
    let mut by_location = clean_mlp();
    let mut t = init("by_location", &[4]);
    t.data_location = Some(pb::tensor_proto::DataLocation::External as i32);
    graph(&mut by_location).initializer.push(t);
    assert_eq!(
        validate(&by_location, &Policy::small_mlps()),
        Err(vec![Problem::ExternalData {
            name: "by_location".into()
        }]),
        "an initializer marked only by `data_location = EXTERNAL` must be reported"
    );

    let mut by_entries = clean_mlp();
    let mut t = init("by_entries", &[4]);
    t.external_data = vec![pb::StringStringEntryProto {
        key: "location".into(),
        value: "model.onnx.data".into(),
    }];
    graph(&mut by_entries).initializer.push(t);
    assert_eq!(
        validate(&by_entries, &Policy::small_mlps()),
        Err(vec![Problem::ExternalData {
            name: "by_entries".into()
        }]),
        "an initializer marked only by `external_data` entries must be reported"
    );
}

#[test]
fn every_graph_output_is_produced_and_every_input_read() {
    let mut m = clean_mlp();
    graph(&mut m).output = vec![info("nowhere", FLOAT)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::OutputNotProduced {
            name: "nowhere".into()
        }]),
        "a graph output no node produces must be reported (tract 0.23.9 panics on it)"
    );

    let mut m = clean_mlp();
    graph(&mut m).input.push(info("mask", FLOAT));
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::UnusedInput {
            name: "mask".into()
        }]),
        "a graph input no node reads must be reported"
    );

    // The smallest hostile model: an input, an output, no nodes.
    let mut m = model(vec![opset("", 15)], vec![], vec![]);
    graph(&mut m).input = vec![info("x", FLOAT)];
    graph(&mut m).output = vec![info("y", FLOAT)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::OutputNotProduced { name: "y".into() },
            Problem::UnusedInput { name: "x".into() },
        ]),
        "a graph with no nodes: output first, then the unused input"
    );

    // An input that is itself the output is read by the caller: fine.
    graph(&mut m).output = vec![info("x", FLOAT)];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Ok(()),
        "an input passed straight through as the output is used"
    );
}

#[test]
fn every_name_is_defined_once_before_it_is_read() {
    let mut m = clean_mlp();
    graph(&mut m).node.swap(0, 1);
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::UndefinedInput {
            index: 0,
            name: "h".into()
        }]),
        "a node that reads a name defined only later must be reported (nodes come in topological order)"
    );

    let mut m = clean_mlp();
    graph(&mut m).node[1].output = vec!["w2".into()];
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::DuplicateName { name: "w2".into() },
            Problem::UndefinedInput {
                index: 2,
                name: "r".into()
            },
        ]),
        "a node output that reuses an initializer's name must be reported"
    );

    let mut m = clean_mlp();
    graph(&mut m).initializer.push(init("b1", &[16]));
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![Problem::DuplicateName { name: "b1".into() }]),
        "two initializers with one name must be reported"
    );

    // Older exporters list initializers among the inputs too: one value, no problem.
    // An empty input name is an omitted optional input.
    let mut m = clean_mlp();
    graph(&mut m).input.push(info("w1", FLOAT));
    graph(&mut m).node[0].input[2] = String::new();
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Ok(()),
        "an initializer also listed as an input, and an empty optional input, are fine"
    );
}

#[test]
fn only_allowed_element_types_pass() {
    let mut m = clean_mlp();
    let g = graph(&mut m);
    // A STRING tensor kept in raw bytes: tract 0.23.9 panics on it
    // ("not implemented: FIXME, raw tensor loading"), and onnx.checker
    // says STRING data must not be stored in raw_data.
    g.initializer.push(pb::TensorProto {
        name: "words".into(),
        dims: vec![1],
        data_type: pb::tensor_proto::DataType::String as i32,
        raw_data: b"hello".to_vec(),
        ..Default::default()
    });
    g.input[0] = info("x", pb::tensor_proto::DataType::Double as i32);
    g.output[0].r#type = None;
    assert_eq!(
        validate(&m, &Policy::small_mlps()),
        Err(vec![
            Problem::DataTypeNotAllowed {
                name: "words".into(),
                data_type: 8
            },
            Problem::DataTypeNotAllowed {
                name: "x".into(),
                data_type: 11
            },
            Problem::DataTypeNotAllowed {
                name: "y".into(),
                data_type: 0
            },
        ]),
        "element types off the list: the STRING initializer, the DOUBLE input, the untyped output"
    );

    let mut wider = Policy::small_mlps();
    wider.allowed_data_types.extend([
        pb::tensor_proto::DataType::String,
        pb::tensor_proto::DataType::Double,
    ]);
    assert_eq!(
        validate(&m, &wider),
        Err(vec![Problem::DataTypeNotAllowed {
            name: "y".into(),
            data_type: 0
        }]),
        "the element types allowed come from the policy passed in"
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
