//! Learner files that attack the checker, run through the real binary. Each
//! test names the attack and asserts that it fails; each one passes an
//! attack on a checker without the protection it is about.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A scratch copy of the hostile course with its placeholders filled in, a
/// build cache of its own, and a home directory holding a secret.
struct Hostile {
    course: tempfile::TempDir,
    cache: tempfile::TempDir,
    home: tempfile::TempDir,
    marker: String,
}

const SECRET_IN_FILE: &str = "sk-home-file-4711";
const SECRET_IN_ENV: &str = "sk-runner-env-0815";

impl Hostile {
    fn new() -> Hostile {
        Hostile::with_ports(0, 0)
    }

    fn with_ports(tcp: u16, udp: u16) -> Hostile {
        let course = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let marker = format!("hostile-marker-{}-{}", std::process::id(), unique());
        std::fs::write(home.path().join("secret.txt"), SECRET_IN_FILE).unwrap();
        let course_path = course.path().to_string_lossy().into_owned();
        let replacements = [
            ("@COURSE@", course_path),
            (
                "@SECRET_FILE@",
                home.path()
                    .join("secret.txt")
                    .to_string_lossy()
                    .into_owned(),
            ),
            ("@CACHE@", cache.path().to_string_lossy().into_owned()),
            ("@MARKER@", marker.clone()),
            ("@PORT@", tcp.to_string()),
            ("@UDP_PORT@", udp.to_string()),
            ("@RUNNER_PID@", "0".to_owned()),
        ];
        copy_filled(&hostile_course(), course.path(), &replacements);
        Hostile {
            course,
            cache,
            home,
            marker,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tensorlings"));
        cmd.current_dir(self.course.path())
            .env("TENSORLINGS_CACHE_DIR", self.cache.path())
            .env("HOME", self.home.path())
            .env("TENSORLINGS_HOSTILE_SECRET", SECRET_IN_ENV)
            .env("NO_COLOR", "1")
            .arg("--course")
            .arg(self.course.path())
            .args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn check(&self, id: &str) -> Value {
        let out = self.run(&["check", id, "--format", "json"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(&stdout).unwrap_or_else(|err| {
            panic!(
                "{err}: stdout {stdout}\nstderr {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Processes of this test's runs still alive: their command lines name
    /// this test's cache or marker, which nothing else on the machine does.
    fn leftovers(&self) -> Vec<String> {
        let cache = self.cache.path().to_string_lossy().into_owned();
        processes_with(&[&cache, &self.marker])
    }

    fn wait_for_no_leftovers(&self, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        loop {
            let left = self.leftovers();
            if left.is_empty() || Instant::now() > deadline {
                return left;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn hostile_course() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn copy_filled(from: &Path, to: &Path, replacements: &[(&str, String)]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_filled(&entry.path(), &target, replacements);
        } else {
            let mut text = std::fs::read_to_string(entry.path()).unwrap();
            for (from, to) in replacements {
                text = text.replace(from, to);
            }
            std::fs::write(target, text).unwrap();
        }
    }
}

fn processes_with(needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if needles.iter().any(|n| cmdline.contains(n)) {
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_not_passed(json: &Value) {
    assert_ne!(json["status"], "passed", "{json:#}");
}

// ---- Forged verdicts -------------------------------------------------------

#[test]
fn redefined_assertion_macros_cannot_pass_a_wrong_answer() {
    let h = Hostile::new();
    let json = h.check("forge_macro");
    assert_eq!(json["status"], "tests_failed", "{json:#}");
    assert_eq!(json["tests"][0]["left"], "-1");
}

#[test]
fn the_learners_own_std_names_do_not_change_what_the_tests_mean() {
    let h = Hostile::new();
    let json = h.check("forge_names");
    assert_eq!(json["status"], "compile_error", "{json:#}");
}

#[test]
fn an_attribute_at_the_end_of_the_file_cannot_remove_the_hidden_tests() {
    let h = Hostile::new();
    let json = h.check("forge_cfg_tail");
    assert_not_passed(&json);
}

#[test]
fn printed_harness_output_and_exit_zero_are_not_a_pass() {
    let h = Hostile::new();
    let json = h.check("forge_output");
    assert_eq!(json["status"], "tests_failed", "{json:#}");
    assert_eq!(json["tests"][0]["passed"], false);
    let crash = json["crash"].as_str().unwrap();
    assert!(crash.contains("std::process::exit"), "{crash}");
}

#[test]
fn exiting_zero_before_every_test_reported_is_not_a_pass() {
    let h = Hostile::new();
    let json = h.check("forge_exit");
    assert_eq!(json["status"], "tests_failed", "{json:#}");
    let tests = json["tests"].as_array().unwrap();
    let negative = tests
        .iter()
        .find(|t| t["name"] == "adds_negative_numbers")
        .unwrap();
    assert_eq!(negative["passed"], false);
}

// ---- The build crate and the course -----------------------------------------

#[test]
fn a_test_cannot_poison_the_build_crate_for_later_checks() {
    let h = Hostile::new();
    let poison = h.check("poison");
    assert_not_passed(&poison);
    // The attack reports in its own message what it managed to plant.
    let message = poison["tests"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("planted"), "{message}");
    let victim = h.check("victim");
    assert_eq!(victim["status"], "tests_failed", "{victim:#}");
    let krate = h.cache.path().join("std/crate");
    assert!(!krate.join("build.rs").exists());
    assert!(!krate.join(".cargo").exists());
}

#[test]
fn a_test_cannot_rewrite_the_course() {
    let h = Hostile::new();
    let tests = h
        .course
        .path()
        .join("lessons/01-hostile/tests/rewrite_course.rs");
    let before = std::fs::read(&tests).unwrap();
    let first = h.check("rewrite_course");
    let second = h.check("rewrite_course");
    assert_not_passed(&first);
    assert_not_passed(&second);
    assert_eq!(std::fs::read(&tests).unwrap(), before);
    let message = first["tests"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("rewrote"), "{message}");
}

// ---- Isolation ---------------------------------------------------------------

#[test]
fn a_test_reads_nothing_outside_its_run() {
    let h = Hostile::new();
    // A check first, so that there is a progress file to steal.
    h.check("victim");
    let out = h.run(&["check", "read_secrets", "--format", "json"]);
    let all = text(&out);
    for secret in [
        SECRET_IN_FILE,
        SECRET_IN_ENV,
        "tensorlings-solution-marker",
        "tensorlings-hidden-marker",
        "\"attempts\"",
    ] {
        assert!(!all.contains(secret), "{secret} leaked: {all}");
    }
    let home = h.home.path().to_string_lossy().into_owned();
    assert!(
        !all.contains(&format!("HOME={home}")),
        "the runner's HOME leaked: {all}"
    );
    assert!(all.contains("found "), "the attack did not run: {all}");
}

#[test]
fn compile_time_reads_of_outside_files_fail() {
    let h = Hostile::new();
    let json = h.check("compile_read");
    assert_eq!(json["status"], "compile_error", "{json:#}");
    assert!(!json.to_string().contains(SECRET_IN_FILE));
}

#[test]
fn compile_time_reads_of_the_hidden_tests_fail() {
    let h = Hostile::new();
    let json = h.check("compile_read_tests");
    assert_eq!(json["status"], "compile_error", "{json:#}");
    assert!(!json.to_string().contains("tensorlings-hidden-marker"));
}

#[test]
fn a_test_has_no_network() {
    let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let h = Hostile::with_ports(
        tcp.local_addr().unwrap().port(),
        udp.local_addr().unwrap().port(),
    );
    tcp.set_nonblocking(true).unwrap();
    udp.set_nonblocking(true).unwrap();
    let json = h.check("network");
    assert_not_passed(&json);
    let message = json["tests"][0]["message"].as_str().unwrap_or_default();
    assert!(!message.contains("reached"), "{message}");
    assert!(tcp.accept().is_err(), "a TCP connection arrived");
    let mut buf = [0u8; 64];
    assert!(udp.recv_from(&mut buf).is_err(), "a UDP datagram arrived");
}

// ---- tokio -------------------------------------------------------------------

/// The build cache `verify` and the learner use: the async set is built there
/// once per machine, not once per test.
fn users_cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("TENSORLINGS_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
    base.join("tensorlings")
}

fn check_in_users_cache(h: &Hostile, id: &str, env: &[(&str, &str)]) -> Value {
    let mut cmd = h.command(&["check", id, "--format", "json"]);
    cmd.env("TENSORLINGS_CACHE_DIR", users_cache());
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|err| panic!("{err}: {}", text(&out)))
}

#[test]
fn tokio_runs_under_the_sandbox_and_its_tasks_still_get_no_socket() {
    // What the async lesson's exercises use: timers on a paused and on the
    // real clock, tasks, channels, a semaphore, a JoinSet, the blocking pool,
    // a cancellation token and futures' combinators.
    let h = Hostile::new();
    let runtime = check_in_users_cache(&h, "async_runtime", &[]);
    assert_eq!(runtime["status"], "passed", "{runtime:#}");

    // A tokio task that listens, and one that calls home: refused, and the
    // file is written so that a refused socket is a pass.
    let home = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let h = Hostile::with_ports(home.local_addr().unwrap().port(), 0);
    home.set_nonblocking(true).unwrap();
    let refused = check_in_users_cache(&h, "async_listener", &[]);
    assert_eq!(refused["status"], "passed", "{refused:#}");
    assert!(home.accept().is_err(), "a TCP connection arrived");

    // The same file without the sandbox really listens: the attack is live.
    let open = check_in_users_cache(&h, "async_listener", &[("TENSORLINGS_SANDBOX_OFF", "all")]);
    assert_eq!(open["status"], "tests_failed", "{open:#}");
    let message = open["tests"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("listening on"), "{open:#}");
}

// ---- Containment -------------------------------------------------------------

#[test]
fn processes_that_leave_the_group_end_with_the_check() {
    let h = Hostile::new();
    let json = h.check("escape");
    assert_not_passed(&json);
    let left = h.wait_for_no_leftovers(Duration::from_secs(2));
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_test_cannot_stop_tensorlings() {
    // With every protection, and with the seccomp filter alone standing in
    // for Landlock's scopes and the namespaces (as on kernels before 6.12).
    for off in ["", "filesystem,scope,userns,netns"] {
        let h = Hostile::new();
        let mut child = h
            .command(&["check", "stop_runner", "--format", "json"])
            .env("TENSORLINGS_SANDBOX_OFF", off)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let finished = wait_or_rescue(&mut child, Duration::from_secs(40));
        assert!(
            finished,
            "tensorlings never finished ({off:?} off): it was stopped"
        );
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let json: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["status"], "timed_out", "{off:?} off: {json:#}");
    }
}

/// Waits for `child`; past `limit`, wakes any stopped process of it and kills it.
fn wait_or_rescue(child: &mut Child, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill")
        .args(["-CONT", &child.id().to_string()])
        .status();
    let _ = child.kill();
    false
}

#[test]
fn stopping_tensorlings_in_any_way_ends_the_check() {
    for signal in ["INT", "TERM", "HUP", "KILL"] {
        let h = Hostile::new();
        let mut child = h
            .command(&["check", "slow_loop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the learner's helper process exists, then stop tensorlings.
        let deadline = Instant::now() + Duration::from_secs(60);
        while processes_with(&[&h.marker]).is_empty() {
            assert!(
                Instant::now() < deadline,
                "the check never started its helper"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let _ = child.wait();
        let left = h.wait_for_no_leftovers(Duration::from_secs(3));
        assert!(left.is_empty(), "after SIG{signal}, left running: {left:?}");
    }
}

// ---- Budgets for the whole check ---------------------------------------------

#[test]
fn memory_spread_over_processes_counts_as_one_budget() {
    let h = Hostile::new();
    let json = h.check("memory_spread");
    assert_eq!(json["limit"]["kind"], "memory", "{json:#}");
    assert!(json["crash"].as_str().unwrap().contains("memory"));
}

#[test]
fn filling_the_disk_is_stopped() {
    let h = Hostile::new();
    let json = h.check("disk");
    assert_eq!(json["limit"]["kind"], "disk", "{json:#}");
}

#[test]
fn one_huge_file_is_stopped() {
    let h = Hostile::new();
    let json = h.check("big_file");
    assert_eq!(json["limit"]["kind"], "file_size", "{json:#}");
}

#[test]
fn a_storm_of_processes_is_stopped() {
    let h = Hostile::new();
    let json = h.check("fork_storm");
    assert_eq!(json["limit"]["kind"], "processes", "{json:#}");
    let left = h.wait_for_no_leftovers(Duration::from_secs(3));
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_storm_of_threads_is_stopped() {
    let h = Hostile::new();
    let json = h.check("thread_storm");
    assert_eq!(json["limit"]["kind"], "processes", "{json:#}");
}

#[test]
fn a_runaway_constant_is_stopped_while_compiling() {
    let h = Hostile::new();
    let started = Instant::now();
    let out = h
        .command(&["check", "runaway_const", "--format", "json"])
        .env("TENSORLINGS_COMPILE_TIMEOUT_SECS", "8")
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "timed_out", "{json:#}");
    let crash = json["crash"].as_str().unwrap();
    assert!(
        crash.contains("compiling your code took longer than 8 s"),
        "{crash}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

// ---- The terminal --------------------------------------------------------------

#[test]
fn terminal_escapes_never_reach_the_terminal() {
    let h = Hostile::new();
    for args in [
        &["check", "escapes"][..],
        &["list"],
        &["hint", "escapes"],
        &["report"],
        &["report", "--format", "markdown"],
    ] {
        let out = h.run(args);
        let all = [out.stdout, out.stderr].concat();
        assert!(
            !all.iter().any(|&b| b == 0x1b || b == 0x07 || b == 0x9b),
            "{args:?} wrote a control character: {}",
            String::from_utf8_lossy(&all)
        );
    }
}

#[test]
fn a_test_cannot_write_to_the_terminal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let h = Hostile::new();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tensorlings"));
    cmd.cwd(h.course.path());
    cmd.env("TENSORLINGS_CACHE_DIR", h.cache.path());
    cmd.env("HOME", h.home.path());
    cmd.env("NO_COLOR", "1");
    cmd.arg("--course");
    cmd.arg(h.course.path());
    cmd.args(["check", "tty"]);
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let output = std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = reader.read_to_end(&mut all);
        all
    });
    child.wait().unwrap();
    drop(pty.master);
    let all = String::from_utf8_lossy(&output.join().unwrap()).into_owned();
    assert!(all.contains("tty"), "the check did not run: {all}");
    assert!(
        !all.contains("pwned-tty"),
        "the test wrote to the terminal: {all}"
    );
}

// ---- A weaker sandbox ------------------------------------------------------------

#[test]
fn without_the_kernels_protections_checks_still_run_and_say_so() {
    let h = Hostile::new();
    let out = h
        .command(&["check", "victim"])
        .env(
            "TENSORLINGS_SANDBOX_OFF",
            "filesystem,tcp,scope,seccomp,userns,netns",
        )
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("adds_small_numbers"), "{all}");
    assert!(
        all.contains("sandbox"),
        "no notice of the weaker sandbox: {all}"
    );
    let json: Value = serde_json::from_slice(
        &h.command(&["check", "victim", "--format", "json"])
            .env(
                "TENSORLINGS_SANDBOX_OFF",
                "filesystem,tcp,scope,seccomp,userns,netns",
            )
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        json["sandbox"],
        serde_json::json!(["containment"]),
        "{json:#}"
    );
    assert_eq!(json["status"], "tests_failed");
}

#[test]
fn doctor_lists_every_protection_and_whether_it_is_active() {
    let h = Hostile::new();
    let out = h.run(&["doctor"]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    for name in [
        "containment",
        "filesystem",
        "tcp",
        "scope",
        "seccomp",
        "userns",
        "netns",
    ] {
        assert!(all.contains(name), "{name} missing: {all}");
    }
    let weak = h
        .command(&["doctor"])
        .env("TENSORLINGS_SANDBOX_OFF", "seccomp")
        .output()
        .unwrap();
    let weak_text = text(&weak);
    assert!(weak_text.contains("off"), "{weak_text}");
}
