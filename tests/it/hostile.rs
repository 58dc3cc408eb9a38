//! Learner files that attack the checker, run through the real binary. Each
//! test names the attack and asserts that it fails; each one passes an
//! attack on a checker without the protection it is about.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{self, Run, Tensorlings};

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

    /// The binary on this course with `args`: run in it, with its cache,
    /// its home, and a secret in its environment.
    fn tensorlings(&self, args: &[&str]) -> Tensorlings {
        Tensorlings::on(self.course.path())
            .args(args)
            .current_dir(self.course.path())
            .cache(self.cache.path())
            .env("HOME", self.home.path())
            .env("TENSORLINGS_HOSTILE_SECRET", SECRET_IN_ENV)
            .env("NO_COLOR", "1")
    }

    /// The same, for a test that starts and stops the process itself.
    fn command(&self, args: &[&str]) -> Command {
        self.tensorlings(args).into_command()
    }

    fn run(&self, args: &[&str]) -> Run {
        self.tensorlings(args).run()
    }

    fn check(&self, id: &str) -> Value {
        self.tensorlings(&[]).check(id).json().run().json()
    }

    /// Processes of this test's runs still alive: their command lines name
    /// this test's cache or marker, which nothing else on the machine does.
    fn leftovers(&self) -> Vec<String> {
        let cache = self.cache.path().to_string_lossy().into_owned();
        support::processes_with(&[&cache, &self.marker])
    }

    /// Starts a check of `slow_loop`, waits until the learner's helper
    /// process exists, then sends tensorlings `signal` (`INT`, `KILL` …) and
    /// waits for it to end.
    fn stop_mid_check(&self, signal: &str) {
        let mut child = self
            .command(&["check", "slow_loop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while support::processes_with(&[&self.marker]).is_empty() {
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
    support::fixture("hostile")
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
    let all = out.text();
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

/// A check in the build cache the other tests share: the async set is
/// built there once, not once per test.
fn check_in_shared_cache(h: &Hostile, id: &str, env: &[(&str, &str)]) -> Value {
    h.tensorlings(&[])
        .check(id)
        .json()
        .cache(support::shared_cache())
        .envs(env)
        .run()
        .json()
}

#[test]
fn tokio_runs_under_the_sandbox_and_its_tasks_still_get_no_socket() {
    // What the async lesson's exercises use: timers on a paused and on the
    // real clock, tasks, channels, a semaphore, a JoinSet, the blocking pool,
    // a cancellation token and futures' combinators.
    let h = Hostile::new();
    let runtime = check_in_shared_cache(&h, "async_runtime", &[]);
    assert_eq!(runtime["status"], "passed", "{runtime:#}");

    // A tokio task that listens, and one that calls home: refused, and the
    // file is written so that a refused socket is a pass.
    let home = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let h = Hostile::with_ports(home.local_addr().unwrap().port(), 0);
    home.set_nonblocking(true).unwrap();
    let refused = check_in_shared_cache(&h, "async_listener", &[]);
    assert_eq!(refused["status"], "passed", "{refused:#}");
    assert!(home.accept().is_err(), "a TCP connection arrived");

    // The same file without the sandbox really listens: the attack is live.
    let open = check_in_shared_cache(&h, "async_listener", &[("TENSORLINGS_SANDBOX_OFF", "all")]);
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
        h.stop_mid_check(signal);
        let left = h.wait_for_no_leftovers(Duration::from_secs(3));
        assert!(left.is_empty(), "after SIG{signal}, left running: {left:?}");
    }
}

/// A check killed outright (SIGKILL: nothing of tensorlings runs after it)
/// leaves its scratch directories behind, a test binary among them. A later
/// check removes them — and nothing still in use: a directory whose owner
/// still holds its claim (a check running, the app's build set up ahead)
/// stays.
#[cfg(unix)]
#[test]
fn what_a_killed_check_left_a_later_check_removes() {
    let h = Hostile::new();
    h.stop_mid_check("KILL");
    let left = h.wait_for_no_leftovers(Duration::from_secs(3));
    assert!(left.is_empty(), "left running: {left:?}");
    let runs = h.cache.path().join("std").join("runs");
    let scratch = || -> Vec<PathBuf> {
        std::fs::read_dir(&runs)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("run-"))
            .collect()
    };
    let killed = scratch();
    assert!(
        !killed.is_empty(),
        "the killed check left nothing to remove"
    );
    // One in use: its owner (this test) holds its claim.
    let in_use = runs.join("run-in-use");
    std::fs::create_dir(&in_use).unwrap();
    let claim = std::fs::File::create(in_use.join(".claim")).unwrap();
    claim.lock().unwrap();
    // Both older than a check ever takes to claim its directory.
    let long_ago = std::time::SystemTime::now() - Duration::from_secs(600);
    for dir in killed.iter().chain([&in_use]) {
        std::fs::File::open(dir)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
    }
    let json = h.check("forge_exit");
    assert_not_passed(&json);
    for dir in &killed {
        assert!(!dir.exists(), "{} is still there", dir.display());
    }
    assert!(in_use.exists(), "a directory in use was removed");
    assert_eq!(scratch(), [in_use], "the later check left its own behind");
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
fn disk_held_in_removed_files_counts_too() {
    let h = Hostile::new();
    let json = h.check("unlinked_files");
    assert_not_passed(&json);
    let message = json["tests"][0]["message"].as_str().unwrap_or_default();
    assert!(
        json["limit"]["kind"] == "disk" || message.contains("held only"),
        "{json:#}"
    );
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
        .tensorlings(&["check", "runaway_const", "--format", "json"])
        .env("TENSORLINGS_COMPILE_TIMEOUT_SECS", "8")
        .run();
    let json: Value = out.json();
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
        let all = [out.stdout_bytes(), out.stderr_bytes()].concat();
        assert!(
            !all.iter().any(|&b| b == 0x1b || b == 0x07 || b == 0x9b),
            "{args:?} wrote a control character: {}",
            String::from_utf8_lossy(&all)
        );
    }
}

#[test]
fn a_test_cannot_write_to_the_terminal() {
    use portable_pty::{PtySize, native_pty_system};
    let h = Hostile::new();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = support::pty_command();
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
        .tensorlings(&["check", "victim"])
        .env(
            "TENSORLINGS_SANDBOX_OFF",
            "filesystem,tcp,scope,seccomp,userns,netns,tmpfs,cgroup",
        )
        .run();
    let all = out.text();
    assert_eq!(out.code(), Some(1), "{all}");
    assert!(all.contains("adds_small_numbers"), "{all}");
    assert!(
        all.contains("sandbox"),
        "no notice of the weaker sandbox: {all}"
    );
    let json = h
        .tensorlings(&["check", "victim", "--format", "json"])
        .env(
            "TENSORLINGS_SANDBOX_OFF",
            "filesystem,tcp,scope,seccomp,userns,netns,tmpfs,cgroup",
        )
        .run()
        .json();
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
    let all = out.text();
    assert!(out.success(), "{all}");
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
        .tensorlings(&["doctor"])
        .env("TENSORLINGS_SANDBOX_OFF", "seccomp")
        .run();
    let weak_text = weak.text();
    assert!(weak_text.contains("off"), "{weak_text}");
}

// ---- Trust, second round ------------------------------------------------------

#[test]
fn a_test_cannot_open_its_own_streams_again_to_steal_the_report() {
    let h = Hostile::new();
    let json = h.check("steal_pipe");
    assert_not_passed(&json);
    let message = json["tests"][0]["message"].as_str().unwrap_or_default();
    // Every stream refused: sockets cannot be opened through procfs.
    for stream in ["fd0r", "fd0w", "fd1r", "fd1w", "fd2r", "fd2w"] {
        assert!(
            message.contains(&format!("{stream}:refused")),
            "{stream} opened: {message}\n{json:#}"
        );
    }
}

#[test]
fn the_compiler_hole_25860_is_refused_before_compiling() {
    let h = Hostile::new();
    let json = h.check("unsound");
    assert_eq!(json["status"], "compile_error", "{json:#}");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    let first = &diagnostics[0];
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("rust-lang/rust#25860"),
        "{first:#}"
    );
    // And the file really reaches the hole: rustc alone, with unsafe code
    // forbidden, compiles it and the lifetime it forges works.
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe.rs");
    let source =
        std::fs::read_to_string(hostile_course().join("exercises/01-hostile/unsound.rs")).unwrap();
    std::fs::write(
        &probe,
        format!("{source}\nfn main() {{ assert_eq!(add(2, 3), 5); }}\n"),
    )
    .unwrap();
    let exe = dir.path().join("probe");
    let built = Command::new("rustc")
        .args(["--edition", "2024", "--forbid", "unsafe_code", "-o"])
        .arg(&exe)
        .arg(&probe)
        .output()
        .unwrap();
    let built = Run::from(built);
    assert!(built.success(), "{}", built.text());
    assert!(Command::new(&exe).status().unwrap().success());
}

