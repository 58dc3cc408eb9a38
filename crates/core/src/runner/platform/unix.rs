//! Unix: a process group (or a sandbox supervisor that ends its own tree),
//! and an exit seen the moment it happens without reaping the child, so its
//! pid cannot be reused while signals may still be sent to it.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

use super::Stop;

/// A started process and what is needed to stop everything it started.
pub struct Spawned {
    child: Child,
    pid: Pid,
    stop: Stop,
    streams: Option<super::Streams>,
}

impl Spawned {
    /// Starts `cmd`; a plain process leads a new process group.
    ///
    /// Its standard input, output and error are sockets, not pipes: a pipe
    /// can be opened again through `/proc/self/fd/N` (Landlock does not
    /// mediate that magic link), so a test could read back the harness's own
    /// report lines from its standard output, or write into its input. A
    /// socket cannot be opened that way (`ENXIO`), and what one end writes
    /// only the other end reads.
    pub fn spawn(mut cmd: Command, stop: Stop) -> io::Result<Spawned> {
        use std::os::unix::process::CommandExt;
        if stop == Stop::Group {
            cmd.process_group(0);
        }
        let (stdin, child_in) = UnixStream::pair()?;
        let (stdout, child_out) = UnixStream::pair()?;
        let (stderr, child_err) = UnixStream::pair()?;
        // The child reads its input and writes its output, nothing else.
        child_in.shutdown(std::net::Shutdown::Write)?;
        stdin.shutdown(std::net::Shutdown::Read)?;
        stdout.shutdown(std::net::Shutdown::Write)?;
        stderr.shutdown(std::net::Shutdown::Write)?;
        cmd.stdin(Stdio::from(OwnedFd::from(child_in)))
            .stdout(Stdio::from(OwnedFd::from(child_out)))
            .stderr(Stdio::from(OwnedFd::from(child_err)));
        // The command holds the child's ends until it is dropped, here: after
        // the spawn only the child has them, so its exit ends the streams.
        let child = cmd.spawn()?;
        drop(cmd);
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
        Ok(Spawned {
            child,
            pid,
            stop,
            streams: Some((Box::new(stdin), Box::new(stdout), Box::new(stderr))),
        })
    }

    /// The streams to the process: its input, output and error.
    pub fn streams(&mut self) -> Option<super::Streams> {
        self.streams.take()
    }

    /// Sends `()` on `tx` when the process exits. Returns whether it will
    /// (on Linux, which can wait without reaping); otherwise the caller polls
    /// [`Spawned::exited`].
    #[cfg(target_os = "linux")]
    pub fn notify_exit(&self, tx: Sender<()>) -> bool {
        use nix::sys::wait::{Id, WaitPidFlag, waitid};
        let pid = self.pid;
        thread::spawn(move || {
            let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
            while let Err(nix::errno::Errno::EINTR) = waitid(Id::Pid(pid), flags) {}
            let _ = tx.send(());
        });
        true
    }

    /// Exits are polled here (see [`Spawned::exited`]): returns false.
    #[cfg(not(target_os = "linux"))]
    #[allow(clippy::unused_self)] // the same interface as on Linux
    pub fn notify_exit(&self, _tx: Sender<()>) -> bool {
        false
    }

    /// Whether the process has exited (for platforms that poll).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Ends a run early. A supervisor gets SIGTERM and two seconds to kill
    /// its tree and report; after that, or for a plain process, SIGKILL.
    pub fn end(&mut self) {
        if self.stop == Stop::Supervisor {
            let _ = kill(self.pid, Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(2);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(5));
            }
            let _ = kill(self.pid, Signal::SIGKILL);
        }
        self.kill_group();
    }

    /// Reaps the process, after ending whatever of its group is left.
    pub fn finish(&mut self) -> Option<ExitStatus> {
        if self.stop == Stop::Group {
            self.kill_group();
        }
        self.child.wait().ok()
    }

    fn kill_group(&self) {
        // ESRCH (the group is already gone) is the normal case after a clean exit.
        let _ = killpg(self.pid, Signal::SIGKILL);
    }
}
