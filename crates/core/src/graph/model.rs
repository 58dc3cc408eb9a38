//! The graph a test described, as the runner checked it: what the front
//! ends draw and `check --format json` prints.

use serde::Serialize;

/// Nodes kept per graph; a larger one is cut and says so.
pub const MAX_NODES: usize = 200;

/// A graph to draw, with the nodes where something is wrong marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Graph {
    /// Scalars and the operations between them.
    Autograd {
        /// The nodes, in the order the test printed them.
        nodes: Vec<AutogradNode>,
        /// Edges as indices into `nodes`, from an operand to its result.
        edges: Vec<(usize, usize)>,
        /// Whether the graph had more nodes than are kept.
        truncated: bool,
    },
    /// An ONNX model: inputs, initializers, operators and outputs.
    Onnx {
        /// The nodes, in the order the test printed them.
        nodes: Vec<OnnxNode>,
        /// Edges as indices into `nodes`, along the tensor names.
        edges: Vec<(usize, usize)>,
        /// Whether the graph had more nodes than are kept.
        truncated: bool,
    },
}

/// One scalar of an autograd graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutogradNode {
    /// The id the test gave it.
    pub id: String,
    /// The operation that made it: `leaf`, `+`, `-`, `*`, `/`, `neg`,
    /// `tanh`, `relu`, `exp`, `pow:<p>`, or anything else (not checked).
    pub op: String,
    /// A name for a leaf, such as `a` or `w1`.
    pub label: Option<String>,
    /// Its value.
    pub data: f64,
    /// Its gradient, once `backward` has run.
    pub grad: Option<f64>,
    /// The gradient finite differences give, when it disagrees with `grad`.
    pub expected_grad: Option<f64>,
    /// The value its operands give, when it disagrees with `data`.
    pub expected_data: Option<f64>,
    /// What is wrong here, in plain words.
    pub mark: Option<String>,
}

/// The role of a node in an ONNX graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnnxRole {
    /// A graph input, fed at run time.
    Input,
    /// A constant stored in the model (weights, biases).
    Initializer,
    /// An operator.
    Node,
    /// A graph output.
    Output,
}

/// One node of an ONNX graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnnxNode {
    /// Input, initializer, operator or output.
    pub role: OnnxRole,
    /// The tensor's name, or the operator's node name.
    pub name: String,
    /// The operator type (`Gemm`, `Relu`, …), for an operator.
    pub op: Option<String>,
    /// The tensor's shape (`batch`, `4`, …); for an operator, its first output's inferred shape.
    pub shape: Option<Vec<String>>,
    /// What is wrong here, in plain words.
    pub mark: Option<String>,
}

impl Graph {
    /// The nodes' count.
    pub fn len(&self) -> usize {
        match self {
            Graph::Autograd { nodes, .. } => nodes.len(),
            Graph::Onnx { nodes, .. } => nodes.len(),
        }
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The edges, as indices into the nodes.
    pub fn edges(&self) -> &[(usize, usize)] {
        match self {
            Graph::Autograd { edges, .. } | Graph::Onnx { edges, .. } => edges,
        }
    }

    /// Whether any node is marked.
    pub fn has_marks(&self) -> bool {
        match self {
            Graph::Autograd { nodes, .. } => nodes.iter().any(|n| n.mark.is_some()),
            Graph::Onnx { nodes, .. } => nodes.iter().any(|n| n.mark.is_some()),
        }
    }
}

/// A number in at most about seven characters.
pub fn short(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let magnitude = x.abs();
    if magnitude != 0.0 && !(1e-3..1e5).contains(&magnitude) {
        return format!("{x:.1e}");
    }
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(-6.0), "-6");
        assert_eq!(short(0.761_594_155_955_764_9), "0.7616");
        assert_eq!(short(1e-7), "1.0e-7");
        assert_eq!(short(-0.0), "0");
        assert_eq!(short(f64::NAN), "NaN");
    }
}
