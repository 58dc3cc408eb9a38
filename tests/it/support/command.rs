//! [`Tensorlings`]: the binary as the tests run it, a builder that owns its
//! environment and hands back a typed [`Run`].
//!
//! Every run gets a home, an XDG cache and a build cache of the tests'
//! own (in the temporary directory), never the developer's: `HOME`,
//! `XDG_CACHE_HOME` and `TENSORLINGS_CACHE_DIR` point there, and no
//! `TENSORLINGS_*` variable of the shell that started the tests reaches the
//! binary. The build cache is shared by the whole test binary and kept
//! between runs, so the crate sets are built once per checkout, not once
//! per test; a test that needs an empty cache (or one no other test's
//! processes name) asks for [`Tensorlings::own_cache`].

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The tests' own corner of the machine's temporary directory: one per
/// checkout (named after its target directory), kept between runs. Not
/// under the target directory itself: a build cache inside the repository
/// would have its `clippy.toml` and `Cargo.toml` above it, which cargo and
/// clippy look for in every parent directory.
fn area() -> &'static Path {
    static AREA: OnceLock<PathBuf> = OnceLock::new();
    AREA.get_or_init(|| {
        let checkout = env!("CARGO_TARGET_TMPDIR");
        // FNV-1a: a name that stays the same from one build to the next.
        let hash = checkout.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        let area = std::env::temp_dir().join(format!("tensorlings-it-{hash:016x}"));
        for dir in ["home", "xdg-cache", "xdg-config", "cache"] {
            std::fs::create_dir_all(area.join(dir)).unwrap();
        }
        area
    })
}

/// The build cache every run without [`Tensorlings::own_cache`] uses.
pub fn shared_cache() -> PathBuf {
    area().join("cache")
}

/// The toolchain's homes as the test process sees them. Moving `HOME`
/// would otherwise move them too, and rustup would find no toolchain.
fn toolchain_homes() -> &'static [(&'static str, Option<OsString>)] {
    static HOMES: OnceLock<Vec<(&'static str, Option<OsString>)>> = OnceLock::new();
    HOMES.get_or_init(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")]
            .into_iter()
            .map(|(key, default)| {
                let value = std::env::var_os(key).filter(|v| !v.is_empty()).or_else(|| {
                    home.as_ref()
                        .map(|h| h.join(default))
                        .filter(|p| p.is_dir())
                        .map(PathBuf::into_os_string)
                });
                (key, value)
            })
            .collect()
    })
}

/// The environment a run gets on top of the test's: variables to set
/// (`Some`) and to remove (`None`).
fn isolated_env() -> Vec<(OsString, Option<OsString>)> {
    let mut env: Vec<(OsString, Option<OsString>)> = std::env::vars_os()
        .filter(|(key, _)| key.to_string_lossy().starts_with("TENSORLINGS_"))
        .map(|(key, _)| (key, None))
        .collect();
    let area = area();
    for (key, value) in [
        ("HOME", area.join("home")),
        ("XDG_CACHE_HOME", area.join("xdg-cache")),
        ("XDG_CONFIG_HOME", area.join("xdg-config")),
        ("TENSORLINGS_CACHE_DIR", shared_cache()),
    ] {
        env.push((key.into(), Some(value.into_os_string())));
    }
    for (key, value) in toolchain_homes() {
        if let Some(value) = value {
            env.push(((*key).into(), Some(value.clone())));
        }
    }
    env
}

/// The binary to start in a pseudo-terminal, in the same environment as a
/// [`Tensorlings`] run.
pub fn pty_command() -> portable_pty::CommandBuilder {
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_tensorlings"));
    for (key, value) in isolated_env() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        }
    }
    cmd
}

/// The tensorlings binary, to be given arguments and run once.
///
/// ```ignore
/// let run = Tensorlings::on(&course).check("passes").json().run();
/// assert_eq!(run.code(), Some(0), "{}", run.text());
/// assert_eq!(run.json()["status"], "passed");
/// ```
pub struct Tensorlings {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    own_cache: Option<tempfile::TempDir>,
}

