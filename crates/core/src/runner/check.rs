//! The check pipeline: read and scan the sources, build the crate (the
//! learner's file, the hidden tests, the harness) under the set's lock, run
//! the test binary once per variant in the sandbox, and turn what the runs
//! showed into a [`Report`].

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::build;
use super::sources::{Sources, read_source, sources};
use super::variants::{PARALLEL_RUNS, Prepared, abandon};
use super::{
    BugResult, CheckRequest, Diagnostic, Ending, LearnerTests, Level, Milestone, Report, RunError,
    Runner, Span, SpanFile, Timing, Work, run, unsound, workdir,
};

impl Runner {
    /// Checks `request.source`: against the hidden tests (and the
    /// grading-only ones, when the request has them) where the learner writes
    /// code; where the learner writes the tests, their tests on the reference
    /// code (all must pass) and then on each of the course's bugs (each must
    /// make one fail; a missed bug is a failed check).
    pub fn check(
        &self,
        request: &CheckRequest<'_>,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Report, RunError> {
        let bugs: &[crate::course::Bug] = match &request.work {
            Work::Tests { bugs, .. } => bugs,
            Work::Code { .. } => &[],
        };
        let files: Vec<&Path> = bugs.iter().map(|b| b.file.as_path()).collect();
        let (mut report, runs) = self.check_variants(request, &files, cancel, on_event)?;
        report.with_grading_tests = request.work.grading().is_some();
        let Work::Tests { .. } = request.work else {
            return Ok(report);
        };
        let mut results = Vec::new();
        if report.passed() {
            for (bug, run) in bugs.iter().zip(runs) {
                results.push(BugResult {
                    name: bug.name.clone(),
                    description: bug.description.clone(),
                    // A failed test, a timeout or a crash all tell the bug apart.
                    caught: run.ending != Ending::Passed,
                    caught_by: run
                        .tests
                        .iter()
                        .filter(|t| !t.passed())
                        .map(|t| t.name.clone())
                        .collect(),
                });
            }
            if results.iter().any(|b| !b.caught) {
                report.ending = Ending::TestsFailed;
            }
        }
        report.learner_tests = Some(LearnerTests { bugs: results });
        Ok(report)
    }

