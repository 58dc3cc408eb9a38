//! The app's screens, drawn with ratatui's `TestBackend` and kept as insta
//! snapshots (tests/snapshots/). Reports are made by hand, so nothing here
//! compiles anything. Review a changed snapshot as a learner would see it.

use crate::support::app::{
    add_fails, add_passes, app, app_on, check_with, fixture_course, key, mean_does_not_compile,
    panic, press, report, screen, started_check, test,
};
use crossterm::event::KeyCode;
use insta::assert_snapshot;
use ratatui::style::Color;
use std::fmt::Write as _;
use tensorlings::course::progress::Progress;
use tensorlings::deps::DepSet;
use tensorlings::runner::{Ending, Phase, Place, SpanFile, Stop, TestOutcome};
use tensorlings::runner::{Report, Status};
use tensorlings::tui::content::ColorMode;
use tensorlings::tui::event::{Event, PrepEvent};

#[test]
fn course_view_at_80x24() {
    let mut app = app(80, 24);
    app.update(press(KeyCode::Enter));
    assert_snapshot!(screen(&app));
}

#[test]
fn lesson_prose() {
    let app = app(100, 30);
    assert_snapshot!(screen(&app));
}

#[test]
fn compile_error_feedback() {
    let mut app = app(100, 30);
    app.update(key('j'));
    check_with(&mut app, mean_does_not_compile());
    assert_snapshot!(screen(&app));
}

#[test]
fn the_exercise_marks_the_lines_in_error() {
    let mut app = app(80, 24);
    app.update(key('j'));
    check_with(&mut app, mean_does_not_compile());
    app.update(key('2'));
    assert_snapshot!(screen(&app));
}

#[test]
fn failed_test_feedback() {
    let mut app = app(100, 30);
    check_with(&mut app, add_fails());
    assert_snapshot!(screen(&app));
}

#[test]
fn tests_stopped_by_the_same_todo_show_it_once() {
    let mut app = app(100, 30);
    let stopped = |name: &str| {
        let mut t = test(name, false);
        panic(&mut t).message = String::from("not yet implemented");
        panic(&mut t).location = Some(Place {
            file: SpanFile::Learner,
            line: 3,
            column: 5,
        });
        t
    };
    let mut report = report(Status::TestsFailed);
    report.tests = vec![stopped("adds_small_numbers"), stopped("adds_zero")];
    check_with(&mut app, report);
    let screen = screen(&app);
    assert_eq!(screen.matches("not yet implemented").count(), 1, "{screen}");
    assert!(
        screen.contains(tensorlings::feedback::words::SAME_PANIC),
        "{screen}"
    );
    assert_snapshot!(screen);
}

#[test]
fn passed() {
    let mut app = app(100, 30);
    check_with(&mut app, add_passes());
    assert_snapshot!(screen(&app));
}

#[test]
fn hints() {
    let mut app = app(100, 30);
    check_with(&mut app, add_fails());
    app.update(key('h'));
    app.update(key('h'));
    assert_snapshot!(screen(&app));
}

#[test]
fn solution_beside_the_learners_code() {
    let mut app = app(100, 30);
    check_with(&mut app, add_passes());
    app.update(key('s'));
    assert_snapshot!(screen(&app));
}

#[test]
fn help() {
    let mut app = app(80, 24);
    app.update(Event::About(
        "Sandbox: without seccomp here, so learner code is less contained (tensorlings doctor)."
            .to_owned(),
    ));
    app.update(key('?'));
    assert_snapshot!(screen(&app));
}

