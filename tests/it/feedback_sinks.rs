//! One failure, one layout: the same feedback document printed into each
//! sink — the plain text of `grade` and `JUnit`, `check`'s terminal text, the
//! app's lines — reads the same, line for line, in the same order.

use ratatui::text::Line;
use tensorlings::cli::output::{Paint, Terminal};
use tensorlings::feedback::Feedback;
use tensorlings::feedback::render::render;
use tensorlings::feedback::text::{Plain, TextSink};
use tensorlings::runner::{Ending, Phase, Report, Stop};
use tensorlings::tui::content::document::Lines;

use crate::support::app::{add_fails, fixture_course};

/// A ONNX model whose Gemm's inner sizes differ: a marked picture.
const MISMATCH: &str = "tensorlings:onnx input x batchx3\n\
    tensorlings:onnx init w 2x3\n\
    tensorlings:onnx node linear Gemm x,w y\n\
    tensorlings:onnx output y batchx2\n";

/// A failed assertion with the lesson's note and a place, a marked picture,
/// a crash's note and a test that passed.
fn report() -> Report {
    let mut report = add_fails();
    report.tests[0].graph = tensorlings::graph::read(MISMATCH).pictures.graph;
    assert!(report.tests[0].graph.is_some());
    report.ending = Ending::Stopped(Stop::Signal {
        signal: 6,
        during: Phase::Testing {
            test: Some("adds_zero".to_owned()),
        },
    });
    report.said = Some("memory allocation of 8 bytes failed".to_owned());
    report.output_truncated = true;
    report
}

fn app_text(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect()
}

fn text_lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim_end().to_owned()).collect()
}

#[test]
fn every_sink_prints_the_same_failure_picture_and_notes_in_the_same_order() {
    let course = fixture_course();
    let exercise = course.exercise("add").expect("the fixture's add");
    let report = report();
    let feedback = Feedback::new(exercise, &report);
    let name = "exercises/01-basics/add.rs";

    let mut plain = TextSink::new(Plain);
    render(&feedback, name, &mut plain);
    let plain = text_lines(&plain.finish());

    let mut terminal = TextSink::new(Terminal::new(Paint::new(false), "add"));
    render(&feedback, name, &mut terminal);
    let terminal = text_lines(&terminal.finish());

    // Wide enough that nothing wraps.
    let mut app = Lines::new(400, None, name);
    render(&feedback, name, &mut app);
    let app = app_text(&app.finish());

    assert_eq!(plain, terminal, "grade's text and check's text differ");
    assert_eq!(plain, app, "grade's text and the app's lines differ");

    // And the order is the one layout's: headline, the marked picture and
    // its mark, the failure (message, sides, the lesson's note, the place),
    // the notes, the passed test.
    let anchors = [
        "✗ add: 1 of 2 hidden tests failed",
        "The model graph in adds_small_numbers",
        "✗ linear: Gemm of batch×3 by 2×3",
        "✗ adds_small_numbers",
        "assertion `left == right` failed: 2 + 3",
        "left:  -1",
        "right: 5",
        "The test process aborted (SIGABRT)",
        "it said: memory allocation of 8 bytes failed",
        "The tests printed more than 1 MiB",
        "✓ adds_zero",
    ];
    let mut at = 0;
    for anchor in anchors {
        let found = plain[at..]
            .iter()
            .position(|line| line.contains(anchor))
            .unwrap_or_else(|| {
                panic!(
                    "`{anchor}` missing or out of order in:\n{}",
                    plain.join("\n")
                )
            });
        at += found;
    }
}
