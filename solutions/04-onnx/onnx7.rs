//! Load models that real exporters wrote, and check tract against the
//! exporter's own runtime.
//!
//! The hidden tests hand you three files made by `lessons/04-onnx/models/export.py`,
//! with onnxruntime's outputs for the same inputs:
//!
//! - `mlp_sklearn.onnx`: a scikit-learn MLPRegressor converted by skl2onnx.
//!   Its input is `float[?, 3]`: the batch dimension has neither a value nor
//!   a name, so tract cannot tell its shape ("Source node without a
//!   determined fact") until you give it one with `with_input_fact`. It also
//!   holds a `Cast` (to FLOAT, of a FLOAT input) and a `Reshape` whose shape
//!   is an INT64 initializer: ops a hand-built MLP never needs.
//! - `mlp_torch.onnx`: a PyTorch MLP from `torch.onnx.export` at opset 15,
//!   `Gemm`, `Relu`, `Gemm`, with a named `batch` dimension.
//! - `linear_sklearn.onnx`: a LinearRegression, which skl2onnx writes as one
//!   `LinearRegressor` node of the `ai.onnx.ml` domain (its
//!   `black_op={"LinearRegressor"}` option gives MatMul, Add and Reshape).
//!
//! All three were asked for opset 15. Read what the files say rather than
//! what was asked: skl2onnx treats `target_opset` as a ceiling and stamps
//! the MLP with 14 (the newest version any of its ops needs), and it lists
//! the default domain twice in the linear model's `opset_import`.
//!
//! Write `input_features`, `check_ops` and `load_exported`. `parity` (done)
//! is the combined tolerance from exercise 3.

use std::collections::HashSet;

use prost::Message;
use thiserror::Error;
use tract_onnx::pb;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::tensor_shape_proto::dimension;
use tract_onnx::prelude::*;

/// A loaded, optimised model, ready to run many times.
pub type Plan = Arc<TypedRunnableModel>;

/// Ops this loader runs, all from the default domain. `Cast` and `Reshape`
/// only in the forms `check_ops` describes.
pub const ALLOWED_OPS: &[&str] = &[
    "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "Cast", "Reshape",
];

