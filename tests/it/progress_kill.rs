//! A process killed while writing progress leaves the old or the new file,
//! never a broken one.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use tensorlings::course::progress::Progress;

const WRITER_ENV: &str = "TENSORLINGS_PROGRESS_WRITER";

/// In the child: save ever-growing progress as fast as possible until killed.
#[test]
fn writer() {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let path = Path::new(&path);
    let mut progress = Progress::new();
    for round in 0u32.. {
        progress.checked(&format!("exercise{round}"), round % 2 == 0);
        progress.save(path).unwrap();
    }
}

#[test]
fn a_kill_during_a_write_never_leaves_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.json");
    for round in 0..12u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "progress_kill::writer",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Different moments in the write cycle each round.
        std::thread::sleep(Duration::from_millis(40 + round * 17));
        child.kill().unwrap();
        child.wait().unwrap();
        if path.exists() {
            let loaded = Progress::load(&path).unwrap();
            assert!(
                loaded.warning.is_none(),
                "round {round}: {:?}",
                loaded.warning.map(|w| w.to_string())
            );
            assert!(
                !loaded.progress.exercises.is_empty(),
                "round {round}: an empty record was written"
            );
        }
    }
    assert!(path.exists(), "the writer never wrote anything");
}
