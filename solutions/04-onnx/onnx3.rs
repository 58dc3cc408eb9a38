//! Load an ONNX model with tract, run it, and prove it matches the Rust layer.
//!
//! `linear_model` (done) builds the graph. Write `load_bytes`, `save_model`,
//! `load_file`, `run` and `parity`. Every failure (bad bytes, missing
//! file, wrong input size) must come back as an `Err`, never a panic.

use std::path::Path;

use prost::Message;
use tract_onnx::pb;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::tensor_shape_proto::{Dimension, dimension};
use tract_onnx::prelude::*;

/// A loaded, optimised model, ready to run many times (cheap to clone).
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

fn to_i64(dims: &[usize]) -> Vec<i64> {
    dims.iter()
        .map(|&d| i64::try_from(d).expect("dimension fits in i64"))
        .collect()
}

fn float_tensor(name: &str, dims: &[usize], values: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.to_owned(),
        dims: to_i64(dims),
        data_type: DataType::Float as i32,
        float_data: values.to_vec(),
        ..Default::default()
    }
}

fn float_info(name: &str, dims: &[usize]) -> pb::ValueInfoProto {
    let dim = to_i64(dims)
        .into_iter()
        .map(|d| Dimension {
            value: Some(dimension::Value::DimValue(d)),
            ..Default::default()
        })
        .collect();
    let tensor = pb::type_proto::Tensor {
        elem_type: DataType::Float as i32,
        shape: Some(pb::TensorShapeProto { dim }),
    };
    pb::ValueInfoProto {
        name: name.to_owned(),
        r#type: Some(pb::TypeProto {
            value: Some(pb::type_proto::Value::TensorType(tensor)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The layer as a one-node ONNX model (Gemm, opset 15) for `batch x in_features` inputs.
#[must_use]
pub fn linear_model(layer: &Linear, batch: usize) -> pb::ModelProto {
    let gemm = pb::NodeProto {
        name: "linear".into(),
        op_type: "Gemm".into(),
        input: vec!["input".into(), "linear.weight".into(), "linear.bias".into()],
        output: vec!["output".into()],
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
        input: vec![float_info("input", &[batch, layer.in_features])],
        output: vec![float_info("output", &[batch, layer.out_features])],
        ..Default::default()
    };
    pb::ModelProto {
        ir_version: 8,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: 15,
        }],
        graph: Some(graph),
        ..Default::default()
    }
}

/// Decodes ONNX bytes, optimises the graph and makes it runnable.
///
/// # Errors
/// If the bytes are not a model tract can load.
pub fn load_bytes(bytes: &[u8]) -> TractResult<Plan> {
    tract_onnx::onnx()
        .model_for_read(&mut &*bytes)?
        .into_optimized()?
        .into_runnable()
}

/// Writes the encoded model to `path`.
///
/// # Errors
/// Any I/O error from writing the file.
pub fn save_model(model: &pb::ModelProto, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, model.encode_to_vec())
}

/// Loads a `.onnx` file, like `load_bytes`.
///
/// # Errors
/// If the file cannot be read or is not a model tract can load.
pub fn load_file(path: &Path) -> TractResult<Plan> {
    tract_onnx::onnx()
        .model_for_path(path)?
        .into_optimized()?
        .into_runnable()
}

/// Runs `plan` on `batch` rows of `features` values and returns the first output, flattened.
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

/// How close two outputs must be, element by element:
/// `|actual - expected| <= atol + rtol * |expected|`.
///
/// The absolute part covers values near zero, the relative part large ones.
/// This is the rule of `torch.testing.assert_close` and `numpy.isclose`.
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
    /// They do not even have the same number of values.
    Lengths { actual: usize, expected: usize },
    /// The first element outside the tolerance.
    Element {
        index: usize,
        actual: f32,
        expected: f32,
    },
}

/// `Ok` when every element of `actual` is within `tol` of `expected`;
/// otherwise the length mismatch, or the first element that is not.
/// NaN is never close to anything, not even to NaN.
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
        // Written so that NaN fails: every comparison with NaN is false.
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
