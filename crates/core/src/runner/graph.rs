//! Graphs the hidden tests describe, for drawing: an autograd expression the
//! learner's code built, or an ONNX model it built or loaded.
//!
//! A test prints one line per node and edge; the runner checks what it can
//! on its own and marks the nodes where something is wrong:
//!
//! ```text
//! tensorlings:graph begin                          (a new graph: the last one wins)
//! tensorlings:graph node <id> <op> <data> <grad or -> [<label>]
//! tensorlings:graph edge <from id> <to id>          (operands in order)
//! tensorlings:onnx begin                           (a new graph: the last one wins)
//! tensorlings:onnx input|init|output <name> <shape>
//! tensorlings:onnx node <name> <op> <in,in,…> <out,…> [key=value …]
//! tensorlings:onnx mark <name> <why…>
//! ```
//!
//! For autograd the runner evaluates the graph again with its own
//! arithmetic and takes central finite differences through it, so a node
//! whose gradient disagrees is marked, and the first one on the way back
//! from the output is where the chain rule broke. For ONNX it marks a name
//! that nothing produces and a shape its inputs cannot give. These lines
//! only draw a picture: nothing in them can change a verdict.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// The prefix of an autograd graph line.
pub const GRAPH_PREFIX: &str = "tensorlings:graph ";
/// The prefix of an ONNX graph line.
pub const ONNX_PREFIX: &str = "tensorlings:onnx ";

/// Nodes kept per graph; a larger one is cut and says so.
const MAX_NODES: usize = 200;

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

/// Whether `line` describes part of a graph.
pub fn is_graph_line(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with(GRAPH_PREFIX) || line.starts_with(ONNX_PREFIX)
}

/// The graph a test's output describes, if it describes one. When it
/// printed both kinds, the autograd graph wins.
pub fn from_output(output: &str) -> Option<Graph> {
    let lines = |prefix: &str| -> Vec<String> {
        output
            .lines()
            .filter_map(|l| l.trim().strip_prefix(prefix).map(str::to_owned))
            .collect()
    };
    let autograd = lines(GRAPH_PREFIX);
    if !autograd.is_empty() {
        return Some(autograd_graph(&autograd));
    }
    let onnx = lines(ONNX_PREFIX);
    (!onnx.is_empty()).then(|| onnx_graph(&onnx))
}

/// A word from a test's output, safe to show: control characters escaped
/// (see [`crate::text::printable`]) and at most 200 characters.
fn clean(word: &str) -> String {
    crate::text::printable(word).chars().take(200).collect()
}

fn autograd_graph(lines: &[String]) -> Graph {
    let mut nodes: Vec<AutogradNode> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut raw_edges = Vec::new();
    let mut truncated = false;
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["begin"] => {
                nodes.clear();
                index.clear();
                raw_edges.clear();
                truncated = false;
            }
            ["node", id, op, data, grad, label @ ..] => {
                let Ok(data) = data.parse::<f64>() else {
                    continue;
                };
                if index.contains_key(*id) {
                    continue;
                }
                if nodes.len() == MAX_NODES {
                    truncated = true;
                    continue;
                }
                index.insert((*id).to_owned(), nodes.len());
                nodes.push(AutogradNode {
                    id: clean(id),
                    op: clean(op),
                    label: (!label.is_empty()).then(|| clean(&label.join(" "))),
                    data,
                    grad: grad.parse::<f64>().ok(),
                    expected_grad: None,
                    expected_data: None,
                    mark: None,
                });
            }
            ["edge", from, to] => raw_edges.push(((*from).to_owned(), (*to).to_owned())),
            _ => {}
        }
    }
    let mut edges = Vec::new();
    for (from, to) in raw_edges {
        // Kept in order and with repeats: `a * a` has the operand twice.
        if let (Some(&a), Some(&b)) = (index.get(&from), index.get(&to))
            && a != b
        {
            edges.push((a, b));
        }
    }
    let mut graph = Graph::Autograd {
        nodes,
        edges,
        truncated,
    };
    if !truncated {
        check_autograd(&mut graph);
    }
    graph
}

