//! Describe a linear layer as an ONNX graph, by hand.
//!
//! Fill in `float_tensor`, `float_info` and `linear_model` so that a `Linear`
//! becomes a `ModelProto`: one `Gemm` node, opset 15, an input named `input`,
//! an output named `output`, and the weights stored as initializers.
//! `to_onnx_bytes` then encodes it with prost.

#[allow(unused_imports)]
use prost::Message;
use tract_onnx::pb;
#[allow(unused_imports)]
use tract_onnx::pb::tensor_proto::DataType;
#[allow(unused_imports)]
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

#[allow(dead_code)]
fn to_i64(dims: &[usize]) -> Vec<i64> {
    dims.iter()
        .map(|&d| i64::try_from(d).expect("dimension fits in i64"))
        .collect()
}

/// A named `FLOAT` tensor with these dims and values, ready to be an initializer.
#[must_use]
pub fn float_tensor(name: &str, dims: &[usize], values: &[f32]) -> pb::TensorProto {
    // TODO: a pb::TensorProto with this name, dims (as i64, see `to_i64`),
    // data_type FLOAT (`DataType::Float as i32`) and the values in `float_data`.
    // Fill the rest with `..Default::default()`.
    let _ = (name, dims, values);
    todo!()
}

/// Declares a graph input or output: a `FLOAT` tensor of fixed shape `dims`.
#[must_use]
pub fn float_info(name: &str, dims: &[usize]) -> pb::ValueInfoProto {
    // TODO: a pb::ValueInfoProto named `name` whose type is a tensor of
    // elem_type FLOAT with one `Dimension` (a `DimValue`) per entry of `dims`.
    let _ = (name, dims);
    todo!()
}

/// The layer as a one-node ONNX model taking `batch x in_features` inputs.
#[must_use]
pub fn linear_model(layer: &Linear, batch: usize) -> pb::ModelProto {
    // TODO: one "Gemm" node with inputs [INPUT, <weight name>, <bias name>],
    // output [OUTPUT] and the INT attribute transB = 1 (our weight is out x in).
    // The weight and bias go in `initializer` (use `float_tensor`), NOT in `input`.
    // Declare the input (batch x in) and output (batch x out) with `float_info`.
    // The model needs ir_version IR_VERSION and an opset_import for domain "" at OPSET,
    // and the graph a name (the ONNX checker refuses an empty one); name the node too
    // (errors name a node by it).
    let _ = (layer, batch);
    todo!()
}

/// The model's protobuf bytes: what would be written to a `.onnx` file.
#[must_use]
pub fn to_onnx_bytes(layer: &Linear, batch: usize) -> Vec<u8> {
    // TODO: encode `linear_model(layer, batch)` with prost.
    let _ = (layer, batch);
    todo!()
}
