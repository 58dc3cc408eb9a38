//! Inspect an untrusted ONNX model before anything runs it.
//!
//! Write `validate`: walk a decoded `ModelProto` and report EVERY way it breaks
//! the `Policy` (opset range, op allowlist, node count, initializer sizes,
//! external data), in the order documented on `validate`. It only reads the
//! proto: it never allocates tensors or trusts a declared size.

use std::ops::RangeInclusive;

use thiserror::Error;
use tract_onnx::pb;

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

#[allow(dead_code)]
fn is_default_domain(domain: &str) -> bool {
    domain.is_empty() || domain == "ai.onnx"
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
    // TODO: push every problem into a Vec, in the order above; return Ok(()) if
    // it stays empty. Keep going after a problem, except when there is no graph.
    // Sizes: multiply dims as u64 with `saturating_mul` (a hostile file can declare
    // [2^40, 2^40, 2^40]); a negative dim is its own problem (`u64::try_from`).
    // External data: `data_location == Some(DataLocation::External as i32)` or a
    // non-empty `external_data` list.
    let _ = (model, policy);
    todo!()
}
