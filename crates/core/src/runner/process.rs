//! Running a process with a timeout, a way to cancel it, and captured output
//! with a byte cap. Sandboxed commands are stopped through their supervisor
//! (which ends every process below it); plain ones run in their own process
//! group (a Job Object on Windows), killed as a whole.

use std::io::{self, Read};
use std::process::{Command, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use super::platform::Spawned;
pub use super::platform::Stop;

/// How often the wait loop looks at cancellation, and at the exit where the
/// platform does not report it.
const POLL_STEP: Duration = if cfg!(not(target_os = "linux")) {
    Duration::from_millis(5)
} else {
    Duration::from_millis(20)
};

/// Limits for one process run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time before the whole process group is killed.
    pub timeout: Duration,
    /// Bytes kept of each of stdout and stderr; the rest is read and dropped.
    pub output_cap: usize,
    /// Bytes of ordinary stdout lines passed on; after that only the
    /// runner's own lines are (see [`run`]).
    pub line_cap: usize,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The process exited by itself.
    Exited,
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
    /// Its exit status, when it could be collected.
    pub status: Option<ExitStatus>,
    /// Captured stdout, at most `output_cap` bytes.
    pub stdout: Vec<u8>,
    /// Captured stderr, at most `output_cap` bytes.
    pub stderr: Vec<u8>,
    /// Whether either stream was cut at the cap.
    pub truncated: bool,
    /// Lines of standard output not passed on, once the cap was reached.
    pub dropped_lines: u64,
}

/// Lines waiting for the caller at most: a flood of output fills this and
/// then waits in the process's own socket buffer, so the runner's memory
/// stays bounded whatever the process writes.
const QUEUED_LINES: usize = 1024;

/// Lines starting with this are the runner's (reports, graphs, losses): they
/// are passed on even after the output cap, so a flood of other output can
/// never push a report out.
const RUNNER_LINE: &[u8] = b"tensorlings";

/// Runs `cmd` under `limits`, writing `stdin` (then closing it). `on_line`
/// receives each non-empty stdout line as it arrives: every line until the
/// output cap is reached, then only the runner's own lines (the rest are
/// counted in [`Finished::dropped_lines`]); a line longer than the cap is
/// dropped. However the run ends, nothing it started is left (see
/// [`platform`](super::platform) for what that means on each system), and the
/// time limit holds whatever the output does.
pub fn run(
    cmd: Command,
    stop: Stop,
    stdin: &[u8],
    limits: Limits,
    cancel: &AtomicBool,
    on_line: &mut dyn FnMut(&str),
) -> io::Result<Finished> {
    start(cmd, stop)?.finish(stdin, limits, cancel, on_line)
}

/// Starts `cmd` without giving it any input yet: see [`Started::finish`].
pub fn start(cmd: Command, stop: Stop) -> io::Result<Started> {
    Ok(Started {
        child: Some(Spawned::spawn(cmd, stop)?),
        outputs: None,
    })
}

/// A process started and not yet given its input. Dropped unfinished, its
/// input ends unwritten and it is waited for (a sandboxed command that waits
/// for its input then never starts).
pub struct Started {
    child: Option<Spawned>,
    /// Its output streams, once its input was given ahead of
    /// [`Started::finish`] (see [`Started::give`]).
    outputs: Option<(Box<dyn Read + Send>, Box<dyn Read + Send>)>,
}

impl Started {
    /// Writes `stdin` (then closes it) and runs the process to its end
    /// under `limits`, as [`run`] does; the time limit counts from now.
    pub fn finish(
        mut self,
        stdin: &[u8],
        limits: Limits,
        cancel: &AtomicBool,
        on_line: &mut dyn FnMut(&str),
    ) -> io::Result<Finished> {
        use std::io::Write as _;
        let mut child = self
            .child
            .take()
            .ok_or_else(|| io::Error::other("the process was already finished"))?;
        let (stdout, stderr) = if let Some(outputs) = self.outputs.take() {
            outputs
        } else {
            let (mut input, stdout, stderr) = child
                .streams()
                .ok_or_else(|| io::Error::other("the process's streams were not set up"))?;
            // A few bytes into an empty socket: this never blocks. A child
            // that has already ended makes it fail, which its exit status
            // reports better.
            let _ = input.write_all(stdin);
            drop(input);
            (stdout, stderr)
        };
        let (tx, rx) = mpsc::sync_channel(QUEUED_LINES);
        let (has_exited, told) = watch_exit(&mut child, tx.clone());
        let mut streams = Streams {
            pending: 2,
            ..Streams::default()
        };
        spawn_reader(stdout, Stream::Out, limits, tx.clone());
        spawn_reader(stderr, Stream::Err, limits, tx);
        let mut exited = || has_exited.load(Ordering::SeqCst) || (!told && child.exited());
        let waited = wait(
            limits.timeout,
            cancel,
            &rx,
            &mut streams,
            on_line,
            &mut exited,
        );
        let ending = if let Some(ending) = waited {
            ending
        } else {
            child.end();
            if cancel.load(Ordering::Relaxed) {
                Ending::Cancelled
            } else {
                Ending::TimedOut
            }
        };
        let status = child.finish();
        drain(&rx, &mut streams, on_line);
        Ok(Finished {
            ending,
            status,
            truncated: streams.out.truncated || streams.err.truncated,
            dropped_lines: streams.out.dropped_lines,
            stdout: streams.out.bytes,
            stderr: streams.err.bytes,
        })
    }
}

