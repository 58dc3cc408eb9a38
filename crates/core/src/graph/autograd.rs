//! Autograd graphs: scalars and the operations between them, as a test
//! prints them after (or before) `backward`:
//!
//! ```text
//! tensorlings:graph begin                          (a new graph: the last one wins)
//! tensorlings:graph node <id> <op> <data> <grad or -> [<label>]
//! tensorlings:graph edge <from id> <to id>          (operands in order)
//! ```
//!
//! The runner evaluates the graph again with its own arithmetic and takes
//! central finite differences through it, so a node whose gradient
//! disagrees is marked, and the first one on the way back from the output
//! is where the chain rule broke. These lines only draw a picture: nothing
//! in them can change a verdict.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{AutogradNode, Graph, MAX_NODES, short};
use super::protocol::clean;
use super::reader::Reader;

/// An operation of an autograd node, as far as the runner knows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// A value the graph starts from.
    Leaf,
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `-a`.
    Neg,
    /// `tanh(a)`.
    Tanh,
    /// `max(a, 0)`.
    Relu,
    /// `e^a`.
    Exp,
    /// `a^p`, written `pow:<p>`.
    Pow(f64),
    /// Anything else: drawn, not checked.
    Other,
}

impl Op {
    /// The operation a test wrote.
    pub fn parse(op: &str) -> Op {
        match op {
            "leaf" => Op::Leaf,
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "neg" => Op::Neg,
            "tanh" => Op::Tanh,
            "relu" => Op::Relu,
            "exp" => Op::Exp,
            op => op
                .strip_prefix("pow:")
                .and_then(|p| p.parse().ok())
                .map_or(Op::Other, Op::Pow),
        }
    }
}

/// Reads `graph` lines: the last graph a test began.
#[derive(Debug, Default)]
pub struct AutogradReader {
    lines: Vec<String>,
}

impl Reader for AutogradReader {
    const WORDS: &'static [&'static str] = &["graph"];
    type Output = Option<Graph>;

    fn line(&mut self, _word: &str, rest: &str) {
        self.lines.push(rest.to_owned());
    }

    fn finish(self) -> Option<Graph> {
        (!self.lines.is_empty()).then(|| graph(&self.lines))
    }
}

