//! The real binary in a pseudo-terminal, as a learner uses it: open an
//! exercise of a tiny course, check it and see it fail, save the solution into
//! the file from outside the app, and see it pass without pressing a key.

use std::io::{Read, Write};
use std::num::NonZero;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, MasterPty, PtySize, native_pty_system};

use crate::support;

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// The app's screen as a terminal shows it, fed by a reader thread.
struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    /// Kept open: the child's terminal hangs up when it closes.
    _master: Box<dyn MasterPty + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `what`, or fails showing the screen.
    fn wait_for(&self, what: &str, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "after {limit:?} the screen does not show {what:?}:\n{}",
            self.text()
        );
    }

    fn press(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
    }
}

fn start(course: &Path, cache: &Path) -> Screen {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = support::pty_command();
    cmd.arg("--course");
    cmd.arg(course);
    cmd.env("TENSORLINGS_CACHE_DIR", cache);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.cwd(course);
    let child = pty.slave.spawn_command(cmd).expect("the app starts");
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZero::new(ROWS).unwrap(),
        NonZero::new(COLS).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let keys = pty.master.take_writer().unwrap();
    Screen {
        parser,
        child,
        keys,
        _master: pty.master,
    }
}

#[test]
fn a_learner_sees_a_failure_then_a_pass_on_save_without_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course");
    let cache = dir.path().join("cache");
    support::copy_dir(&support::fixture("tui-course"), &course);
    let mut app = start(&course, &cache);

    app.wait_for("1 Lesson", Duration::from_secs(20));
    app.wait_for("Every exercise is a file you edit", Duration::from_secs(5));
    app.press("\r");
    app.wait_for("add · Add two numbers", Duration::from_secs(10));
    app.press("c");
    app.wait_for("add: 1 of 2 hidden tests failed", Duration::from_secs(240));
    assert!(app.text().contains("left:  -1"), "{}", app.text());
    assert!(
        app.text().contains("add the arguments, do not subtract"),
        "{}",
        app.text()
    );

    // The learner fixes the file in their own editor; no key is pressed.
    let solution = std::fs::read(course.join("solutions/01-basics/add.rs")).unwrap();
    std::fs::write(course.join("exercises/01-basics/add.rs"), solution).unwrap();
    app.wait_for("add passed: all 2 hidden tests", Duration::from_secs(120));
    app.wait_for("n next exercise: mean", Duration::from_secs(5));

    app.press("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = app.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "q did not quit:\n{}",
            app.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    let progress = std::fs::read_to_string(course.join(".tensorlings/progress.json")).unwrap();
    assert!(progress.contains("\"passed\": true"), "{progress}");
    assert!(progress.contains("\"current\": \"add\""), "{progress}");
}