// ---- System calls, probed directly in the test sandbox -------------------------

/// Runs `program args` under the test sandbox's policy (the policy a hidden
/// test gets, plus permission to run `extra_exec`), through the real binary's
/// sandbox steps. Returns the output and the sandbox's report.
fn in_sandbox(
    program: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    extra_exec: &[&str],
) -> (Run, Value) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let status = dir.path().join("status.json");
    let mut policy = tensorlings::runner::test_policy(program, &work, Duration::from_secs(20));
    policy.exec.extend(extra_exec.iter().map(PathBuf::from));
    let out = Tensorlings::new()
        .arg("__sandbox")
        .arg(serde_json::to_string(&policy).unwrap())
        .arg(&status)
        .arg(std::process::id().to_string())
        .arg("--")
        .arg(program)
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .current_dir(&work)
        .envs(env)
        .run();
    let report = std::fs::read(&status)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    (out, report)
}

/// Runs this test binary's probe entry (below) in the sandbox and returns
/// what it said.
#[cfg(target_os = "linux")]
fn probe(what: &str, arg: &str) -> String {
    let me = std::env::current_exe().unwrap();
    let (out, report) = in_sandbox(
        &me,
        &[
            "--ignored",
            "--exact",
            "hostile::sandbox_probe_entry",
            "--nocapture",
            "--test-threads=1",
        ],
        &[("TENSORLINGS_PROBE", what), ("TENSORLINGS_PROBE_ARG", arg)],
        &[],
    );
    let all = out.text();
    assert!(
        report["active"]
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p == "seccomp")),
        "no seccomp filter here: {report:#}\n{all}"
    );
    all.lines()
        .find_map(|l| l.split_once("PROBE: ").map(|(_, said)| said))
        .unwrap_or_else(|| panic!("the probe said nothing: {all}"))
        .to_owned()
}

