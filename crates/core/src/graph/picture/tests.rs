use super::*;
use crate::graph::model::Graph;
use crate::graph::pictures::read;
use crate::graph::timeline::Timeline;

fn graph(text: &str) -> Graph {
    read(text).pictures.graph.expect("a graph")
}

fn timeline(text: &str) -> Timeline {
    read(text).pictures.timeline.expect("a timeline")
}

/// The meaning of the cell at row `y`, column `x`.
fn meaning(picture: &Picture, y: usize, x: usize) -> Meaning {
    picture.rows()[y][x].meaning
}

/// The text of every cell of `picture` that means `wanted`, row by row.
fn only(picture: &Picture, wanted: Meaning) -> Vec<String> {
    picture
        .rows()
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| if c.meaning == wanted { c.ch } else { ' ' })
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect()
}

#[test]
fn a_chain_is_a_row_of_boxes_joined_by_arrows() {
    let picture = Picture::of_graph(&graph(
        "tensorlings:graph node x leaf 1 - x\n\
         tensorlings:graph node n neg -1 -\n\
         tensorlings:graph node e exp 0.36787944117144233 -\n\
         tensorlings:graph edge x n\ntensorlings:graph edge n e\n",
    ));
    assert_eq!(
        picture.text(),
        [
            "╭───╮   ╭────╮   ╭────────╮",
            "│x  │   │neg │   │exp     │",
            "│d 1│──▶│d -1│──▶│d 0.3679│",
            "│g ·│   │g · │   │g ·     │",
            "╰───╯   ╰────╯   ╰────────╯",
        ]
    );
    assert_eq!(meaning(&picture, 1, 1), Meaning::Name);
    assert_eq!(meaning(&picture, 1, 9), Meaning::Operator);
    assert_eq!(meaning(&picture, 2, 1), Meaning::Text);
    assert_eq!(meaning(&picture, 0, 0), Meaning::Border);
    assert_eq!(only(&picture, Meaning::Edge)[2], "     ──▶      ──▶");
    assert_eq!(picture.width(), 27);
}

#[test]
fn a_branch_joins_its_operands_and_sits_level_with_their_middle() {
    let picture = Picture::of_graph(&graph(
        "tensorlings:graph node 0 leaf 2 -3 a\n\
         tensorlings:graph node 1 leaf -3 2 b\n\
         tensorlings:graph node 2 * -6 1\n\
         tensorlings:graph node 3 leaf 10 1 c\n\
         tensorlings:graph node 4 + 4 1\n\
         tensorlings:graph edge 0 2\ntensorlings:graph edge 1 2\n\
         tensorlings:graph edge 2 4\ntensorlings:graph edge 3 4\n",
    ));
    assert_eq!(
        picture.text(),
        [
            "╭────╮",
            "│a   │",
            "│d 2 │─┐",
            "│g -3│ │  ╭────╮",
            "╰────╯ │  │×   │",
            "       ├─▶│d -6│─┐",
            "╭────╮ │  │g 1 │ │  ╭───╮",
            "│b   │ │  ╰────╯ │  │+  │",
            "│d -3│─┘         ├─▶│d 4│",
            "│g 2 │    ╭────╮ │  │g 1│",
            "╰────╯    │c   │ │  ╰───╯",
            "          │d 10│─┘",
            "          │g 1 │",
            "          ╰────╯",
        ]
    );
    assert!(
        picture
            .rows()
            .iter()
            .flatten()
            .all(|c| !matches!(c.meaning, Meaning::MarkedBorder | Meaning::MarkedTitle)),
        "nothing is marked"
    );
    assert_eq!(
        Mark::in_graph(&graph("tensorlings:graph node a leaf 1 -\n")),
        []
    );
}

#[test]
fn an_onnx_model_with_a_marked_node_draws_it_heavy_and_lists_it() {
    let graph = graph(
        "tensorlings:onnx input x batchx3\n\
         tensorlings:onnx init w 2x3\n\
         tensorlings:onnx node linear Gemm x,w y\n\
         tensorlings:onnx output y batchx2\n",
    );
    let picture = Picture::of_graph(&graph);
    assert_eq!(
        picture.text(),
        [
            "╭───────╮",
            "│input  │",
            "│x      │─┐",
            "│batch×3│ │  ┏━━━━━━┓   ╭───────╮",
            "╰───────╯ │  ┃✗ Gemm┃   │output │",
            "          ├─▶┃linear┃──▶│y      │",
            "╭───────╮ │  ┃      ┃   │batch×2│",
            "│init   │ │  ┗━━━━━━┛   ╰───────╯",
            "│w      │─┘",
            "│2×3    │",
            "╰───────╯",
        ]
    );
    assert_eq!(
        only(&picture, Meaning::MarkedBorder)[3..8],
        [
            "             ┏━━━━━━┓",
            "             ┃      ┃",
            "             ┃      ┃",
            "             ┃      ┃",
            "             ┗━━━━━━┛",
        ]
    );
    assert_eq!(
        only(&picture, Meaning::MarkedTitle)[4],
        "              ✗ Gemm"
    );
    assert_eq!(
        Mark::in_graph(&graph),
        [Mark {
            place: Place::Node("linear".into()),
            why: "Gemm of batch×3 by 2×3: the inner sizes 3 and 2 differ".into(),
        }]
    );
}

