//! The harness built once as a library, for builds by rustc alone.
//!
//! Every check's crate used to compile the harness's few hundred lines
//! anew: a third of a std-only exercise's compile when nothing is reused
//! (grading, learner-written tests), a tenth with incremental state. Built
//! once per toolchain into the set's directory — which no build may write —
//! a direct build links it with `--extern`, and the crate's root
//! (`src/direct.rs`) imports it under the name the generated code uses,
//! `crate::harness`: the learner's code reaches no more than it did when the
//! harness was a module of the crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::HARNESS_SOURCE;

/// The crate name the harness library has.
pub const CRATE: &str = "tensorlings_harness";

/// The harness library built by `rustc` into `dir`, built now when it is not
/// there. Its name carries a hash of the harness and of the compiler (path,
/// size and time), so a new toolchain or harness gets a new library. `None`
/// when it cannot be built: the check then compiles the harness as a module.
pub fn ensure(dir: &Path, rustc: &Path, env: impl FnOnce(&mut Command)) -> Option<PathBuf> {
    if let Some(file) = existing(dir, rustc) {
        return Some(file);
    }
    let file = dir.join(format!("lib{CRATE}-{:016x}.rlib", key(rustc)?));
    std::fs::create_dir_all(dir).ok()?;
    // Built beside its final name and renamed into place: a check that
    // stops half-way leaves no half-written library behind.
    let scratch = tempfile::Builder::new()
        .prefix("harness-")
        .tempdir_in(dir)
        .ok()?;
    let source = scratch.path().join("harness.rs");
    std::fs::write(&source, HARNESS_SOURCE).ok()?;
    let output = scratch.path().join(format!("lib{CRATE}.rlib"));
    let mut cmd = Command::new(rustc);
    env(&mut cmd);
    let status = cmd
        .current_dir(scratch.path())
        .args(["--crate-name", CRATE, "--edition=2024", "--crate-type=rlib"])
        .args(["-C", "embed-bitcode=no", "-C", "debuginfo=0"])
        .arg("--forbid=unsafe_code")
        .arg("--cap-lints=allow")
        .arg(&source)
        .arg("-o")
        .arg(&output)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::rename(&output, &file).ok()?;
    Some(file)
}

/// The harness library in `dir` for `rustc`, when it was built.
pub fn existing(dir: &Path, rustc: &Path) -> Option<PathBuf> {
    let file = dir.join(format!("lib{CRATE}-{:016x}.rlib", key(rustc)?));
    file.is_file().then_some(file)
}

/// Removes every harness library in `dir` (one a build could not use).
pub fn forget(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

/// What identifies a harness library: the harness's text and the compiler.
fn key(rustc: &Path) -> Option<u64> {
    let meta = std::fs::metadata(rustc).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    let mut key = HARNESS_SOURCE.as_bytes().to_vec();
    key.extend_from_slice(rustc.to_string_lossy().as_bytes());
    key.extend_from_slice(&meta.len().to_le_bytes());
    key.extend_from_slice(&modified.to_le_bytes());
    Some(key.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_compiler_gets_a_new_library() {
        let dir = tempfile::tempdir().unwrap();
        let rustc = dir.path().join("rustc");
        std::fs::write(&rustc, "one").unwrap();
        let first = key(&rustc).unwrap();
        std::fs::write(&rustc, "a longer one").unwrap();
        assert_ne!(key(&rustc).unwrap(), first);
        assert_eq!(key(&dir.path().join("gone")), None);
    }

    #[test]
    fn a_compiler_that_fails_leaves_no_library() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib");
        assert_eq!(ensure(&lib, Path::new("/bin/false"), |_| {}), None);
        let left = std::fs::read_dir(&lib).map_or(0, Iterator::count);
        assert_eq!(left, 0);
    }
}
