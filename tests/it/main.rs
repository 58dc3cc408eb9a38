//! The integration tests: one binary (so it links once), one module per
//! area, and one support module they share. They run the real binary on
//! fixture courses, and drive the app through its `update` and a test
//! terminal.

#![allow(clippy::unwrap_used)]

mod support;

mod architecture;
mod browser;
mod check_next;
mod ci_examples;
mod classroom;
mod cli;
mod clone;
mod course;
mod feedback_sinks;
mod grading;
#[cfg(target_os = "linux")]
mod hostile;
mod progress_kill;
mod runner;
mod tests_kind;
mod tui_answers;
mod tui_app;
mod tui_e2e;
mod tui_screens;