/// Not a test of its own: what a probe runs inside the sandbox, as hostile
/// code that can make any system call would (nix stands in for the
/// transmute a compiler hole gives).
#[cfg(target_os = "linux")]
#[test]
#[ignore = "an entry point for probe(), run inside the sandbox"]
fn sandbox_probe_entry() {
    use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
    use nix::sys::memfd::{MFdFlags, memfd_create};
    use std::io::Write as _;
    let what = std::env::var("TENSORLINGS_PROBE").unwrap();
    let arg = std::env::var("TENSORLINGS_PROBE_ARG").unwrap_or_default();
    let said = match what.as_str() {
        // Shared memory no resident-set count sees: 8 memfds of 64 MiB.
        "memfd" => {
            let mut held = Vec::new();
            let mut refused = None;
            for i in 0..8 {
                match memfd_create(c"hoard", MFdFlags::empty()) {
                    Ok(fd) => {
                        let mut file = std::fs::File::from(fd);
                        let _ = file.write_all(&vec![1u8; 64 << 20]);
                        held.push(file);
                    }
                    Err(err) => {
                        refused = Some(format!("refused at {i}: {err}"));
                        break;
                    }
                }
            }
            refused.unwrap_or_else(|| format!("held {} MiB", held.len() * 64))
        }
        "fd3" => {
            if std::fs::symlink_metadata("/proc/self/fd/3").is_ok() {
                "fd 3 is open".to_owned()
            } else {
                "fd 3 is closed".to_owned()
            }
        }
        "inotify" => match Inotify::init(InitFlags::empty()) {
            Ok(watch) => match watch.add_watch(arg.as_str(), AddWatchFlags::IN_CREATE) {
                Ok(_) => "watching".to_owned(),
                Err(err) => format!("refused: {err}"),
            },
            Err(err) => format!("refused: {err}"),
        },
        // A file's metadata, which Landlock does not mediate: its mode,
        // its times, its owner.
        "chmod" => {
            use std::os::unix::fs::PermissionsExt as _;
            match std::fs::set_permissions(&arg, std::fs::Permissions::from_mode(0o000)) {
                Ok(()) => "changed".to_owned(),
                Err(err) => format!("refused: {err}"),
            }
        }
        "utimes" => {
            use nix::sys::stat::{UtimensatFlags, utimensat};
            use nix::sys::time::TimeSpec;
            let zero = TimeSpec::new(0, 0);
            match utimensat(
                nix::fcntl::AT_FDCWD,
                arg.as_str(),
                &zero,
                &zero,
                UtimensatFlags::FollowSymlink,
            ) {
                Ok(()) => "changed".to_owned(),
                Err(err) => format!("refused: {err}"),
            }
        }
        "chown" => match nix::unistd::chown(arg.as_str(), Some(nix::unistd::getuid()), None) {
            Ok(()) => "changed".to_owned(),
            Err(err) => format!("refused: {err}"),
        },
        // A capability at work: a file no one may read, read anyway
        // (CAP_DAC_OVERRIDE). Made with no permissions at all, in the run's
        // own directory, then opened.
        "dac" => {
            use std::os::unix::fs::OpenOptionsExt as _;
            let file = std::path::Path::new("unreadable");
            let made = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o000)
                .open(file);
            match made.and_then(|_| std::fs::File::open(file)) {
                Ok(_) => format!("read as uid {}", nix::unistd::getuid()),
                Err(err) => format!("refused as uid {}: {err}", nix::unistd::getuid()),
            }
        }
        other => panic!("no probe {other}"),
    };
    println!("PROBE: {said}");
}

