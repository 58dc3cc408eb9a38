use super::*;
#[allow(unused_imports)]
use prost::Message as _;
use tract_onnx::pb;
use tract_onnx::pb::tensor_shape_proto::{Dimension, dimension};

fn float_tensor(name: &str, dims: &[i64], values: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.into(),
        dims: dims.to_vec(),
        data_type: 1,
        float_data: values.to_vec(),
        ..Default::default()
    }
}

fn info(name: &str, features: i64) -> pb::ValueInfoProto {
    let dim = vec![
        Dimension {
            value: Some(dimension::Value::DimParam("batch".into())),
            ..Default::default()
        },
        Dimension {
            value: Some(dimension::Value::DimValue(features)),
            ..Default::default()
        },
    ];
    pb::ValueInfoProto {
        name: name.into(),
        r#type: Some(pb::TypeProto {
            value: Some(pb::type_proto::Value::TensorType(pb::type_proto::Tensor {
                elem_type: 1,
                shape: Some(pb::TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn gemm(input: &str, w: &str, b: &str, output: &str) -> pb::NodeProto {
    pb::NodeProto {
        op_type: "Gemm".into(),
        input: vec![input.into(), w.into(), b.into()],
        output: vec![output.into()],
        attribute: vec![pb::AttributeProto {
            name: "transB".into(),
            r#type: 2,
            i: 1,
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn node(op_type: &str, inputs: &[&str], output: &str) -> pb::NodeProto {
    pb::NodeProto {
        op_type: op_type.into(),
        input: inputs.iter().map(|&i| i.to_owned()).collect(),
        output: vec![output.into()],
        ..Default::default()
    }
}

/// A FLOAT value of fixed shape `dims`.
fn fixed_info(name: &str, dims: &[i64]) -> pb::ValueInfoProto {
    let mut info = info(name, 1);
    if let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(t)),
        ..
    }) = &mut info.r#type
    {
        t.shape = Some(pb::TensorShapeProto {
            dim: dims
                .iter()
                .map(|&d| Dimension {
                    value: Some(dimension::Value::DimValue(d)),
                    ..Default::default()
                })
                .collect(),
        });
    }
    info
}

/// One model around `nodes`: opset 15, input `x`, output `y`.
fn model_of(
    nodes: Vec<pb::NodeProto>,
    initializer: Vec<pb::TensorProto>,
    input: pb::ValueInfoProto,
) -> pb::ModelProto {
    pb::ModelProto {
        ir_version: 8,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: 15,
        }],
        graph: Some(pb::GraphProto {
            node: nodes,
            initializer,
            input: vec![input],
            output: vec![info("y", 1)],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Weights of shapes `[n, 1]` and `[1, n]` (2n floats), combined by `op`
/// into an `[n, n]` value, then added to a `[1, 1]` input. Every check of
/// `validate` passes for n up to 2^20; tract computes the `[n, n]` value
/// while optimising (constant folding), before anything runs.
fn outer_product_bomb(op: &str, n: i64) -> Vec<u8> {
    let count = usize::try_from(n).expect("n fits");
    model_of(
        vec![node(op, &["a", "b"], "h"), node("Add", &["x", "h"], "y")],
        vec![
            float_tensor("a", &[n, 1], &vec![0.5; count]),
            float_tensor("b", &[1, n], &vec![0.5; count]),
        ],
        fixed_info("x", &[1, 1]),
    )
    .encode_to_vec()
}

fn over_budget(got: &Result<Plan, LoadError>) -> Option<&BudgetError> {
    match got {
        Err(LoadError::OverBudget(e)) => Some(e),
        _ => None,
    }
}

/// 2 -> 3 -> 1 MLP: hidden = relu([x0, x1, x0 - x1] + [0, 0, -1]), y = sum(hidden) + 0.5
fn mlp_model() -> pb::ModelProto {
    let relu = pb::NodeProto {
        op_type: "Relu".into(),
        input: vec!["h".into()],
        output: vec!["r".into()],
        ..Default::default()
    };
    pb::ModelProto {
        ir_version: 8,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: 15,
        }],
        graph: Some(pb::GraphProto {
            node: vec![gemm("x", "w1", "b1", "h"), relu, gemm("r", "w2", "b2", "y")],
            initializer: vec![
                float_tensor("w1", &[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, -1.0]),
                float_tensor("b1", &[3], &[0.0, 0.0, -1.0]),
                float_tensor("w2", &[1, 3], &[1.0, 1.0, 1.0]),
                float_tensor("b2", &[1], &[0.5]),
            ],
            input: vec![info("x", 2)],
            output: vec![info("y", 1)],
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn expected(x: &[f32]) -> Vec<f32> {
    x.chunks(2)
        .map(|r| r[0].max(0.0) + r[1].max(0.0) + (r[0] - r[1] - 1.0).max(0.0) + 0.5)
        .collect()
}

/// Runs `f` on a thread of its own. The harness shows a test's first panic,
/// and a panic that a guard caught still counts as one: isolated, a caught
/// panic stays out of the test's report, and one nothing caught is named.
fn isolated<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(value) => value,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            panic!("a panic escaped the loader (nothing caught it): {why}")
        }
    })
}

/// A result for a failure message: a plan's own `Debug` is pages long.
fn shown(got: &Result<Plan, LoadError>) -> String {
    match got {
        Ok(_) => "Ok(a runnable plan)".to_owned(),
        Err(e) => format!("Err({e:?})"),
    }
}

fn load(bytes: &[u8], policy: &Policy) -> Result<Plan, LoadError> {
    isolated(|| load_untrusted(bytes, policy))
}

fn load_file(path: &std::path::Path, policy: &Policy) -> Result<Plan, LoadError> {
    isolated(|| load_untrusted_file(path, policy))
}

fn policy() -> Policy {
    Policy::small_mlps()
}

#[test]
fn a_valid_model_loads_and_runs_several_batch_sizes() {
    draw_model(&mlp_model());
    let plan = load(&mlp_model().encode_to_vec(), &policy()).expect("a valid model loads");
    for x in [vec![1.0, 2.0], vec![3.0, 0.5, -1.0, -2.0, 0.0, 4.0]] {
        let got = run(&plan, &x, x.len() / 2, 2).expect("runs");
        let want = expected(&x);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 1e-5, "got {got:?}, want {want:?}");
        }
    }
}

#[test]
fn bytes_over_the_limit_are_too_big_before_any_decoding() {
    let mut p = policy();
    p.max_model_bytes = 64;
    let garbage = vec![0xff; 65];
    assert!(
        matches!(load(&garbage, &p), Err(LoadError::TooBig { limit: 64 })),
        "check the length first: garbage that is too long is TooBig, not Decode"
    );
    let bytes = mlp_model().encode_to_vec();
    p.max_model_bytes = bytes.len();
    assert!(
        load(&bytes, &p).is_ok(),
        "exactly max_model_bytes is allowed"
    );
    p.max_model_bytes = bytes.len() - 1;
    assert!(matches!(load(&bytes, &p), Err(LoadError::TooBig { .. })));
}

#[test]
fn garbage_bytes_are_a_decode_error() {
    for bad in [
        &b"\xff\xff\xff\xff"[..],
        b"\x0a\xff\xff\xff\xff\x0f",
        b"\x08",
    ] {
        let got = load(bad, &policy());
        assert!(
            matches!(got, Err(LoadError::Decode(_))),
            "{bad:?} is not protobuf: got {}",
            shown(&got)
        );
    }
}

#[test]
fn models_that_break_the_policy_are_rejected_with_the_problems() {
    let mut m = mlp_model();
    m.opset_import[0].version = 7;
    m.graph.as_mut().expect("graph").node[1].op_type = "Loop".into();
    match load(&m.encode_to_vec(), &policy()) {
        Err(LoadError::Rejected(problems)) => {
            assert!(
                problems.contains(&Problem::OpsetOutOfRange {
                    version: 7,
                    min: 13,
                    max: 18
                }),
                "{problems:?}"
            );
            assert!(
                problems
                    .iter()
                    .any(|p| matches!(p, Problem::OpNotAllowed { index: 1, .. })),
                "{problems:?}"
            );
        }
        other => panic!("expected Rejected, got {}", shown(&other)),
    }
}

#[test]
fn empty_bytes_decode_to_a_model_with_no_graph_which_is_rejected() {
    match load(&[], &policy()) {
        Err(LoadError::Rejected(problems)) => {
            assert!(problems.contains(&Problem::NoGraph), "{problems:?}");
        }
        other => panic!(
            "an empty protobuf is a valid, empty ModelProto: expected Rejected, got {}",
            shown(&other)
        ),
    }
}

#[test]
fn the_interface_must_be_one_input_and_one_output() {
    // A second real input, read by the graph (an unread one is rejected by `validate`).
    let mut m = mlp_model();
    let g = m.graph.as_mut().expect("graph");
    g.input.push(info("extra", 2));
    g.node.insert(0, node("Add", &["x", "extra"], "x2"));
    g.node[1].input[0] = "x2".into();
    assert!(
        matches!(
            load(&m.encode_to_vec(), &policy()),
            Err(LoadError::Interface {
                inputs: 2,
                outputs: 1
            })
        ),
        "two real inputs"
    );

    let mut m = mlp_model();
    m.graph.as_mut().expect("graph").output.push(info("h", 3));
    assert!(
        matches!(
            load(&m.encode_to_vec(), &policy()),
            Err(LoadError::Interface {
                inputs: 1,
                outputs: 2
            })
        ),
        "two outputs"
    );

    // Old exporters also list initializers as inputs: those do not count.
    let mut m = mlp_model();
    m.graph.as_mut().expect("graph").input.push(info("w1", 2));
    assert!(
        load(&m.encode_to_vec(), &policy()).is_ok(),
        "an initializer listed as input is not a real input"
    );
}

#[test]
fn a_model_tract_cannot_prepare_is_a_tract_error() {
    // Passes the policy and the budget (the dims are fine), but the weight
    // declared 3x2 holds 5 values: tract 0.23.9 refuses it with an error
    // ("out of bounds indexing").
    let mut m = mlp_model();
    m.graph.as_mut().expect("graph").initializer[0] = float_tensor("w1", &[3, 2], &[0.0; 5]);
    let got = load(&m.encode_to_vec(), &policy());
    assert!(
        matches!(got, Err(LoadError::Tract(_))),
        "a model tract refuses must be LoadError::Tract, got {}",
        shown(&got)
    );
}

#[test]
fn read_capped_stops_at_the_limit_even_on_an_endless_reader() {
    // A read that never stops never returns here (the runner reports "did
    // not finish" or the memory it asked for); a read that stops AT the
    // limit returns, but cannot tell a stream of exactly the limit from a
    // longer one. Each has its own words below.
    let got: Result<Vec<u8>, LoadError> = read_capped(std::io::repeat(7), 1000);
    if let Ok(bytes) = &got {
        panic!(
            "an endless stream came back Ok with {} bytes under a limit of 1000: reading stopped at the limit, so nothing showed there was more; read one byte past it",
            bytes.len()
        );
    }
    assert!(
        matches!(got, Err(LoadError::TooBig { limit: 1000 })),
        "an endless stream is TooBig {{ limit: 1000 }}, got {got:?}"
    );
    let got: Result<Vec<u8>, LoadError> = read_capped(&b"hello!"[..], 5);
    if let Ok(bytes) = &got {
        panic!(
            "6 bytes under a limit of 5 came back Ok with {} bytes: reading stopped at the limit, so nothing showed there was more; read one byte past it",
            bytes.len()
        );
    }
    assert!(
        matches!(got, Err(LoadError::TooBig { limit: 5 })),
        "6 bytes under a limit of 5 are TooBig {{ limit: 5 }}, got {got:?}"
    );
    let got: Result<Vec<u8>, LoadError> = read_capped(&b"hello"[..], 5);
    assert!(
        matches!(&got, Ok(bytes) if bytes == b"hello"),
        "5 bytes fit a limit of 5 exactly and come back whole: got {got:?}"
    );
    let got: Result<Vec<u8>, LoadError> = read_capped(&b""[..], 0);
    assert!(
        matches!(&got, Ok(bytes) if bytes.is_empty()),
        "nothing fits a limit of 0: got {got:?}"
    );
}

#[test]
fn files_are_read_through_the_cap_and_loaded() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("mlp.onnx");
    std::fs::write(&path, mlp_model().encode_to_vec()).expect("write");
    let plan = load_file(&path, &policy()).expect("a valid file loads");
    let got = run(&plan, &[2.0, 1.0], 1, 2).expect("runs");
    assert!(
        (got[0] - 3.5).abs() <= 1e-5,
        "2 + 1 + relu(2 - 1 - 1) + 0.5 = 3.5, got {got:?}"
    );

    let mut p = policy();
    p.max_model_bytes = 10;
    let got: Result<_, LoadError> = load_file(&path, &p);
    assert!(
        matches!(got, Err(LoadError::TooBig { limit: 10 })),
        "a file longer than max_model_bytes (10) is TooBig {{ limit: 10 }}, found while load_untrusted_file reads it through read_capped, got {:?}",
        got.err()
    );
    let got: Result<_, LoadError> = load_file(&dir.path().join("missing.onnx"), &p);
    assert!(
        matches!(got, Err(LoadError::Io(_))),
        "a file that does not exist is LoadError::Io, got {:?}",
        got.err()
    );
}

#[test]
fn a_graph_output_nothing_produces_is_rejected_not_a_panic() {
    // 55 bytes. tract 0.23.9 panics on it ("no entry found for key").
    let model = model_of(vec![], vec![], fixed_info("x", &[1, 1]));
    draw_model(&model);
    let bytes = model.encode_to_vec();
    let got = load(&bytes, &policy());
    match &got {
        Err(LoadError::Rejected(problems)) => assert!(
            problems.contains(&Problem::OutputNotProduced { name: "y".into() }),
            "rejected, but without OutputNotProduced: {problems:?}"
        ),
        other => {
            panic!(
                "a graph output nothing produces must be Rejected by `validate`, got {}",
                shown(other)
            )
        }
    }
}

#[test]
fn a_string_tensor_in_raw_bytes_is_rejected_not_a_panic() {
    // tract 0.23.9 panics on it: "not implemented: FIXME, raw tensor loading".
    let words = pb::TensorProto {
        name: "words".into(),
        dims: vec![1, 1],
        data_type: pb::tensor_proto::DataType::String as i32,
        raw_data: b"hello".to_vec(),
        ..Default::default()
    };
    let m = model_of(
        vec![node("Add", &["x", "words"], "y")],
        vec![words],
        fixed_info("x", &[1, 1]),
    );
    let got = load(&m.encode_to_vec(), &policy());
    match &got {
        Err(LoadError::Rejected(problems)) => assert!(
            problems
                .iter()
                .any(|p| matches!(p, Problem::DataTypeNotAllowed { name, .. } if name == "words")),
            "rejected, but without DataTypeNotAllowed for `words`: {problems:?}"
        ),
        other => panic!(
            "a STRING initializer must be Rejected by `validate`, got {}",
            shown(other)
        ),
    }
}

#[test]
fn a_value_of_exactly_the_limit_is_within_budget() {
    // [2^11, 1] and [1, 2^11] make a value of 2^22 elements: exactly
    // `max_value_elements`, the most a value may hold.
    let policy = policy();
    assert_eq!(policy.max_value_elements, 1 << 22);
    let got = load(&outer_product_bomb("Add", 1 << 11), &policy);
    assert!(
        over_budget(&got).is_none(),
        "a value of exactly max_value_elements (2^22) is within the limit, got {}",
        shown(&got)
    );
}

#[test]
fn broadcasting_two_small_weights_into_4_gib_is_over_budget() {
    // 262 KB of model; the [32768, 32768] result is 2^30 floats, 4 GiB.
    for op in ["Add", "MatMul"] {
        let bytes = outer_product_bomb(op, 1 << 15);
        let got = load(&bytes, &policy());
        if let Err(LoadError::Panicked(why)) = &got {
            panic!(
                "{op}: tract was handed the model and panicked ({why}); the budget must refuse it before tract allocates anything"
            );
        }
        assert_eq!(
            over_budget(&got),
            Some(&BudgetError::TooLarge {
                name: "h".into(),
                elements: 1 << 30,
                limit: 1 << 22
            }),
            "{op} of [2^15, 1] and [1, 2^15]: the intermediate value `h` is over budget, got {}",
            shown(&got)
        );
    }
}

#[test]
fn a_result_of_4_tib_is_over_budget_before_tract_sees_it() {
    // Each weight holds 2^20 values, exactly the per-initializer limit; their
    // product is 2^40 floats (4 TiB). Sizes are products of u64s: saturate.
    for op in ["Add", "MatMul"] {
        let bytes = outer_product_bomb(op, 1 << 20);
        let got = load(&bytes, &policy());
        if let Err(LoadError::Panicked(why)) = &got {
            panic!(
                "{op}: tract was handed the model and panicked ({why}); the budget must refuse it before tract allocates anything"
            );
        }
        assert_eq!(
            over_budget(&got),
            Some(&BudgetError::TooLarge {
                name: "h".into(),
                elements: 1 << 40,
                limit: 1 << 22
            }),
            "{op} of [2^20, 1] and [1, 2^20]: the intermediate value `h` is over budget, got {}",
            shown(&got)
        );
    }
}

#[test]
fn a_symbolic_batch_counts_as_the_largest_batch_allowed() {
    // y = x + b with x [batch, 1] and b [1, 32768]: y is [batch, 32768].
    let model = || {
        model_of(
            vec![node("Add", &["x", "b"], "y")],
            vec![float_tensor("b", &[1, 1 << 15], &vec![0.25; 1 << 15])],
            info("x", 1),
        )
        .encode_to_vec()
    };
    let got = load(&model(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::TooLarge {
            name: "y".into(),
            elements: 1024 << 15,
            limit: 1 << 22
        }),
        "with `batch` counted as max_batch (1024), y holds 2^25 values: over budget, got {}",
        shown(&got)
    );
    let mut small = policy();
    small.max_batch = 64;
    let plan = load(&model(), &small)
        .expect("with max_batch 64, y holds 2^21 values: within budget, and the model loads");
    let got = run(&plan, &[1.0, 2.0], 2, 1).expect("a batch of 2 runs");
    assert_eq!(got.len(), 2 << 15, "y is [2, 32768]");

    // A dimension nobody named (neither a value nor a symbol, as skl2onnx
    // writes the batch) counts the same way.
    let mut unnamed = info("x", 1);
    if let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(t)),
        ..
    }) = &mut unnamed.r#type
    {
        if let Some(shape) = t.shape.as_mut() {
            shape.dim[0].value = None;
        }
    }
    let m = model_of(
        vec![node("Add", &["x", "b"], "y")],
        vec![float_tensor("b", &[1, 1 << 15], &vec![0.25; 1 << 15])],
        unnamed,
    );
    let got = load(&m.encode_to_vec(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::TooLarge {
            name: "y".into(),
            elements: 1024 << 15,
            limit: 1 << 22
        }),
        "an unknown dimension (no value, no name) counts as max_batch too, got {}",
        shown(&got)
    );

    // The declared input shape counts too.
    let huge = model_of(
        vec![node("Relu", &["x"], "y")],
        vec![],
        fixed_info("x", &[1 << 40, 1 << 40]),
    );
    let got = load(&huge.encode_to_vec(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::TooLarge {
            name: "x".into(),
            elements: u64::MAX,
            limit: 1 << 22
        }),
        "an input declared [2^40, 2^40] is over budget (its size saturates at u64::MAX), got {}",
        shown(&got)
    );
}

#[test]
fn shapes_the_budget_cannot_work_out_are_refused() {
    // MatMul with a rank-0 weight: tract 0.23.9 panics ("index exceeds length").
    let scalar = model_of(
        vec![node("MatMul", &["x", "w"], "y")],
        vec![float_tensor("w", &[], &[2.0])],
        fixed_info("x", &[1, 2]),
    );
    let got = load(&scalar.encode_to_vec(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::ShapesDoNotFit {
            index: 0,
            op_type: "MatMul".into()
        }),
        "MatMul needs operands of rank 1 or more: a rank-0 weight does not fit, got {}",
        shown(&got)
    );

    // Gemm whose inner dimensions differ: 2 features against a 3x5 weight.
    let mut m = mlp_model();
    m.graph.as_mut().expect("graph").initializer[0] = float_tensor("w1", &[3, 5], &[0.0; 15]);
    let got = load(&m.encode_to_vec(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::ShapesDoNotFit {
            index: 0,
            op_type: "Gemm".into()
        }),
        "Gemm of [batch, 2] and a transposed [3, 5] weight: the inner dims differ, got {}",
        shown(&got)
    );

    // An input without a declared shape cannot be sized.
    let mut x = info("x", 1);
    if let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(t)),
        ..
    }) = &mut x.r#type
    {
        t.shape = None;
    }
    let m = model_of(vec![node("Relu", &["x"], "y")], vec![], x);
    let got = load(&m.encode_to_vec(), &policy());
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::UnknownShape { name: "x".into() }),
        "an input with no declared shape is UnknownShape, got {}",
        shown(&got)
    );

    // An op the policy allows but the budget has no rule for.
    let mut wider = policy();
    wider.allowed_ops.push("Softmax".into());
    let m = model_of(
        vec![node("Softmax", &["x"], "y")],
        vec![],
        fixed_info("x", &[1, 2]),
    );
    let got = load(&m.encode_to_vec(), &wider);
    assert_eq!(
        over_budget(&got),
        Some(&BudgetError::NoShapeRule {
            index: 0,
            op_type: "Softmax".into()
        }),
        "an allowed op without a shape rule cannot be sized: NoShapeRule, got {}",
        shown(&got)
    );
}

