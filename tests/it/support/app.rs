//! Shared by the app's tests: the fixture course, hand-made reports, key
//! events, and rendering an app to text with ratatui's `TestBackend`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tensorlings::course::Course;
use tensorlings::course::progress::Progress;
use tensorlings::runner::{
    Diagnostic, Ending, Level, Panic, Phase, Place, Report, Span, SpanFile, Status, Stop,
    TestOutcome, TestResult,
};
use tensorlings::session::Session;
use tensorlings::tui::app::{App, Effect};
use tensorlings::tui::content::ColorMode;
use tensorlings::tui::event::Event;
use tensorlings::tui::ui;

/// The tiny std-only course under tests/fixtures/tui-course.
pub fn fixture() -> PathBuf {
    super::fixture("tui-course")
}

/// The app on the fixture course with fresh progress (kept in memory).
pub fn app(cols: u16, rows: u16) -> App {
    app_with(Progress::new(), cols, rows)
}

/// The app on the fixture course with `progress` (kept in memory).
pub fn app_with(progress: Progress, cols: u16, rows: u16) -> App {
    app_on(fixture_course(), progress, cols, rows)
}

/// The fixture course, to change before making an app on it.
pub fn fixture_course() -> Course {
    Course::load(&fixture()).expect("the fixture course loads")
}

/// The app on `course` with `progress` (kept in memory).
pub fn app_on(course: Course, progress: Progress, cols: u16, rows: u16) -> App {
    App::new(
        Session::in_memory(course, progress),
        Rect::new(0, 0, cols, rows),
        ColorMode::Ansi256,
    )
    .expect("an app")
}

/// A key press.
pub fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A press of a named key.
pub fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The app drawn into a terminal of its size, as text.
pub fn screen(app: &App) -> String {
    let backend = TestBackend::new(app.size().width, app.size().height);
    let mut terminal = Terminal::new(backend).expect("a test terminal");
    terminal
        .draw(|frame| ui::draw(frame, &app.screen()))
        .expect("drawing");
    terminal.backend().to_string()
}

/// The run number of the check `update` just asked for.
pub fn started_check(app: &mut App) -> u64 {
    let effects = app.take_effects();
    match effects.as_slice() {
        [Effect::Check { run, .. }] => *run,
        other => panic!("expected one check to start, got {other:?}"),
    }
}

/// Presses `c` and finishes that check with `report`.
pub fn check_with(app: &mut App, report: Report) {
    app.update(key('c'));
    let run = started_check(app);
    app.update(Event::Finished {
        run,
        outcome: Ok(Box::new(report)),
    });
}

/// A report with nothing in it yet.
pub fn report(status: Status) -> Report {
    let ending = match status {
        Status::Passed => Ending::Passed,
        Status::CompileError => Ending::CompileError,
        Status::TestsFailed => Ending::TestsFailed,
        Status::TimedOut => Ending::Stopped(Stop::Timeout {
            phase: Phase::Testing { test: None },
            after: Duration::from_secs(10),
        }),
    };
    Report {
        ending,
        tests: Vec::new(),
        diagnostics: Vec::new(),
        said: None,
        output_truncated: false,
        losses: BTreeMap::new(),
        timeout: Duration::from_secs(10),
        duration: Duration::from_millis(420),
        test_duration: Duration::from_millis(12),
        sandbox: Vec::new(),
        learner_tests: None,
        timings: Vec::new(),
        with_grading_tests: false,
    }
}

/// A test result.
pub fn test(name: &str, passed: bool) -> TestResult {
    TestResult {
        name: name.to_owned(),
        outcome: if passed {
            TestOutcome::Passed
        } else {
            TestOutcome::Failed(Panic::default())
        },
        output: String::new(),
        graph: None,
        timeline: None,
    }
}

/// The panic of a failed test, to fill in (a test that did not fail by a
/// panic becomes one that did).
pub fn panic(test: &mut TestResult) -> &mut Panic {
    if !matches!(test.outcome, TestOutcome::Failed(_)) {
        test.outcome = TestOutcome::Failed(Panic::default());
    }
    match &mut test.outcome {
        TestOutcome::Failed(panic) => panic,
        _ => unreachable!(),
    }
}

/// What the fixture's `add` starter gets: one assertion fails.
pub fn add_fails() -> Report {
    let mut failed = test("adds_small_numbers", false);
    let panic = panic(&mut failed);
    panic.message = String::from("assertion `left == right` failed: 2 + 3");
    panic.left = Some("-1".to_owned());
    panic.right = Some("5".to_owned());
    panic.location = Some(Place {
        file: SpanFile::HiddenTests,
        line: 5,
        column: 5,
    });
    let mut report = report(Status::TestsFailed);
    report.tests = vec![failed, test("adds_zero", true)];
    report
}

/// What the fixture's `add` solution gets.
pub fn add_passes() -> Report {
    let mut report = report(Status::Passed);
    report.tests = vec![test("adds_small_numbers", true), test("adds_zero", true)];
    report
}

/// A span in a file.
pub fn span(file: SpanFile, line: usize, from: usize, to: usize, label: &str) -> Span {
    Span {
        file,
        line_start: line,
        line_end: line,
        column_start: from,
        column_end: to,
        is_primary: true,
        label: Some(label.to_owned()),
    }
}

/// What the fixture's `mean` starter gets: it divides an f64 by a usize.
pub fn mean_does_not_compile() -> Report {
    let mut report = report(Status::CompileError);
    report.diagnostics = vec![
        Diagnostic {
            level: Level::Error,
            message: "cannot divide `f64` by `usize`".to_owned(),
            code: Some("E0277".to_owned()),
            spans: vec![span(
                SpanFile::Learner,
                5,
                16,
                17,
                "no implementation for `f64 / usize`",
            )],
            notes: vec!["help: the trait `Div<usize>` is not implemented for `f64`".to_owned()],
            rendered: String::new(),
        },
        Diagnostic {
            level: Level::Error,
            message: "mismatched types".to_owned(),
            code: Some("E0308".to_owned()),
            spans: vec![span(
                SpanFile::HiddenTests,
                9,
                16,
                25,
                "expected `&[f64]`, found `&[i32; 0]`",
            )],
            notes: Vec::new(),
            rendered: String::new(),
        },
    ];
    report
}