/// `tensorlings grade WS 3>>results.csv`: the class's results file must not
/// reach learner code through the descriptor the shell left open.
#[cfg(target_os = "linux")]
#[test]
fn descriptors_a_caller_left_open_do_not_reach_a_test() {
    let results = tempfile::NamedTempFile::new().unwrap();
    let me = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let policy = tensorlings::runner::test_policy(&me, &work, Duration::from_secs(20));
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec 3>>\"$0\"; exec \"$@\"")
        .arg(results.path())
        .arg(env!("CARGO_BIN_EXE_tensorlings"))
        .arg("__sandbox")
        .arg(serde_json::to_string(&policy).unwrap())
        .arg(dir.path().join("status.json"))
        .arg(std::process::id().to_string())
        .arg("--")
        .arg(&me)
        .args([
            "--ignored",
            "--exact",
            "hostile::sandbox_probe_entry",
            "--nocapture",
        ])
        .env_clear()
        .env("TENSORLINGS_PROBE", "fd3")
        .current_dir(&work)
        .output()
        .unwrap();
    let all = Run::from(out).text();
    assert!(all.contains("PROBE: fd 3 is closed"), "{all}");
}

/// The supervisor removes the control groups it made once its command has
/// ended, whoever reads its report (here: nobody), so none outlives a check
/// whose runner was killed.
#[cfg(target_os = "linux")]
#[test]
fn no_control_group_outlives_its_run() {
    let (out, report) = in_sandbox(Path::new("/usr/bin/true"), &[], &[], &["/usr/bin", "/bin"]);
    assert!(out.success(), "{}", out.text());
    let active = report["active"].as_array().cloned().unwrap_or_default();
    let groups: Vec<String> = report["cgroups"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| g.as_str().map(str::to_owned))
        .collect();
    if !active.iter().any(|p| p == "cgroup") {
        // No control groups on this system: nothing is made, nothing left.
        assert!(groups.is_empty(), "{report:#}");
        return;
    }
    assert!(!groups.is_empty(), "{report:#}");
    for group in &groups {
        assert!(!Path::new(group).exists(), "{group} is still there");
    }
}

