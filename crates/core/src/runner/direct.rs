//! What a build by rustc alone is given: its arguments, as cargo would pass
//! them, the set's prebuilt crates (a plan of them) and the harness library.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::Runner;
use super::harness::{DIRECT_ROOT, library};
use super::plan::Plan;
use crate::deps::DepSet;

impl Runner {
    /// The harness library, for a build rustc may do alone (see
    /// [`library`]); built now if need be and `make` (else only one
    /// already built).
    pub(super) fn harness_library(
        &self,
        set: DepSet,
        build: bool,
        plan: Option<&Plan>,
        make: bool,
    ) -> Option<PathBuf> {
        if !build || (set != DepSet::Std && plan.is_none()) {
            return None;
        }
        let rustc = self.toolchain.rustc(self.cache.root())?;
        let dir = self.cache.harness_dir(set);
        if !make {
            return library::existing(&dir, &rustc);
        }
        library::ensure(&dir, &rustc, |cmd| {
            self.toolchain.build_env(cmd, &dir, &dir);
        })
    }
}

/// rustc's arguments for the check's crate, as cargo would pass them; with
/// `harness`, its root is the one that links the harness library.
pub(super) fn rustc_args(
    target: &Path,
    output: &Path,
    incremental: bool,
    harness: Option<&Path>,
) -> Vec<OsString> {
    let cache = target.join("debug").join("incremental-direct");
    let root = match harness {
        Some(_) => DIRECT_ROOT,
        None => "src/main.rs",
    };
    let mut args: Vec<OsString> = [
        "--crate-name",
        "exercise",
        "--edition=2024",
        root,
        "--error-format=json",
        "--crate-type",
        "bin",
        "--emit=link",
        "-C",
        "embed-bitcode=no",
        "-C",
        "debuginfo=0",
        "-C",
        "strip=debuginfo",
        "--forbid=unsafe_code",
        "-o",
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    args.push(output.into());
    if incremental {
        args.push("-C".into());
        args.push(format!("incremental={}", cache.display()).into());
    }
    if let Some(library) = harness {
        let mut arg = OsString::from(format!("{}=", library::CRATE));
        arg.push(library);
        args.push("--extern".into());
        args.push(arg);
    }
    args
}

/// What a build by rustc alone links beside the learner's crate: the set's
/// crates (a plan of them), and the harness library.
pub(super) struct Direct<'a> {
    pub plan: Option<&'a Plan>,
    pub harness: Option<PathBuf>,
}
