//! Where checks happen: the shared build cache, the build crate, and the
//! throwaway directories builds and test runs work in.

use std::fs;
use std::path::{Path, PathBuf};

use super::RunError;
use crate::deps::DepSet;

/// Bumped whenever the build crate's layout changes, so that caches made by
/// an older tensorlings count as unbuilt (and get the long first-build budget).
// "harness-3": builds run with a cargo home of their own, which changes the
// paths cargo fingerprints; the sets are built again with the long budget.
const LAYOUT: &str = "harness-3";

/// The user's build cache: one target directory per dependency set.
#[derive(Debug, Clone)]
pub struct CacheDir {
    root: PathBuf,
}

impl CacheDir {
    /// `dir`, else `tensorlings/` in the user's cache directory.
    pub fn new(dir: Option<&Path>) -> Result<CacheDir, RunError> {
        let root = match dir {
            Some(dir) => dir.to_path_buf(),
            None => dirs::cache_dir()
                .map(|dir| dir.join("tensorlings"))
                .ok_or_else(|| RunError::CacheUnwritable {
                    path: PathBuf::from("~/.cache/tensorlings"),
                    source: std::io::Error::other("no cache directory is known for this user"),
                })?,
        };
        // The sandbox grants paths by their real location.
        let root = match fs::create_dir_all(&root).and_then(|()| fs::canonicalize(&root)) {
            Ok(real) => real,
            Err(_) => root,
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

    /// The set's build crate (written by the runner alone).
    pub(super) fn crate_dir(&self, set: DepSet) -> PathBuf {
        self.set_dir(set).join("crate")
    }

    /// A marker whose name carries a hash of the set's lockfile and of the
    /// crate layout, so changing either makes the set count as new again.
    fn marker(&self, set: DepSet, what: &str) -> PathBuf {
        let mut key = set.lockfile().as_bytes().to_vec();
        key.extend_from_slice(set.manifest().as_bytes());
        key.extend_from_slice(LAYOUT.as_bytes());
        self.set_dir(set)
            .join(format!("{what}-{:016x}", fnv1a(&key)))
    }

    /// Where the harness library of direct rustc builds is kept: beside
    /// the target directory, where builds may read but not write.
    pub(super) fn harness_dir(&self, set: DepSet) -> PathBuf {
        self.set_dir(set).join("harness")
    }

    /// Where the plan of a direct rustc build against the set is kept.
    pub(super) fn plan_file(&self, set: DepSet) -> PathBuf {
        self.marker(set, "plan")
    }

    /// Whether the set's crates were downloaded.
    pub fn is_fetched(&self, set: DepSet) -> bool {
        self.marker(set, "fetched").exists()
    }

    /// Whether the set's crates were built at least once.
    pub fn is_built(&self, set: DepSet) -> bool {
        self.marker(set, "built").exists()
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

/// Writes the set's build crate: its manifest and lockfile, and exactly the
/// given source files. Anything else found in the crate (a build script, a
/// `.cargo/config.toml`, a stray module) is removed first, so nothing an
/// earlier run left there can change this build. Call only while holding the
/// set's lock.
pub fn write_crate(
    cache: &CacheDir,
    set: DepSet,
    files: &[(String, String)],
) -> Result<PathBuf, RunError> {
    let dir = cache.crate_dir(set);
    let src = dir.join("src");
    let keep: Vec<PathBuf> = files.iter().map(|(path, _)| dir.join(path)).collect();
    remove_strays(
        &dir,
        &[
            dir.join("Cargo.toml"),
            dir.join("Cargo.lock"),
            dir.join("clippy.toml"),
            src.clone(),
        ],
    )?;
    remove_strays(&src, &keep)?;
    fs::create_dir_all(&src).map_err(io("creating the build crate"))?;
    write_if_changed(&dir.join("Cargo.toml"), set.manifest())?;
    write_if_changed(&dir.join("Cargo.lock"), set.lockfile())?;
    // clippy reads the nearest clippy.toml at or above the crate: one in a
    // project that holds the cache would set the lints of every check. An
    // empty one here keeps clippy's defaults.
    write_if_changed(&dir.join("clippy.toml"), "")?;
    for (path, contents) in files {
        write_if_changed(&dir.join(path), contents)?;
    }
    Ok(dir)
}

/// Removes every entry of `dir` that is not in `keep` (a missing `dir` is fine).
fn remove_strays(dir: &Path, keep: &[PathBuf]) -> Result<(), RunError> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if keep.contains(&path) {
            continue;
        }
        let removed = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
        removed.map_err(io("cleaning the build crate"))?;
    }
    Ok(())
}

/// The file a scratch directory's owner holds locked while it uses it.
const CLAIM: &str = ".claim";

/// A scratch directory of one check (a build's, a test run's), removed
/// when dropped, and claimed while in use: its owner holds a lock on a file
/// in it, which the system releases when the owner ends, however it ends.
/// What a check that was killed left is removed by a later one (see
/// [`CacheDir::sweep`]).
pub(super) struct Scratch {
    /// First: closed before the directory is removed.
    _claim: fs::File,
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A new scratch directory in `parent`, its name starting with `prefix`.
    pub(super) fn new(parent: &Path, prefix: &str) -> std::io::Result<Scratch> {
        let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(parent)?;
        let claim = fs::File::create(dir.path().join(CLAIM))?;
        claim.lock()?;
        Ok(Scratch { _claim: claim, dir })
    }

    /// Its path.
    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// How old a scratch directory must be before a sweep looks at it: its
/// claim is taken right after it is made, never this late.
const SWEEP_AFTER: std::time::Duration = std::time::Duration::from_secs(60);
/// How old one with no claim at all (made before claims were) must be.
const SWEEP_UNCLAIMED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

impl CacheDir {
    /// Removes the scratch directories of the set's checks that ended
    /// without removing them (killed, or the machine stopped): their claim
    /// is free. One in use (a check running, the app's build set up ahead)
    /// holds its claim and stays.
    pub(super) fn sweep(&self, set: DepSet) {
        let set_dir = self.set_dir(set);
        for (dir, prefix) in [(set_dir.join("runs"), "run-"), (set_dir, "build-")] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(prefix)
                    && abandoned(&entry.path())
                {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    }
}

/// Whether the scratch directory `dir` was left by a check that ended.
fn abandoned(dir: &Path) -> bool {
    let Some(age) = fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
    else {
        return false;
    };
    if age < SWEEP_AFTER {
        return false;
    }
    match fs::OpenOptions::new().write(true).open(dir.join(CLAIM)) {
        Ok(claim) => claim.try_lock().is_ok(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => age > SWEEP_UNCLAIMED_AFTER,
        Err(_) => false,
    }
}

/// A throwaway directory for one sandboxed run: `work/` is the only place the
/// run may write; the sandbox's report is written beside it, out of reach.
pub struct RunDir {
    dir: Scratch,
}

impl RunDir {
    /// Creates the directory under the set's `runs/` (the same file system as
    /// the target directory, so a test binary moves there without a copy).
    pub fn create(cache: &CacheDir, set: DepSet) -> Result<RunDir, RunError> {
        let runs = cache.set_dir(set).join("runs");
        fs::create_dir_all(&runs).map_err(io("creating a run directory"))?;
        let dir = Scratch::new(&runs, "run-").map_err(io("creating a run directory"))?;
        for sub in ["bin", "work"] {
            fs::create_dir(dir.path().join(sub)).map_err(io("creating a run directory"))?;
        }
        Ok(RunDir { dir })
    }

    /// Moves the test binary out of the target directory into `bin/`: later
    /// builds (another exercise, another student) can then neither read it
    /// nor replace it while it runs.
    pub fn take_binary(&self, executable: &Path) -> Result<PathBuf, RunError> {
        let binary = self.binary();
        fs::rename(executable, &binary)
            .or_else(|_| fs::copy(executable, &binary).map(drop))
            .map_err(io("moving the test binary"))?;
        Ok(binary)
    }

    /// Copies a test binary into `bin/`: a file of its own, made now, for a
    /// run that must not share anything with another.
    pub fn copy_binary(&self, binary: &Path) -> Result<PathBuf, RunError> {
        let copy = self.binary();
        fs::copy(binary, &copy).map_err(io("copying the test binary"))?;
        Ok(copy)
    }

    /// Where the run's test binary goes.
    pub fn binary(&self) -> PathBuf {
        self.dir.path().join("bin").join("exercise")
    }

    /// The only directory the run may write.
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Where the sandbox writes its report.
    pub fn status(&self) -> PathBuf {
        self.dir.path().join("status.json")
    }
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), RunError> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    fs::write(path, contents).map_err(io("writing the build crate"))
}

pub(super) fn io(context: &str) -> impl FnOnce(std::io::Error) -> RunError {
    let context = context.to_owned();
    move |source| RunError::Io { context, source }
}

/// A small stable hash (FNV-1a), enough to tell lockfiles apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_files_in_the_build_crate_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let cache = CacheDir {
            root: root.path().to_path_buf(),
        };
        let dir = cache.crate_dir(DepSet::Std);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::create_dir_all(dir.join(".cargo")).unwrap();
        fs::write(dir.join(".cargo/config.toml"), "[build]\nrustflags = []").unwrap();
        fs::write(dir.join("build.rs"), "fn main() {}").unwrap();
        fs::write(dir.join("src/planted.rs"), "").unwrap();
        let files = vec![("src/main.rs".to_owned(), "fn main() {}".to_owned())];
        write_crate(&cache, DepSet::Std, &files).unwrap();
        let mut left: Vec<String> = walk(&dir);
        left.sort();
        assert_eq!(
            left,
            ["Cargo.lock", "Cargo.toml", "clippy.toml", "src/main.rs"]
        );
    }

    /// A scratch directory is swept only when its claim is free and it is
    /// older than any check takes to claim it (one just made has its claim
    /// file before the lock is on it); one with no claim at all only when
    /// it is much older.
    #[cfg(unix)]
    #[test]
    fn only_an_old_directory_with_a_free_claim_counts_as_abandoned() {
        let root = tempfile::tempdir().unwrap();
        let age = |dir: &Path, secs: u64| {
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
            fs::File::open(dir).unwrap().set_modified(then).unwrap();
        };
        let free = root.path().join("free");
        fs::create_dir(&free).unwrap();
        fs::write(free.join(CLAIM), "").unwrap();
        assert!(
            !abandoned(&free),
            "just made: its owner may not hold it yet"
        );
        age(&free, 120);
        assert!(abandoned(&free));
        let held = Scratch::new(root.path(), "held-").unwrap();
        age(held.path(), 120);
        assert!(!abandoned(held.path()));
        let unclaimed = root.path().join("unclaimed");
        fs::create_dir(&unclaimed).unwrap();
        age(&unclaimed, 120);
        assert!(!abandoned(&unclaimed));
        age(&unclaimed, 7200);
        assert!(abandoned(&unclaimed));
    }

    fn walk(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_dir() {
                out.extend(
                    walk(&entry.path())
                        .into_iter()
                        .map(|p| format!("{name}/{p}")),
                );
            } else {
                out.push(name);
            }
        }
        out
    }
}
