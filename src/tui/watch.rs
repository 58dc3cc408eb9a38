//! Watching the exercise files: a save from any editor becomes one
//! [`Event::FileChanged`], whether the system reports changes (inotify,
//! `FSEvents`, `ReadDirectoryChangesW`) or the files must be polled (a Windows drive
//! under WSL, a network or shared-folder filesystem, a watcher the system
//! refuses).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{Config, PollWatcher, RecursiveMode, Watcher as _};

use super::event::{Event, Tx};
use crate::course::Exercise;

/// How long a file must stay quiet after a change before it is checked, so an
/// editor's write-then-rename counts as one save.
const QUIET: Duration = Duration::from_millis(150);

/// How often polled files are looked at. Each look hashes the exercise files
/// (a few kilobytes each), so even a save that keeps the modification time is
/// seen.
pub const POLL_EVERY: Duration = Duration::from_millis(400);

/// Filesystems whose changes the system's watcher may never report: the other
/// side of a share (a Windows editor on a WSL 9p mount, a host editor on a
/// container's shared folder) or of a network writes without telling the kernel
/// here.
const UNWATCHABLE: &[&str] = &[
    "9p", "drvfs", "nfs", "nfs4", "cifs", "smb3", "smbfs", "virtiofs", "vboxsf", "ceph", "afs",
    "fuse",
];

/// Keeps the exercise files watched; dropping it stops watching.
pub struct Watcher {
    _watcher: Box<dyn notify::Watcher + Send>,
    /// How saves are noticed.
    pub how: How,
}

/// How saves are noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The system reports each change.
    Native,
    /// The files are looked at every [`POLL_EVERY`], for the reason given.
    Polling(String),
}

impl How {
    /// One line for the help screen.
    pub fn describe(&self) -> String {
        match self {
            How::Native => "Saves: the system reports each one.".to_owned(),
            How::Polling(why) => format!(
                "Saves: the files are looked at every {} ms, because {why}.",
                POLL_EVERY.as_millis()
            ),
        }
    }
}

/// Watches the exercises directory (not single files, so editors that save by
/// writing a new file and renaming it over the old one are seen) and sends one
/// [`Event::FileChanged`] per exercise saved, once its file has been quiet for
/// [`QUIET`].
///
/// The debouncing is done here rather than by a notify debouncer crate: the
/// full debouncer wakes on a fixed tick even when nothing happens, and the mini
/// one drops the event kind, so reading a file (as every check does) would look
/// like a save and start the next check. This one filters out reads and
/// metadata changes and sleeps while nothing is pending.
///
/// With `poll` (the app's `--poll`), or where the directory's filesystem is one
/// whose changes may go unreported ([`UNWATCHABLE`]), or where the system's
/// watcher cannot start, the files are polled instead.
pub fn watch(dir: &Path, exercises: &[&Exercise], tx: Tx, poll: bool) -> Result<Watcher, String> {
    let dir = dir
        .canonicalize()
        .map_err(|err| format!("{}: {err}", dir.display()))?;
    let by_path: HashMap<PathBuf, String> = exercises
        .iter()
        .filter_map(|exercise| Some((canonical_file(&exercise.file)?, exercise.id.clone())))
        .collect();
    let (raw_tx, raw_rx) = mpsc::channel::<Result<PathBuf, String>>();
    let handler = move |result: notify::Result<notify::Event>| match result {
        Ok(event) if is_save(event.kind) => {
            for path in event.paths {
                let _ = raw_tx.send(Ok(path));
            }
        }
        Ok(_) => {}
        Err(err) => {
            let _ = raw_tx.send(Err(err.to_string()));
        }
    };
    let why_poll = if poll {
        Some("--poll asked for it".to_owned())
    } else {
        unwatchable_filesystem(&dir).map(|fs| {
            format!("the exercises are on a {fs} filesystem, whose changes may go unreported")
        })
    };
    let (watcher, how) = match why_poll {
        Some(why) => (polling(&dir, handler)?, How::Polling(why)),
        None => match native(&dir, handler.clone()) {
            Ok(watcher) => (watcher, How::Native),
            Err(err) => (
                polling(&dir, handler)?,
                How::Polling(format!("the system's watcher failed ({err})")),
            ),
        },
    };
    thread::spawn(move || debounce(&raw_rx, &by_path, &tx));
    Ok(Watcher {
        _watcher: watcher,
        how,
    })
}