impl Tensorlings {
    /// The binary with no course named: it looks for one from its working
    /// directory.
    pub fn new() -> Tensorlings {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tensorlings"));
        for (key, value) in isolated_env() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        Tensorlings {
            cmd,
            stdin: None,
            own_cache: None,
        }
    }

    /// The binary on the course at `course` (`--course`).
    pub fn on(course: impl AsRef<Path>) -> Tensorlings {
        Tensorlings::new().arg("--course").arg(course.as_ref())
    }

    /// The binary started in `dir`, finding its course from there.
    pub fn in_dir(dir: impl AsRef<Path>) -> Tensorlings {
        Tensorlings::new().current_dir(dir)
    }

    /// `check id`.
    pub fn check(self, id: &str) -> Tensorlings {
        self.args(["check", id])
    }

    /// `--format json`.
    pub fn json(self) -> Tensorlings {
        self.args(["--format", "json"])
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Tensorlings {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Tensorlings
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Tensorlings {
        self.cmd.env(key, value);
        self
    }

    /// Every `(key, value)` of `vars`.
    pub fn envs<'a>(
        mut self,
        vars: impl IntoIterator<Item = &'a (&'a str, &'a str)>,
    ) -> Tensorlings {
        for (key, value) in vars {
            self.cmd.env(key, value);
        }
        self
    }

    /// Nothing of any environment, the tests' own included: the variables
    /// set after this are all the binary gets.
    pub fn env_clear(mut self) -> Tensorlings {
        self.cmd.env_clear();
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Tensorlings {
        self.cmd.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Tensorlings {
        self.cmd.current_dir(dir);
        self
    }

    /// What the binary reads on its standard input (else nothing: it is closed).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Tensorlings {
        self.stdin = Some(bytes.into());
        self
    }

    /// The build cache at `dir` instead of the shared one.
    pub fn cache(self, dir: impl AsRef<Path>) -> Tensorlings {
        self.env("TENSORLINGS_CACHE_DIR", dir.as_ref())
    }

    /// A fresh, empty build cache for this run alone, kept as long as the
    /// [`Run`] (see [`Run::cache`]).
    pub fn own_cache(mut self) -> Tensorlings {
        let dir = tempfile::tempdir().unwrap();
        self.cmd.env("TENSORLINGS_CACHE_DIR", dir.path());
        self.own_cache = Some(dir);
        self
    }

    /// The command itself, for a test that starts and stops the process
    /// on its own. A cache of its own must then be the caller's.
    pub fn into_command(self) -> Command {
        assert!(
            self.own_cache.is_none() && self.stdin.is_none(),
            "a spawned command's cache and input are the caller's to keep"
        );
        self.cmd
    }

    /// Starts the binary, its output captured, its input closed; see
    /// [`Running::wait`].
    pub fn spawn(mut self) -> Running {
        assert!(self.stdin.is_none(), "a spawned run reads no input");
        let started = Instant::now();
        let child = self
            .cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Running {
            child,
            started,
            cache: self.own_cache,
        }
    }

    /// Runs the binary to its end.
    pub fn run(mut self) -> Run {
        let started = Instant::now();
        let output = match self.stdin.take() {
            None => self.cmd.stdin(Stdio::null()).output().unwrap(),
            Some(input) => {
                let mut child = self
                    .cmd
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                let mut pipe = child.stdin.take().unwrap();
                let writer = std::thread::spawn(move || {
                    // The binary may stop reading early; that is its business.
                    let _ = pipe.write_all(&input);
                });
                let output = child.wait_with_output().unwrap();
                writer.join().unwrap();
                output
            }
        };
        Run {
            output,
            elapsed: Some(started.elapsed()),
            cache: self.own_cache,
        }
    }
}

impl Default for Tensorlings {
    fn default() -> Tensorlings {
        Tensorlings::new()
    }
}

/// A run of the binary still going.
pub struct Running {
    child: Child,
    started: Instant,
    cache: Option<tempfile::TempDir>,
}

impl Running {
    /// The process, to signal or poll.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Waits for the run's end.
    pub fn wait(self) -> Run {
        let output = self.child.wait_with_output().unwrap();
        Run {
            output,
            elapsed: Some(self.started.elapsed()),
            cache: self.cache,
        }
    }
}

/// A finished run of the binary.
pub struct Run {
    output: Output,
    elapsed: Option<Duration>,
    cache: Option<tempfile::TempDir>,
}

/// The output of a process started some other way (through a shell, say),
/// to read as a run's; it was not timed.
impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            output,
            elapsed: None,
            cache: None,
        }
    }
}