/// A test run is set up while its binary still builds, and waits, every
/// restriction in force, for its input: it must start only once input
/// arrives (which it then reads whole), and never when the input ends first
/// (the build failed: no binary, or an old one, may run).
#[cfg(target_os = "linux")]
#[test]
fn a_run_set_up_early_starts_only_when_its_input_arrives() {
    use std::io::Write as _;
    use std::os::unix::net::UnixStream;
    let attempt = |input: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        std::fs::create_dir(&work).unwrap();
        let sh = Path::new("/bin/sh");
        let mut policy = tensorlings::runner::test_policy(sh, &work, Duration::from_secs(20));
        policy.exec.extend(["/usr/bin", "/bin"].map(PathBuf::from));
        policy.wait_for_input = true;
        let (mut ours, theirs) = UnixStream::pair().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tensorlings"))
            .arg("__sandbox")
            .arg(serde_json::to_string(&policy).unwrap())
            .arg(dir.path().join("status.json"))
            .arg(std::process::id().to_string())
            .arg("--")
            .arg(sh)
            .args(["-c", "read line; echo \"started with $line\""])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .current_dir(&work)
            .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Set up, and waiting.
        std::thread::sleep(Duration::from_millis(300));
        assert!(child.try_wait().unwrap().is_none());
        if let Some(input) = input {
            ours.write_all(input.as_bytes()).unwrap();
        }
        drop(ours);
        let out = child.wait_with_output().unwrap();
        (
            out.status,
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (status, said) = attempt(Some("the secret 0\n"));
    assert!(status.success(), "{status}");
    assert_eq!(said, "started with the secret 0\n");
    let (status, said) = attempt(None);
    assert!(!status.success(), "{status}");
    assert_eq!(said, "", "the run started without its input");
}

/// The next check's build is set up in its sandbox ahead (while the
/// command line loads the course), waiting for its input. Had it started
/// before, it would compile the crate the last check left and judge that
/// file: the starter after the solution would pass. Here each check waits
/// for the set's lock (another check holds it) long enough for a build
/// started early to finish on the old crate; each must judge its own file,
/// and the ones after the first must have used the build set up ahead
/// (else this would test nothing).
#[cfg(target_os = "linux")]
#[test]
fn a_build_set_up_ahead_compiles_its_own_checks_file() {
    let course = support::scratch_course();
    let root = course.path();
    let cache = tempfile::tempdir().unwrap();
    let check = |file: &str| {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(cache.path().join("std").join("check.lock"));
        let lock = lock.inspect(|lock| lock.lock().unwrap());
        let running = Tensorlings::on(root)
            .cache(cache.path())
            .check("test_fails")
            .arg("--file")
            .arg(root.join(file))
            .env("TENSORLINGS_TRACE", "1")
            .json()
            .spawn();
        std::thread::sleep(Duration::from_millis(1500));
        drop(lock);
        let out = running.wait();
        let status = out.json()["status"].as_str().unwrap_or_default().to_owned();
        (status, out.stderr().contains("set up ahead"))
    };
    let solution = "solutions/01-fixtures/test_fails.rs";
    let starter = "exercises/01-fixtures/test_fails.rs";
    assert_eq!(check(solution).0, "passed");
    assert_eq!(check(starter), ("tests_failed".to_owned(), true));
    assert_eq!(check(solution), ("passed".to_owned(), true));
    assert_eq!(check(starter), ("tests_failed".to_owned(), true));
}

/// A build set up ahead is a guess (the last check's build); a check that
/// would run another (here: learner-written tests, built without
/// incremental state, after an exercise built with it) lets it go unstarted
/// and runs its own, which then is the guess for the next.
#[cfg(target_os = "linux")]
#[test]
fn a_build_set_up_ahead_for_another_build_is_let_go() {
    let tests_course = support::scratch_copy(&support::fixture("tests-kind"));
    let code_course = support::scratch_course();
    let cache = tempfile::tempdir().unwrap();
    let check = |root: &Path, id: &str, file: &str| {
        let out = Tensorlings::on(root)
            .cache(cache.path())
            .check(id)
            .arg("--file")
            .arg(root.join(file))
            .env("TENSORLINGS_TRACE", "1")
            .json()
            .run();
        let status = out.json()["status"].as_str().unwrap_or_default().to_owned();
        (status, out.stderr().contains("set up ahead"))
    };
    let code = (
        code_course.path(),
        "passes",
        "solutions/01-fixtures/passes.rs",
    );
    let tests = (
        tests_course.path(),
        "batches",
        "solutions/01-batches/batches.rs",
    );
    assert_eq!(check(code.0, code.1, code.2).0, "passed");
    assert_eq!(check(code.0, code.1, code.2), ("passed".to_owned(), true));
    assert_eq!(
        check(tests.0, tests.1, tests.2),
        ("passed".to_owned(), false)
    );
    assert_eq!(
        check(tests.0, tests.1, tests.2),
        ("passed".to_owned(), true)
    );
    assert_eq!(check(code.0, code.1, code.2), ("passed".to_owned(), false));
    // Nothing a build set up ahead made is left behind: neither a process
    // nor its scratch directory.
    let needle = cache.path().to_string_lossy().into_owned();
    let left = support::processes_with(&[&needle]);
    assert!(left.is_empty(), "{left:?}");
    let scratch: Vec<_> = std::fs::read_dir(cache.path().join("std"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("build-"))
        .collect();
    assert!(scratch.is_empty(), "{scratch:?}");
}

/// Landlock mediates what a file holds, not what is said of it: its mode,
/// times and owner can be changed wherever the path can be walked, by the
/// file's owner (the learner, or whoever grades) — and, for a grader running
/// as root, for every file of the machine. A test could lock a classmate's
/// exercise (`chmod 000`) so it fails to load, or the course, or the
/// machine's tools. The test's process may change no file's metadata.
#[cfg(target_os = "linux")]
#[test]
fn a_test_cannot_change_a_files_mode_times_or_owner() {
    use std::os::unix::fs::PermissionsExt as _;
    let outside = tempfile::NamedTempFile::new().unwrap();
    let path = outside.path().to_string_lossy().into_owned();
    let mode = || {
        std::fs::metadata(outside.path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let before = mode();
    let modified = std::fs::metadata(outside.path())
        .unwrap()
        .modified()
        .unwrap();
    for what in ["chmod", "utimes", "chown"] {
        let said = probe(what, &path);
        assert!(said.starts_with("refused"), "{what}: {said}");
    }
    assert_eq!(mode(), before);
    assert_eq!(
        std::fs::metadata(outside.path())
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
}

/// A test keeps no capability, even when root runs the check (a grader in
/// a container, CI): as root inside its namespace it would keep all of them
/// across `exec`, and override every file permission Landlock leaves to the
/// kernel. Its own file, made unreadable, stays unreadable to it.
#[cfg(target_os = "linux")]
#[test]
fn a_test_keeps_no_capability_even_when_root_checks() {
    let said = probe("dac", "");
    assert!(said.starts_with("refused"), "{said}");
}

#[cfg(target_os = "linux")]
#[test]
fn memory_no_count_sees_is_refused() {
    let said = probe("memfd", "");
    assert!(said.starts_with("refused at 0"), "{said}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_test_cannot_watch_files_for_changes() {
    let home = tempfile::tempdir().unwrap();
    let said = probe("inotify", &home.path().to_string_lossy());
    assert!(said.starts_with("refused"), "{said}");
}

/// A process of the same user outside the sandbox: its limits, priority,
/// CPUs and I/O class must stay as they are whatever the sandbox runs.
#[cfg(target_os = "linux")]
#[test]
fn a_test_cannot_change_other_processes_of_its_user() {
    let mut victim = Command::new("sleep").arg("60").spawn().unwrap();
    let pid = victim.id().to_string();
    let before = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let nice = |pid: &str| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let (_, rest) = stat.rsplit_once(')').unwrap();
        rest.split_whitespace().nth(16).unwrap().to_owned()
    };
    let nice_before = nice(&pid);
    let uid = nix::unistd::getuid().to_string();
    let attacks: [(&str, Vec<&str>); 5] = [
        ("/usr/bin/prlimit", vec!["--pid", &pid, "--nofile=5:5"]),
        ("/usr/bin/renice", vec!["-n", "7", "-p", &pid]),
        ("/usr/bin/renice", vec!["-n", "7", "-u", &uid]),
        ("/usr/bin/taskset", vec!["-p", "1", &pid]),
        ("/usr/bin/ionice", vec!["-c", "3", "-p", &pid]),
    ];
    let mut tried = 0;
    for (program, args) in &attacks {
        if !Path::new(program).exists() {
            eprintln!("{program} is not installed here; that attack is not tried");
            continue;
        }
        tried += 1;
        let (out, report) = in_sandbox(Path::new(program), args, &[], &["/usr/bin"]);
        assert!(
            !out.success(),
            "{program} {args:?} worked from the sandbox: {}\n{report:#}",
            out.text()
        );
    }
    let after = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let nice_after = nice(&pid);
    let _ = victim.kill();
    let _ = victim.wait();
    assert!(tried > 0, "none of util-linux's tools is installed");
    assert_eq!(before, after, "the victim's limits changed");
    assert_eq!(nice_before, nice_after, "the victim's priority changed");
}

// ---- The build's cargo configuration ---------------------------------------------

const REGISTRY_TOKEN: &str = "cio-token-of-the-instructor-31337";
const PROXY_PASSWORD: &str = "proxy-password-of-the-instructor";

/// A cargo home holding an instructor's secrets beside the real registry.
fn secret_cargo_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let real = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap();
    for part in ["registry", "git"] {
        if real.join(part).exists() {
            std::os::unix::fs::symlink(real.join(part), home.path().join(part)).unwrap();
        }
    }
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[registry]\ntoken = \"{REGISTRY_TOKEN}\"\n[http]\nproxy = \"http://me:{PROXY_PASSWORD}@proxy.invalid:1\"\n"
        ),
    )
    .unwrap();
    home
}

fn cargo_config_check(id: &str, by_cargo: bool) -> String {
    let h = Hostile::new();
    let cargo_home = secret_cargo_home();
    let check = || {
        h.tensorlings(&["check", id, "--format", "json"])
            .env("CARGO_HOME", cargo_home.path())
            .run()
    };
    let mut out = check();
    if by_cargo {
        // Once a set is built, rustc alone compiles learner code (and names
        // no cargo home); without the plan that allows it, cargo does.
        for set in std::fs::read_dir(h.cache.path()).unwrap().flatten() {
            for file in std::fs::read_dir(set.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.file_name().to_string_lossy().starts_with("plan-") {
                    std::fs::remove_file(file.path()).unwrap();
                }
            }
        }
        out = check();
    }
    let all = out.text();
    assert!(
        !all.contains(REGISTRY_TOKEN),
        "the registry token leaked: {all}"
    );
    assert!(
        !all.contains(PROXY_PASSWORD),
        "the proxy password leaked: {all}"
    );
    assert_not_passed(&out.json());
    all
}

#[cfg(target_os = "linux")]
#[test]
fn the_compiler_alone_names_no_cargo_home() {
    let all = cargo_config_check("cargo_config", false);
    assert!(all.contains("CARGO_HOME"), "{all}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_cargo_build_sees_no_token_or_password_of_the_instructor() {
    let all = cargo_config_check("cargo_config_light", true);
    // cargo compiled it and it ran: what it read was the sanitized configuration.
    assert!(all.contains("the cargo configuration"), "{all}");
}

// ---- Reports an instructor's tools read ----------------------------------------

/// A panic message with characters XML 1.0 does not allow (U+FFFE, U+FFFF,
/// control characters) must leave `grade`'s `JUnit` well-formed: a strict XML
/// parser reads it, and the failure is there.
#[test]
fn a_panic_message_cannot_break_the_junit_report() {
    let course = tempfile::tempdir().unwrap();
    let root = course.path();
    let breaker = "pub fn add(_a: i32, _b: i32) -> i32 {\n    panic!(\"odd: \\u{FFFE} \\u{FFFF} \\u{1} \\u{1b}]0;t\\u{7} <&>\")\n}\n";
    one_exercise_course(
        root,
        "xml_breaker",
        breaker,
        "use super::*;\n\n#[test]\nfn adds() {\n    assert_eq!(add(2, 3), 5);\n}\n",
    );
    let junit = root.join("report.xml");
    let out = Tensorlings::on(root)
        .own_cache()
        .arg("grade")
        .arg(root)
        .arg("--junit")
        .arg(&junit)
        .run();
    let xml = std::fs::read_to_string(&junit).unwrap_or_else(|e| panic!("{e}: {}", out.text()));
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase"))
        .unwrap_or_else(|| panic!("no test case: {xml}"));
    assert_eq!(case.attribute("name"), Some("xml_breaker"));
    assert!(
        case.children().any(|n| n.has_tag_name("failure")),
        "the failure is missing: {xml}"
    );
    assert!(xml.contains("odd:"), "{xml}");
}

/// Empty lines by the gigabyte: the runner's own memory stays bounded (it
/// once queued every line, and held gigabytes), and the time limit holds.
#[cfg(target_os = "linux")]
#[test]
fn a_flood_of_empty_lines_neither_fills_the_runner_nor_stretches_its_time() {
    let h = Hostile::new();
    let started = Instant::now();
    let mut child = h
        .command(&["check", "flood_newlines", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(hwm) = text.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak_kib = peak_kib.max(
                hwm.trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse()
                    .unwrap_or(0),
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the check never ended"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(json["status"], "timed_out", "{json:#}");
    let test_ms = json["test_duration_ms"].as_u64().unwrap();
    assert!(test_ms < 8000, "a 4 s limit took {test_ms} ms");
    assert!(
        peak_kib < 200 * 1024,
        "the runner held {} MiB",
        peak_kib / 1024
    );
}

/// A learner's own check keeps the hidden tests' file under one name (for
/// incremental builds; those tests are in the learner's workspace anyway),
/// so a learner can `include_str!` it there. `grade` names it anew on every
/// check, with the grading-only tests in it: the same file fails to compile
/// and the tests' text reaches no report.
#[test]
fn grading_names_the_hidden_tests_anew_so_no_file_can_include_them() {
    let course = tempfile::tempdir().unwrap();
    let root = course.path();
    let stealer = "const STOLEN: &str = include_str!(\"hidden-tests.rs\");\n\npub fn add(_a: i32, _b: i32) -> i32 {\n    panic!(\"stolen: {STOLEN}\")\n}\n";
    one_exercise_course(
        root,
        "stealer",
        stealer,
        "use super::*;\n\n// tensorlings-grading-marker\n#[test]\nfn adds() {\n    assert_eq!(add(2, 3), 5);\n}\n",
    );
    // In the learner's own check the name is known, and what it reads is
    // the learner's own copy of the tests.
    let checked = Tensorlings::on(root)
        .own_cache()
        .check("stealer")
        .json()
        .run();
    assert!(
        checked.text().contains("tensorlings-grading-marker"),
        "the attack did not run: {}",
        checked.text()
    );
    let graded = Tensorlings::on(root)
        .own_cache()
        .args(["grade", "--format", "json"])
        .arg(root)
        .run();
    let text = graded.text();
    assert!(!text.contains("tensorlings-grading-marker"), "{text}");
    let grade: Value =
        serde_json::from_str(&graded.stdout()).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(
        grade["exercises"][0]["status"], "compile_error",
        "{grade:#}"
    );
}

/// A course of one lesson with one exercise, `id`: `learner` as the
/// learner's file, a correct `add` as the solution, `tests` as its hidden
/// tests.
fn one_exercise_course(root: &Path, id: &str, learner: &str, tests: &str) {
    for dir in ["lessons/01-x/tests", "exercises/01-x", "solutions/01-x"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(
        root.join("lessons/01-x/lesson.yaml"),
        format!(
            "format_version: 1\ntitle: X\nsummary: One exercise.\nprose: |\n  # X\n  Text.\nexercises:\n  - id: {id}\n    title: An attack\n"
        ),
    )
    .unwrap();
    std::fs::write(root.join(format!("exercises/01-x/{id}.rs")), learner).unwrap();
    std::fs::write(
        root.join(format!("solutions/01-x/{id}.rs")),
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n",
    )
    .unwrap();
    std::fs::write(root.join(format!("lessons/01-x/tests/{id}.rs")), tests).unwrap();
}
