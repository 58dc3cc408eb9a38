//! Where checks happen: the shared build cache and the temporary crate.

use std::fs;
use std::path::{Path, PathBuf};

use super::RunError;
use super::diagnostics::{LEARNER_SRC, TESTS_SRC};
use crate::deps::DepSet;

/// The lines appended to the learner's file to bring in the hidden tests.
/// Appending keeps every line of the learner's code where it was.
const TESTS_MODULE: &str = "\n#[cfg(test)]\n#[path = \"hidden_tests.rs\"]\nmod hidden_tests;\n";

/// The user's build cache: one target directory per dependency set.
#[derive(Debug, Clone)]
pub struct CacheDir {
    root: PathBuf,
}

impl CacheDir {
    /// `TENSORLINGS_CACHE_DIR`, else `tensorlings/` in the user's cache directory.
    pub fn from_env() -> Result<CacheDir, RunError> {
        let root = match std::env::var_os("TENSORLINGS_CACHE_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => dirs::cache_dir()
                .map(|dir| dir.join("tensorlings"))
                .ok_or_else(|| RunError::CacheUnwritable {
                    path: PathBuf::from("~/.cache/tensorlings"),
                    source: std::io::Error::other("no cache directory is known for this user"),
                })?,
        };
        Ok(CacheDir { root })
    }

    /// The cache's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The target directory shared by every check of `set`.
    pub fn target(&self, set: DepSet) -> PathBuf {
        self.set_dir(set).join("target")
    }

    pub(super) fn set_dir(&self, set: DepSet) -> PathBuf {
        self.root.join(set.name())
    }

    /// A marker whose name carries a hash of the set's lockfile, so changing
    /// the pinned versions makes the set count as new again.
    fn marker(&self, set: DepSet, what: &str) -> PathBuf {
        self.set_dir(set)
            .join(format!("{what}-{:016x}", fnv1a(set.lockfile().as_bytes())))
    }

    /// Whether the set's crates were downloaded.
    pub fn is_fetched(&self, set: DepSet) -> bool {
        self.marker(set, "fetched").exists()
    }

    /// Whether the set's crates were built at least once.
    pub fn is_built(&self, set: DepSet) -> bool {
        set == DepSet::Std || self.marker(set, "built").exists()
    }

    pub(super) fn mark_fetched(&self, set: DepSet) -> Result<(), RunError> {
        self.touch(&self.marker(set, "fetched"))
    }

    pub(super) fn mark_built(&self, set: DepSet) -> Result<(), RunError> {
        self.touch(&self.marker(set, "built"))
    }

    fn touch(&self, path: &Path) -> Result<(), RunError> {
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir)
            .and_then(|()| fs::write(path, b""))
            .map_err(|source| RunError::CacheUnwritable {
                path: dir.to_path_buf(),
                source,
            })
    }

    /// Takes the set's check lock (blocking until it is free); released on drop.
    pub(super) fn lock(&self, set: DepSet) -> Result<fs::File, RunError> {
        let path = self.set_dir(set).join("check.lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .and_then(|file| file.lock().map(|()| file))
            .map_err(|source| RunError::CacheUnwritable { path, source })?;
        Ok(file)
    }

    /// Makes sure the set's directory exists and is writable.
    pub fn ensure_writable(&self, set: DepSet) -> Result<(), RunError> {
        let dir = self.set_dir(set);
        fs::create_dir_all(&dir)
            .and_then(|()| tempfile::tempfile_in(&dir).map(drop))
            .map_err(|source| RunError::CacheUnwritable { path: dir, source })
    }
}

/// The set's build crate: one fixed directory per set, rewritten by every
/// check while it holds the set's lock. A fixed path (and fixed package name)
/// lets cargo reuse its incremental state between checks of the same exercise,
/// which is most of the edit→verdict loop.
pub struct BuildCrate {
    dir: PathBuf,
}

impl BuildCrate {
    /// Writes the set's manifest and lockfile (when they changed), the
    /// learner's code as the library with the hidden tests module appended,
    /// and the hidden tests. Call only while holding the set's lock.
    pub fn write(
        cache: &CacheDir,
        set: DepSet,
        learner: &str,
        tests: &str,
    ) -> Result<BuildCrate, RunError> {
        let dir = cache.set_dir(set).join("crate");
        fs::create_dir_all(dir.join("src")).map_err(io("creating the build crate"))?;
        write_if_changed(&dir.join("Cargo.toml"), set.manifest())?;
        write_if_changed(&dir.join("Cargo.lock"), set.lockfile())?;
        let mut lib = String::with_capacity(learner.len() + TESTS_MODULE.len() + 1);
        lib.push_str(learner);
        if !learner.is_empty() && !learner.ends_with('\n') {
            lib.push('\n');
        }
        if !tests.is_empty() {
            lib.push_str(TESTS_MODULE);
        }
        fs::write(dir.join(TESTS_SRC), tests).map_err(io("writing the hidden tests"))?;
        fs::write(dir.join(LEARNER_SRC), lib).map_err(io("writing the learner's file"))?;
        Ok(BuildCrate { dir })
    }

    /// The crate's directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

/// A throwaway directory one test run happens in, holding its own link to the
/// test binary so later builds can replace the shared one meanwhile.
pub struct RunDir {
    dir: tempfile::TempDir,
}

impl RunDir {
    /// Creates the directory beside the set's build crate (the same file
    /// system, so the binary can be hard-linked rather than copied).
    pub fn create(cache: &CacheDir, set: DepSet) -> Result<RunDir, RunError> {
        let runs = cache.set_dir(set).join("runs");
        fs::create_dir_all(&runs).map_err(io("creating a run directory"))?;
        let dir = tempfile::Builder::new()
            .prefix("run-")
            .tempdir_in(&runs)
            .map_err(io("creating a run directory"))?;
        Ok(RunDir { dir })
    }

    /// Links (or, across file systems, copies) the test binary into the run directory.
    pub fn take_binary(&self, executable: &Path) -> Result<PathBuf, RunError> {
        let binary = self.dir.path().join("hidden-tests");
        fs::hard_link(executable, &binary)
            .or_else(|_| fs::copy(executable, &binary).map(drop))
            .map_err(io("copying the test binary"))?;
        Ok(binary)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), RunError> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    fs::write(path, contents).map_err(io("writing the build crate's manifest"))
}

fn io(context: &str) -> impl FnOnce(std::io::Error) -> RunError {
    let context = context.to_owned();
    move |source| RunError::Io { context, source }
}

/// A small stable hash (FNV-1a), enough to tell lockfiles apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
