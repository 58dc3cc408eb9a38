//! ONNX graphs: a model's inputs, initializers, operators and outputs, as a
//! test prints them from a model it built or loaded:
//!
//! ```text
//! tensorlings:onnx begin                           (a new graph: the last one wins)
//! tensorlings:onnx input|init|output <name> <shape>
//! tensorlings:onnx node <name> <op> <in,in,…> <out,…> [key=value …]
//! tensorlings:onnx mark <name> <why…>
//! ```
//!
//! A shape is its dimensions joined by `x` (`batchx3`), `-` or `scalar` for
//! none, `?` for unknown. The runner links the names up, infers the shapes
//! of the operators whose rule it knows, and marks a name that nothing
//! produces and a shape its inputs cannot give. These lines only draw a
//! picture: nothing in them can change a verdict.

use std::collections::BTreeMap;

use super::model::{Graph, MAX_NODES, OnnxNode, OnnxRole};
use super::protocol::clean;
use super::reader::Reader;
use super::shape::{Dim, Shape, infer, parse_shape, same_shape, shape_text};

/// An operator line: the node it is, and the tensors it reads and writes.
struct Operator {
    index: usize,
    inputs: Vec<String>,
    outputs: Vec<String>,
    attrs: BTreeMap<String, String>,
}

/// What the ONNX lines say, before linking.
#[derive(Default)]
struct Parsed {
    nodes: Vec<OnnxNode>,
    /// The shape each node declares (none for an operator: its shape is inferred).
    shapes: Vec<Option<Shape>>,
    operators: Vec<Operator>,
    /// The test's own marks: (node name, why).
    marks: Vec<(String, String)>,
    truncated: bool,
}

impl Parsed {
    fn new(lines: &[String]) -> Parsed {
        let mut parsed = Parsed::default();
        for line in lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            let role = match words.first() {
                Some(&"begin") => {
                    parsed = Parsed::default();
                    continue;
                }
                Some(&"input") => OnnxRole::Input,
                Some(&"init") => OnnxRole::Initializer,
                Some(&"output") => OnnxRole::Output,
                Some(&"node") => OnnxRole::Node,
                Some(&"mark") => {
                    if let [_, name, why @ ..] = words.as_slice() {
                        parsed
                            .marks
                            .push(((*name).to_owned(), clean(&why.join(" "))));
                    }
                    continue;
                }
                _ => continue,
            };
            if parsed.nodes.len() == MAX_NODES {
                parsed.truncated = true;
                continue;
            }
            parsed.push(role, &words);
        }
        parsed
    }

    fn push(&mut self, role: OnnxRole, words: &[&str]) {
        let (op, shape) = match (role, words) {
            (OnnxRole::Node, [_, _, op, inputs, outputs, attrs @ ..]) => {
                let list = |s: &str| -> Vec<String> {
                    if s == "-" {
                        Vec::new()
                    } else {
                        s.split(',').map(str::to_owned).collect()
                    }
                };
                self.operators.push(Operator {
                    index: self.nodes.len(),
                    inputs: list(inputs),
                    outputs: list(outputs),
                    attrs: attrs
                        .iter()
                        .filter_map(|a| a.split_once('='))
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect(),
                });
                (Some(clean(op)), None)
            }
            (OnnxRole::Node, _) => return,
            (_, [_, _, rest @ ..]) => (None, rest.first().and_then(|s| parse_shape(s))),
            _ => return,
        };
        self.nodes.push(OnnxNode {
            role,
            name: words[1].to_owned(),
            op,
            shape: shape
                .as_deref()
                .map(|s| s.iter().map(ToString::to_string).collect()),
            mark: None,
        });
        self.shapes.push(shape);
    }
}

/// Reads `onnx` lines: the last graph a test began.
#[derive(Debug, Default)]
pub struct OnnxReader {
    lines: Vec<String>,
}

impl Reader for OnnxReader {
    const WORDS: &'static [&'static str] = &["onnx"];
    type Output = Option<Graph>;

    fn line(&mut self, _word: &str, rest: &str) {
        self.lines.push(rest.to_owned());
    }

    fn finish(self) -> Option<Graph> {
        (!self.lines.is_empty()).then(|| graph(&self.lines))
    }
}

/// The graph `lines` describe (each without its `tensorlings:onnx `), linked
/// and checked.
fn graph(lines: &[String]) -> Graph {
    let mut parsed = Parsed::new(lines);
    let mut linker = Linker::new(&parsed);
    for op in &parsed.operators {
        linker.operator(op, &mut parsed.nodes[op.index]);
    }
    for (i, node) in parsed.nodes.iter_mut().enumerate() {
        if node.role == OnnxRole::Output {
            linker.output(i, node, parsed.shapes[i].as_deref());
        }
    }
    for (name, why) in parsed.marks {
        if let Some(node) = parsed.nodes.iter_mut().find(|n| n.name == name) {
            node.mark = Some(why);
        }
    }
    for node in &mut parsed.nodes {
        node.name = clean(&node.name);
        node.mark = node.mark.as_deref().map(clean);
    }
    Graph::Onnx {
        nodes: parsed.nodes,
        edges: linker.edges,
        truncated: parsed.truncated,
    }
}

