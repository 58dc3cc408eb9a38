//! Pictures the hidden tests describe, for drawing: the graph an autograd
//! exercise built, an ONNX model, the timeline of an async exercise, and
//! the loss curve of a training one.
//!
//! A test prints annotation lines (`tensorlings:<word> …`, see
//! `protocol.rs`); [`read`] feeds each to the reader of its kind, all
//! behind one trait (`reader.rs`), and the runner checks what it can on its
//! own (finite differences through an autograd graph, shapes through an
//! ONNX model) and marks where something is wrong. [`Picture`] lays a graph
//! or a timeline out as a grid of cells with meanings, which each front end
//! paints its own way. These lines only draw a picture: nothing in them can
//! change a verdict.
//!
//! Adding a picture: a file here with its types and a `Reader`, one line
//! registering it in `pictures.rs` (and the field it fills), and a
//! `Picture::of_…` layout in `picture/`.
//!
//! Modules import their siblings, never this façade, and only downwards:
//! `protocol`, `model` and `reader` (the trait) first; `shape`; the readers
//! `autograd`, `onnx`, `timeline` and `loss`; `pictures`, which registers
//! them; `picture`, which lays out what they read.

mod autograd;
mod loss;
mod model;
mod onnx;
mod picture;
mod pictures;
mod protocol;
mod reader;
mod shape;
mod timeline;

pub use model::{AutogradNode, Graph, OnnxNode, OnnxRole};
pub use picture::{Cell, Mark, Meaning, Picture, Place};
pub use pictures::{Pictures, Read, read};
pub use timeline::{TimeMark, TimeSpan, Timeline};
