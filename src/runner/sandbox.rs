//! Running untrusted processes: a process group killed as a whole on timeout,
//! cancellation or exit; captured output with a byte cap; a cleared environment.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Variables passed through to cargo and rustc; everything else in the user's
/// environment (API keys included) is removed before learner code runs.
pub const BUILD_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
    "TMPDIR",
    "LANG",
    "LC_ALL",
];

/// Variables `cargo fetch` also needs to reach the registry through a proxy or
/// with a custom certificate store. Only the download step sees them; no
/// learner code runs during it.
pub const FETCH_ENV: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NIX_SSL_CERT_FILE",
    "CARGO_HTTP_CAINFO",
    "CARGO_HTTP_PROXY",
    "CARGO_HTTP_TIMEOUT",
    "CARGO_NET_RETRY",
    "CARGO_NET_GIT_FETCH_WITH_CLI",
    "CARGO_REGISTRIES_CRATES_IO_PROTOCOL",
];

/// Variables the test binary sees: enough to find a temp dir and nothing personal.
pub const TEST_ENV: &[&str] = &["PATH", "HOME", "TMPDIR", "LANG"];

/// Limits for one process run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time before the whole process group is killed.
    pub timeout: Duration,
    /// Bytes kept of each of stdout and stderr; the rest is read and dropped.
    pub output_cap: usize,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The process exited by itself.
    Exited(ExitStatus),
    /// The timeout passed and the group was killed.
    TimedOut,
    /// The caller cancelled the run and the group was killed.
    Cancelled,
}

/// What a run produced.
#[derive(Debug)]
pub struct Finished {
    /// How it ended.
    pub ending: Ending,
    /// Captured stdout, at most `output_cap` bytes.
    pub stdout: Vec<u8>,
    /// Captured stderr, at most `output_cap` bytes.
    pub stderr: Vec<u8>,
    /// Whether either stream was cut at the cap.
    pub truncated: bool,
}

/// The most memory (address space) a test process may map: far more than any
/// exercise needs, far less than a runaway allocation would take from the machine.
pub const MEMORY_LIMIT: u64 = 4 << 30;

/// A command that runs `program` with resource limits, when the system's
/// `prlimit` tool is there to set them: bounded memory and no core dumps.
/// Without it the program runs unlimited (the timeout still applies).
pub fn limited(program: &Path) -> Command {
    static PRLIMIT: OnceLock<Option<PathBuf>> = OnceLock::new();
    let prlimit = PRLIMIT.get_or_init(|| {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("prlimit"))
                .find(|candidate| candidate.is_file())
        })
    });
    match prlimit {
        Some(prlimit) => {
            let mut cmd = Command::new(prlimit);
            cmd.arg(format!("--as={MEMORY_LIMIT}"))
                .arg("--core=0")
                .arg("--")
                .arg(program);
            cmd
        }
        None => Command::new(program),
    }
}

/// Applies the environment allow-list to `cmd`.
pub fn clear_env(cmd: &mut Command, keep: &[&str]) {
    cmd.env_clear();
    for key in keep {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
}

/// Runs `cmd` in its own process group under `limits`. `on_line` receives each
/// complete stdout line as it arrives (lines longer than the cap are dropped).
/// The group is killed when the run ends, however it ends, so no child outlives it.
pub fn run(
    mut cmd: Command,
    limits: Limits,
    cancel: &AtomicBool,
    on_line: &mut dyn FnMut(&str),
) -> io::Result<Finished> {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let group = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    let (tx, rx) = mpsc::channel();
    let stdout = child
        .stdout
        .take()
        .map(|out| spawn_reader(out, Stream::Out, limits.output_cap, tx.clone()))
        .is_some();
    let stderr = child
        .stderr
        .take()
        .map(|err| spawn_reader(err, Stream::Err, limits.output_cap, tx))
        .is_some();
    let mut streams = Streams {
        pending: usize::from(stdout) + usize::from(stderr),
        ..Streams::default()
    };
    let ending = wait(
        &mut child,
        group,
        limits.timeout,
        cancel,
        &rx,
        &mut streams,
        on_line,
    );
    kill_group(group);
    let _ = child.wait();
    // Collect what the readers hold. A process that escaped the group could keep
    // a pipe open; after a grace period its reader is abandoned.
    let grace = Instant::now() + Duration::from_secs(1);
    while streams.pending > 0 {
        match rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
            Ok(msg) => streams.take(msg, on_line),
            Err(_) => break,
        }
    }
    Ok(Finished {
        ending,
        truncated: streams.out.truncated || streams.err.truncated,
        stdout: streams.out.bytes,
        stderr: streams.err.bytes,
    })
}

/// What the reader threads have delivered so far.
#[derive(Default)]
struct Streams {
    out: Captured,
    err: Captured,
    pending: usize,
}

