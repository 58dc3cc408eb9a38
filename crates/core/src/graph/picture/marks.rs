//! What is marked in a graph or a timeline, as typed items the front ends
//! word and paint their own way.

use crate::graph::model::{Graph, short};
use crate::graph::timeline::Timeline;

/// Something marked in a picture, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Where: a node, a task or an instant.
    pub place: Place,
    /// What is wrong, in plain words.
    pub why: String,
}

/// Where a mark points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A node of a graph, by the name its box shows (or its op and value).
    Node(String),
    /// A task of a timeline, by its name.
    Task(String),
    /// An instant of a timeline (virtual ms).
    Instant(u64),
}

impl Place {
    /// Where, in words: `a`, `the tanh node (0.76)`, `p1`, `at 5 ms`.
    pub fn text(&self) -> String {
        match self {
            Place::Node(name) | Place::Task(name) => name.clone(),
            Place::Instant(at) => format!("at {at} ms"),
        }
    }
}

impl Mark {
    /// One per marked node of `graph`, in the nodes' order.
    pub fn in_graph(graph: &Graph) -> Vec<Mark> {
        let mark = |place: String, why: &Option<String>| {
            why.clone().map(|why| Mark {
                place: Place::Node(place),
                why,
            })
        };
        match graph {
            Graph::Autograd { nodes, .. } => nodes
                .iter()
                .filter_map(|n| {
                    let name = match (&n.label, n.op.as_str()) {
                        (Some(label), _) => label.clone(),
                        (None, op) => format!("the {op} node ({})", short(n.data)),
                    };
                    mark(name, &n.mark)
                })
                .collect(),
            Graph::Onnx { nodes, .. } => nodes
                .iter()
                .filter_map(|n| mark(n.name.clone(), &n.mark))
                .collect(),
        }
    }

    /// The marked tasks of `timeline`, then its instants.
    pub fn in_timeline(timeline: &Timeline) -> Vec<Mark> {
        let spans = timeline.spans.iter().filter_map(|s| {
            s.mark.clone().map(|why| Mark {
                place: Place::Task(s.name.clone()),
                why,
            })
        });
        let instants = timeline.marks.iter().map(|m| Mark {
            place: Place::Instant(m.at_ms),
            why: m.text.clone(),
        });
        spans.chain(instants).collect()
    }
}