fn native<F>(dir: &Path, handler: F) -> Result<Box<dyn notify::Watcher + Send>, String>
where
    F: notify::EventHandler,
{
    let mut watcher = notify::recommended_watcher(handler).map_err(|err| err.to_string())?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|err| format!("{}: {err}", dir.display()))?;
    Ok(Box::new(watcher))
}

fn polling<F>(dir: &Path, handler: F) -> Result<Box<dyn notify::Watcher + Send>, String>
where
    F: notify::EventHandler,
{
    let config = Config::default()
        .with_poll_interval(POLL_EVERY)
        .with_compare_contents(true);
    let mut watcher = PollWatcher::new(handler, config).map_err(|err| err.to_string())?;
    watcher
        .watch(dir, RecursiveMode::Recursive)
        .map_err(|err| format!("{}: {err}", dir.display()))?;
    Ok(Box::new(watcher))
}

/// The type of `dir`'s filesystem when it is one of [`UNWATCHABLE`]; Linux
/// only (elsewhere a watcher that cannot start is the only sign).
fn unwatchable_filesystem(dir: &Path) -> Option<String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let fs = filesystem_of(&mountinfo, dir)?;
    let base = fs.split('.').next().unwrap_or(&fs);
    UNWATCHABLE.contains(&base).then_some(fs)
}

/// The filesystem type of the mount that holds `path` (canonical), from the
/// text of `/proc/self/mountinfo`: the last-listed mount whose mount point is
/// the longest prefix of `path`.
fn filesystem_of(mountinfo: &str, path: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(point) = fields.get(4) else { continue };
        let Some(dash) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        let Some(fs) = fields.get(dash + 1) else {
            continue;
        };
        let point = unescape(point);
        if path.starts_with(&point) {
            let depth = Path::new(&point).components().count();
            if best.as_ref().is_none_or(|(d, _)| depth >= *d) {
                best = Some((depth, (*fs).to_owned()));
            }
        }
    }
    best.map(|(_, fs)| fs)
}

/// Mount points in mountinfo write space, tab, newline and backslash as octal
/// escapes (`\040`).
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut rest = field;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let code = rest
            .get(at + 1..at + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        if let Some(byte) = code {
            out.push(char::from(byte));
            rest = &rest[at + 4..];
        } else {
            out.push('\\');
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether an event can mean new content: not a read, not an open, not a
/// change of metadata such as the access time a read may bump.
fn is_save(kind: EventKind) -> bool {
    match kind {
        // A new modification time is a write (the polling watcher reports
        // writes so); other metadata, such as the access time a read may bump,
        // is not.
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Create(_)
        | EventKind::Any
        | EventKind::Other
        | EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)) => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        EventKind::Access(_) | EventKind::Remove(_) => false,
    }
}

