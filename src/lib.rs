//! tensorlings: a terminal tutorial and exercise runner for the engineering
//! habits production AI code needs.
//!
//! This crate holds the front ends: the command line ([`cli`]), the terminal
//! app ([`tui`]) and workspace creation ([`workspace`]). Everything they share
//! (the course, the runner and its sandbox, verification) is the
//! `tensorlings-core` crate, re-exported here under its own module names.

pub use tensorlings_core::{
    class, course, deps, feedback, grade, graph, parallel, runner, session, text, verify,
};

pub mod cli;
pub mod tui;
pub mod workspace;