#[test]
fn guarded_turns_a_panic_into_a_typed_error() {
    let got: Result<u8, LoadError> = isolated(|| guarded(|| panic!("boom in tract")));
    match got {
        Err(LoadError::Panicked(why)) => assert!(
            why.contains("boom in tract"),
            "Panicked must carry the panic's message, got {why:?}"
        ),
        other => {
            panic!("a panic inside the step must come back as LoadError::Panicked, got {other:?}")
        }
    }
    let got: Result<u8, LoadError> = isolated(|| {
        // A value known only at run time: the payload is then a `String`.
        let n = std::hint::black_box(42);
        guarded(move || panic!("{n} formatted"))
    });
    assert!(
        matches!(&got, Err(LoadError::Panicked(why)) if why.contains("42 formatted")),
        "a formatted panic message is a String payload, not a &str: got {got:?}"
    );
    let got: Result<u8, LoadError> = guarded(|| Err(TractError::msg("no such op")));
    assert!(
        matches!(&got, Err(LoadError::Tract(why)) if why.contains("no such op")),
        "an error from the step is LoadError::Tract with its message, got {got:?}"
    );
    let got: Result<u8, LoadError> = guarded(|| Ok(7));
    assert!(
        matches!(got, Ok(7)),
        "a step that succeeds returns its value"
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
