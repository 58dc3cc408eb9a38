//! How to build a learner's crate with rustc alone, against a dependency
//! set cargo already built.
//!
//! The build crate of a set never changes but for its `src/`: the same
//! manifest, lockfile and prebuilt crates every check. cargo nonetheless
//! reads the lockfile and checks the fingerprints of every crate of the set
//! (some 230 for the ml set) before it compiles one file. So once cargo has
//! built the set, its own messages say where each crate's library is and what
//! native libraries the build scripts asked to link; that is recorded here,
//! and later checks call rustc directly with `--extern` for each of the set's
//! crates, as cargo would. The plan is keyed by the set's manifest and
//! lockfile (a change makes a new one), checked against the files it names
//! before each use, and dropped (falling back to cargo) when rustc cannot
//! find or link what it names.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The arguments a set's crates add to a direct rustc build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// `--extern NAME=PATH` for every crate the set's manifest names.
    pub externs: Vec<(String, PathBuf)>,
    /// `-L KIND=PATH` from build scripts.
    pub link_paths: Vec<String>,
    /// `-l KIND=NAME` from build scripts.
    pub link_libs: Vec<String>,
}

/// What a cargo build of the set reported, gathered from its messages.
#[derive(Debug, Default)]
pub struct Seen {
    /// Library targets: name, files, whether a proc-macro.
    pub libraries: Vec<(String, Vec<PathBuf>, bool)>,
    /// Native search paths from build scripts.
    pub link_paths: Vec<String>,
    /// Native libraries from build scripts.
    pub link_libs: Vec<String>,
}

impl Seen {
    /// Takes one of cargo's messages.
    pub fn take(&mut self, message: &cargo_metadata::Message) {
        use cargo_metadata::{Message, TargetKind};
        match message {
            Message::CompilerArtifact(artifact) => {
                let kinds = &artifact.target.kind;
                let proc_macro = kinds.contains(&TargetKind::ProcMacro);
                let library = proc_macro
                    || kinds
                        .iter()
                        .any(|k| matches!(k, TargetKind::Lib | TargetKind::RLib));
                if library {
                    self.libraries.push((
                        artifact.target.name.clone(),
                        artifact
                            .filenames
                            .iter()
                            .map(|f| f.clone().into_std_path_buf())
                            .collect(),
                        proc_macro,
                    ));
                }
            }
            Message::BuildScriptExecuted(script) => {
                for path in &script.linked_paths {
                    push_new(&mut self.link_paths, path.to_string());
                }
                for lib in &script.linked_libs {
                    push_new(&mut self.link_libs, lib.to_string());
                }
            }
            _ => {}
        }
    }

    /// The plan for a set whose manifest names `crates`, when cargo's
    /// messages named a library for every one of them.
    pub fn plan(&self, crates: &[&str]) -> Option<Plan> {
        let mut externs = Vec::new();
        for krate in crates {
            let name = krate.replace('-', "_");
            let (_, files, proc_macro) =
                self.libraries.iter().rev().find(|(n, _, _)| *n == name)?;
            let wanted = if *proc_macro { "so" } else { "rlib" };
            let file = files
                .iter()
                .find(|f| f.extension().is_some_and(|e| e == wanted))?;
            externs.push((name, file.clone()));
        }
        Some(Plan {
            externs,
            link_paths: self.link_paths.clone(),
            link_libs: self.link_libs.clone(),
        })
    }
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl Plan {
    /// The plan saved at `path`, when every file it names is still there.
    pub fn load(path: &Path) -> Option<Plan> {
        let plan: Plan = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        plan.externs
            .iter()
            .all(|(_, file)| file.is_file())
            .then_some(plan)
    }

    /// Saves the plan at `path` (a failure only costs the next check cargo).
    pub fn save(&self, path: &Path) {
        if let Ok(json) = serde_json::to_vec(self) {
            let _ = std::fs::write(path, json);
        }
    }

    /// rustc's arguments for the set's crates, for a crate built into
    /// `target` (cargo's layout: `debug/deps` holds every library).
    pub fn args(&self, target: &Path) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["-L".into(), {
            let mut dep = OsString::from("dependency=");
            dep.push(target.join("debug").join("deps"));
            dep
        }];
        for (name, file) in &self.externs {
            let mut arg = OsString::from(format!("{name}="));
            arg.push(file);
            args.push("--extern".into());
            args.push(arg);
        }
        for path in &self.link_paths {
            args.push("-L".into());
            args.push(path.into());
        }
        for lib in &self.link_libs {
            args.push("-l".into());
            args.push(lib.into());
        }
        args
    }
}

/// Whether a failed direct build failed for the plan's sake, not the
/// learner's: a crate it names is missing or was rebuilt, or linking failed.
pub fn is_stale(codes: &[&str], stderr: &str) -> bool {
    const STALE: [&str; 9] = [
        "E0460", "E0461", "E0462", "E0463", "E0464", "E0514", "E0519", "E0523", "E0786",
    ];
    codes.iter().any(|c| STALE.contains(c)) || stderr.contains("linking with")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_of_the_set_needs_its_library() {
        let seen = Seen {
            libraries: vec![
                (
                    "candle_core".into(),
                    vec![
                        "/t/libcandle_core-1.rmeta".into(),
                        "/t/libcandle_core-1.rlib".into(),
                    ],
                    false,
                ),
                (
                    "thiserror_impl".into(),
                    vec!["/t/libthiserror_impl-2.so".into()],
                    true,
                ),
                (
                    "thiserror".into(),
                    vec!["/t/libthiserror-3.rlib".into()],
                    false,
                ),
            ],
            link_paths: vec!["native=/t/out".into()],
            link_libs: vec!["static=gemm".into()],
        };
        let plan = seen.plan(&["candle-core", "thiserror"]).unwrap();
        assert_eq!(
            plan.externs,
            vec![
                (
                    "candle_core".to_owned(),
                    PathBuf::from("/t/libcandle_core-1.rlib")
                ),
                (
                    "thiserror".to_owned(),
                    PathBuf::from("/t/libthiserror-3.rlib")
                ),
            ]
        );
        let args: Vec<String> = plan
            .args(Path::new("/t"))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let deps = format!(
            "dependency={}",
            Path::new("/t").join("debug").join("deps").display()
        );
        assert_eq!(
            args,
            [
                "-L",
                deps.as_str(),
                "--extern",
                "candle_core=/t/libcandle_core-1.rlib",
                "--extern",
                "thiserror=/t/libthiserror-3.rlib",
                "-L",
                "native=/t/out",
                "-l",
                "static=gemm",
            ]
        );
        // A crate cargo did not report: no plan, cargo builds.
        assert_eq!(seen.plan(&["candle-core", "tract-onnx"]), None);
    }

    #[test]
    fn a_missing_crate_or_a_failed_link_is_the_plans_fault() {
        assert!(is_stale(&["E0463"], ""));
        assert!(is_stale(
            &[],
            "error: linking with `cc` failed: exit status: 1"
        ));
        assert!(!is_stale(&["E0308"], "mismatched types"));
    }
}