    /// Checks `request`, and when it passes and `bugs` are given (the
    /// learner wrote the tests), runs the same tests on each bug: one build
    /// holds the reference and every bug, and each runs in a sandboxed
    /// process of its own, with its own time limit. Returns the report of
    /// the reference run and one run per bug (none when it did not pass).
    fn check_variants(
        &self,
        request: &CheckRequest<'_>,
        bugs: &[&Path],
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<(Report, Vec<run::TestRun>), RunError> {
        let started = Instant::now();
        let sources = sources(request)?;
        if let Some(mut report) = refused(request, &sources.learner) {
            report.duration = started.elapsed();
            return Ok((report, Vec::new()));
        }
        let subjects = subjects(&sources, bugs)?;
        let subjects: Vec<&str> = subjects.iter().map(String::as_str).collect();
        self.cache.ensure_writable(request.deps)?;
        let mut report = Report::new(request.timeout);
        let mut clock = Clock::start(started);
        clock.lap("read and scan the sources", None);
        let mut compiled =
            self.compile(request, &sources, &subjects, &mut clock, cancel, on_event)?;
        report.diagnostics.clone_from(&compiled.build.diagnostics);
        let Some(binary) = compiled.binary.clone() else {
            abandon(&mut compiled.runs);
            report.timings = clock.timings;
            return build_failed(report, &compiled.build, started)
                .map(|report| (report, Vec::new()));
        };
        on_event(Milestone::Testing);
        let tests_started = Instant::now();
        let mut runs = self.run_variants(
            std::mem::take(&mut compiled.runs),
            &binary,
            &sources.cases,
            request,
            cancel,
        )?;
        for (variant, run) in runs.iter().enumerate() {
            if let Some(run) = run {
                clock.timings.push(Timing {
                    phase: format!("run the tests (variant {variant})"),
                    took: run.took,
                    sandbox: Some(run.sandbox_setup),
                });
            }
        }
        let mut bug_runs: Vec<run::TestRun> = runs.split_off(1).into_iter().flatten().collect();
        let Some(Some(run)) = runs.pop() else {
            return Err(RunError::Sandbox(
                "the reference run did not happen".to_owned(),
            ));
        };
        take_run(&mut report, run);
        if !report.passed() {
            bug_runs.clear();
        }
        report.duration = started.elapsed();
        report.test_duration = tests_started.elapsed();
        report.timings = clock.timings;
        Ok((report, bug_runs))
    }

    /// Writes the build crate, builds it and takes the test binary, all
    /// under the set's lock: every check of a set builds the same package
    /// into the same target directory, so a concurrent check cannot swap
    /// sources or binaries.
    fn compile(
        &self,
        request: &CheckRequest<'_>,
        sources: &Sources,
        subjects: &[&str],
        clock: &mut Clock,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(Milestone),
    ) -> Result<Compiled, RunError> {
        let set = request.deps;
        let lock = self.cache.lock(set)?;
        self.cache.sweep(set);
        self.ensure_built(set, cancel, on_event)?;
        clock.lap(
            "take the set's lock (and build the set, the first time)",
            None,
        );
        // Only a learner's own check may keep the tests' name: grading builds
        // without incremental state, and grading-only tests are what the
        // learner has not got.
        let hide_tests = !self.incremental || request.work.grading().is_some();
        let files = sources.crate_files(request, subjects, hide_tests);
        let krate = workdir::write_crate(&self.cache, set, &files)?;
        clock.lap("write the build crate", None);
        // Incremental state is kept by module names: where they change every
        // check (a hidden tests file renamed, a variant of the learner's
        // tests) it is only work to write.
        let step = self.learner_step(self.incremental && !hide_tests && subjects.is_empty());
        if self.incremental {
            self.remember_build(set, step.incremental);
        }
        // The first test runs (as many as run at once) are set up in their
        // sandboxes once the build is under way, and wait there for the
        // binary: their setup costs no time of its own. (Setting every
        // variant up so would take the build's processor time instead.)
        let mut runs = Vec::new();
        let variants = subjects.len().max(1);
        let build = self.cargo_build(
            set,
            &krate,
            &step,
            &request.display_name,
            cancel,
            on_event,
            &mut || self.prepare_runs(&mut runs, variants, request),
        )?;
        self.prepare_runs(&mut runs, variants, request)?;
        clock.lap(
            match (build.by_rustc, build.ahead) {
                (true, false) => "compile with rustc alone",
                (true, true) => "compile with rustc alone (sandbox set up ahead)",
                (false, false) => "compile with cargo",
                (false, true) => "compile with cargo (sandbox set up ahead)",
            },
            Some(build.sandbox_setup),
        );
        let binary = match &build.executable {
            Some(executable) if build.success => Some(runs[0].dir.take_binary(executable)?),
            _ => None,
        };
        build::clear_old_binaries(&self.cache.target(set));
        drop(lock);
        clock.lap("take the test binary", None);
        Ok(Compiled {
            build,
            runs,
            binary,
        })
    }
}

impl Runner {
    /// A run directory per variant, the first ones with their test run set
    /// up in its sandbox (once: a build made again leaves them as they are).
    fn prepare_runs(
        &self,
        runs: &mut Vec<Prepared>,
        variants: usize,
        request: &CheckRequest<'_>,
    ) -> Result<(), RunError> {
        let set = request.deps;
        for n in runs.len()..variants {
            let dir = workdir::RunDir::create(&self.cache, set)?;
            let pending = if self.jail.is_active() && n < PARALLEL_RUNS {
                Some(self.start_run(&dir, &dir.binary(), request.timeout, true)?)
            } else {
                None
            };
            runs.push(Prepared { dir, pending });
        }
        Ok(())
    }
}

/// The code learner-written tests run against: the reference, then each
/// bug (none where the learner writes code).
fn subjects(sources: &Sources, bugs: &[&Path]) -> Result<Vec<String>, RunError> {
    let Some(reference) = &sources.subject else {
        return Ok(Vec::new());
    };
    let mut subjects = vec![reference.clone()];
    for bug in bugs {
        subjects.push(read_source(bug)?);
    }
    Ok(subjects)
}

fn build_failed(
    mut report: Report,
    build: &build::Build,
    started: Instant,
) -> Result<Report, RunError> {
    if let Some(stop) = &build.stop {
        report.ending = Ending::Stopped(stop.clone());
    } else if build.has_errors() {
        report.ending = Ending::CompileError;
    } else {
        return Err(RunError::Cargo(build.stderr_tail.clone()));
    }
    report.duration = started.elapsed();
    Ok(report)
}

/// A report of a compile error when the learner's file has a refused shape:
/// a compiler hole, or a comparison the exercise's starter derives replaced.
fn refused(request: &CheckRequest<'_>, learner: &str) -> Option<Report> {
    let mut refused = unsound::scan(learner);
    let starter = match &request.work {
        Work::Code { starter, .. } => starter.as_deref(),
        Work::Tests { .. } => None,
    };
    if let Some(starter) = starter.filter(|s| *s != request.source)
        && let Ok(starter) = read_source(starter)
    {
        refused.extend(unsound::replaced_derives(&starter, learner));
    }
    if refused.is_empty() {
        return None;
    }
    let mut report = Report::new(request.timeout);
    report.ending = Ending::CompileError;
    report.diagnostics = refused
        .iter()
        .map(|u| refusal(u, &request.display_name))
        .collect();
    Some(report)
}

/// What the reference run (variant 0) found, into the report.
fn take_run(report: &mut Report, run: run::TestRun) {
    report.tests = run.tests;
    report.ending = run.ending;
    report.said = run.said;
    report.output_truncated = run.truncated;
    report.losses = run.losses;
    report.sandbox = run.sandbox;
}

/// What a compile left: the build's messages, the run directory, and the
/// test binary in it when the build succeeded.
struct Compiled {
    build: build::Build,
    /// A run directory per variant, the first holding the binary.
    runs: Vec<Prepared>,
    binary: Option<std::path::PathBuf>,
}

/// Laps of a check's phases.
struct Clock {
    last: Instant,
    timings: Vec<Timing>,
}

impl Clock {
    fn start(at: Instant) -> Clock {
        Clock {
            last: at,
            timings: Vec::new(),
        }
    }

