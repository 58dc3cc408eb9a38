//! A loader for models you did not make: bounded, validated, then run.
//!
//! `validate` (done) is the checker from the previous exercise. Write
//! `read_capped`, `load_untrusted` and `load_untrusted_file` so that every
//! step before tract sees the model is bounded, and every failure is a
//! `LoadError` variant, never a panic.

use std::io::Read;
use std::ops::RangeInclusive;
use std::path::Path;

use prost::Message;
use thiserror::Error;
use tract_onnx::pb;
use tract_onnx::prelude::*;

/// A loaded, optimised model, ready to run many times.
pub type Plan = Arc<TypedRunnableModel>;

/// What this service is willing to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Accepted versions of the default ("" or "ai.onnx") opset.
    pub opsets: RangeInclusive<i64>,
    /// Op types allowed, all from the default domain.
    pub allowed_ops: Vec<String>,
    /// Most nodes a graph may have.
    pub max_nodes: usize,
    /// Most elements a single initializer may declare.
    pub max_initializer_elements: u64,
    /// Most elements all initializers together may declare.
    pub max_total_elements: u64,
    /// Most bytes an encoded model may have.
    pub max_model_bytes: usize,
}

impl Policy {
    /// A policy for small feed-forward networks.
    #[must_use]
    pub fn small_mlps() -> Self {
        Self {
            opsets: 13..=18,
            allowed_ops: ["Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh"]
                .map(String::from)
                .to_vec(),
            max_nodes: 64,
            max_initializer_elements: 1 << 20,
            max_total_elements: 1 << 22,
            max_model_bytes: 32 << 20,
        }
    }
}

/// One way a model breaks the policy.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("opset {version} is outside the accepted {min}..={max}")]
    OpsetOutOfRange { version: i64, min: i64, max: i64 },
    #[error("operator domain `{domain}` is not allowed")]
    CustomDomain { domain: String },
    #[error("no opset is imported for the default ONNX domain")]
    NoDefaultOpset,
    #[error("the model has no graph")]
    NoGraph,
    #[error("the graph has {count} nodes, the limit is {limit}")]
    TooManyNodes { count: usize, limit: usize },
    #[error("node {index} uses `{op_type}` (domain `{domain}`), which is not allowed")]
    OpNotAllowed {
        index: usize,
        op_type: String,
        domain: String,
    },
    #[error("initializer `{name}` has a negative dimension")]
    NegativeDim { name: String },
    #[error("initializer `{name}` keeps its data in an external file")]
    ExternalData { name: String },
    #[error("initializer `{name}` declares {elements} elements, the limit is {limit}")]
    InitializerTooLarge {
        name: String,
        elements: u64,
        limit: u64,
    },
    #[error("initializers declare {elements} elements in total, the limit is {limit}")]
    TooManyElements { elements: u64, limit: u64 },
}

fn is_default_domain(domain: &str) -> bool {
    domain.is_empty() || domain == "ai.onnx"
}

/// Elements declared by `dims`, saturating at `u64::MAX`; `None` if a dim is negative.
fn declared_elements(dims: &[i64]) -> Option<u64> {
    dims.iter().try_fold(1u64, |acc, &d| {
        let d = u64::try_from(d).ok()?;
        Some(acc.saturating_mul(d))
    })
}