#[test]
fn too_small() {
    let app = app(50, 12);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_check_in_progress() {
    let mut app = app(80, 24);
    check_with(&mut app, add_fails());
    app.update(key('c'));
    let run = started_check(&mut app);
    app.update(Event::Progress {
        run,
        event: tensorlings::runner::Milestone::Testing,
    });
    assert_snapshot!(screen(&app));
}

#[test]
fn timeouts_crashes_and_output_caps_in_plain_words() {
    let mut app = app(100, 30);
    let mut stopped = report(Status::TimedOut);
    let mut slow = test("adds_zero", false);
    slow.outcome = TestOutcome::DidNotFinish;
    stopped.tests = vec![test("adds_small_numbers", true), slow];
    stopped.output_truncated = true;
    check_with(&mut app, stopped);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_crash_in_plain_words() {
    let mut app = app(100, 30);
    let mut stopped = report(Status::TestsFailed);
    let mut slow = test("adds_zero", false);
    slow.outcome = TestOutcome::DidNotFinish;
    stopped.tests = vec![test("adds_small_numbers", true), slow];
    stopped.ending = Ending::Stopped(Stop::Signal {
        signal: 9,
        during: Phase::Testing {
            test: Some("adds_zero".to_owned()),
        },
    });
    check_with(&mut app, stopped);
    assert_snapshot!(screen(&app));
}

#[test]
fn training_loss_chart() {
    let mut app = app(100, 30);
    let mut trained = add_fails();
    let curve: Vec<(u64, f64)> = (0..=20u32)
        .map(|step| (u64::from(step) * 10, 2.0 / (1.0 + f64::from(step))))
        .collect();
    trained
        .losses
        .insert("adds_small_numbers".to_owned(), curve);
    check_with(&mut app, trained);
    assert_snapshot!(screen(&app));
}

#[test]
fn ml_crates_build_in_the_background_and_checks_wait() {
    let mut course = fixture_course();
    course.lessons[0].exercises[1].deps = DepSet::Ml;
    let mut app = app_on(course, Progress::new(), 100, 30);
    let sets = app.plan_deps(|_| false);
    assert_eq!(sets, [DepSet::Ml]);
    app.update(Event::Prep(PrepEvent::Started {
        set: DepSet::Ml,
        total: DepSet::Ml.crate_count(),
    }));
    for name in ["libc", "serde", "half"] {
        app.update(Event::Prep(PrepEvent::Compiled {
            set: DepSet::Ml,
            name: name.to_owned(),
        }));
    }
    app.update(key('j'));
    app.update(key('c'));
    assert!(
        app.take_effects().is_empty(),
        "the check waits for the ml crates"
    );
    // The count comes from the ml lockfile; the snapshot keeps it out.
    let total = DepSet::Ml.crate_count().to_string();
    assert_snapshot!(screen(&app).replace(&total, "NNN"));
}

#[test]
fn no_color_means_no_colour_at_all() {
    let mut app = app(100, 30).with_colors(ColorMode::Off);
    check_with(&mut app, add_fails());
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| tensorlings::tui::ui::draw(frame, &app.screen()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset)
    );
    // Colour is not the only signal: the selected tab is reversed.
    assert!(
        buffer
            .content
            .iter()
            .any(|cell| cell.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
}

#[test]
fn go_to_box() {
    let mut app = app(80, 24);
    app.update(key('/'));
    app.update(key('m'));
    assert_snapshot!(screen(&app));
}

#[test]
fn reset_question() {
    let mut app = app(80, 24);
    app.update(key('R'));
    assert_snapshot!(screen(&app));
}

/// `a * b + c` after backward, with the product's gradients as given.
fn abc_graph(a_grad: f64, b_grad: f64) -> String {
    format!(
        "tensorlings:graph node 0 leaf 2 {a_grad} a\n\
         tensorlings:graph node 1 leaf -3 {b_grad} b\n\
         tensorlings:graph node 2 * -6 1\n\
         tensorlings:graph node 3 leaf 10 1 c\n\
         tensorlings:graph node 4 + 4 1\n\
         tensorlings:graph edge 0 2\ntensorlings:graph edge 1 2\n\
         tensorlings:graph edge 2 4\ntensorlings:graph edge 3 4\n"
    )
}

/// The neuron `tanh(x1*w1 + x2*w2 + b)` after backward, as autograd5 draws it.
fn neuron_graph() -> String {
    let (x1, w1, x2, w2, b) = (
        2.0_f64,
        -3.0_f64,
        0.0_f64,
        1.0_f64,
        6.881_373_587_019_543_f64,
    );
    let (m1, m2) = (x1 * w1, x2 * w2);
    let s = m1 + m2;
    let n = s + b;
    let o = n.tanh();
    let dn = 1.0 - o * o;
    let nodes = [
        ("x1", "leaf", x1, w1 * dn, "x1"),
        ("w1", "leaf", w1, x1 * dn, "w1"),
        ("x2", "leaf", x2, w2 * dn, "x2"),
        ("w2", "leaf", w2, x2 * dn, "w2"),
        ("m1", "*", m1, dn, ""),
        ("m2", "*", m2, dn, ""),
        ("s", "+", s, dn, ""),
        ("b", "leaf", b, dn, "b"),
        ("n", "+", n, dn, ""),
        ("o", "tanh", o, 1.0, ""),
    ];
    let mut text = String::new();
    for (id, op, data, grad, label) in nodes {
        writeln!(
            text,
            "tensorlings:graph node {id} {op} {data} {grad} {label}"
        )
        .unwrap();
    }
    for (from, to) in [
        ("x1", "m1"),
        ("w1", "m1"),
        ("x2", "m2"),
        ("w2", "m2"),
        ("m1", "s"),
        ("m2", "s"),
        ("s", "n"),
        ("b", "n"),
        ("n", "o"),
    ] {
        writeln!(text, "tensorlings:graph edge {from} {to}").unwrap();
    }
    text
}

fn with_graph(mut report: Report, test_name: &str, passed: bool, output: &str) -> Report {
    let mut result = test(test_name, passed);
    if !passed {
        panic(&mut result).message = String::from("the gradient of a is wrong");
    }
    result.graph = tensorlings::graph::read(output).pictures.graph;
    assert!(result.graph.is_some());
    report.tests = vec![result];
    report
}

#[test]
fn autograd_graph_after_backward() {
    let mut app = app(100, 30);
    let report = with_graph(
        add_passes(),
        "adds_small_numbers",
        true,
        &abc_graph(-3.0, 2.0),
    );
    check_with(&mut app, report);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_broken_chain_rule_is_marked_where_it_breaks() {
    let mut app = app(100, 30);
    let report = with_graph(
        add_fails(),
        "adds_small_numbers",
        false,
        &abc_graph(2.0, -3.0),
    );
    check_with(&mut app, report);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_broken_chain_rule_at_80x24() {
    let mut app = app(80, 24);
    let report = with_graph(
        add_fails(),
        "adds_small_numbers",
        false,
        &abc_graph(2.0, -3.0),
    );
    check_with(&mut app, report);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_neuron_at_100x30_and_scrolled_down() {
    let mut app = app(100, 30);
    let report = with_graph(add_passes(), "adds_small_numbers", true, &neuron_graph());
    check_with(&mut app, report);
    app.update(press(KeyCode::Tab));
    for _ in 0..6 {
        app.update(key('j'));
    }
    assert_snapshot!(screen(&app));
}

#[test]
fn a_wide_graph_scrolls_sideways() {
    let mut app = app(80, 24);
    let report = with_graph(add_passes(), "adds_small_numbers", true, &neuron_graph());
    check_with(&mut app, report);
    let before = screen(&app);
    assert!(before.contains("< > scroll it sideways"), "{before}");
    app.update(key('>'));
    let after = screen(&app);
    assert_ne!(before, after, "> moves the drawing");
    // Never past the end: many presses stop where the right edge shows.
    for _ in 0..50 {
        app.update(key('>'));
    }
    assert_snapshot!(screen(&app));
    assert!(
        app.scroll().graph_x > 0 && app.scroll().graph_x < 50,
        "{}",
        app.scroll().graph_x
    );
    for _ in 0..50 {
        app.update(key('<'));
    }
    // Back where it started (the status line aside: a key press clears it).
    let rows = |s: &str| {
        s.lines()
            .rev()
            .skip(1)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&screen(&app)), rows(&before));
}

#[test]
fn onnx_graph_with_a_shape_mismatch() {
    let mut app = app(100, 30);
    let model = "tensorlings:onnx input x batchx3\n\
        tensorlings:onnx init linear.weight 2x3\n\
        tensorlings:onnx init linear.bias 2\n\
        tensorlings:onnx node linear Gemm x,linear.weight,linear.bias y\n\
        tensorlings:onnx output y batchx2\n";
    let report = with_graph(add_fails(), "adds_small_numbers", false, model);
    check_with(&mut app, report);
    assert_snapshot!(screen(&app));
}

#[test]
fn a_marked_graph_without_colour_still_shows_the_mark() {
    let mut app = app(100, 30).with_colors(ColorMode::Off);
    let report = with_graph(
        add_fails(),
        "adds_small_numbers",
        false,
        &abc_graph(2.0, -3.0),
    );
    check_with(&mut app, report);
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| tensorlings::tui::ui::draw(frame, &app.screen()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset)
    );
    let text = screen(&app);
    assert!(text.contains('┏') && text.contains("✗ a"), "{text}");
}

/// Twelve calls at once where the limit is 4, and a call still running.
fn crowded_timeline() -> String {
    let mut text = String::new();
    for i in 0..11 {
        writeln!(text, "tensorlings:span p{i} 0 {}", 100 + i * 10).unwrap();
    }
    text.push_str("tensorlings:span p11 50 - still running after shutdown\n");
    text.push_str("tensorlings:mark 0 12 in flight at once; the limit is 4\n");
    text
}

fn with_timeline(mut report: Report, output: &str) -> Report {
    let mut result = test("no_more_than_the_limit_are_in_flight", false);
    panic(&mut result).message =
        String::from("12 requests were in flight at once at t=0 ms; the limit is 4");
    result.timeline = tensorlings::graph::read(output).pictures.timeline;
    assert!(result.timeline.is_some());
    report.tests = vec![result];
    report
}

#[test]
fn a_timeline_marks_the_instant_a_rule_broke() {
    let mut app = app(100, 30);
    check_with(&mut app, with_timeline(add_fails(), &crowded_timeline()));
    assert_snapshot!(screen(&app));
}

#[test]
fn a_timeline_at_80x24() {
    let mut app = app(80, 24);
    check_with(&mut app, with_timeline(add_fails(), &crowded_timeline()));
    assert_snapshot!(screen(&app));
}

#[test]
fn a_timeline_without_colour_still_shows_what_broke() {
    let mut app = app(100, 30).with_colors(ColorMode::Off);
    check_with(&mut app, with_timeline(add_fails(), &crowded_timeline()));
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|frame| tensorlings::tui::ui::draw(frame, &app.screen()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset)
    );
    let text = screen(&app);
    assert!(
        text.contains('▲') && text.contains("✗ at 0 ms: 12 in flight") && text.contains('→'),
        "{text}"
    );
    assert_snapshot!(text);
}
