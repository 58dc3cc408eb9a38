//! `tensorlings check`: one check, shown as text or JSON.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Result, bail};
use serde::Serialize;

use super::Format;
use super::output::{Paint, Terminal};
use crate::course::progress::ProgressError;
use crate::course::{Course, Exercise};
use crate::feedback::render::render;
use crate::feedback::text::TextSink;
use crate::feedback::{Feedback, Step, words};
use crate::graph::{Graph, Timeline};
use crate::runner::sandbox::{Limit, Protection};
use crate::runner::{CheckRequest, Milestone, Phase, Report, Runner, SpanFile, Stop, TestOutcome};
use crate::session::{Checked, Session};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The exercise id, such as traits1; default: the one you are working
    /// on (the last opened, else the first not yet passed).
    pub id: Option<String>,
    /// Check this file instead of the learner's (progress is not touched).
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// The JSON shape of a check.
#[derive(Serialize)]
struct JsonReport<'a> {
    id: &'a str,
    /// `code` or `tests`: what the learner writes.
    kind: crate::course::raw::ExerciseKind,
    file: String,
    status: &'static str,
    tests: Vec<JsonTest<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    crash: Option<String>,
    output_truncated: bool,
    duration_ms: u128,
    test_duration_ms: u128,
    losses: &'a std::collections::BTreeMap<String, Vec<(u64, f64)>>,
    /// The limit that stopped the build or the tests, if one did.
    limit: Option<Limit>,
    /// The sandbox's protections that were in force.
    sandbox: &'a [Protection],
    /// Where the learner writes the tests: each bug, and whether a test
    /// caught it.
    bugs: &'a [crate::runner::BugResult],
    /// The course grades it with tests a check does not run.
    more_tests_when_graded: bool,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    name: &'a str,
    passed: bool,
    message: Option<&'a str>,
    left: Option<&'a str>,
    right: Option<&'a str>,
    explanation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    graph: Option<&'a Graph>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<&'a Timeline>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    level: &'a str,
    message: &'a str,
    code: Option<&'a str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    rendered: &'a str,
}