impl Streams {
    fn take(&mut self, msg: Msg, on_line: &mut dyn FnMut(&str)) {
        match msg {
            Msg::Line(line) => on_line(&line),
            Msg::Done(Stream::Out, captured) => {
                self.out = captured;
                self.pending -= 1;
            }
            Msg::Done(Stream::Err, captured) => {
                self.err = captured;
                self.pending -= 1;
            }
        }
    }
}

fn wait(
    child: &mut Child,
    group: Pid,
    timeout: Duration,
    cancel: &AtomicBool,
    rx: &Receiver<Msg>,
    streams: &mut Streams,
    on_line: &mut dyn FnMut(&str),
) -> Ending {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Ending::Exited(status);
        }
        if cancel.load(Ordering::Relaxed) {
            kill_group(group);
            return Ending::Cancelled;
        }
        let now = Instant::now();
        if now >= deadline {
            kill_group(group);
            return Ending::TimedOut;
        }
        // Wake for output as it comes, and at least every 10 ms to see an exit.
        let step = (deadline - now).min(Duration::from_millis(10));
        match rx.recv_timeout(step) {
            Ok(msg) => streams.take(msg, on_line),
            Err(RecvTimeoutError::Timeout) => {}
            // Both pipes closed but the process lives on: poll without spinning.
            Err(RecvTimeoutError::Disconnected) => thread::sleep(step),
        }
    }
}

fn kill_group(group: Pid) {
    // ESRCH (the group is already gone) is the normal case after a clean exit.
    let _ = killpg(group, Signal::SIGKILL);
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

enum Msg {
    Line(String),
    Done(Stream, Captured),
}

#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    truncated: bool,
}

fn spawn_reader(
    mut source: impl Read + Send + 'static,
    stream: Stream,
    cap: usize,
    tx: Sender<Msg>,
) {
    thread::spawn(move || {
        let mut captured = Captured::default();
        let mut line = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match source.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let data = &chunk[..n];
            let room = cap.saturating_sub(captured.bytes.len());
            captured.bytes.extend_from_slice(&data[..room.min(n)]);
            captured.truncated |= n > room;
            if matches!(stream, Stream::Out) {
                forward_lines(&mut line, data, cap, &tx);
            }
        }
        let _ = tx.send(Msg::Done(stream, captured));
    });
}

/// Splits `data` into lines (carrying a partial line over in `line`) and sends
/// each complete one. A line longer than `cap` is dropped rather than buffered.
fn forward_lines(line: &mut Vec<u8>, data: &[u8], cap: usize, tx: &Sender<Msg>) {
    for piece in data.split_inclusive(|&b| b == b'\n') {
        if line.len() + piece.len() <= cap {
            line.extend_from_slice(piece);
        } else {
            line.clear();
            line.push(0); // mark as overlong until its newline arrives
        }
        if piece.ends_with(b"\n") {
            if line.first() != Some(&0) {
                let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
                let _ = tx.send(Msg::Line(text));
            }
            line.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        cmd
    }

    fn limits(timeout_ms: u64, cap: usize) -> Limits {
        Limits {
            timeout: Duration::from_millis(timeout_ms),
            output_cap: cap,
        }
    }

    #[test]
    fn output_and_lines_are_captured() {
        let mut lines = Vec::new();
        let done = run(
            sh("echo one; echo two >&2; echo three"),
            limits(5000, 1024),
            &AtomicBool::new(false),
            &mut |l| {
                lines.push(l.to_owned());
            },
        )
        .unwrap();
        assert!(matches!(done.ending, Ending::Exited(s) if s.success()));
        assert_eq!(done.stdout, b"one\nthree\n");
        assert_eq!(done.stderr, b"two\n");
        assert_eq!(lines, ["one", "three"]);
        assert!(!done.truncated);
    }

    #[test]
    fn a_flood_is_cut_at_the_cap_and_noted() {
        let done = run(
            sh("yes flood | head -c 5000000"),
            limits(10_000, 1000),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(done.stdout.len(), 1000);
        assert!(done.truncated);
    }

    #[test]
    fn a_timeout_kills_the_group_including_children() {
        let start = Instant::now();
        let done = run(
            sh("sleep 30 & sleep 30"),
            limits(300, 1024),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(done.ending, Ending::TimedOut);
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "took {:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_cancelled_run_ends_promptly() {
        let cancel = AtomicBool::new(true);
        let done = run(sh("sleep 30"), limits(30_000, 1024), &cancel, &mut |_| {}).unwrap();
        assert_eq!(done.ending, Ending::Cancelled);
    }

    #[test]
    fn the_environment_is_cleared_except_the_allow_list() {
        let mut cmd = sh("echo \"[$TENSORLINGS_SECRET_PROBE][$PATH]\"");
        cmd.env("TENSORLINGS_SECRET_PROBE", "leak");
        clear_env(&mut cmd, &["PATH"]);
        let done = run(
            cmd,
            limits(5000, 1024),
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        let out = String::from_utf8(done.stdout).unwrap();
        assert!(out.starts_with("[][/"), "{out}");
    }
}
