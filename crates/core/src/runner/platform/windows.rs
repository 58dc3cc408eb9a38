//! Windows: every process a check starts is in one Job Object, created with
//! the process suspended so nothing runs before it is in the job, and the
//! whole job is terminated when the check ends. tensorlings itself runs in a
//! job with kill-on-close, so when it ends, however it ends, every process
//! it started (each check's job is nested in it) ends too.

use std::io;
use std::process::{Command, ExitStatus};
use std::sync::OnceLock;
use std::sync::mpsc::Sender;

use process_wrap::std::{ChildWrapper, CommandWrap, JobObject};
use win32job::{ExtendedLimitInfo, Job};

/// The job tensorlings runs in; closed (and so ended) only with the process.
static OWN_JOB: OnceLock<Option<Job>> = OnceLock::new();

/// Puts tensorlings in a job that kills everything in it when tensorlings
/// ends. Returns whether that worked.
pub fn contain_this_process() -> bool {
    OWN_JOB
        .get_or_init(|| {
            let mut info = ExtendedLimitInfo::new();
            info.limit_kill_on_job_close();
            let job = Job::create_with_limit_info(&info).ok()?;
            job.assign_current_process().ok()?;
            Some(job)
        })
        .is_some()
}

use super::Stop;

/// Whether tensorlings runs in its kill-on-close job.
pub fn contained() -> bool {
    OWN_JOB.get().is_some_and(Option::is_some)
}

/// A started process and the job that holds everything it starts.
pub struct Spawned {
    child: Box<dyn ChildWrapper>,
}

impl Spawned {
    /// Starts `cmd` in a new job.
    pub fn spawn(mut cmd: Command, _stop: Stop) -> io::Result<Spawned> {
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = CommandWrap::from(cmd).wrap(JobObject).spawn()?;
        Ok(Spawned { child })
    }

    /// The streams to the process: its input, output and error.
    pub fn streams(&mut self) -> Option<super::Streams> {
        let stdin = self.child.stdin().take()?;
        let stdout = self.child.stdout().take()?;
        let stderr = self.child.stderr().take()?;
        Some((Box::new(stdin), Box::new(stdout), Box::new(stderr)))
    }

    /// Exits are polled here (see [`Spawned::exited`]): returns false.
    #[allow(clippy::unused_self)] // the same interface as on Unix
    pub fn notify_exit(&self, _tx: Sender<()>) -> bool {
        false
    }

    /// Whether the process itself has exited (what is left of its job is
    /// ended by [`Spawned::finish`], as a process group is on Unix). Only the
    /// process's own handle is asked: the job's completion messages are not
    /// needed, so a system that does not deliver them cannot stall a check.
    pub fn exited(&mut self) -> bool {
        matches!(self.child.inner_mut().try_wait(), Ok(Some(_)))
    }

    /// Ends the whole job at once.
    pub fn end(&mut self) {
        let _ = self.child.start_kill();
    }

    /// Ends whatever is left in the job, and collects the process's exit
    /// status.
    pub fn finish(&mut self) -> Option<ExitStatus> {
        let _ = self.child.start_kill();
        self.child.inner_mut().wait().ok()
    }
}