/// Why an exported model was not loaded.
#[derive(Debug, Error)]
pub enum ExportedError {
    #[error("not an ONNX protobuf: {0}")]
    Decode(#[from] prost::DecodeError),
    #[error("the model has no graph")]
    NoGraph,
    #[error("expected one input and one output, found {inputs} and {outputs}")]
    Interface { inputs: usize, outputs: usize },
    #[error("input `{name}` is not a FLOAT matrix with a fixed number of columns")]
    NotAMatrix { name: String },
    #[error("node {index} uses `{op_type}` (domain `{domain}`), which this loader does not run")]
    OpNotAllowed {
        index: usize,
        op_type: String,
        domain: String,
    },
    #[error("node {index} casts to element type {to}; only FLOAT (1) is accepted")]
    CastNotToFloat { index: usize, to: i64 },
    #[error("node {index} reshapes to `{shape}`, which is not an initializer")]
    ReshapeNotConstant { index: usize, shape: String },
    #[error("tract could not prepare the model: {0}")]
    Tract(String),
}

/// The graph's inputs that are not initializers.
fn real_inputs(graph: &pb::GraphProto) -> Vec<&pb::ValueInfoProto> {
    let initializers: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    graph
        .input
        .iter()
        .filter(|i| !initializers.contains(i.name.as_str()))
        .collect()
}

/// The number of features (columns) of the model's one input.
///
/// The input must be a FLOAT tensor of rank 2 whose second dimension is a
/// fixed positive value. Its first (batch) dimension may be a value, a named
/// symbol (`DimParam`), or unknown (`value: None`, as skl2onnx writes it).
///
/// # Errors
/// `NoGraph`; `Interface` unless there is exactly one real input (not an
/// initializer) and one output; `NotAMatrix` for any other input type.
pub fn input_features(model: &pb::ModelProto) -> Result<usize, ExportedError> {
    let graph = model.graph.as_ref().ok_or(ExportedError::NoGraph)?;
    let inputs = real_inputs(graph);
    let [input] = inputs[..] else {
        return Err(ExportedError::Interface {
            inputs: inputs.len(),
            outputs: graph.output.len(),
        });
    };
    if graph.output.len() != 1 {
        return Err(ExportedError::Interface {
            inputs: 1,
            outputs: graph.output.len(),
        });
    }
    let not_a_matrix = || ExportedError::NotAMatrix {
        name: input.name.clone(),
    };
    let Some(pb::TypeProto {
        value: Some(pb::type_proto::Value::TensorType(tensor)),
        ..
    }) = &input.r#type
    else {
        return Err(not_a_matrix());
    };
    if tensor.elem_type != DataType::Float as i32 {
        return Err(not_a_matrix());
    }
    // No shape at all means the rank is unknown too.
    let dims = &tensor.shape.as_ref().ok_or_else(not_a_matrix)?.dim;
    match dims.as_slice() {
        [_batch, features] => match features.value {
            Some(dimension::Value::DimValue(n)) if n > 0 => {
                usize::try_from(n).map_err(|_| not_a_matrix())
            }
            _ => Err(not_a_matrix()),
        },
        _ => Err(not_a_matrix()),
    }
}

/// Checks every node, in graph order, and returns the first problem:
/// - a node outside the default domain ("" or "ai.onnx") or not in
///   `ALLOWED_OPS` is `OpNotAllowed`;
/// - a `Cast` whose `to` attribute is not FLOAT is `CastNotToFloat` (a
///   missing `to` counts as 0);
/// - a `Reshape` whose second input (the target shape) is not an
///   initializer is `ReshapeNotConstant`: a shape computed at run time
///   could be anything, a constant one can be checked before loading.
///
/// # Errors
/// `NoGraph`, or the first problem found.
pub fn check_ops(model: &pb::ModelProto) -> Result<(), ExportedError> {
    let graph = model.graph.as_ref().ok_or(ExportedError::NoGraph)?;
    let initializers: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    for (index, node) in graph.node.iter().enumerate() {
        let default_domain = node.domain.is_empty() || node.domain == "ai.onnx";
        if !default_domain || !ALLOWED_OPS.contains(&node.op_type.as_str()) {
            return Err(ExportedError::OpNotAllowed {
                index,
                op_type: node.op_type.clone(),
                domain: node.domain.clone(),
            });
        }
        match node.op_type.as_str() {
            "Cast" => {
                let to = node
                    .attribute
                    .iter()
                    .find(|a| a.name == "to")
                    .map_or(0, |a| a.i);
                if to != i64::from(DataType::Float as i32) {
                    return Err(ExportedError::CastNotToFloat { index, to });
                }
            }
            "Reshape" => {
                let shape = node.input.get(1).cloned().unwrap_or_default();
                if !initializers.contains(shape.as_str()) {
                    return Err(ExportedError::ReshapeNotConstant { index, shape });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Decodes `bytes`, runs `check_ops` and `input_features`, then loads the
/// model with tract, telling it the input is `f32` of shape
/// `[batch, features]` with `batch` a symbol, so that one plan serves any
/// number of rows. Returns the plan and the number of features.
///
/// # Errors
/// `Decode`, the errors of `check_ops` and `input_features`, or `Tract`.
pub fn load_exported(bytes: &[u8]) -> Result<(Plan, usize), ExportedError> {
    let model = pb::ModelProto::decode(bytes)?;
    check_ops(&model)?;
    let features = input_features(&model)?;
    let tract = |e: TractError| ExportedError::Tract(format!("{e:#}"));
    let mut graph = tract_onnx::onnx()
        .model_for_proto_model(&model)
        .map_err(tract)?;
    let batch = graph.sym("batch");
    let fact = f32::fact([batch.to_dim(), features.to_dim()]);
    graph.set_input_fact(0, fact.into()).map_err(tract)?;
    let plan = graph
        .into_optimized()
        .and_then(TypedModel::into_runnable)
        .map_err(tract)?;
    Ok((plan, features))
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

/// How close two outputs must be: `|actual - expected| <= atol + rtol * |expected|`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    pub atol: f32,
    pub rtol: f32,
}

impl Tolerance {
    /// `torch.testing.assert_close`'s defaults for float32.
    pub const F32: Tolerance = Tolerance {
        atol: 1e-5,
        rtol: 1.3e-6,
    };
}

/// Why two outputs do not match.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    Lengths {
        actual: usize,
        expected: usize,
    },
    Element {
        index: usize,
        actual: f32,
        expected: f32,
    },
}

/// `Ok` when every element is within `tol`; otherwise the first that is not
/// (NaN never is).
///
/// # Errors
/// The `Mismatch` found.
pub fn parity(actual: &[f32], expected: &[f32], tol: Tolerance) -> Result<(), Mismatch> {
    if actual.len() != expected.len() {
        return Err(Mismatch::Lengths {
            actual: actual.len(),
            expected: expected.len(),
        });
    }
    for (index, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        let close = (a - e).abs() <= tol.atol + tol.rtol * e.abs();
        if !close {
            return Err(Mismatch::Element {
                index,
                actual: a,
                expected: e,
            });
        }
    }
    Ok(())
}
