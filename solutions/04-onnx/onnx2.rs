//! Describe a linear layer as an ONNX graph, by hand.
//!
//! Fill in `float_tensor`, `float_info` and `linear_model` so that a `Linear`
//! becomes a `ModelProto`: one `Gemm` node, opset 15, an input named `input`,
//! an output named `output`, and the weights stored as initializers.
//! `to_onnx_bytes` then encodes it with prost.

use prost::Message;
use tract_onnx::pb;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::tensor_shape_proto::{Dimension, dimension};

/// The ONNX operator set the graph is written against.
pub const OPSET: i64 = 15;
/// The IR (file format) version that goes with opset 15.
pub const IR_VERSION: i64 = 8;
/// Name of the graph input.
pub const INPUT: &str = "input";
/// Name of the graph output.
pub const OUTPUT: &str = "output";

/// `y = x · Wᵀ + b`, with `weight` stored `out_features x in_features`, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub in_features: usize,
    pub out_features: usize,
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

impl Linear {
    /// Runs the layer on `input`, which holds whole rows of `in_features` values.
    #[must_use]
    pub fn forward(&self, input: &[f32]) -> Vec<f32> {
        input
            .chunks_exact(self.in_features)
            .flat_map(|x| {
                self.weight
                    .chunks_exact(self.in_features)
                    .zip(&self.bias)
                    .map(move |(w, b)| b + w.iter().zip(x).map(|(w, x)| w * x).sum::<f32>())
            })
            .collect()
    }
}

fn to_i64(dims: &[usize]) -> Vec<i64> {
    dims.iter()
        .map(|&d| i64::try_from(d).expect("dimension fits in i64"))
        .collect()
}

/// A named `FLOAT` tensor with these dims and values, ready to be an initializer.
#[must_use]
pub fn float_tensor(name: &str, dims: &[usize], values: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.to_owned(),
        dims: to_i64(dims),
        data_type: DataType::Float as i32,
        float_data: values.to_vec(),
        ..Default::default()
    }
}

/// Declares a graph input or output: a `FLOAT` tensor of fixed shape `dims`.
#[must_use]
pub fn float_info(name: &str, dims: &[usize]) -> pb::ValueInfoProto {
    let dim = to_i64(dims)
        .into_iter()
        .map(|d| Dimension {
            value: Some(dimension::Value::DimValue(d)),
            ..Default::default()
        })
        .collect();
    pb::ValueInfoProto {
        name: name.to_owned(),
        r#type: Some(pb::TypeProto {
            value: Some(pb::type_proto::Value::TensorType(pb::type_proto::Tensor {
                elem_type: DataType::Float as i32,
                shape: Some(pb::TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The layer as a one-node ONNX model taking `batch x in_features` inputs.
#[must_use]
pub fn linear_model(layer: &Linear, batch: usize) -> pb::ModelProto {
    let gemm = pb::NodeProto {
        name: "linear".into(),
        op_type: "Gemm".into(),
        input: vec![INPUT.into(), "linear.weight".into(), "linear.bias".into()],
        output: vec![OUTPUT.into()],
        // Our weight is out x in, so Gemm must transpose it: y = x · Wᵀ + b.
        attribute: vec![pb::AttributeProto {
            name: "transB".into(),
            r#type: pb::attribute_proto::AttributeType::Int as i32,
            i: 1,
            ..Default::default()
        }],
        ..Default::default()
    };
    let graph = pb::GraphProto {
        name: "linear".into(),
        node: vec![gemm],
        initializer: vec![
            float_tensor(
                "linear.weight",
                &[layer.out_features, layer.in_features],
                &layer.weight,
            ),
            float_tensor("linear.bias", &[layer.out_features], &layer.bias),
        ],
        // Only the real input: initializers are constants, not inputs.
        input: vec![float_info(INPUT, &[batch, layer.in_features])],
        output: vec![float_info(OUTPUT, &[batch, layer.out_features])],
        ..Default::default()
    };
    pb::ModelProto {
        ir_version: IR_VERSION,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: OPSET,
        }],
        producer_name: "tensorlings".into(),
        graph: Some(graph),
        ..Default::default()
    }
}

/// The model's protobuf bytes: what would be written to a `.onnx` file.
#[must_use]
pub fn to_onnx_bytes(layer: &Linear, batch: usize) -> Vec<u8> {
    linear_model(layer, batch).encode_to_vec()
}
