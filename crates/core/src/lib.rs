//! The core of tensorlings: everything the app and the command line share.
//!
//! - [`course`]: the course model, loading `lesson.yaml` in two stages, and
//!   the learner's progress file.
//! - [`deps`]: the pinned dependency sets exercises compile against.
//! - [`graph`]: the pictures tests describe (autograd and ONNX graphs,
//!   timelines, losses), read from their output, checked, and laid out.
//! - [`runner`]: checking a learner's file: the build crate, the harness, the
//!   sandbox, the verdict.
//! - [`session`]: one learner's session: the exercise in progress, checks,
//!   hints and resets recorded by the same rules for every front end.
//! - [`feedback`]: what a check found, in the words every front end shows.
//! - [`grade`]: checking a learner's whole workspace, read safely, with `JUnit`.
//! - [`verify`]: proving a course (every starter fails, every solution passes).
//! - [`text`]: learner and course text made safe for a terminal.
//!
//! Nothing here draws, parses a command line or talks to a terminal: the
//! front ends in the `tensorlings` crate do that, on top of this.

#![warn(missing_docs)]

pub mod class;
pub mod course;
pub mod deps;
pub mod feedback;
pub mod grade;
pub mod graph;
pub mod parallel;
pub mod runner;
pub mod session;
pub mod text;
pub mod verify;