/// The value `op` gives on `operands`, when the runner knows the op.
fn apply(op: &str, operands: &[f64]) -> Option<f64> {
    Some(match (op, operands) {
        ("+", [a, b]) => a + b,
        ("-", [a, b]) => a - b,
        ("*", [a, b]) => a * b,
        ("/", [a, b]) => a / b,
        ("neg", [a]) => -a,
        ("tanh", [a]) => a.tanh(),
        ("relu", [a]) => a.max(0.0),
        ("exp", [a]) => a.exp(),
        (op, [a]) if op.starts_with("pow:") => a.powf(op[4..].parse().ok()?),
        _ => return None,
    })
}

/// Nodes in an order where every operand comes before its result, or
/// `None` when the edges make a cycle.
fn topological(count: usize, edges: &[(usize, usize)]) -> Option<Vec<usize>> {
    let mut incoming = vec![0_usize; count];
    for &(_, to) in edges {
        incoming[to] += 1;
    }
    let mut ready: Vec<usize> = (0..count).filter(|&n| incoming[n] == 0).collect();
    ready.reverse();
    let mut order = Vec::with_capacity(count);
    while let Some(n) = ready.pop() {
        order.push(n);
        for &(from, to) in edges {
            if from == n {
                incoming[to] -= 1;
                if incoming[to] == 0 {
                    ready.push(to);
                }
            }
        }
    }
    (order.len() == count).then_some(order)
}

/// Marks nodes whose value is not what their operands give, and nodes whose
/// gradient disagrees with central finite differences through the graph.
fn check_autograd(graph: &mut Graph) {
    let Graph::Autograd { nodes, edges, .. } = graph else {
        return;
    };
    let Some(order) = topological(nodes.len(), edges) else {
        return;
    };
    let operands = |n: usize| -> Vec<usize> {
        edges
            .iter()
            .filter(|&&(_, to)| to == n)
            .map(|&(from, _)| from)
            .collect()
    };
    // Forward: each computed node against its operands' recorded values.
    for &n in &order {
        if nodes[n].op == "leaf" {
            continue;
        }
        let args: Vec<f64> = operands(n).iter().map(|&a| nodes[a].data).collect();
        if let Some(expected) = apply(&nodes[n].op, &args)
            && !close(nodes[n].data, expected)
        {
            nodes[n].expected_data = Some(expected);
            nodes[n].mark = Some(format!(
                "its value is {}, but {} of its operands gives {}",
                short(nodes[n].data),
                nodes[n].op,
                short(expected)
            ));
        }
    }
    // Backward: only when backward ran and there is one output.
    let sinks: Vec<usize> = (0..nodes.len())
        .filter(|&n| edges.iter().all(|&(from, _)| from != n))
        .collect();
    let [output] = sinks.as_slice() else { return };
    if nodes.iter().any(|n| n.grad.is_none()) || nodes.iter().any(|n| n.mark.is_some()) {
        return;
    }
    let evaluate = |changed: usize, value: f64| -> Option<f64> {
        let mut values: Vec<f64> = nodes.iter().map(|n| n.data).collect();
        values[changed] = value;
        let mut dirty = vec![false; nodes.len()];
        dirty[changed] = true;
        for &n in &order {
            let args = operands(n);
            if n == changed || !args.iter().any(|&a| dirty[a]) {
                continue;
            }
            // relu has no derivative at 0: a difference across the kink
            // says nothing, so such a graph is not judged.
            if nodes[n].op == "relu" && args.iter().any(|&a| nodes[a].data.abs() < 1e-4) {
                return None;
            }
            let inputs: Vec<f64> = args.iter().map(|&a| values[a]).collect();
            values[n] = apply(&nodes[n].op, &inputs)?;
            dirty[n] = true;
        }
        Some(values[*output])
    };
    let mut wrong = vec![false; nodes.len()];
    let mut expected_grads = vec![None; nodes.len()];
    for n in 0..nodes.len() {
        let x = nodes[n].data;
        let step = 1e-6 * x.abs().max(1.0);
        let (Some(up), Some(down)) = (evaluate(n, x + step), evaluate(n, x - step)) else {
            continue;
        };
        let expected = (up - down) / (2.0 * step);
        let grad = nodes[n].grad.unwrap_or_default();
        if expected.is_finite() && (grad - expected).abs() > 1e-4 + 1e-3 * expected.abs() {
            wrong[n] = true;
            expected_grads[n] = Some(expected);
        }
    }
    for (node, expected) in nodes.iter_mut().zip(expected_grads) {
        node.expected_grad = expected;
    }
    mark_gradients(nodes, edges, &wrong, *output);
}

