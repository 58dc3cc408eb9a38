//! The test harness of a tensorlings check (written into the build crate as
//! `src/harness.rs`; not part of tensorlings itself).
//!
//! It runs the hidden tests one at a time, each on its own thread, and reports
//! every result as a line on standard output tagged with a secret the runner
//! wrote to standard input. The secret is read before any learner code runs
//! and is kept only in this function's locals, so text the learner's code
//! prints, however much it looks like a report, never carries it.

use ::std::io::Write as _;
use ::std::sync::Mutex;

/// What a hidden test expects of a panic.
pub(crate) enum ShouldPanic {
    /// The test passes when it returns normally.
    No,
    /// The test passes when it panics.
    Yes,
    /// The test passes when it panics with a message containing this text.
    WithMessage(&'static str),
}

/// One hidden test, as the runner registers it.
pub(crate) struct Test {
    /// The test function's name.
    pub(crate) name: &'static str,
    /// Runs it.
    pub(crate) run: fn() -> ::std::result::Result<(), ::std::string::String>,
    /// What it expects of a panic.
    pub(crate) should_panic: ShouldPanic,
}

/// What a test function may return.
pub(crate) trait Outcome {
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

/// Runs every test of one variant and reports; the exit code is 0 only when
/// all passed. The first line of input is the secret, then the variant's
/// number when there is more than one (the learner's tests on the reference
/// code, then on each bug).
pub(crate) fn main(variants: &[&[Test]]) -> ::std::process::ExitCode {
    let mut line = ::std::string::String::new();
    let _ = ::std::io::stdin().read_line(&mut line);
    let mut words = line.split_whitespace();
    let secret = words.next().unwrap_or("");
    let variant = words.next().map_or(::std::option::Option::Some(0), |w| w.parse::<usize>().ok());
    let tests = match variant.and_then(|v| variants.get(v)) {
        ::std::option::Option::Some(tests) => *tests,
        ::std::option::Option::None => &[],
    };
    if secret.len() < 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) || variant.is_none_or(|v| v >= variants.len()) {
        ::std::eprintln!("this program is run by tensorlings, which checks exercises");
        return ::std::process::ExitCode::from(2);
    }
    let tag = ::std::format!("tensorlings-report:{secret} ");
    let mut failed = 0usize;
    for test in tests {
        emit(
            &tag,
            &::std::format!("{{\"event\":\"start\",\"name\":{}}}", json(test.name)),
        );
        let (ok, message, location) = run(test);
        if !ok {
            failed += 1;
        }
        emit(
            &tag,
            &::std::format!(
                "{{\"event\":\"end\",\"name\":{},\"ok\":{ok},\"message\":{},\"location\":{}}}",
                json(test.name),
                message.as_deref().map_or("null".into(), json),
                location.as_deref().map_or("null".into(), json),
            ),
        );
    }
    emit(
        &tag,
        &::std::format!(
            "{{\"event\":\"done\",\"passed\":{},\"failed\":{failed}}}",
            tests.len() - failed
        ),
    );
    if failed == 0 {
        ::std::process::ExitCode::SUCCESS
    } else {
        ::std::process::ExitCode::from(101)
    }
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

/// One report line, starting on a line of its own, written in one call.
fn emit(tag: &str, event: &str) {
    let line = ::std::format!("\n{tag}{event}\n");
    let mut out = ::std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
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
