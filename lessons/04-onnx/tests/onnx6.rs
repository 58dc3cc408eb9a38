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

fn policy() -> Policy {
    Policy::small_mlps()
}

#[test]
fn a_valid_model_loads_and_runs_several_batch_sizes() {
    let plan =
        load_untrusted(&mlp_model().encode_to_vec(), &policy()).expect("a valid model loads");
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
        matches!(
            load_untrusted(&garbage, &p),
            Err(LoadError::TooBig { limit: 64 })
        ),
        "check the length first: garbage that is too long is TooBig, not Decode"
    );
    let bytes = mlp_model().encode_to_vec();
    p.max_model_bytes = bytes.len();
    assert!(
        load_untrusted(&bytes, &p).is_ok(),
        "exactly max_model_bytes is allowed"
    );
    p.max_model_bytes = bytes.len() - 1;
    assert!(matches!(
        load_untrusted(&bytes, &p),
        Err(LoadError::TooBig { .. })
    ));
}

#[test]
fn garbage_bytes_are_a_decode_error() {
    for bad in [
        &b"\xff\xff\xff\xff"[..],
        b"\x0a\xff\xff\xff\xff\x0f",
        b"\x08",
    ] {
        let got = load_untrusted(bad, &policy());
        assert!(
            matches!(got, Err(LoadError::Decode(_))),
            "{bad:?} is not protobuf: got {got:?}"
        );
    }
}

#[test]
fn models_that_break_the_policy_are_rejected_with_the_problems() {
    let mut m = mlp_model();
    m.opset_import[0].version = 7;
    m.graph.as_mut().expect("graph").node[1].op_type = "Loop".into();
    match load_untrusted(&m.encode_to_vec(), &policy()) {
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
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[test]
fn empty_bytes_decode_to_a_model_with_no_graph_which_is_rejected() {
    match load_untrusted(&[], &policy()) {
        Err(LoadError::Rejected(problems)) => {
            assert!(problems.contains(&Problem::NoGraph), "{problems:?}");
        }
        other => panic!(
            "an empty protobuf is a valid, empty ModelProto: expected Rejected, got {other:?}"
        ),
    }
}

#[test]
fn the_interface_must_be_one_input_and_one_output() {
    let mut m = mlp_model();
    m.graph
        .as_mut()
        .expect("graph")
        .input
        .push(info("extra", 2));
    assert!(
        matches!(
            load_untrusted(&m.encode_to_vec(), &policy()),
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
            load_untrusted(&m.encode_to_vec(), &policy()),
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
        load_untrusted(&m.encode_to_vec(), &policy()).is_ok(),
        "an initializer listed as input is not a real input"
    );
}

#[test]
fn a_model_tract_cannot_prepare_is_a_tract_error() {
    // Passes the policy, but the first weight is 3x5 while the input has 2 features.
    let mut m = mlp_model();
    m.graph.as_mut().expect("graph").initializer[0] = float_tensor("w1", &[3, 5], &[0.0; 15]);
    let got = load_untrusted(&m.encode_to_vec(), &policy());
    assert!(matches!(got, Err(LoadError::Tract(_))), "got {got:?}");
}

#[test]
fn read_capped_stops_at_the_limit_even_on_an_endless_reader() {
    let got = read_capped(std::io::repeat(7), 1000);
    assert!(
        matches!(got, Err(LoadError::TooBig { limit: 1000 })),
        "an endless stream must not be read to the end"
    );
    assert_eq!(
        read_capped(&b"hello"[..], 5).expect("5 bytes fit in 5"),
        b"hello".to_vec()
    );
    assert!(matches!(
        read_capped(&b"hello!"[..], 5),
        Err(LoadError::TooBig { limit: 5 })
    ));
    assert_eq!(
        read_capped(&b""[..], 0).expect("nothing fits in 0").len(),
        0
    );
}

#[test]
fn files_are_read_through_the_cap_and_loaded() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("mlp.onnx");
    std::fs::write(&path, mlp_model().encode_to_vec()).expect("write");
    let plan = load_untrusted_file(&path, &policy()).expect("a valid file loads");
    let got = run(&plan, &[2.0, 1.0], 1, 2).expect("runs");
    assert!(
        (got[0] - 3.5).abs() <= 1e-5,
        "2 + 1 + relu(2 - 1 - 1) + 0.5 = 3.5, got {got:?}"
    );

    let mut p = policy();
    p.max_model_bytes = 10;
    assert!(matches!(
        load_untrusted_file(&path, &p),
        Err(LoadError::TooBig { limit: 10 })
    ));
    assert!(matches!(
        load_untrusted_file(&dir.path().join("missing.onnx"), &p),
        Err(LoadError::Io(_))
    ));
}