/// Links tensor names to the nodes that make them, and shapes through the
/// operators, into edges and marks.
struct Linker {
    /// Which node makes each tensor: an input, an initializer or an operator's output.
    producer: BTreeMap<String, usize>,
    shapes: BTreeMap<String, Shape>,
    edges: Vec<(usize, usize)>,
}

impl Linker {
    fn new(parsed: &Parsed) -> Linker {
        let mut producer = BTreeMap::new();
        let mut shapes = BTreeMap::new();
        for (i, node) in parsed.nodes.iter().enumerate() {
            if matches!(node.role, OnnxRole::Input | OnnxRole::Initializer) {
                producer.entry(node.name.clone()).or_insert(i);
                if let Some(shape) = &parsed.shapes[i] {
                    shapes.insert(node.name.clone(), shape.clone());
                }
            }
        }
        for op in &parsed.operators {
            for out in op.outputs.iter().filter(|o| !o.is_empty()) {
                producer.entry(out.clone()).or_insert(op.index);
            }
        }
        Linker {
            producer,
            shapes,
            edges: Vec::new(),
        }
    }

    fn edge(&mut self, edge: (usize, usize)) {
        if edge.0 != edge.1 && !self.edges.contains(&edge) {
            self.edges.push(edge);
        }
    }

    /// Shapes flow through the operators in the order they were printed,
    /// which is the order ONNX requires (topological).
    fn operator(&mut self, op: &Operator, node: &mut OnnxNode) {
        let mut missing = Vec::new();
        for input in op.inputs.iter().filter(|i| !i.is_empty()) {
            match self.producer.get(input) {
                Some(&from) => self.edge((from, op.index)),
                None => missing.push(format!("`{input}`")),
            }
        }
        if !missing.is_empty() {
            node.mark = Some(format!(
                "nothing in the graph produces {}",
                missing.join(", ")
            ));
            return;
        }
        let known: Vec<Option<&Shape>> = op
            .inputs
            .iter()
            .filter(|i| !i.is_empty())
            .map(|i| self.shapes.get(i))
            .collect();
        match infer(node.op.as_deref().unwrap_or(""), &known, &op.attrs) {
            Ok(Some(shape)) => {
                node.shape = Some(shape.iter().map(ToString::to_string).collect());
                if let Some(out) = op.outputs.first() {
                    self.shapes.insert(out.clone(), shape);
                }
            }
            Ok(None) => {}
            Err(why) => node.mark = Some(why),
        }
    }

    /// An output: linked to what makes it, its declared shape checked.
    fn output(&mut self, i: usize, node: &mut OnnxNode, declared: Option<&[Dim]>) {
        match self.producer.get(&node.name) {
            Some(&from) if from != i => {
                self.edge((from, i));
                if let (Some(declared), Some(made)) = (declared, self.shapes.get(&node.name))
                    && !same_shape(declared, made)
                {
                    node.mark = Some(format!(
                        "declared {}, but the graph makes {}",
                        shape_text(declared),
                        shape_text(made)
                    ));
                }
            }
            _ => node.mark = Some(format!("nothing in the graph produces `{}`", node.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_output(text: &str) -> Option<Graph> {
        super::super::reader::read_only::<OnnxReader>(text)
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
    fn escape_sequences_in_names_never_reach_the_terminal() {
        let (nodes, _) = onnx(
            "tensorlings:onnx input \u{1b}[2Jx 1x2\ntensorlings:onnx mark \u{1b}[2Jx bad\u{7}\n",
        );
        assert!(!nodes[0].name.contains('\u{1b}'), "{}", nodes[0].name);
        assert!(!nodes[0].mark.as_deref().unwrap().contains('\u{7}'));
    }

    #[test]
    fn matmul_checks_its_inner_sizes() {
        let text = "tensorlings:onnx input x 2x3\ntensorlings:onnx init w 4x5\n\
                    tensorlings:onnx node mm MatMul x,w y\ntensorlings:onnx output y 2x5\n";
        let (nodes, _) = onnx(text);
        assert_eq!(
            nodes[2].mark.as_deref(),
            Some("MatMul of 2×3 by 4×5: the inner sizes 3 and 4 differ")
        );
        let (nodes, _) = onnx(&text.replace("4x5", "3x5"));
        assert!(nodes.iter().all(|n| n.mark.is_none()), "{nodes:?}");
        assert_eq!(
            nodes[2].shape.as_deref(),
            Some(&["2".to_owned(), "5".to_owned()][..])
        );
    }
}