/// Checks `model` against `policy` and returns every problem found.
///
/// Order of the problems:
/// 1. each `opset_import` in turn (`OpsetOutOfRange` or `CustomDomain`), then
///    `NoDefaultOpset` if none was for the default domain;
/// 2. `NoGraph`, after which nothing else can be checked;
/// 3. `TooManyNodes`, then one `OpNotAllowed` per offending node, in graph order;
/// 4. per initializer in order: `NegativeDim` (and its size is then skipped),
///    `ExternalData`, `InitializerTooLarge`;
/// 5. `TooManyElements` for the sum of the sizes (saturating).
///
/// # Errors
/// The list of problems, never empty.
pub fn validate(model: &pb::ModelProto, policy: &Policy) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();

    let mut saw_default = false;
    for opset in &model.opset_import {
        if is_default_domain(&opset.domain) {
            saw_default = true;
            if !policy.opsets.contains(&opset.version) {
                problems.push(Problem::OpsetOutOfRange {
                    version: opset.version,
                    min: *policy.opsets.start(),
                    max: *policy.opsets.end(),
                });
            }
        } else {
            problems.push(Problem::CustomDomain {
                domain: opset.domain.clone(),
            });
        }
    }
    if !saw_default {
        problems.push(Problem::NoDefaultOpset);
    }

    let Some(graph) = &model.graph else {
        problems.push(Problem::NoGraph);
        return Err(problems);
    };

    if graph.node.len() > policy.max_nodes {
        problems.push(Problem::TooManyNodes {
            count: graph.node.len(),
            limit: policy.max_nodes,
        });
    }
    for (index, node) in graph.node.iter().enumerate() {
        let allowed = is_default_domain(&node.domain) && policy.allowed_ops.contains(&node.op_type);
        if !allowed {
            problems.push(Problem::OpNotAllowed {
                index,
                op_type: node.op_type.clone(),
                domain: node.domain.clone(),
            });
        }
    }

    let mut total: u64 = 0;
    for t in &graph.initializer {
        let Some(elements) = declared_elements(&t.dims) else {
            problems.push(Problem::NegativeDim {
                name: t.name.clone(),
            });
            continue;
        };
        if t.data_location == Some(pb::tensor_proto::DataLocation::External as i32)
            || !t.external_data.is_empty()
        {
            problems.push(Problem::ExternalData {
                name: t.name.clone(),
            });
        }
        if elements > policy.max_initializer_elements {
            problems.push(Problem::InitializerTooLarge {
                name: t.name.clone(),
                elements,
                limit: policy.max_initializer_elements,
            });
        }
        total = total.saturating_add(elements);
    }
    if total > policy.max_total_elements {
        problems.push(Problem::TooManyElements {
            elements: total,
            limit: policy.max_total_elements,
        });
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Why an untrusted model was not loaded.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("the model is larger than the {limit}-byte limit")]
    TooBig { limit: usize },
    #[error("could not read the model: {0}")]
    Io(#[from] std::io::Error),
    #[error("not an ONNX protobuf: {0}")]
    Decode(#[from] prost::DecodeError),
    #[error("the model breaks the policy: {0:?}")]
    Rejected(Vec<Problem>),
    #[error("expected one input and one output, found {inputs} and {outputs}")]
    Interface { inputs: usize, outputs: usize },
    #[error("tract could not prepare the model: {0}")]
    Tract(String),
}

/// Reads all of `reader`, but never more than `max_bytes` (plus one, to notice).
///
/// # Errors
/// `TooBig` if the reader holds more than `max_bytes`; `Io` if reading fails.
pub fn read_capped(reader: impl Read, max_bytes: usize) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    let probe = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader.take(probe).read_to_end(&mut bytes)?;
    if bytes.len() > max_bytes {
        return Err(LoadError::TooBig { limit: max_bytes });
    }
    Ok(bytes)
}

/// Turns untrusted bytes into a runnable plan, in this order:
/// size limit (`TooBig`), protobuf decode (`Decode`), `validate` (`Rejected`),
/// interface check (`Interface`: exactly one graph input that is not an
/// initializer, exactly one output), then tract (`Tract`).
///
/// # Errors
/// The first step that fails, as above.
pub fn load_untrusted(bytes: &[u8], policy: &Policy) -> Result<Plan, LoadError> {
    if bytes.len() > policy.max_model_bytes {
        return Err(LoadError::TooBig {
            limit: policy.max_model_bytes,
        });
    }
    let model = pb::ModelProto::decode(bytes)?;
    validate(&model, policy).map_err(LoadError::Rejected)?;

    let graph = model
        .graph
        .as_ref()
        .ok_or_else(|| LoadError::Rejected(vec![Problem::NoGraph]))?;
    let inputs = graph
        .input
        .iter()
        .filter(|i| !graph.initializer.iter().any(|t| t.name == i.name))
        .count();
    let outputs = graph.output.len();
    if inputs != 1 || outputs != 1 {
        return Err(LoadError::Interface { inputs, outputs });
    }

    // From the proto, not a path: tract gets no directory to resolve external files in.
    let tract = |e: TractError| LoadError::Tract(format!("{e:#}"));
    tract_onnx::onnx()
        .model_for_proto_model(&model)
        .map_err(tract)?
        .into_optimized()
        .map_err(tract)?
        .into_runnable()
        .map_err(tract)
}

/// Reads at most `policy.max_model_bytes` from `path`, then `load_untrusted`.
///
/// # Errors
/// `Io` if the file cannot be opened or read, otherwise as `load_untrusted`.
pub fn load_untrusted_file(path: &Path, policy: &Policy) -> Result<Plan, LoadError> {
    let file = std::fs::File::open(path)?;
    let bytes = read_capped(file, policy.max_model_bytes)?;
    load_untrusted(&bytes, policy)
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