impl Run {
    /// The exit code (`None` if a signal ended the process).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn success(&self) -> bool {
        self.output.status.success()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout_bytes(&self) -> &[u8] {
        &self.output.stdout
    }

    pub fn stderr_bytes(&self) -> &[u8] {
        &self.output.stderr
    }

    /// Standard output then standard error, for assertions' messages.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr())
    }

    /// Standard output as JSON; fails the test, showing both streams, if
    /// it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout).unwrap_or_else(|err| {
            panic!("{err}: stdout {}\nstderr {}", self.stdout(), self.stderr())
        })
    }

    /// How long the run took, from start to exit.
    pub fn elapsed(&self) -> Duration {
        self.elapsed.expect("a run started by the driver")
    }

    /// The run's own build cache ([`Tensorlings::own_cache`]).
    pub fn cache(&self) -> &Path {
        self.cache
            .as_ref()
            .expect("the run was given no cache of its own")
            .path()
    }
}

/// The driver's promise: a run's home and caches are the tests' own, none
/// inside the repository (whose `clippy.toml` clippy would find above a
/// build cache) nor the developer's.
#[test]
fn a_run_gets_a_home_and_caches_of_the_tests_own() {
    let cmd = Tensorlings::new().into_command();
    let env: Vec<(&OsStr, Option<&OsStr>)> = cmd.get_envs().collect();
    let set = |key: &str| -> PathBuf {
        env.iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| *v)
            .map_or_else(|| panic!("{key} is not set: {env:?}"), PathBuf::from)
    };
    let real_home = std::env::var_os("HOME").map(PathBuf::from);
    for key in [
        "HOME",
        "XDG_CACHE_HOME",
        "XDG_CONFIG_HOME",
        "TENSORLINGS_CACHE_DIR",
    ] {
        let dir = set(key);
        assert!(dir.starts_with(area()), "{key}={}", dir.display());
        assert!(dir.is_dir(), "{key}={}", dir.display());
        assert!(!dir.starts_with(super::repo()), "{key}={}", dir.display());
        if let Some(home) = &real_home {
            assert!(
                !dir.starts_with(home.join(".cache")),
                "{key}={}",
                dir.display()
            );
        }
    }
    assert_eq!(set("TENSORLINGS_CACHE_DIR"), shared_cache());
    assert_ne!(Some(set("HOME")), real_home);
    // Every other TENSORLINGS_ variable of the tests' shell is removed.
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("TENSORLINGS_") && name != "TENSORLINGS_CACHE_DIR" {
            assert!(
                env.iter().any(|(k, v)| *k == key && v.is_none()),
                "{name} reaches the binary"
            );
        }
    }
    let own = Tensorlings::new().own_cache();
    let cache = own.own_cache.as_ref().unwrap().path().to_path_buf();
    let cmd = own.cmd;
    assert!(
        cmd.get_envs()
            .any(|(k, v)| k == "TENSORLINGS_CACHE_DIR" && v == Some(cache.as_os_str())),
        "own_cache is not the run's cache"
    );
}