#[test]
fn an_unnamed_marked_node_is_named_by_its_op_and_value() {
    let graph = graph(
        "tensorlings:graph node a leaf 2 - a\ntensorlings:graph node s * 5 -\n\
         tensorlings:graph edge a s\ntensorlings:graph edge a s\n",
    );
    let marks = Mark::in_graph(&graph);
    assert_eq!(marks[0].place.text(), "the * node (5)");
    assert_eq!(
        marks[0].why,
        "its value is 5, but * of its operands gives 4"
    );
}

#[test]
fn a_timeline_draws_a_running_task_to_the_edge_and_marks_instants() {
    let timeline = timeline(
        "tensorlings:span p0 0 10\n\
         tensorlings:span p1 0 100\n\
         tensorlings:span slow 50 - still running after shutdown\n\
         tensorlings:mark 0 3 in flight; the limit is 2\n",
    );
    let picture = Picture::of_timeline(&timeline, 40);
    assert_eq!(
        picture.text(),
        [
            "p0   │███                     │ 0–10 ms",
            "p1   │████████████████████████│ 0–100 ms",
            "slow │           ▒▒▒▒▒▒▒▒▒▒▒▒→│ 50 ms–",
            "     │▲                       │",
            "      0 ms              100 ms",
        ]
    );
    let finished = Meaning::Bar {
        running: false,
        marked: false,
    };
    let running = Meaning::Bar {
        running: true,
        marked: true,
    };
    assert_eq!(only(&picture, finished)[0], "      ███");
    assert_eq!(only(&picture, running)[2], "                 ▒▒▒▒▒▒▒▒▒▒▒▒→");
    assert_eq!(only(&picture, Meaning::Instant)[3], "      ▲");
    assert_eq!(only(&picture, Meaning::Task)[2], "slow");
    assert_eq!(
        only(&picture, Meaning::Axis)[4],
        "      0 ms              100 ms"
    );
    assert_eq!(
        Mark::in_timeline(&timeline)
            .iter()
            .map(|m| format!("{}: {}", m.place.text(), m.why))
            .collect::<Vec<_>>(),
        [
            "slow: still running after shutdown",
            "at 0 ms: 3 in flight; the limit is 2"
        ]
    );
}

#[test]
fn a_long_timeline_is_cut_and_says_so() {
    let text = (0..30)
        .map(|i| format!("tensorlings:span t{i} {i} {}", i + 1))
        .collect::<Vec<_>>()
        .join("\n");
    let picture = Picture::of_timeline(&timeline(&text), 40);
    assert_eq!(picture.rows().len(), 24 + 2);
    let last = picture.text().pop().unwrap();
    assert_eq!(last, "and 6 more tasks not drawn");
    assert_eq!(only(&picture, Meaning::Cut).pop().unwrap(), last);
}

#[test]
fn runs_group_cells_by_meaning() {
    let picture = Picture::of_timeline(&timeline("tensorlings:span ab 0 1\n"), 30);
    let runs: Vec<(String, Meaning)> = Picture::runs(&picture.rows()[0]);
    assert_eq!(runs[0], ("ab".to_owned(), Meaning::Task));
    assert_eq!(runs[1], (" ".to_owned(), Meaning::Blank));
    assert_eq!(runs[2], ("│".to_owned(), Meaning::Axis));
    assert_eq!(
        runs.iter().map(|(t, _)| t.as_str()).collect::<String>(),
        picture.text()[0]
    );
}

#[test]
fn nothing_to_draw_is_an_empty_picture() {
    let empty = Graph::Autograd {
        nodes: Vec::new(),
        edges: Vec::new(),
        truncated: false,
    };
    assert!(Picture::of_graph(&empty).is_empty());
    assert!(Picture::of_timeline(&Timeline::default(), 80).is_empty());
}
