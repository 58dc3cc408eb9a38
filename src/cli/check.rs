//! `tensorlings check`: one check, shown as text or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Result, bail};
use serde::Serialize;

use super::Format;
use super::output::Paint;
use crate::course::progress::ProgressError;
use crate::course::{Course, Exercise};
use crate::feedback::{Failure, Feedback};
use crate::runner::graph::Graph;
use crate::runner::sandbox::{Limit, Protection};
use crate::runner::timeline::Timeline;
use crate::runner::{Milestone, Report, Runner, SpanFile, Status};
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
    crash: Option<&'a str>,
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

pub fn run(course: Course, args: &Args) -> Result<ExitCode> {
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
    let runner = Runner::new()?;
    let interactive = args.format == Format::Text;
    let report = runner.check_exercise(
        &exercise,
        &source,
        &display_name,
        &AtomicBool::new(false),
        &mut |event| {
            if let (true, Milestone::Fetching(set)) = (interactive, event) {
                errln!("downloading the {set} crates (once per machine)…");
            }
        },
    )?;
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
            out!("{}", text(&exercise, &report, &display_name));
            if report.status == Status::Passed && exercise.solution.is_file() {
                outln!(
                    "Compare with the reference solution: {}",
                    session.course().display_path(&exercise.solution)
                );
            }
            weak_sandbox_notice(&runner, &report);
            if let Some(Checked::FirstPass { next }) = &checked {
                outln!("{}", first_pass_line(next.as_deref()));
            }
        }
    }
    if let Some(err) = unsaved {
        errln!("warning: the verdict above was not saved to your progress: {err}");
    }
    if std::env::var_os("TENSORLINGS_TRACE").is_some() {
        trace(&report);
    }
    Ok(if report.status == Status::Passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Records a check of the learner's own file, and the session's answer; once
/// it passed (even if that could not be saved), the reference solution is
/// there to compare with.
fn record(
    session: &mut Session,
    exercise: &Exercise,
    report: &Report,
) -> (Option<Checked>, Option<ProgressError>) {
    let passed = report.status == Status::Passed;
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

/// What `check` says after a first pass: where to go next.
fn first_pass_line(next: Option<&str>) -> String {
    match next {
        Some(next) => format!("Next: {next} (`tensorlings check {next}` checks it)."),
        None => "Every exercise of the course has passed.".to_owned(),
    }
}

fn json<'a>(exercise: &'a Exercise, report: &'a Report, display_name: &str) -> JsonReport<'a> {
    JsonReport {
        id: &exercise.id,
        kind: exercise.kind,
        file: display_name.to_owned(),
        status: report.status.as_str(),
        tests: report
            .tests
            .iter()
            .map(|t| JsonTest {
                name: &t.name,
                passed: t.passed,
                message: t.message.as_deref(),
                left: t.left.as_deref(),
                right: t.right.as_deref(),
                explanation: if t.passed {
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
        crash: report.crash.as_deref(),
        output_truncated: report.output_truncated,
        duration_ms: report.duration.as_millis(),
        test_duration_ms: report.test_duration.as_millis(),
        losses: &report.losses,
        limit: report.limit,
        sandbox: &report.sandbox,
        bugs: &report.bugs,
        more_tests_when_graded: exercise.graded_with_more && !report.with_grading_tests,
    }
}

/// The feedback as text for a terminal, in the words the app uses.
fn text(exercise: &Exercise, report: &Report, display_name: &str) -> String {
    let paint = Paint::detect();
    let feedback = Feedback::new(exercise, report);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.tone(feedback.headline.tone, &feedback.headline.text)
    );
    if let Some(advice) = feedback.headline.advice {
        let _ = writeln!(out, "{advice}");
    }
    for diag in &feedback.diagnostics {
        let _ = write!(out, "\n{}", paint.rendered(diag.rendered.trim_end()));
    }
    for failure in &feedback.failures {
        out.push('\n');
        failure_text(&mut out, &paint, failure, display_name);
    }
    for note in feedback
        .crash
        .iter()
        .map(String::as_str)
        .chain(feedback.truncated)
    {
        let _ = writeln!(out, "\n{}", paint.bad(note));
    }
    if let Some(note) = feedback.more_at_grading {
        let _ = writeln!(out, "\n{note}");
    }
    if report.status != Status::Passed
        && let Some((test, graph)) = report.graph_to_draw()
    {
        graph_text(&mut out, &paint, test, graph);
    }
    if report.status != Status::Passed
        && let Some((test, timeline)) = report.timeline_to_draw()
    {
        timeline_text(&mut out, &paint, test, timeline);
    }
    if report.status != Status::Passed && !exercise.hints.is_empty() {
        let _ = writeln!(out, "\nStuck? `tensorlings hint {}`", exercise.id);
    }
    out
}

/// The graph a failed check drew, as plain box-drawing text, with a line
/// per marked node.
fn graph_text(out: &mut String, paint: &Paint, test: &str, graph: &Graph) {
    let what = match graph {
        Graph::Autograd { .. } => "The graph your code built in",
        Graph::Onnx { .. } => "The model graph in",
    };
    let _ = writeln!(out, "\n{what} {test}:");
    for line in crate::tui::content::graph::draw(graph) {
        let row: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let _ = writeln!(out, "  {row}");
    }
    for (name, why) in crate::tui::content::graph::marks(graph) {
        let _ = writeln!(out, "  {} {why}", paint.bad(&format!("✗ {name}:")));
    }
}

/// The timeline a failed check drew, as plain text 80 columns wide, with a
/// line per mark.
fn timeline_text(out: &mut String, paint: &Paint, test: &str, timeline: &Timeline) {
    let _ = writeln!(
        out,
        "\nWhen each task ran in {test} (virtual time; █ finished, ▒→ still running):"
    );
    for line in crate::tui::content::timeline::draw(timeline, 78) {
        let row: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let _ = writeln!(out, "  {row}");
    }
    for why in crate::tui::content::timeline::marks(timeline) {
        let _ = writeln!(out, "  {}", paint.bad(&format!("✗ {why}")));
    }
}

fn failure_text(out: &mut String, paint: &Paint, failure: &Failure<'_>, display_name: &str) {
    let _ = writeln!(out, "  {}", paint.bad(&format!("✗ {}", failure.test)));
    if failure.repeat {
        let _ = writeln!(out, "      {}", paint.dim("the same panic as above"));
    } else {
        for line in failure.message.iter().flat_map(|m| m.lines()) {
            let _ = writeln!(out, "      {line}");
        }
        if let Some(plain) = failure.plain {
            let _ = writeln!(out, "      {}", paint.dim(plain));
        }
        if let Some(left) = failure.left {
            let _ = writeln!(out, "      {} {left}", paint.bad("left: "));
        }
        if let Some(right) = failure.right {
            let _ = writeln!(out, "      {} {right}", paint.good("right:"));
        }
        if let Some(place) = failure.place_text(display_name) {
            let _ = writeln!(out, "      {}", paint.dim(&format!("at {place}")));
        }
    }
    if let Some(explanation) = failure.explanation {
        let _ = writeln!(out, "      {}", paint.note(&format!("→ {explanation}")));
    }
    if !failure.repeat && !failure.output.is_empty() {
        let _ = writeln!(out, "      {}", paint.dim("it printed:"));
        for line in &failure.output {
            let _ = writeln!(out, "        {}", paint.dim(line));
        }
        if failure.more_output > 0 {
            let more = format!("… {} more lines", failure.more_output);
            let _ = writeln!(out, "        {}", paint.dim(&more));
        }
    }
}

/// One line on standard error when the tests ran with some of the sandbox's
/// protections missing: what is off, and where to read more.
fn weak_sandbox_notice(runner: &Runner, report: &Report) {
    if report.tests.is_empty() {
        return;
    }
    if !runner.jail().is_active() {
        errln!(
            "note: no sandbox on this system: the tests ran as ordinary processes (`tensorlings doctor`)"
        );
        return;
    }
    let off: Vec<&str> = Protection::ALL
        .iter()
        .filter(|p| !report.sandbox.contains(p))
        .map(|p| p.name())
        .collect();
    if !off.is_empty() {
        errln!(
            "note: the sandbox ran without {} on this system (`tensorlings doctor` explains)",
            off.join(", ")
        );
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