/// The graph `lines` describe (each without its `tensorlings:graph `), checked.
fn graph(lines: &[String]) -> Graph {
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
fn apply(op: Op, operands: &[f64]) -> Option<f64> {
    Some(match (op, operands) {
        (Op::Add, [a, b]) => a + b,
        (Op::Sub, [a, b]) => a - b,
        (Op::Mul, [a, b]) => a * b,
        (Op::Div, [a, b]) => a / b,
        (Op::Neg, [a]) => -a,
        (Op::Tanh, [a]) => a.tanh(),
        (Op::Relu, [a]) => a.max(0.0),
        (Op::Exp, [a]) => a.exp(),
        (Op::Pow(p), [a]) => a.powf(p),
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
    let wiring = Wiring { edges, order };
    check_values(nodes, &wiring);
    // Backward: only when backward ran and there is one output.
    let sinks: Vec<usize> = (0..nodes.len())
        .filter(|&n| edges.iter().all(|&(from, _)| from != n))
        .collect();
    let [output] = sinks.as_slice() else { return };
    if nodes.iter().any(|n| n.grad.is_none()) || nodes.iter().any(|n| n.mark.is_some()) {
        return;
    }
    let mut wrong = vec![false; nodes.len()];
    for n in 0..nodes.len() {
        let expected = wiring.gradient(nodes, n, *output);
        let grad = nodes[n].grad.unwrap_or_default();
        nodes[n].expected_grad =
            expected.filter(|e| e.is_finite() && (grad - e).abs() > 1e-4 + 1e-3 * e.abs());
        wrong[n] = nodes[n].expected_grad.is_some();
    }
    mark_gradients(nodes, edges, &wrong, *output);
}

/// The edges, and the nodes in an order where operands come first.
struct Wiring<'a> {
    edges: &'a [(usize, usize)],
    order: Vec<usize>,
}

impl Wiring<'_> {
    /// The operands of node `n`, in order.
    fn operands(&self, n: usize) -> Vec<usize> {
        self.edges
            .iter()
            .filter(|&&(_, to)| to == n)
            .map(|&(from, _)| from)
            .collect()
    }

    /// The output's value with node `changed` set to `value`, or `None`
    /// where the runner cannot tell (an unknown op, relu at its kink).
    fn evaluate(
        &self,
        nodes: &[AutogradNode],
        changed: usize,
        value: f64,
        output: usize,
    ) -> Option<f64> {
        let mut values: Vec<f64> = nodes.iter().map(|n| n.data).collect();
        values[changed] = value;
        let mut dirty = vec![false; nodes.len()];
        dirty[changed] = true;
        for &n in &self.order {
            let args = self.operands(n);
            if n == changed || !args.iter().any(|&a| dirty[a]) {
                continue;
            }
            let op = Op::parse(&nodes[n].op);
            // relu has no derivative at 0: a difference across the kink
            // says nothing, so such a graph is not judged.
            if op == Op::Relu && args.iter().any(|&a| nodes[a].data.abs() < 1e-4) {
                return None;
            }
            let inputs: Vec<f64> = args.iter().map(|&a| values[a]).collect();
            values[n] = apply(op, &inputs)?;
            dirty[n] = true;
        }
        Some(values[output])
    }

    /// The gradient of the output by node `n`, by central finite differences.
    fn gradient(&self, nodes: &[AutogradNode], n: usize, output: usize) -> Option<f64> {
        let x = nodes[n].data;
        let step = 1e-6 * x.abs().max(1.0);
        let up = self.evaluate(nodes, n, x + step, output)?;
        let down = self.evaluate(nodes, n, x - step, output)?;
        Some((up - down) / (2.0 * step))
    }
}

/// Forward: each computed node against its operands' recorded values.
fn check_values(nodes: &mut [AutogradNode], wiring: &Wiring<'_>) {
    for &n in &wiring.order {
        let op = Op::parse(&nodes[n].op);
        if op == Op::Leaf {
            continue;
        }
        let args: Vec<f64> = wiring.operands(n).iter().map(|&a| nodes[a].data).collect();
        if let Some(expected) = apply(op, &args)
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
    match Op::parse(op) {
        Op::Add => "the sum (+)".to_owned(),
        Op::Sub => "the difference (−)".to_owned(),
        Op::Mul => "the product (×)".to_owned(),
        Op::Div => "the quotient (÷)".to_owned(),
        Op::Neg => "the negation".to_owned(),
        _ => op
            .strip_prefix("pow:")
            .map_or_else(|| op.to_owned(), |p| format!("the power ^{p}")),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 + 1e-6 * b.abs() || (a.is_nan() && b.is_nan())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_output(text: &str) -> Option<Graph> {
        super::super::reader::read_only::<AutogradReader>(text)
    }

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
        let text = "tensorlings:graph node a leaf 1 - \u{1b}]0;owned\u{7}\n";
        let nodes = autograd(text);
        let label = nodes[0].label.as_deref().unwrap();
        assert!(
            !label.contains('\u{1b}') && label.contains("\\u{1b}"),
            "{label}"
        );
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

    #[test]
    fn ops_are_read_as_the_runner_knows_them() {
        assert_eq!(Op::parse("pow:2"), Op::Pow(2.0));
        assert_eq!(Op::parse("pow:x"), Op::Other);
        assert_eq!(Op::parse("*"), Op::Mul);
        assert_eq!(Op::parse("sigmoid"), Op::Other);
        assert_eq!(op_name("pow:3"), "the power ^3");
        assert_eq!(op_name("sigmoid"), "sigmoid");
    }
}
