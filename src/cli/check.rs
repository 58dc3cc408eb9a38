//! `tensorlings check`: one check, shown as text or JSON.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anstyle::{AnsiColor, Style};
use anyhow::{Result, bail};
use serde::Serialize;

use super::Format;
use super::commands::{find_exercise, load_progress};
use crate::course::{Course, Exercise};
use crate::runner::{CheckRequest, Event, Report, Runner, SpanFile, Status};

/// The JSON shape of a check.
#[derive(Serialize)]
struct JsonReport<'a> {
    id: &'a str,
    status: &'static str,
    tests: Vec<JsonTest<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    crash: Option<&'a str>,
    output_truncated: bool,
    duration_ms: u128,
    test_duration_ms: u128,
    losses: &'a std::collections::BTreeMap<String, Vec<(u64, f64)>>,
    /// The limit that stopped the build or the tests, if one did.
    limit: Option<crate::runner::sandbox::Limit>,
    /// The sandbox's protections that were in force.
    sandbox: &'a [crate::runner::sandbox::Protection],
}

#[derive(Serialize)]
struct JsonTest<'a> {
    name: &'a str,
    passed: bool,
    message: Option<&'a str>,
    left: Option<&'a str>,
    right: Option<&'a str>,
    explanation: Option<&'a str>,
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