/// Words for each node whose gradient is wrong: where the chain rule
/// breaks (every user of the node is right), or an error further along.
fn mark_gradients(
    nodes: &mut [AutogradNode],
    edges: &[(usize, usize)],
    wrong: &[bool],
    output: usize,
) {
    for n in 0..nodes.len() {
        if !wrong[n] {
            continue;
        }
        let users: Vec<usize> = edges
            .iter()
            .filter(|&&(from, _)| from == n)
            .map(|&(_, to)| to)
            .collect();
        let grad = short(nodes[n].grad.unwrap_or_default());
        let expected = short(nodes[n].expected_grad.unwrap_or_default());
        nodes[n].mark = Some(if n == output {
            format!("the output's gradient is {grad}; it must start at 1")
        } else if users.iter().all(|&u| !wrong[u]) {
            let ops: BTreeSet<String> = users.iter().map(|&u| op_name(&nodes[u].op)).collect();
            let ops: Vec<String> = ops.into_iter().collect();
            format!(
                "its gradient is {grad}, finite differences give {expected}: the chain rule breaks \
                 here, in the backward step of {}",
                ops.join(" and ")
            )
        } else {
            format!(
                "its gradient is {grad}, finite differences give {expected} (an error further along)"
            )
        });
    }
}

/// An operation in words, for marks.
fn op_name(op: &str) -> String {
    match op {
        "+" => "the sum (+)".to_owned(),
        "-" => "the difference (−)".to_owned(),
        "*" => "the product (×)".to_owned(),
        "/" => "the quotient (÷)".to_owned(),
        "neg" => "the negation".to_owned(),
        op => op
            .strip_prefix("pow:")
            .map_or_else(|| op.to_owned(), |p| format!("the power ^{p}")),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 + 1e-6 * b.abs() || (a.is_nan() && b.is_nan())
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

fn parse_shape(text: &str) -> Option<Vec<String>> {
    match text {
        "" | "?" => None,
        "-" | "scalar" => Some(Vec::new()),
        _ => Some(text.split('x').map(clean).collect()),
    }
}

/// An operator line of an ONNX graph.
struct OnnxOp {
    index: usize,
    inputs: Vec<String>,
    outputs: Vec<String>,
    attrs: BTreeMap<String, String>,
}

/// What the ONNX lines say, before linking: nodes, operators, the test's own
/// marks, and whether the graph was cut.
type OnnxParts = (Vec<OnnxNode>, Vec<OnnxOp>, Vec<(String, String)>, bool);

fn parse_onnx(lines: &[String]) -> OnnxParts {
    let mut nodes: Vec<OnnxNode> = Vec::new();
    let mut ops: Vec<OnnxOp> = Vec::new();
    let mut marks: Vec<(String, String)> = Vec::new();
    let mut truncated = false;
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let role = match words.first() {
            Some(&"begin") => {
                nodes.clear();
                ops.clear();
                marks.clear();
                truncated = false;
                continue;
            }
            Some(&"input") => OnnxRole::Input,
            Some(&"init") => OnnxRole::Initializer,
            Some(&"output") => OnnxRole::Output,
            Some(&"node") => OnnxRole::Node,
            Some(&"mark") => {
                if let [_, name, why @ ..] = words.as_slice() {
                    marks.push(((*name).to_owned(), clean(&why.join(" "))));
                }
                continue;
            }
            _ => continue,
        };
        if nodes.len() == MAX_NODES {
            truncated = true;
            continue;
        }
        match (role, words.as_slice()) {
            (OnnxRole::Node, [_, name, op, inputs, outputs, attrs @ ..]) => {
                let list = |s: &str| -> Vec<String> {
                    if s == "-" {
                        Vec::new()
                    } else {
                        s.split(',').map(str::to_owned).collect()
                    }
                };
                ops.push(OnnxOp {
                    index: nodes.len(),
                    inputs: list(inputs),
                    outputs: list(outputs),
                    attrs: attrs
                        .iter()
                        .filter_map(|a| a.split_once('='))
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                });
                nodes.push(OnnxNode {
                    role,
                    name: (*name).to_owned(),
                    op: Some(clean(op)),
                    shape: None,
                    mark: None,
                });
            }
            (OnnxRole::Node, _) => {}
            (_, [_, name, rest @ ..]) => nodes.push(OnnxNode {
                role,
                name: (*name).to_owned(),
                op: None,
                shape: rest.first().and_then(|s| parse_shape(s)),
                mark: None,
            }),
            _ => {}
        }
    }
    (nodes, ops, marks, truncated)
}

fn onnx_graph(lines: &[String]) -> Graph {
    let (mut nodes, ops, marks, truncated) = parse_onnx(lines);
    // Which node makes each tensor: an input, an initializer or an operator's output.
    let mut producer: BTreeMap<String, usize> = BTreeMap::new();
    let mut shapes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if matches!(node.role, OnnxRole::Input | OnnxRole::Initializer) {
            producer.entry(node.name.clone()).or_insert(i);
            if let Some(shape) = &node.shape {
                shapes.insert(node.name.clone(), shape.clone());
            }
        }
    }
    for op in &ops {
        for out in op.outputs.iter().filter(|o| !o.is_empty()) {
            producer.entry(out.clone()).or_insert(op.index);
        }
    }
    let mut edges = Vec::new();
    let mut add_edge = |edge: (usize, usize)| {
        if edge.0 != edge.1 && !edges.contains(&edge) {
            edges.push(edge);
        }
    };
    // Shapes flow through the operators in the order they were printed,
    // which is the order ONNX requires (topological).
    for op in &ops {
        let mut missing = Vec::new();
        for input in op.inputs.iter().filter(|i| !i.is_empty()) {
            match producer.get(input) {
                Some(&from) => add_edge((from, op.index)),
                None => missing.push(input.as_str()),
            }
        }
        let node = &mut nodes[op.index];
        if !missing.is_empty() {
            node.mark = Some(format!(
                "nothing in the graph produces {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        let known: Vec<Option<&Vec<String>>> = op
            .inputs
            .iter()
            .filter(|i| !i.is_empty())
            .map(|i| shapes.get(i))
            .collect();
        match infer(node.op.as_deref().unwrap_or(""), &known, &op.attrs) {
            Ok(Some(shape)) => {
                if let Some(out) = op.outputs.first() {
                    shapes.insert(out.clone(), shape.clone());
                }
                node.shape = Some(shape);
            }
            Ok(None) => {}
            Err(why) => node.mark = Some(why),
        }
    }
    for (i, node) in nodes.iter_mut().enumerate() {
        if node.role != OnnxRole::Output {
            continue;
        }
        let name = node.name.clone();
        match producer.get(&name) {
            Some(&from) if from != i => {
                add_edge((from, i));
                if let (Some(declared), Some(made)) = (&node.shape, shapes.get(&name))
                    && !same_shape(declared, made)
                {
                    node.mark = Some(format!(
                        "declared {}, but the graph makes {}",
                        shape_text(declared),
                        shape_text(made)
                    ));
                }
            }
            _ => node.mark = Some(format!("nothing in the graph produces `{name}`")),
        }
    }
    for (name, why) in marks {
        if let Some(node) = nodes.iter_mut().find(|n| n.name == name) {
            node.mark = Some(why);
        }
    }
    for node in &mut nodes {
        node.name = clean(&node.name);
        node.mark = node.mark.as_deref().map(clean);
    }
    Graph::Onnx {
        nodes,
        edges,
        truncated,
    }
}

/// A shape written for people: `batch × 4`, or `scalar`.
pub fn shape_text(shape: &[String]) -> String {
    if shape.is_empty() {
        "scalar".to_owned()
    } else {
        shape.join("×")
    }
}

/// Two dims agree when they are equal or either is not a number
/// (a named batch dimension matches anything).
fn same_dim(a: &str, b: &str) -> bool {
    a == b || a.parse::<u64>().is_err() || b.parse::<u64>().is_err()
}

fn same_shape(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_dim(x, y))
}

/// The output shape of the operators whose rule the runner knows; an
/// error says why the inputs do not fit.
fn infer(
    op: &str,
    inputs: &[Option<&Vec<String>>],
    attrs: &BTreeMap<String, String>,
) -> Result<Option<Vec<String>>, String> {
    let flag = |name: &str| attrs.get(name).is_some_and(|v| v == "1");
    match (op, inputs) {
        ("Relu" | "Sigmoid" | "Tanh" | "Softmax" | "Identity", [Some(x)]) => Ok(Some((*x).clone())),
        ("MatMul", [Some(a), Some(b)]) if a.len() == 2 && b.len() == 2 => {
            if same_dim(&a[1], &b[0]) {
                Ok(Some(vec![a[0].clone(), b[1].clone()]))
            } else {
                Err(format!(
                    "MatMul of {} by {}: the inner sizes {} and {} differ",
                    shape_text(a),
                    shape_text(b),
                    a[1],
                    b[0]
                ))
            }
        }
        ("Gemm", [Some(a), Some(b), rest @ ..]) if a.len() == 2 && b.len() == 2 => {
            let (rows, inner_a) = if flag("transA") {
                (&a[1], &a[0])
            } else {
                (&a[0], &a[1])
            };
            let (inner_b, cols) = if flag("transB") {
                (&b[1], &b[0])
            } else {
                (&b[0], &b[1])
            };
            if !same_dim(inner_a, inner_b) {
                return Err(format!(
                    "Gemm of {} by {}{}: the inner sizes {inner_a} and {inner_b} differ",
                    shape_text(a),
                    shape_text(b),
                    if flag("transB") { " (transposed)" } else { "" },
                ));
            }
            let out = vec![rows.clone(), cols.clone()];
            if let [Some(c)] = rest
                && broadcast(c, &out).is_none()
            {
                return Err(format!(
                    "Gemm's bias of shape {} does not fit an output of {}",
                    shape_text(c),
                    shape_text(&out)
                ));
            }
            Ok(Some(out))
        }
        ("Add" | "Sub" | "Mul" | "Div", [Some(a), Some(b)]) => match broadcast(a, b) {
            Some(shape) => Ok(Some(shape)),
            None => Err(format!(
                "{op} of {} and {}: the shapes do not broadcast",
                shape_text(a),
                shape_text(b)
            )),
        },
        _ => Ok(None),
    }
}

fn broadcast(a: &[String], b: &[String]) -> Option<Vec<String>> {
    let len = a.len().max(b.len());
    let dim = |s: &[String], i: usize| -> String {
        (i + s.len())
            .checked_sub(len)
            .map_or_else(|| "1".to_owned(), |j| s[j].clone())
    };
    (0..len)
        .map(|i| {
            let (x, y) = (dim(a, i), dim(b, i));
            if x == "1" {
                Some(y)
            } else if y == "1" || same_dim(&x, &y) {
                Some(x)
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn autograd(text: &str) -> Vec<AutogradNode> {
        match from_output(text) {
            Some(Graph::Autograd { nodes, .. }) => nodes,
            other => panic!("not an autograd graph: {other:?}"),
        }
    }

    /// `a * b + c` with a = 2, b = -3, c = 10, after backward.
    fn abc(mul_grads: (f64, f64)) -> String {
        format!(
            "tensorlings:graph node 0 leaf 2 {} a\n\
             tensorlings:graph node 1 leaf -3 {} b\n\
             tensorlings:graph node 2 * -6 1\n\
             tensorlings:graph node 3 leaf 10 1 c\n\
             tensorlings:graph node 4 + 4 1\n\
             tensorlings:graph edge 0 2\n\
             tensorlings:graph edge 1 2\n\
             tensorlings:graph edge 2 4\n\
             tensorlings:graph edge 3 4\n",
            mul_grads.0, mul_grads.1
        )
    }

    #[test]
    fn right_gradients_mark_nothing() {
        let nodes = autograd(&abc((-3.0, 2.0)));
        assert_eq!(nodes.len(), 5);
        assert!(nodes.iter().all(|n| n.mark.is_none()), "{nodes:?}");
        assert_eq!(nodes[0].label.as_deref(), Some("a"));
        assert_eq!(nodes[2].grad, Some(1.0));
    }

    #[test]
    fn swapped_product_gradients_mark_the_operands_of_the_product() {
        // d(ab)/da = b: a learner who gives each operand its own value.
        let nodes = autograd(&abc((2.0, -3.0)));
        for n in [0, 1] {
            let mark = nodes[n].mark.as_deref().expect("marked");
            assert!(mark.contains("chain rule breaks here"), "{mark}");
            assert!(mark.contains("backward step of the product (×)"), "{mark}");
        }
        assert!((nodes[0].expected_grad.unwrap() + 3.0).abs() < 1e-6);
        assert!(nodes[2].mark.is_none() && nodes[4].mark.is_none());
    }

    #[test]
    fn an_error_further_along_is_told_apart_from_where_it_starts() {
        // tanh(x * 2) with the tanh step wrong: x and the product are both
        // off, but only the product is where it breaks.
        let text = "tensorlings:graph node x leaf 0.5 0.1 x\n\
                    tensorlings:graph node k leaf 2 0.05 k\n\
                    tensorlings:graph node m * 1 0.05\n\
                    tensorlings:graph node t tanh 0.7615941559557649 1\n\
                    tensorlings:graph edge x m\ntensorlings:graph edge k m\ntensorlings:graph edge m t\n";
        let nodes = autograd(text);
        assert!(
            nodes[2]
                .mark
                .as_deref()
                .unwrap()
                .contains("backward step of tanh")
        );
        assert!(nodes[0].mark.as_deref().unwrap().contains("further along"));
        assert!(nodes[3].mark.is_none());
    }

    #[test]
    fn a_wrong_forward_value_is_marked_and_gradients_are_not_judged() {
        // A product that adds: -5 where -6 belongs, and the sum after it
        // consistent with the wrong value.
        let text = abc((-3.0, 2.0))
            .replace("node 2 * -6 1", "node 2 * -5 1")
            .replace("node 4 + 4 1", "node 4 + 5 1");
        let nodes = autograd(&text);
        assert!(nodes[2].mark.as_deref().unwrap().contains("gives -6"));
        assert_eq!(nodes.iter().filter(|n| n.mark.is_some()).count(), 1);
    }

    #[test]
    fn before_backward_there_are_no_gradients_and_no_marks() {
        let text = abc((0.0, 0.0))
            .replace(" 1\n", " -\n")
            .replace(" 0 a", " - a");
        let nodes = autograd(&text);
        assert!(nodes.iter().any(|n| n.grad.is_none()));
        assert!(nodes.iter().all(|n| n.mark.is_none()));
    }

    #[test]
    fn the_output_must_start_at_one() {
        let text = abc((-3.0, 2.0)).replace("node 4 + 4 1", "node 4 + 4 0");
        let nodes = autograd(&text);
        assert!(
            nodes[4]
                .mark
                .as_deref()
                .unwrap()
                .contains("must start at 1")
        );
    }

    #[test]
    fn cycles_unknown_edges_and_junk_are_survived() {
        let text = "tensorlings:graph node a leaf 1 1\ntensorlings:graph node b + 2 1\n\
                    tensorlings:graph edge a b\ntensorlings:graph edge b a\n\
                    tensorlings:graph edge a nowhere\ntensorlings:graph node c leaf NaNx 1\n\
                    tensorlings:graph nonsense\n";
        let Some(Graph::Autograd { nodes, edges, .. }) = from_output(text) else {
            panic!()
        };
        assert_eq!(nodes.len(), 2);
        assert_eq!(edges.len(), 2);
    }

    #[test]
    fn the_last_graph_a_test_began_is_the_one_drawn() {
        let text = format!(
            "tensorlings:graph begin\ntensorlings:graph node z leaf 9 -\n\
             tensorlings:graph begin\n{}",
            abc((-3.0, 2.0))
        );
        let nodes = autograd(&text);
        assert_eq!(nodes.len(), 5);
        assert!(nodes.iter().all(|n| n.id != "z"));
    }

    #[test]
    fn a_square_keeps_both_operands() {
        // a * a at a = 3: d/da = 2a = 6; a learner who counts it once says 3.
        let text = |grad: f64| {
            format!(
                "tensorlings:graph node a leaf 3 {grad} a\ntensorlings:graph node s * 9 1\n\
                 tensorlings:graph edge a s\ntensorlings:graph edge a s\n"
            )
        };
        assert!(autograd(&text(6.0)).iter().all(|n| n.mark.is_none()));
        let nodes = autograd(&text(3.0));
        assert!(
            nodes[0]
                .mark
                .as_deref()
                .unwrap()
                .contains("finite differences give 6")
        );
    }

    #[test]
    fn relu_at_its_kink_is_not_judged() {
        // relu(0): the lesson takes the gradient as 0; a central difference says 0.5.
        let text = "tensorlings:graph node x leaf 0 0 x\ntensorlings:graph node r relu 0 1\n\
                    tensorlings:graph edge x r\n";
        assert!(autograd(text).iter().all(|n| n.mark.is_none()));
        let away = "tensorlings:graph node x leaf 0.5 0 x\ntensorlings:graph node r relu 0.5 1\n\
                    tensorlings:graph edge x r\n";
        assert!(
            autograd(away)[0].mark.is_some(),
            "off the kink a wrong gradient is marked"
        );
    }

    #[test]
    fn escape_sequences_in_names_never_reach_the_terminal() {
        let text = "tensorlings:graph node a leaf 1 - \u{1b}]0;owned\u{7}\n\
                    tensorlings:onnx input \u{1b}[2Jx 1x2\n";
        let nodes = autograd(text);
        let label = nodes[0].label.as_deref().unwrap();
        assert!(
            !label.contains('\u{1b}') && label.contains("\\u{1b}"),
            "{label}"
        );
        let (nodes, _) = onnx(
            "tensorlings:onnx input \u{1b}[2Jx 1x2\ntensorlings:onnx mark \u{1b}[2Jx bad\u{7}\n",
        );
        assert!(!nodes[0].name.contains('\u{1b}'), "{}", nodes[0].name);
        assert!(!nodes[0].mark.as_deref().unwrap().contains('\u{7}'));
    }

    #[test]
    fn a_huge_graph_is_cut() {
        let text = (0..500)
            .map(|i| format!("tensorlings:graph node {i} leaf 1 -"))
            .collect::<Vec<_>>()
            .join("\n");
        let graph = from_output(&text).unwrap();
        assert_eq!(graph.len(), MAX_NODES);
        assert!(matches!(
            graph,
            Graph::Autograd {
                truncated: true,
                ..
            }
        ));
    }

    fn onnx(text: &str) -> (Vec<OnnxNode>, Vec<(usize, usize)>) {
        match from_output(text) {
            Some(Graph::Onnx { nodes, edges, .. }) => (nodes, edges),
            other => panic!("not an onnx graph: {other:?}"),
        }
    }

    const LINEAR: &str = "tensorlings:onnx input x batchx3\n\
        tensorlings:onnx init w 2x3\n\
        tensorlings:onnx init b 2\n\
        tensorlings:onnx node linear Gemm x,w,b y transB=1\n\
        tensorlings:onnx output y batchx2\n";

    #[test]
    fn a_linear_layer_links_up_and_infers_its_shape() {
        let (nodes, edges) = onnx(LINEAR);
        assert!(nodes.iter().all(|n| n.mark.is_none()), "{nodes:?}");
        assert_eq!(edges, [(0, 3), (1, 3), (2, 3), (3, 4)]);
        assert_eq!(nodes[3].shape.as_ref().unwrap(), &["batch", "2"]);
    }

    #[test]
    fn a_gemm_without_trans_b_is_a_shape_mismatch() {
        let (nodes, _) = onnx(&LINEAR.replace(" transB=1", ""));
        let mark = nodes[3].mark.as_deref().unwrap();
        assert!(mark.contains("inner sizes 3 and 2 differ"), "{mark}");
    }

    #[test]
    fn a_dangling_name_and_an_unproduced_output_are_marked() {
        let (nodes, _) = onnx(&LINEAR.replace("x,w,b", "x,weight,b"));
        assert!(nodes[3].mark.as_deref().unwrap().contains("`weight`"));
        let (nodes, _) = onnx(&LINEAR.replace("output y", "output out"));
        assert!(nodes[4].mark.as_deref().unwrap().contains("produces `out`"));
    }

    #[test]
    fn a_declared_output_shape_that_differs_is_marked() {
        let (nodes, _) = onnx(&LINEAR.replace("output y batchx2", "output y batchx3"));
        assert!(
            nodes[4]
                .mark
                .as_deref()
                .unwrap()
                .contains("declared batch×3")
        );
    }

    #[test]
    fn a_test_can_mark_a_node_itself() {
        let text = format!("{LINEAR}tensorlings:onnx mark linear refused by the policy: Gemm\n");
        let (nodes, _) = onnx(&text);
        assert_eq!(
            nodes[3].mark.as_deref(),
            Some("refused by the policy: Gemm")
        );
    }

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
