//! Watching the exercise files: a save from any editor becomes one
//! [`Event::FileChanged`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use super::event::{Event, Tx};
use crate::course::Exercise;

/// How long a file must stay quiet after a change before it is checked, so an
/// editor's write-then-rename counts as one save.
const QUIET: Duration = Duration::from_millis(150);

/// Keeps the exercise files watched; dropping it stops watching.
pub struct Watcher {
    _watcher: RecommendedWatcher,
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
pub fn watch(dir: &Path, exercises: &[&Exercise], tx: Tx) -> Result<Watcher, String> {
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
    let mut watcher = notify::recommended_watcher(handler).map_err(|err| err.to_string())?;
    watcher
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(|err| format!("{}: {err}", dir.display()))?;
    thread::spawn(move || debounce(&raw_rx, &by_path, &tx));
    Ok(Watcher { _watcher: watcher })
}

/// Whether an event can mean new content: not a read, not an open, not a
/// change of metadata such as the access time a read may bump.
fn is_save(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Create(_)
        | EventKind::Any
        | EventKind::Other => true,
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
            file: file.to_path_buf(),
            solution: file.to_path_buf(),
            tests: file.to_path_buf(),
        }
    }

    #[test]
    fn a_save_by_rename_is_seen_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ex1.rs");
        std::fs::write(&file, "// v1").unwrap();
        let exercise = exercise(&file);
        let (tx, rx) = channel();
        let _watcher = watch(dir.path(), &[&exercise], tx).unwrap();
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
        let _watcher = watch(dir.path(), &[&exercise], tx).unwrap();
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
}
