//! Pictures of what a test described, as a grid of cells with meanings: a
//! graph as layered boxes and arrows ([`Picture::of_graph`]), a timeline as
//! one bar per task on a time axis ([`Picture::of_timeline`]), and what is
//! marked in them as typed items ([`Mark`]).
//!
//! A cell says what it is (an edge, a marked node's border, a running
//! task's bar), never how it looks: each front end paints meanings its own
//! way (the app in its theme, `check` with or without colour), so the
//! layout is written and tested once.

mod canvas;
mod cells;
mod layered;
mod marks;
mod timeline;

pub use cells::{Cell, Meaning, Picture};
pub use marks::{Mark, Place};

#[cfg(test)]
mod tests;
