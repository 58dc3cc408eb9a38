//! The test harness of a tensorlings check (written into the build crate as
//! `src/harness.rs`; not part of tensorlings itself).
//!
//! It runs the hidden tests one at a time, each on its own thread, and reports
//! every result as a line on standard output tagged with a secret the runner
//! wrote to standard input. The secret is read before any learner code runs
//! and is kept only in a fixed array (see [`main`]), so text the learner's
//! code prints, however much it looks like a report, never carries it.

use ::std::sync::Mutex;

/// What a hidden test expects of a panic.
pub enum ShouldPanic {
    /// The test passes when it returns normally.
    No,
    /// The test passes when it panics.
    Yes,
    /// The test passes when it panics with a message containing this text.
    WithMessage(&'static str),
}

/// One hidden test, as the runner registers it.
pub struct Test {
    /// The test function's name.
    pub name: &'static str,
    /// Runs it.
    pub run: fn() -> ::std::result::Result<(), ::std::string::String>,
    /// What it expects of a panic.
    pub should_panic: ShouldPanic,
}

/// What a test function may return.
pub trait Outcome {
    /// `Err` with a description when the test failed by returning an error.
    fn outcome(self) -> ::std::result::Result<(), ::std::string::String>;
}

impl Outcome for () {
    fn outcome(self) -> ::std::result::Result<(), ::std::string::String> {
        ::std::result::Result::Ok(())
    }
}

impl<E: ::std::fmt::Debug> Outcome for ::std::result::Result<(), E> {
    fn outcome(self) -> ::std::result::Result<(), ::std::string::String> {
        self.map_err(|e| ::std::format!("the test returned Err({e:?})"))
    }
}

/// Panics seen by the hook: thread, message, location.
type Seen = ::std::vec::Vec<(
    ::std::thread::ThreadId,
    ::std::string::String,
    ::std::option::Option<::std::string::String>,
)>;

static PANICS: Mutex<Seen> = Mutex::new(::std::vec::Vec::new());

/// The secret is 32 hex digits; a longer first line is refused.
const SECRET_LEN: usize = 32;
/// A test's message or place is cut to this many bytes in its report, so a
/// report line stays far below the runner's line limit however long a
/// message the learner's code panics with.
const REPORT_TEXT: usize = 16 * 1024;

/// Runs every test of one variant and reports; the exit code is 0 only when
/// all passed. The first line of input is the secret, then the variant's
/// number when there is more than one (the learner's tests on the reference
/// code, then on each bug).
///
/// The secret is read with one raw read into a buffer on this stack (not
/// through the standard input's own buffer, which would keep a copy for the
/// whole run), kept only in a fixed array, and written out only through a
/// raw handle to standard output (no buffer of the standard library holds
/// it); every buffer that held it is zeroed before the process ends.
pub fn main(variants: &[&[Test]]) -> ::std::process::ExitCode {
    let mut secret = [0u8; SECRET_LEN];
    let variant = read_input(&mut secret);
    let tests = match variant.and_then(|v| variants.get(v)) {
        ::std::option::Option::Some(tests) => *tests,
        ::std::option::Option::None => &[],
    };
    if !secret.iter().all(u8::is_ascii_hexdigit) || variant.is_none_or(|v| v >= variants.len()) {
        ::std::eprintln!("this program is run by tensorlings, which checks exercises");
        return ::std::process::ExitCode::from(2);
    }
    let mut out = Reporter::new(&secret);
    secret.fill(0);
    ::std::hint::black_box(&secret);
    let mut failed = 0usize;
    for test in tests {
        out.emit(&::std::format!("{{\"event\":\"start\",\"name\":{}}}", json(test.name)));
        let (ok, message, location) = run(test);
        if !ok {
            failed += 1;
        }
        out.emit(&::std::format!(
            "{{\"event\":\"end\",\"name\":{},\"ok\":{ok},\"message\":{},\"location\":{}}}",
            json(test.name),
            message.as_deref().map_or("null".into(), |m| json(cut(m))),
            location.as_deref().map_or("null".into(), |l| json(cut(l))),
        ));
    }
    out.emit(&::std::format!(
        "{{\"event\":\"done\",\"passed\":{},\"failed\":{failed}}}",
        tests.len() - failed
    ));
    drop(out);
    if failed == 0 {
        ::std::process::ExitCode::SUCCESS
    } else {
        ::std::process::ExitCode::from(101)
    }
}

/// Reads the first line of input (`SECRET [VARIANT]`) into `secret`;
/// returns the variant (0 when none is named), `None` when the line is not
/// what tensorlings writes.
fn read_input(secret: &mut [u8; SECRET_LEN]) -> ::std::option::Option<usize> {
    use ::std::io::Read as _;
    // Bigger than the standard input's buffer, so the read bypasses it.
    let mut buf = [0u8; 16 * 1024];
    let mut len = 0usize;
    let mut input = ::std::io::stdin().lock();
    while len < 64 && !buf[..len].contains(&b'\n') {
        match input.read(&mut buf[len..]) {
            ::std::result::Result::Ok(0) | ::std::result::Result::Err(_) => break,
            ::std::result::Result::Ok(n) => len += n,
        }
    }
    let line = buf[..len].split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut words = line.split(|&b| b == b' ');
    let first = words.next().unwrap_or(&[]);
    let variant = match words.next() {
        ::std::option::Option::None => ::std::option::Option::Some(0),
        ::std::option::Option::Some(word) => ::std::str::from_utf8(word)
            .ok()
            .and_then(|w| w.parse::<usize>().ok()),
    };
    let ok = first.len() == SECRET_LEN;
    if ok {
        secret.copy_from_slice(first);
    }
    buf.fill(0);
    ::std::hint::black_box(&buf);
    if ok { variant } else { ::std::option::Option::None }
}

/// `text`, cut to at most [`REPORT_TEXT`] bytes at a character boundary.
fn cut(text: &str) -> &str {
    if text.len() <= REPORT_TEXT {
        return text;
    }
    let mut end = REPORT_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Writes report lines, each tagged with the secret, in one write each.
struct Reporter {
    /// `\ntensorlings-report:SECRET `, the start of every line.
    tag: [u8; 20 + SECRET_LEN + 1],
    /// One line at a time, zeroed after each write.
    line: ::std::vec::Vec<u8>,
    /// Standard output without the standard library's buffer.
    out: ::std::option::Option<::std::fs::File>,
}

impl Reporter {
    fn new(secret: &[u8; SECRET_LEN]) -> Reporter {
        let mut tag = [b' '; 20 + SECRET_LEN + 1];
        tag[..20].copy_from_slice(b"\ntensorlings-report:");
        tag[20..20 + SECRET_LEN].copy_from_slice(secret);
        Reporter {
            tag,
            line: ::std::vec::Vec::with_capacity(4 * REPORT_TEXT),
            out: raw_stdout(),
        }
    }

    /// One report line, starting on a line of its own, written in one call.
    fn emit(&mut self, event: &str) {
        use ::std::io::Write as _;
        // Whatever the tests printed goes out first, so the line is whole.
        let _ = ::std::io::stdout().flush();
        self.line.clear();
        self.line.extend_from_slice(&self.tag);
        self.line.extend_from_slice(event.as_bytes());
        self.line.push(b'\n');
        if let ::std::option::Option::Some(out) = &mut self.out {
            let _ = out.write_all(&self.line);
        }
        // A longer line moved the buffer: the old one is freed, not zeroed,
        // but never held more than the tag of a line cut to the report size.
        self.line.fill(0);
        ::std::hint::black_box(&self.line);
    }
}

impl ::std::ops::Drop for Reporter {
    fn drop(&mut self) {
        self.tag.fill(0);
        ::std::hint::black_box(&self.tag);
    }
}

/// A second handle to standard output that writes straight to it.
#[cfg(unix)]
fn raw_stdout() -> ::std::option::Option<::std::fs::File> {
    use ::std::os::fd::AsFd as _;
    let out = ::std::io::stdout();
    let fd = out.as_fd().try_clone_to_owned().ok()?;
    ::std::option::Option::Some(::std::fs::File::from(fd))
}

/// A second handle to standard output that writes straight to it.
#[cfg(windows)]
fn raw_stdout() -> ::std::option::Option<::std::fs::File> {
    use ::std::os::windows::io::AsHandle as _;
    let out = ::std::io::stdout();
    let handle = out.as_handle().try_clone_to_owned().ok()?;
    ::std::option::Option::Some(::std::fs::File::from(handle))
}

type Verdict = (
    bool,
    ::std::option::Option<::std::string::String>,
    ::std::option::Option<::std::string::String>,
);

fn run(test: &Test) -> Verdict {
    install_hook();
    let spawned = ::std::thread::Builder::new()
        .name(test.name.into())
        .spawn(test.run);
    let handle = match spawned {
        ::std::result::Result::Ok(handle) => handle,
        ::std::result::Result::Err(err) => {
            return (
                false,
                ::std::option::Option::Some(::std::format!("the test could not start: {err}")),
                ::std::option::Option::None,
            );
        }
    };
    let id = handle.thread().id();
    let joined = handle.join();
    let panic = take_panic(id);
    match (joined, &test.should_panic) {
        (::std::result::Result::Ok(::std::result::Result::Ok(())), ShouldPanic::No) => {
            (true, ::std::option::Option::None, ::std::option::Option::None)
        }
        (::std::result::Result::Ok(::std::result::Result::Err(why)), ShouldPanic::No) => {
            (false, ::std::option::Option::Some(why), ::std::option::Option::None)
        }
        (::std::result::Result::Ok(_), _) => (
            false,
            ::std::option::Option::Some("the test was expected to panic, and did not".into()),
            ::std::option::Option::None,
        ),
        (::std::result::Result::Err(_), ShouldPanic::No) => match panic {
            ::std::option::Option::Some((message, location)) => {
                (false, ::std::option::Option::Some(message), location)
            }
            ::std::option::Option::None => (
                false,
                ::std::option::Option::Some("the test panicked".into()),
                ::std::option::Option::None,
            ),
        },
        (::std::result::Result::Err(_), ShouldPanic::Yes) => {
            (true, ::std::option::Option::None, ::std::option::Option::None)
        }
        (::std::result::Result::Err(_), ShouldPanic::WithMessage(expected)) => match panic {
            ::std::option::Option::Some((message, _)) if message.contains(expected) => {
                (true, ::std::option::Option::None, ::std::option::Option::None)
            }
            other => (
                false,
                ::std::option::Option::Some(::std::format!(
                    "the test panicked, but not with a message containing {expected:?}: {}",
                    other.map_or_else(|| "(no message)".into(), |(m, _)| m)
                )),
                ::std::option::Option::None,
            ),
        },
    }
}

/// Records every panic (the test thread's and any other) and prints it to
/// standard error the way Rust's default hook does. Installed again before
/// each test, in case code under test replaced it.
fn install_hook() {
    ::std::panic::set_hook(::std::boxed::Box::new(|info| {
        let payload = info.payload();
        let message = if let ::std::option::Option::Some(s) = payload.downcast_ref::<&str>() {
            (*s).into()
        } else if let ::std::option::Option::Some(s) =
            payload.downcast_ref::<::std::string::String>()
        {
            s.clone()
        } else {
            ::std::string::String::from("Box<dyn Any>")
        };
        let location = info
            .location()
            .map(|l| ::std::format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let thread = ::std::thread::current();
        ::std::eprintln!(
            "thread '{}' panicked at {}:\n{message}",
            thread.name().unwrap_or("<unnamed>"),
            location.as_deref().unwrap_or("<unknown>"),
        );
        let mut seen = PANICS
            .lock()
            .unwrap_or_else(::std::sync::PoisonError::into_inner);
        seen.push((thread.id(), message, location));
    }));
}

fn take_panic(
    id: ::std::thread::ThreadId,
) -> ::std::option::Option<(
    ::std::string::String,
    ::std::option::Option<::std::string::String>,
)> {
    let mut seen = PANICS
        .lock()
        .unwrap_or_else(::std::sync::PoisonError::into_inner);
    // The thread's last panic is the one that ended the test; an earlier one
    // was caught on the way (by `catch_unwind`, say).
    let found = seen.iter().rposition(|(thread, _, _)| *thread == id);
    let panic = found.map(|i| seen.remove(i)).map(|(_, m, l)| (m, l));
    seen.clear();
    panic
}

/// `text` as a JSON string literal.
fn json(text: &str) -> ::std::string::String {
    let mut out = ::std::string::String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&::std::format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
