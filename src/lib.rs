//! tensorlings: a terminal tutorial and exercise runner for the engineering
//! habits production AI code needs.
//!
//! The library holds the core: the course model ([`course`]), the pinned
//! dependency sets ([`deps`]), the runner that checks a learner's file against
//! hidden tests ([`runner`]), and course verification ([`verify`]). The
//! terminal app and the command line sit on top of it.

pub mod cli;
pub mod course;
pub mod deps;
pub mod parallel;
pub mod runner;
pub mod text;
pub mod tui;
pub mod verify;
pub mod workspace;
