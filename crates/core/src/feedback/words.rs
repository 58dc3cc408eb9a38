//! Every sentence a learner reads about a run, in one place: headlines,
//! how a build or a test run stopped, what a test's end means, notes and
//! next steps. The runner records facts ([`crate::runner::Ending`],
//! [`Stop`], [`TestOutcome`]); this file words them, and every front end
//! shows these words through the one layout in `render.rs`.

use std::fmt;
use std::time::Duration;

use crate::graph::Graph;
use crate::runner::sandbox::{Limit, bytes};
use crate::runner::{Phase, Stop, TestOutcome};

/// Said when the course has tests only grading runs.
pub const MORE_AT_GRADING: &str = "More tests run when your work is graded: cover the cases the exercise describes, not only the ones checked here.";

/// Said when the tests printed past the cap.
pub const TRUNCATED: &str = "The tests printed more than 1 MiB, so the rest of their output was cut; \
     results may be missing. A print inside a loop is the usual cause.";

/// Said when the tests ran out of time.
pub const TIMED_OUT_ADVICE: &str = "Something in your code does not finish: a loop whose condition never becomes false, \
     recursion without a base case, or a wait on a channel or a lock that nothing ends.";

/// Said when the learner's tests fail on the course's correct code.
pub const WRONG_EXPECTATION_ADVICE: &str = "A test that fails on correct code expects the wrong thing: \
     check what the function is meant to return for that input.";

/// Said for each bug no test caught.
pub const MISSED_BUG: &str = "None of your tests fails on this version: add one whose expected \
     value this version gets wrong.";

/// Said of a failed test stopped by the same panic as one shown above it.
pub const SAME_PANIC: &str = "the same panic as above";

/// Said above the lines a failed test printed.
pub const PRINTED: &str = "it printed:";

/// Said when a graph had more nodes than are drawn.
pub const GRAPH_CUT: &str = "Only the first 200 nodes are drawn.";

/// How many more lines a test printed than are shown.
pub fn more_lines(n: usize) -> String {
    format!("… {n} more lines")
}

/// Where a test panicked.
pub fn panicked_at(place: &str) -> String {
    format!("at {place}")
}

/// What stands in for a test's panic when it has none: how it ended.
pub fn outcome(outcome: &TestOutcome) -> Option<&'static str> {
    match outcome {
        TestOutcome::Passed | TestOutcome::Failed(_) => None,
        TestOutcome::DidNotFinish => Some("did not finish"),
        TestOutcome::DidNotRun => Some("did not run"),
        TestOutcome::ReportedTwice => Some("reported more than once"),
    }
}

/// What the learner hears a phase called.
fn phase(phase: &Phase) -> String {
    match phase {
        Phase::BuildingSet(set) => format!("building the {set} crates"),
        Phase::Compiling => "compiling your code".to_owned(),
        Phase::Linting => "clippy".to_owned(),
        Phase::Testing { .. } => "the tests".to_owned(),
    }
}

/// "during" the test that was running, when one was.
fn during(phase: &Phase) -> String {
    match phase {
        Phase::Testing { test: Some(name) } => format!(" during `{name}`"),
        _ => String::new(),
    }
}

fn signal(signal: i32) -> &'static str {
    match signal {
        6 => {
            "aborted (SIGABRT): `std::process::abort`, a panic while panicking, or a failed allocation"
        }
        9 => "was killed (SIGKILL)",
        11 => "crashed (SIGSEGV): often a stack overflow from unbounded recursion",
        _ => "was stopped by a signal",
    }
}

/// How a run stopped, as a clause: "compiling your code took longer than
/// 60 s and was stopped".
impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Timeout { phase: p, after } => write!(
                f,
                "{} took longer than {} s and was stopped",
                phase(p),
                after.as_secs()
            ),
            Stop::Limit {
                phase: p @ Phase::Testing { .. },
                limit,
            } => write!(f, "{} were stopped: {limit}", phase(p)),
            Stop::Limit { phase: p, limit } => write!(f, "{} was stopped: {limit}", phase(p)),
            Stop::Signal {
                signal: s,
                during: p,
            } => write!(
                f,
                "the test process {}{} [signal {s}]",
                signal(*s),
                during(p)
            ),
            Stop::EarlyExit { code, during: p } => write!(
                f,
                "the test process exited{} (code {code}) before every hidden test reported; \
                 code that calls std::process::exit ends the tests with it",
                during(p)
            ),
            Stop::Supervisor => f.write_str("the test process was stopped"),
            Stop::SandboxFailed(why) => write!(f, "the sandbox failed: {why}"),
        }
    }
}

/// How a run stopped, with what the process last said (when it said
/// anything), as the clause the JSON's `crash` field holds.
pub fn stop_clause(stop: &Stop, said: Option<&str>) -> String {
    match said {
        Some(said) => format!("{stop}; it said: {said}"),
        None => stop.to_string(),
    }
}

/// `text` as a sentence: a capital first letter and a full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    let mut out = format!("{}{}", first.unwrap_or_default(), chars.as_str());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Limit::Memory { limit } => write!(
                f,
                "its processes together used more than {} of memory",
                bytes(limit)
            ),
            Limit::ProcessMemory { limit } => {
                write!(
                    f,
                    "a process asked for more than {} of memory",
                    bytes(limit)
                )
            }
            Limit::Processes { limit } => {
                write!(f, "it started more than {limit} processes and threads")
            }
            Limit::Cpu { limit_ms } => write!(
                f,
                "its processes together used more than {:.0} s of CPU time",
                Duration::from_millis(limit_ms).as_secs_f64()
            ),
            Limit::FileSize { limit } => {
                write!(f, "it wrote a file larger than {}", bytes(limit))
            }
            Limit::Disk { limit } => {
                write!(
                    f,
                    "it wrote more than {} to its run directory",
                    bytes(limit)
                )
            }
        }
    }
}

