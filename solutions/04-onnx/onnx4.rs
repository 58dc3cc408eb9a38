//! Export a two-layer MLP (Gemm -> Relu -> Gemm) whose batch size is chosen at run time.
//!
//! Write `batch_info` (a tensor type whose first dimension is the symbol
//! `batch`) and `export_mlp`, which checks the layers fit together and then
//! builds the graph. One loaded model must then serve batches of 1, 3 or 7 rows.

use thiserror::Error;
use tract_onnx::pb;
use tract_onnx::pb::tensor_proto::DataType;
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

fn float_tensor(name: &str, dims: &[usize], values: &[f32]) -> pb::TensorProto {
    pb::TensorProto {
        name: name.to_owned(),
        dims: dims.iter().map(|&d| to_i64(d)).collect(),
        data_type: DataType::Float as i32,
        float_data: values.to_vec(),
        ..Default::default()
    }
}

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
    let dim = vec![
        Dimension {
            value: Some(dimension::Value::DimParam(BATCH.into())),
            ..Default::default()
        },
        Dimension {
            value: Some(dimension::Value::DimValue(to_i64(features))),
            ..Default::default()
        },
    ];
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

fn check_layer(layer: &Linear, name: &'static str) -> Result<(), ExportError> {
    let expected = layer.in_features * layer.out_features;
    if layer.weight.len() != expected {
        return Err(ExportError::WrongParameterCount {
            layer: name,
            what: "weight",
            expected,
            got: layer.weight.len(),
        });
    }
    if layer.bias.len() != layer.out_features {
        return Err(ExportError::WrongParameterCount {
            layer: name,
            what: "bias",
            expected: layer.out_features,
            got: layer.bias.len(),
        });
    }
    Ok(())
}

/// Builds `input -> Gemm -> Relu -> Gemm -> output` with a dynamic batch dimension.
///
/// # Errors
/// If a layer's parameters do not match its shape (hidden checked first, weight
/// before bias), or the hidden layer's outputs do not match the output layer's inputs.
pub fn export_mlp(mlp: &Mlp) -> Result<pb::ModelProto, ExportError> {
    let (h, o) = (&mlp.hidden, &mlp.output);
    check_layer(h, "hidden")?;
    check_layer(o, "output")?;
    if h.out_features != o.in_features {
        return Err(ExportError::LayersDoNotChain {
            hidden_out: h.out_features,
            output_in: o.in_features,
        });
    }
    let relu = pb::NodeProto {
        name: "relu".into(),
        op_type: "Relu".into(),
        input: vec!["hidden.out".into()],
        output: vec!["relu.out".into()],
        ..Default::default()
    };
    let graph = pb::GraphProto {
        name: "mlp".into(),
        // Nodes in topological order: each one only reads what came before.
        node: vec![
            gemm_node(
                "hidden",
                INPUT,
                "hidden.weight",
                "hidden.bias",
                "hidden.out",
            ),
            relu,
            gemm_node("output", "relu.out", "output.weight", "output.bias", OUTPUT),
        ],
        // Every initializer needs its own name, or the second layer would read the first's.
        initializer: vec![
            float_tensor("hidden.weight", &[h.out_features, h.in_features], &h.weight),
            float_tensor("hidden.bias", &[h.out_features], &h.bias),
            float_tensor("output.weight", &[o.out_features, o.in_features], &o.weight),
            float_tensor("output.bias", &[o.out_features], &o.bias),
        ],
        input: vec![batch_info(INPUT, h.in_features)],
        output: vec![batch_info(OUTPUT, o.out_features)],
        ..Default::default()
    };
    Ok(pb::ModelProto {
        ir_version: 8,
        opset_import: vec![pb::OperatorSetIdProto {
            domain: String::new(),
            version: 15,
        }],
        producer_name: "tensorlings".into(),
        graph: Some(graph),
        ..Default::default()
    })
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
