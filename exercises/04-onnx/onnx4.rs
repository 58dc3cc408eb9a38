//! Export a two-layer MLP (Gemm -> Relu -> Gemm) whose batch size is chosen at run time.
//!
//! Write `batch_info` (a tensor type whose first dimension is the symbol
//! `batch`) and `export_mlp`, which checks the layers fit together and then
//! builds the graph. One loaded model must then serve batches of 1, 3 or 7 rows.

use thiserror::Error;
use tract_onnx::pb;
use tract_onnx::pb::tensor_proto::DataType;
#[allow(unused_imports)]
use tract_onnx::pb::tensor_shape_proto::{Dimension, dimension};
use tract_onnx::prelude::*;

/// The name of the symbolic batch dimension.
pub const BATCH: &str = "batch";
/// Name of the graph input.
pub const INPUT: &str = "input";
/// Name of the graph output.
pub const OUTPUT: &str = "output";

/// A loaded, optimised model, ready to run many times.
pub type Plan = Arc<TypedRunnableModel>;

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

/// `output(relu(hidden(x)))`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    pub hidden: Linear,
    pub output: Linear,
}

impl Mlp {
    /// The reference forward pass, in plain Rust.
    #[must_use]
    pub fn forward(&self, input: &[f32]) -> Vec<f32> {
        let h: Vec<f32> = self
            .hidden
            .forward(input)
            .into_iter()
            .map(|v| v.max(0.0))
            .collect();
        self.output.forward(&h)
    }
}

/// Why an `Mlp` cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error("hidden layer gives {hidden_out} features but the output layer takes {output_in}")]
    LayersDoNotChain { hidden_out: usize, output_in: usize },
    #[error("layer `{layer}` {what} has {got} values, its shape needs {expected}")]
    WrongParameterCount {
        layer: &'static str,
        what: &'static str,
        expected: usize,
        got: usize,
    },
}

fn to_i64(d: usize) -> i64 {
    i64::try_from(d).expect("dimension fits in i64")
}

#[allow(dead_code)]
fn float_tensor(name: &str, dims: &[usize], values: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.to_owned(),
        dims: dims.iter().map(|&d| to_i64(d)).collect(),
        data_type: DataType::Float as i32,
        float_data: values.to_vec(),
        ..Default::default()
    }
}

#[allow(dead_code)]
fn gemm_node(name: &str, input: &str, weight: &str, bias: &str, output: &str) -> pb::NodeProto {
    pb::NodeProto {
        name: name.into(),
        op_type: "Gemm".into(),
        input: vec![input.into(), weight.into(), bias.into()],
        output: vec![output.into()],
        attribute: vec![pb::AttributeProto {
            name: "transB".into(),
            r#type: pb::attribute_proto::AttributeType::Int as i32,
            i: 1,
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// A `FLOAT` tensor of shape `[batch, features]`, where `batch` is the symbol `BATCH`.
#[must_use]
pub fn batch_info(name: &str, features: usize) -> pb::ValueInfoProto {
    // TODO: like a fixed-shape ValueInfoProto, but dim 0 is
    // `Dimension { value: Some(dimension::Value::DimParam(BATCH.into())), .. }`
    // and dim 1 is a DimValue of `features`. elem_type is FLOAT.
    let _ = (name, features);
    todo!()
}

/// Builds `input -> Gemm -> Relu -> Gemm -> output` with a dynamic batch dimension.
///
/// # Errors
/// If a layer's parameters do not match its shape (hidden checked first, weight
/// before bias), or the hidden layer's outputs do not match the output layer's inputs.
pub fn export_mlp(mlp: &Mlp) -> Result<pb::ModelProto, ExportError> {
    // TODO 1: check hidden (weight, then bias), then output, then that
    //         hidden.out_features == output.in_features. Return the matching ExportError.
    // TODO 2: nodes, in order: gemm_node(...) for `hidden`, a "Relu" NodeProto,
    //         gemm_node(...) for `output`. Wire them by tensor names; the first reads
    //         INPUT, the last writes OUTPUT. Give each layer its OWN initializer names.
    // TODO 3: four initializers (float_tensor), input/output from `batch_info`,
    //         ir_version 8, opset_import domain "" version 15, and a name for
    //         the graph (the ONNX checker refuses an empty one). Every node gets a
    //         name of its own (errors name a node by it).
    let _ = mlp;
    todo!()
}

/// Loads a model proto into a runnable plan.
///
/// # Errors
/// If tract cannot load or optimise the model.
pub fn load(model: &pb::ModelProto) -> TractResult<Plan> {
    tract_onnx::onnx()
        .model_for_proto_model(model)?
        .into_optimized()?
        .into_runnable()
}

/// Runs `plan` on `batch` rows of `features` values; returns the first output, flattened.
///
/// # Errors
/// If `input` does not hold `batch * features` values, or the model rejects the shape.
pub fn run(plan: &Plan, input: &[f32], batch: usize, features: usize) -> TractResult<Vec<f32>> {
    let x = Tensor::from_shape(&[batch, features], input)?;
    let outputs = plan.run(tvec!(x.into()))?;
    let first = outputs
        .first()
        .ok_or_else(|| TractError::msg("the model returned no output"))?;
    Ok(first
        .to_plain_array_view::<f32>()?
        .iter()
        .copied()
        .collect())
}
