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
