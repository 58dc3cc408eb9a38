//! Rebuilds when the course changes, so the course built into the binary (for
//! `tensorlings init`) matches the lessons and solutions beside it. Learners'
//! edits under exercises/ deliberately do not trigger a rebuild.

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    println!("cargo:rerun-if-changed=solutions");
    println!("cargo:rerun-if-changed=schema");
    println!("cargo:rerun-if-changed=build.rs");
}