pub fn run(course: &Course, id: &str, file: Option<&Path>, format: Format) -> Result<ExitCode> {
    let exercise = find_exercise(course, id)?;
    let source = file.unwrap_or(&exercise.file);
    let display_name = match file {
        Some(path) => path.display().to_string(),
        None => course.display_path(&exercise.file).to_string(),
    };
    // Progress is read first so a corrupt file is reported before the run, and
    // only the learner's own file counts towards it.
    let mut progress = if file.is_none() {
        Some(load_progress(course)?)
    } else {
        None
    };
    let runner = Runner::new()?;
    let request = CheckRequest {
        exercise,
        source,
        display_name: display_name.clone(),
    };
    let interactive = format == Format::Text;
    if file.is_none() && !exercise.file.exists() {
        bail!(
            "{display_name} is missing; `tensorlings reset {id}` puts the starter back (nothing was changed)"
        );
    }
    let report = runner.check(&request, &AtomicBool::new(false), &mut |event| {
        if let (true, Event::Fetching(set)) = (interactive, event) {
            eprintln!("downloading the {set} crates (once per machine)…");
        }
    })?;
    if let Some(progress) = progress.as_mut() {
        progress.checked(id, report.status == Status::Passed);
        progress.save(&crate::course::progress::Progress::path(&course.root))?;
    }
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&json(exercise, &report, &display_name))?
        ),
        Format::Text => {
            out!("{}", text(exercise, &report, &display_name));
            weak_sandbox_notice(&runner, &report);
        }
    }
    Ok(if report.status == Status::Passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn json<'a>(exercise: &'a Exercise, report: &'a Report, display_name: &str) -> JsonReport<'a> {
    JsonReport {
        id: &exercise.id,
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
                    exercise.messages.get(&t.name).map(String::as_str)
                },
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.primary();
                JsonDiagnostic {
                    level: &d.level,
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
    }
}

/// One line on standard error when the tests ran with some of the sandbox's
/// protections missing: what is off, and where to read more.
fn weak_sandbox_notice(runner: &Runner, report: &Report) {
    use crate::runner::sandbox::Protection;
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

/// Colours for the text report: on for a terminal, off for pipes and under `NO_COLOR`.
struct Paint(bool);

impl Paint {
    fn detect() -> Paint {
        Paint(super::colour_on())
    }

    fn with(&self, style: Style, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn good(&self, text: &str) -> String {
        self.with(
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            text,
        )
    }

    fn bad(&self, text: &str) -> String {
        self.with(
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            text,
        )
    }

    fn note(&self, text: &str) -> String {
        self.with(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text)
    }

    fn dim(&self, text: &str) -> String {
        self.with(Style::new().dimmed(), text)
    }

    /// The compiler's rendering with its headlines and pointers picked out.
    fn rendered(&self, text: &str) -> String {
        let mut out = String::new();
        for line in text.lines() {
            let painted = if line.starts_with("error") {
                self.bad(line)
            } else if line.starts_with("warning") {
                self.with(
                    Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
                    line,
                )
            } else if line.trim_start().starts_with("-->") || line.trim_start().starts_with("= ") {
                self.note(line)
            } else if line.contains('^') && line.trim_start().starts_with('|') {
                self.with(Style::new().fg_color(Some(AnsiColor::Red.into())), line)
            } else {
                line.to_owned()
            };
            out.push_str(&painted);
            out.push('\n');
        }
        out
    }
}

/// The report as plain text for a terminal.
fn text(exercise: &Exercise, report: &Report, display_name: &str) -> String {
    let paint = Paint::detect();
    let mut out = String::new();
    let secs = report.duration.as_secs_f64();
    match report.status {
        Status::Passed => {
            let _ = writeln!(
                out,
                "{} passed: all {} hidden tests ({secs:.1}s)",
                paint.good(&format!("✓ {}", exercise.id)),
                report.tests.len()
            );
        }
        Status::CompileError => {
            let _ = writeln!(
                out,
                "{} does not compile yet ({display_name})\n",
                paint.bad(&format!("✗ {}", exercise.id))
            );
        }
        Status::TestsFailed => {
            let failed = report.tests.iter().filter(|t| !t.passed).count();
            let _ = writeln!(
                out,
                "{}: {failed} of {} hidden tests failed ({secs:.1}s)\n",
                paint.bad(&format!("✗ {}", exercise.id)),
                report.tests.len()
            );
        }
        Status::TimedOut if report.tests.is_empty() => {
            // Stopped before any test ran: the build ran out of time or a limit.
            let _ = writeln!(
                out,
                "{}: {}\n",
                paint.bad(&format!("✗ {}", exercise.id)),
                report.crash.as_deref().unwrap_or("the build was stopped")
            );
        }
        Status::TimedOut => {
            let _ = writeln!(
                out,
                "{}: the tests were stopped after {}s — look for a loop that never ends or a wait that never returns\n",
                paint.bad(&format!("✗ {}", exercise.id)),
                report.timeout.as_secs()
            );
        }
    }
    for diag in &report.diagnostics {
        if report.status == Status::CompileError || diag.level == "warning" {
            let _ = writeln!(out, "{}", paint.rendered(diag.rendered.trim_end()));
        }
    }
    for test in report.tests.iter().filter(|t| !t.passed) {
        let _ = writeln!(out, "  {}", paint.bad(&format!("✗ {}", test.name)));
        if let Some(message) = &test.message {
            for line in message.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
        if let Some(location) = test
            .location
            .as_deref()
            .filter(|l| !l.starts_with("<hidden"))
        {
            let _ = writeln!(out, "      {}", paint.dim(&format!("at {location}")));
        }
        if let (Some(left), Some(right)) = (&test.left, &test.right) {
            let _ = writeln!(
                out,
                "      {} {left}\n      {} {right}",
                paint.bad("left: "),
                paint.good("right:")
            );
        }
        if let Some(explain) = exercise.messages.get(&test.name) {
            let _ = writeln!(out, "      {}", paint.note(&format!("→ {explain}")));
        }
    }
    if let Some(crash) = report.crash.as_ref().filter(|_| !report.tests.is_empty()) {
        let _ = writeln!(out, "\n  {crash}");
    }
    if report.output_truncated {
        let _ = writeln!(
            out,
            "\n  (the tests printed more than 1 MiB; the rest was cut)"
        );
    }
    if report.status != Status::Passed && !exercise.hints.is_empty() {
        let _ = writeln!(out, "\nStuck? `tensorlings hint {}`", exercise.id);
    }
    out
}