/// Checks the exercise `args` name; with `runner`, made (and warmed up) before
/// the course loaded.
pub fn run(course: Course, args: &Args, runner: Option<Runner>) -> Result<ExitCode> {
    // Progress is read first so a corrupt file is reported before the run.
    let mut session = super::open_session(course)?;
    let exercise = super::exercise_or_current(&session, args.id.as_deref())?;
    let id = &exercise.id;
    let course = session.course();
    let source = args.file.clone().unwrap_or_else(|| exercise.file.clone());
    let display_name = match &args.file {
        Some(path) => path.display().to_string(),
        None => course.display_path(&exercise.file).to_string(),
    };
    if args.file.is_none() && !exercise.file.exists() {
        bail!(
            "{display_name} is missing; `tensorlings reset {id}` puts the starter back (nothing was changed)"
        );
    }
    let runner = match runner {
        Some(runner) => runner,
        None => Runner::new()?,
    };
    let interactive = args.format == Format::Text;
    let request = CheckRequest::of(&exercise, &source, display_name.clone());
    let report = runner.check(&request, &AtomicBool::new(false), &mut |event| {
        if let (true, Milestone::Fetching(set)) = (interactive, event) {
            errln!("downloading the {set} crates (once per machine)…");
        }
    })?;
    // Only a check of the learner's own file counts towards progress. A
    // course that cannot be written still gets its verdict, then a warning.
    let (checked, unsaved) = match args.file {
        Some(_) => (None, None),
        None => record(&mut session, &exercise, &report),
    };
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&json(&exercise, &report, &display_name))?
        ),
        Format::Text => {
            out!(
                "{}",
                text(&exercise, &report, &display_name, session.course())
            );
            weak_sandbox_notice(&runner, &report);
            if let Some(Checked::FirstPass { next }) = &checked {
                outln!("{}", words::after_first_pass(next.as_deref()));
            }
        }
    }
    if let Some(err) = unsaved {
        errln!("warning: the verdict above was not saved to your progress: {err}");
    }
    if std::env::var_os("TENSORLINGS_TRACE").is_some() {
        trace(&report);
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Why the run ended early, as a clause, when it did (a test run's time
/// limit excepted: `status` says it).
fn crash(report: &Report) -> Option<String> {
    report
        .ending
        .stop()
        .filter(|stop| {
            !matches!(
                stop,
                Stop::Timeout {
                    phase: Phase::Testing { .. },
                    ..
                }
            )
        })
        .map(|stop| words::stop_clause(stop, report.said.as_deref()))
}

/// Records a check of the learner's own file, and the session's answer; once
/// it passed (even if that could not be saved), the reference solution is
/// there to compare with.
fn record(
    session: &mut Session,
    exercise: &Exercise,
    report: &Report,
) -> (Option<Checked>, Option<ProgressError>) {
    let passed = report.passed();
    let (checked, unsaved) = match session.record_check(&exercise.id, passed) {
        Ok(checked) => (Some(checked), None),
        Err(err) => (None, Some(err)),
    };
    if checked.as_ref().map_or(passed, Checked::passed)
        && let Err(err) = crate::workspace::reveal_solution(session.course(), exercise)
    {
        errln!("warning: the reference solution could not be written: {err}");
    }
    (checked, unsaved)
}

fn json<'a>(exercise: &'a Exercise, report: &'a Report, display_name: &str) -> JsonReport<'a> {
    JsonReport {
        id: &exercise.id,
        kind: exercise.kind,
        file: display_name.to_owned(),
        status: report.status().as_str(),
        tests: report
            .tests
            .iter()
            .map(|t| JsonTest {
                name: &t.name,
                passed: t.passed(),
                message: match &t.outcome {
                    TestOutcome::Failed(panic) => Some(panic.message.as_str()),
                    other => words::outcome(other),
                },
                left: t.panic().and_then(|p| p.left.as_deref()),
                right: t.panic().and_then(|p| p.right.as_deref()),
                explanation: if t.passed() {
                    None
                } else {
                    crate::feedback::explanation(exercise, t)
                },
                graph: t.graph.as_ref(),
                timeline: t.timeline.as_ref(),
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.primary();
                JsonDiagnostic {
                    level: d.level.as_str(),
                    message: &d.message,
                    code: d.code.as_deref(),
                    file: span.map(|s| match &s.file {
                        SpanFile::Learner => display_name.to_owned(),
                        SpanFile::HiddenTests => "<hidden tests>".to_owned(),
                        SpanFile::Other(name) => name.clone(),
                    }),
                    line: span.map(|s| s.line_start),
                    column: span.map(|s| s.column_start),
                    rendered: &d.rendered,
                }
            })
            .collect(),
        crash: crash(report),
        output_truncated: report.output_truncated,
        duration_ms: report.duration.as_millis(),
        test_duration_ms: report.test_duration.as_millis(),
        losses: &report.losses,
        limit: report.limit(),
        sandbox: &report.sandbox,
        bugs: report
            .learner_tests
            .as_ref()
            .map_or(&[][..], |learner| &learner.bugs),
        more_tests_when_graded: exercise.graded_with_more && !report.with_grading_tests,
    }
}

/// The feedback as text for a terminal: the core's document, in the one
/// layout every front end prints.
fn text(exercise: &Exercise, report: &Report, display_name: &str, course: &Course) -> String {
    let mut steps = Vec::new();
    if report.passed() && exercise.solution.is_file() {
        steps.push(Step::Solution(
            course.display_path(&exercise.solution).to_string(),
        ));
    }
    if !report.passed() && !exercise.hints.is_empty() {
        steps.push(Step::Hint);
    }
    let feedback = Feedback::new(exercise, report).with_steps(steps);
    let mut sink = TextSink::new(Terminal::new(Paint::detect(), &exercise.id));
    render(&feedback, display_name, &mut sink);
    let mut out = sink.finish();
    out.push('\n');
    out
}

/// One line on standard error when the tests ran with some of the sandbox's
/// protections missing: what is off, and where to read more.
fn weak_sandbox_notice(runner: &Runner, report: &Report) {
    if report.tests.is_empty() {
        return;
    }
    if !runner.jail().is_active() {
        errln!("{}", words::NO_SANDBOX);
        return;
    }
    let off: Vec<&str> = Protection::ALL
        .iter()
        .filter(|p| !report.sandbox.contains(p))
        .map(|p| p.name())
        .collect();
    if !off.is_empty() {
        errln!("{}", words::weak_sandbox(&off));
    }
}

/// Where the check's time went, on standard error (`TENSORLINGS_TRACE=1`):
/// one line a phase, with the sandbox's own setup where it ran in one.
fn trace(report: &crate::runner::Report) {
    for timing in &report.timings {
        let sandbox = timing
            .sandbox
            .map(|s| format!(" (sandbox setup {:.1} ms)", s.as_secs_f64() * 1000.0))
            .unwrap_or_default();
        errln!(
            "trace: {:>8.1} ms  {}{sandbox}",
            timing.took.as_secs_f64() * 1000.0,
            timing.phase
        );
    }
    errln!(
        "trace: {:>8.1} ms  the whole check",
        report.duration.as_secs_f64() * 1000.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::{Block, Drawing, Picture};

    const MISMATCH: &str = "tensorlings:onnx input x batchx3\n\
        tensorlings:onnx init w 2x3\n\
        tensorlings:onnx node linear Gemm x,w y\n\
        tensorlings:onnx output y batchx2\n";

    fn graph_of(text: &str) -> Graph {
        crate::graph::read(text).pictures.graph.expect("a graph")
    }

    /// A document of one picture, as `check` prints it.
    fn printed(drawing: Drawing<'_>, test: &str, colour: bool) -> String {
        let feedback = Feedback {
            blocks: vec![Block::Picture(Picture {
                test,
                drawing,
                marked: true,
            })],
        };
        let mut sink = TextSink::new(Terminal::new(Paint::new(colour), "onnx1"));
        render(&feedback, "onnx1.rs", &mut sink);
        sink.finish()
    }

    #[test]
    fn a_graph_is_the_cores_picture_with_its_caption_and_marks() {
        let graph = graph_of(MISMATCH);
        let out = printed(Drawing::Graph(&graph), "fits", false);
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(rows[0], "The model graph in fits (op or role, name, shape)");
        assert_eq!(rows[5], "╰───────╯ │  ┃✗ Gemm┃   │output │");
        assert_eq!(rows.len(), 1 + 11 + 1, "{out}");
        assert_eq!(
            rows[12],
            "✗ linear: Gemm of batch×3 by 2×3: the inner sizes 3 and 2 differ"
        );
    }

    #[test]
    fn with_colour_a_marked_node_is_painted_as_a_failure() {
        let graph = graph_of(MISMATCH);
        let plain = printed(Drawing::Graph(&graph), "fits", false);
        let coloured = printed(Drawing::Graph(&graph), "fits", true);
        let bad = Paint::new(true).bad("┏━━━━━━┓");
        assert!(coloured.contains(&bad), "{coloured}");
        assert!(!plain.contains('\u{1b}'));
    }

    #[test]
    fn a_timeline_is_the_cores_picture_with_a_line_per_mark() {
        let timeline = crate::graph::read(
            "tensorlings:span p0 0 10\ntensorlings:span slow 5 - still running\n",
        )
        .pictures
        .timeline
        .expect("a timeline");
        let out = printed(Drawing::Timeline(&timeline), "waits", false);
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(
            rows[0],
            "When each task ran in waits (virtual time; █ finished, ▒→ still running)"
        );
        assert!(
            rows[2].starts_with("slow │") && rows[2].ends_with("▒→│ 5 ms–"),
            "{out}"
        );
        assert_eq!(rows.last(), Some(&"✗ slow: still running"));
    }
}