/// Collects changed exercise files and sends them once quiet. Blocks while
/// nothing is pending; ends when the watcher is dropped.
fn debounce(raw: &Receiver<Result<PathBuf, String>>, by_path: &HashMap<PathBuf, String>, tx: &Tx) {
    let mut pending: Vec<&String> = Vec::new();
    let mut due: Option<Instant> = None;
    loop {
        let next = match due {
            None => raw.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => raw.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match next {
            Ok(Ok(path)) => {
                if let Some(id) = by_path.get(&path) {
                    if !pending.contains(&id) {
                        pending.push(id);
                    }
                    due = Some(Instant::now() + QUIET);
                }
            }
            Ok(Err(err)) => {
                let _ = tx.send(Event::Problem(format!(
                    "watching the exercise files failed: {err}"
                )));
            }
            Err(RecvTimeoutError::Timeout) => {
                for id in pending.drain(..) {
                    // A save by rename passes through a moment without the file.
                    if by_path.iter().any(|(path, i)| i == id && path.is_file()) {
                        let _ = tx.send(Event::FileChanged(id.clone()));
                    }
                }
                due = None;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// A file's canonical path, through its (canonical) directory, so it matches
/// what the watcher reports even while the file itself is being replaced.
fn canonical_file(path: &Path) -> Option<PathBuf> {
    Some(path.parent()?.canonicalize().ok()?.join(path.file_name()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::DepSet;
    use crate::tui::event::channel;

    fn exercise(file: &Path) -> Exercise {
        Exercise {
            id: "ex1".into(),
            lesson: "01".into(),
            title: String::new(),
            crates: Vec::new(),
            deps: DepSet::Std,
            timeout: Duration::from_secs(1),
            starter_compiles: true,
            hints: Vec::new(),
            messages: std::collections::BTreeMap::new(),
            points: 1,
            weights: std::collections::BTreeMap::new(),
            lints: Vec::new(),
            verify_runs: 1,
            kind: crate::course::raw::ExerciseKind::default(),
            bugs: Vec::new(),
            file: file.to_path_buf(),
            solution: file.to_path_buf(),
            tests: file.to_path_buf(),
            grading_tests: None,
            graded_with_more: false,
        }
    }

    #[test]
    fn a_save_by_rename_is_seen_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ex1.rs");
        std::fs::write(&file, "// v1").unwrap();
        let exercise = exercise(&file);
        let (tx, rx) = channel();
        let _watcher = watch(dir.path(), &[&exercise], tx, false).unwrap();
        // What vim and many IDEs do: write a new file, then rename it over the old one.
        let tmp = dir.path().join(".ex1.rs.swp");
        std::fs::write(&tmp, "// v2").unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        match rx.recv_timeout(Duration::from_secs(5)) {
            Ok(Event::FileChanged(id)) => assert_eq!(id, "ex1"),
            other => panic!("expected a FileChanged event, got {other:?}"),
        }
        assert!(rx.recv_timeout(QUIET * 3).is_err(), "one save, one event");
    }

    #[test]
    fn reading_a_file_is_not_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ex1.rs");
        std::fs::write(&file, "// v1").unwrap();
        let exercise = exercise(&file);
        let (tx, rx) = channel();
        let _watcher = watch(dir.path(), &[&exercise], tx, false).unwrap();
        std::thread::sleep(QUIET);
        let _ = std::fs::read_to_string(&file).unwrap();
        assert!(
            rx.recv_timeout(QUIET * 4).is_err(),
            "a read must not start a check"
        );
        std::fs::write(&file, "// v2").unwrap();
        assert!(matches!(
            rx.recv_timeout(Duration::from_secs(5)),
            Ok(Event::FileChanged(_))
        ));
    }

    #[test]
    fn polling_sees_every_kind_of_save() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ex1.rs");
        std::fs::write(&file, "// v1").unwrap();
        let exercise = exercise(&file);
        let (tx, rx) = channel();
        let watcher = watch(dir.path(), &[&exercise], tx, true).unwrap();
        assert!(matches!(watcher.how, How::Polling(_)));
        let wait = POLL_EVERY * 4 + QUIET;
        std::thread::sleep(POLL_EVERY);
        let _ = std::fs::read_to_string(&file).unwrap();
        assert!(rx.recv_timeout(wait).is_err(), "a read is not a save");

        std::fs::write(&file, "// v2").unwrap();
        assert!(matches!(rx.recv_timeout(wait), Ok(Event::FileChanged(id)) if id == "ex1"));

        let tmp = dir.path().join(".ex1.rs.swp");
        std::fs::write(&tmp, "// v3").unwrap();
        std::fs::rename(&tmp, &file).unwrap();
        assert!(matches!(rx.recv_timeout(wait), Ok(Event::FileChanged(id)) if id == "ex1"));

        // A filesystem with coarse timestamps may keep the modification time
        // across a save: the content still tells.
        let before = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "// v4 with new words").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(before)
            .unwrap();
        assert!(matches!(rx.recv_timeout(wait), Ok(Event::FileChanged(id)) if id == "ex1"));
        assert!(rx.recv_timeout(wait).is_err(), "one save, one event");
    }

    #[test]
    fn shared_and_network_filesystems_are_polled() {
        // From WSL 2 with the course on a Windows drive, and an NFS home.
        let mountinfo = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sdc rw
98 22 0:52 / /mnt/c rw,noatime - 9p drvfs rw,aname=drvfs;path=C:\\
120 22 0:60 / /home/ada/My\\040Course rw - nfs4 server:/export rw
130 120 0:61 / /home/ada/My\\040Course/local rw - ext4 /dev/sdd rw
";
        let fs = |p: &str| filesystem_of(mountinfo, Path::new(p));
        assert_eq!(
            fs("/mnt/c/Users/ada/course/exercises").as_deref(),
            Some("9p")
        );
        assert_eq!(fs("/home/ada/My Course/exercises").as_deref(), Some("nfs4"));
        assert_eq!(fs("/home/ada/My Course/local/x").as_deref(), Some("ext4"));
        assert_eq!(fs("/home/ada/My Coursework").as_deref(), Some("ext4"));
        assert_eq!(fs("/tmp").as_deref(), Some("ext4"));
        assert_eq!(unescape("a\\134b\\040c\\x"), "a\\b c\\x");
    }
}