    /// Ends the phase `phase` now.
    fn lap(&mut self, phase: &str, sandbox: Option<Duration>) {
        let now = Instant::now();
        self.timings.push(Timing {
            phase: phase.to_owned(),
            took: now - self.last,
            sandbox,
        });
        self.last = now;
    }
}

/// A refused shape as a compiler error on the learner's line, so every front
/// end shows it like one, with the code under it.
fn refusal(found: &unsound::Unsound, display_name: &str) -> Diagnostic {
    Diagnostic {
        level: Level::Error,
        message: found.message.clone(),
        code: (found.issue != 0).then(|| format!("rust-lang/rust#{}", found.issue)),
        spans: vec![Span {
            file: SpanFile::Learner,
            line_start: found.line,
            line_end: found.line,
            column_start: found.column,
            column_end: found.column + 1,
            is_primary: true,
            label: Some("refused before compiling".to_owned()),
        }],
        notes: vec![if found.issue == 0 {
            "note: the exercise's starter declares this; the hidden tests rely on it".to_owned()
        } else {
            "note: no exercise needs this shape; tensorlings refuses it so that code checked here cannot read or change the test process's memory".to_owned()
        }],
        rendered: format!(
            "error: {}\n  --> {display_name}:{}:{}\n",
            found.message, found.line, found.column
        ),
    }
}