/// A plain-words reading of panic messages that puzzle newcomers.
pub fn plain_words(message: &str) -> Option<&'static str> {
    let first = message.lines().next().unwrap_or_default();
    Some(if first.starts_with("not yet implemented") {
        "A `todo!()` in your code was reached: replace it with a real body."
    } else if first.starts_with("not implemented") {
        "An `unimplemented!()` in your code was reached."
    } else if first.contains("index out of bounds") {
        "An index past the end of a slice or Vec: check lengths, or use `get`, which returns an Option."
    } else if first.contains("called `Option::unwrap()` on a `None` value") {
        "`unwrap` on a None: handle the missing case (match, `?`, `ok_or`) instead of assuming a value."
    } else if first.contains("called `Result::unwrap()` on an `Err` value") {
        "`unwrap` on an Err: the operation failed; handle or return the error instead."
    } else if first.contains("attempt to") && first.contains("with overflow") {
        "An integer overflowed: the value went past what its type holds."
    } else if first.contains("attempt to divide by zero") {
        "A division by zero: check the divisor (often an empty input's length) first."
    } else {
        return None;
    })
}

/// The caption of a drawn graph: what it is, and how to read its boxes.
/// `scroll` names the keys that scroll it sideways, when it is wider than
/// the screen.
pub fn graph_caption(graph: &Graph) -> (&'static str, &'static str) {
    let what = match graph {
        Graph::Autograd { .. } => "The graph your code built in",
        Graph::Onnx { .. } => "The model graph in",
    };
    let key = match graph {
        Graph::Autograd { nodes, .. } if nodes.iter().all(|n| n.grad.is_none()) => {
            "d: value; gradients appear once backward runs"
        }
        Graph::Autograd { .. } => "d: value, g: gradient",
        Graph::Onnx { .. } => "op or role, name, shape",
    };
    (what, key)
}

/// How to scroll a wide drawing, with the keys that do it.
pub fn scroll_sideways(keys: &str) -> String {
    format!("; {keys} scroll it sideways")
}

/// The caption of a drawn timeline.
pub const TIMELINE_CAPTION: (&str, &str) = (
    "When each task ran in",
    "virtual time; █ finished, ▒→ still running",
);

/// Where a hint is, with the key or command that shows it.
pub fn stuck(key: &str) -> String {
    format!("Stuck? {key} reveals a hint.")
}

/// The next exercise, after a pass.
pub fn next_exercise(id: &str, title: &str) -> String {
    format!("next exercise: {id} · {title}")
}

/// Said after the last exercise passed.
pub fn last_exercise(passed: usize, total: usize) -> String {
    format!("That was the last exercise: {passed} of {total} passed.")
}

/// The reference solution, once the exercise passed.
pub const COMPARE: &str = "compare with the reference solution";

/// The reference solution's path, where no key opens it.
pub fn compare_at(path: &str) -> String {
    format!("Compare with the reference solution: {path}")
}

/// What `check` says after a first pass: where to go next.
pub fn after_first_pass(next: Option<&str>) -> String {
    match next {
        Some(next) => format!("Next: {next} (`tensorlings check {next}` checks it)."),
        None => "Every exercise of the course has passed.".to_owned(),
    }
}

/// Said (on standard error) when the tests ran as ordinary processes.
pub const NO_SANDBOX: &str =
    "note: no sandbox on this system: the tests ran as ordinary processes (`tensorlings doctor`)";

/// Said (on standard error) when some of the sandbox's protections were off.
pub fn weak_sandbox(off: &[&str]) -> String {
    format!(
        "note: the sandbox ran without {} on this system (`tensorlings doctor` explains)",
        off.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::DepSet;

    #[test]
    fn stops_read_as_clauses() {
        let timeout = Stop::Timeout {
            phase: Phase::Compiling,
            after: Duration::from_secs(60),
        };
        assert_eq!(
            sentence(&timeout.to_string()),
            "Compiling your code took longer than 60 s and was stopped."
        );
        let set = Stop::Limit {
            phase: Phase::BuildingSet(DepSet::Ml),
            limit: Limit::Processes { limit: 64 },
        };
        assert_eq!(
            set.to_string(),
            "building the ml crates was stopped: it started more than 64 processes and threads"
        );
        let abort = Stop::Signal {
            signal: 6,
            during: Phase::Testing {
                test: Some("adds".into()),
            },
        };
        assert_eq!(
            stop_clause(&abort, Some("boom")),
            "the test process aborted (SIGABRT): `std::process::abort`, a panic while panicking, \
             or a failed allocation during `adds` [signal 6]; it said: boom"
        );
        let exit = Stop::EarlyExit {
            code: 3,
            during: Phase::Testing {
                test: Some("adds".into()),
            },
        };
        assert!(exit.to_string().contains("during `adds`"));
        assert!(exit.to_string().contains("std::process::exit"));
        let memory = Stop::Limit {
            phase: Phase::Testing { test: None },
            limit: Limit::ProcessMemory { limit: 4 << 30 },
        };
        assert!(
            memory
                .to_string()
                .starts_with("the tests were stopped: a process asked for more than 4 GiB"),
            "{memory}"
        );
    }

    #[test]
    fn a_test_that_has_no_panic_says_how_it_ended() {
        assert_eq!(outcome(&TestOutcome::DidNotRun), Some("did not run"));
        assert_eq!(outcome(&TestOutcome::DidNotFinish), Some("did not finish"));
        assert_eq!(outcome(&TestOutcome::Passed), None);
    }
}