impl Started {
    /// Writes `stdin` now, and closes it: the process goes on while the
    /// caller does something else, and [`Started::finish`] then writes
    /// nothing more.
    pub fn give(&mut self, stdin: &[u8]) {
        use std::io::Write as _;
        if self.outputs.is_some() {
            return;
        }
        if let Some((mut input, stdout, stderr)) = self.child.as_mut().and_then(Spawned::streams) {
            let _ = input.write_all(stdin);
            drop(input);
            self.outputs = Some((stdout, stderr));
        }
    }

    /// Whether the process has ended.
    pub fn ended(&mut self) -> bool {
        self.child.as_mut().is_none_or(Spawned::exited)
    }

    /// Closes its streams unwritten: a command waiting for input ends (see
    /// the drop, which waits for it).
    pub fn abandon(&mut self) {
        if let Some(child) = &mut self.child {
            drop(child.streams());
        }
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.outputs = None;
        if let Some(mut child) = self.child.take() {
            // Its streams close here: a command waiting for input ends by
            // itself, at once; one that does not is ended after a second.
            drop(child.streams());
            let deadline = Instant::now() + Duration::from_secs(1);
            loop {
                if child.exited() {
                    break;
                }
                if Instant::now() >= deadline {
                    child.end();
                    break;
                }
                thread::sleep(Duration::from_millis(1));
            }
            let _ = child.finish();
        }
    }
}

/// Flags the child's exit, and wakes the waiting loop, from a thread of
/// its own. The exit is a flag, not a message behind queued lines: a flood
/// cannot delay it. Returns the flag, and whether the platform will tell of
/// the exit at all (else the loop asks the child).
fn watch_exit(child: &mut Spawned, tx: SyncSender<Msg>) -> (Arc<AtomicBool>, bool) {
    let has_exited = Arc::new(AtomicBool::new(false));
    let (exit_tx, exit_rx) = mpsc::channel();
    let told = child.notify_exit(exit_tx);
    thread::spawn({
        let has_exited = Arc::clone(&has_exited);
        move || {
            if exit_rx.recv().is_ok() {
                has_exited.store(true, Ordering::SeqCst);
                let _ = tx.try_send(Msg::Exited);
            }
        }
    });
    (has_exited, told)
}

/// Collects what the readers still hold once the process ended. A process
/// that escaped could keep a stream open; after a grace period its reader is
/// abandoned.
fn drain(rx: &Receiver<Msg>, streams: &mut Streams, on_line: &mut dyn FnMut(&str)) {
    let grace = Instant::now() + Duration::from_secs(1);
    while streams.pending > 0 {
        match rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
            Ok(msg) => streams.take(msg, on_line),
            Err(_) => break,
        }
    }
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
            Msg::Exited => {}
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

/// Waits for the child to exit: `Some` when it did, `None` when the timeout
/// passed or the run was cancelled first. Output is taken as it comes; the
/// deadline is looked at between any two lines.
fn wait(
    timeout: Duration,
    cancel: &AtomicBool,
    rx: &Receiver<Msg>,
    streams: &mut Streams,
    on_line: &mut dyn FnMut(&str),
    exited: &mut dyn FnMut() -> bool,
) -> Option<Ending> {
    let deadline = Instant::now() + timeout;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        if exited() {
            return Some(Ending::Exited);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        // Exits and output wake this at once where the platform reports
        // exits; the step bounds how late a cancellation (or a polled exit)
        // is seen.
        let step = (deadline - now).min(POLL_STEP);
        match rx.recv_timeout(step) {
            Ok(Msg::Exited) => return Some(Ending::Exited),
            Ok(msg) => streams.take(msg, on_line),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => thread::sleep(step),
        }
    }
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

enum Msg {
    Exited,
    Line(String),
    Done(Stream, Captured),
}

#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    truncated: bool,
    /// Bytes of lines passed on so far.
    forwarded: usize,
    /// Lines not passed on because the cap was reached.
    dropped_lines: u64,
}

fn spawn_reader(
    mut source: impl Read + Send + 'static,
    stream: Stream,
    limits: Limits,
    tx: SyncSender<Msg>,
) {
    let cap = limits.output_cap;
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
            if matches!(stream, Stream::Out)
                && !forward_lines(&mut line, data, limits, &mut captured, &tx)
            {
                break;
            }
        }
        let _ = tx.send(Msg::Done(stream, captured));
    });
}

/// Splits `data` into lines (carrying a partial line over in `line`) and
/// sends each complete, non-empty one, within the caps (see [`run`]). A line
/// longer than the output cap is dropped rather than buffered. False when the
/// receiver is gone.
fn forward_lines(
    line: &mut Vec<u8>,
    data: &[u8],
    limits: Limits,
    captured: &mut Captured,
    tx: &SyncSender<Msg>,
) -> bool {
    for piece in data.split_inclusive(|&b| b == b'\n') {
        if line.len() + piece.len() <= limits.output_cap {
            line.extend_from_slice(piece);
        } else {
            line.clear();
            line.push(0); // mark as overlong until its newline arrives
        }
        if !piece.ends_with(b"\n") {
            continue;
        }
        let body = &line[..line.len() - 1];
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let overlong = line.first() == Some(&0);
        let ours = body.starts_with(RUNNER_LINE);
        if !body.is_empty() && !overlong {
            if ours || captured.forwarded < limits.line_cap {
                captured.forwarded += body.len();
                let text = String::from_utf8_lossy(body).into_owned();
                if tx.send(Msg::Line(text)).is_err() {
                    return false;
                }
            } else {
                captured.dropped_lines += 1;
            }
        }
        line.clear();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shell command: `sh -c` on Unix, `cmd /C` on Windows.
    fn sh(script: &str) -> Command {
        if cfg!(windows) {
            let mut cmd = Command::new("cmd");
            cmd.arg("/C").arg(script);
            cmd
        } else {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(script);
            cmd
        }
    }

    fn limits(timeout_ms: u64, cap: usize) -> Limits {
        Limits {
            timeout: Duration::from_millis(timeout_ms),
            output_cap: cap,
            line_cap: cap,
        }
    }

    fn run_sh(script: &str, stdin: &[u8], limits: Limits, lines: &mut Vec<String>) -> Finished {
        run(
            sh(script),
            Stop::Group,
            stdin,
            limits,
            &AtomicBool::new(false),
            &mut |l| lines.push(l.to_owned()),
        )
        .unwrap()
    }

    #[test]
    fn output_and_lines_are_captured() {
        let mut lines = Vec::new();
        let script = if cfg!(windows) {
            "echo one& echo two 1>&2& echo three"
        } else {
            "echo one; echo two >&2; echo three"
        };
        let done = run_sh(script, b"", limits(5000, 1024), &mut lines);
        assert_eq!(done.ending, Ending::Exited);
        assert!(done.status.unwrap().success());
        let (out, err) = (
            String::from_utf8_lossy(&done.stdout).replace('\r', ""),
            String::from_utf8_lossy(&done.stderr).replace('\r', ""),
        );
        assert_eq!((out.as_str(), err.trim_end()), ("one\nthree\n", "two"));
        let lines: Vec<&str> = lines.iter().map(|l| l.trim_end_matches('\r')).collect();
        assert_eq!(lines, ["one", "three"]);
        assert!(!done.truncated);
    }

    #[cfg(unix)]
    #[test]
    fn standard_input_is_written_then_closed() {
        let mut lines = Vec::new();
        let done = run_sh(
            "read line; echo \"got $line\"; cat",
            b"secret\nrest",
            limits(5000, 1024),
            &mut lines,
        );
        assert_eq!(done.stdout, b"got secret\nrest");
    }

    #[cfg(unix)]
    #[test]
    fn a_flood_is_cut_at_the_cap_and_noted() {
        let done = run_sh(
            "yes flood | head -c 5000000",
            b"",
            limits(10_000, 1000),
            &mut Vec::new(),
        );
        assert_eq!(done.stdout.len(), 1000);
        assert!(done.truncated);
    }

    #[test]
    fn a_timeout_kills_the_group_including_children() {
        let start = Instant::now();
        let script = if cfg!(windows) {
            "start /B ping -n 30 127.0.0.1 >NUL & ping -n 30 127.0.0.1 >NUL"
        } else {
            "sleep 30 & sleep 30"
        };
        let done = run_sh(script, b"", limits(300, 1024), &mut Vec::new());
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
        let script = if cfg!(windows) {
            "ping -n 30 127.0.0.1"
        } else {
            "sleep 30"
        };
        let done = run(
            sh(script),
            Stop::Group,
            b"",
            limits(30_000, 1024),
            &cancel,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(done.ending, Ending::Cancelled);
    }
}
