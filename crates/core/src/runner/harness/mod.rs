//! The source files of a check's build crate: the learner's file, the hidden
//! tests, and the harness that runs them and reports the verdict.
//!
//! The crate is laid out so that nothing in the learner's file can reach the
//! hidden tests or the verdict:
//!
//! - `src/main.rs` (ours) declares the learner's file as a module, so its
//!   crate-level attributes (`#![no_main]`, `#![cfg(..)]` …) apply to that
//!   module only, and calls the harness with the registered tests.
//! - `src/learner.rs` is the learner's file, unchanged, with one line appended
//!   that declares the hidden tests as a child module (so they see private
//!   items, and the learner's line numbers stay as they are).
//! - The child module is a shield (`src/hidden-shield.rs`): it re-imports
//!   the standard prelude, every primitive type and the pinned crates by
//!   explicit `use` (which beats anything a glob import of the learner's
//!   items brings), and redefines the standard macros the tests call (a later
//!   `macro_rules!` beats the learner's). Below it sits the course's hidden
//!   tests file, under a random name, with `#[test]` attributes blanked out
//!   and a registry of the tests appended.
//! - `src/harness.rs` (ours) runs the registered tests and reports each
//!   result tagged with a secret the runner passes on standard input.
//!
//! Where the tests hold anything the learner has not got — the grading-only
//! tests, and every check `grade` runs — the tests' file gets a new random
//! name on every check, so the learner's code cannot `include_str!` it (a
//! name it might learn from one run is gone by the next; `include_str!`
//! takes only a literal, so reading the shield at compile time does not
//! help either); the runner's sandbox keeps it from reading anything else.
//! A learner's own check keeps one name, which keeps the compiler's
//! incremental state (a third of a tokio exercise's compile): its hidden
//! tests are in the learner's workspace already. The tests' own items are
//! private to their module, out of the learner's reach.

pub mod library;
mod scan;

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};

pub use scan::{TestCase, scan};

/// The harness, as written into every build crate.
pub const HARNESS_SOURCE: &str = include_str!("harness.rs");

/// The learner's file inside the build crate.
pub const LEARNER_FILE: &str = "src/learner.rs";
/// The crate's root for a build by rustc alone with the harness library.
pub const DIRECT_ROOT: &str = "src/direct.rs";
/// The prefix of the hidden test files inside the build crate.
pub const HIDDEN_PREFIX: &str = "src/hidden-";

/// A fresh random value, hex-encoded: 128 bits from the operating system's
/// randomness (through the standard library's hash seeds).
pub fn random_hex() -> String {
    let mut out = String::with_capacity(32);
    for i in 0..2u64 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(i);
        hasher.write_u128(std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos()));
        let _ = write!(out, "{:016x}", hasher.finish());
    }
    out
}

/// `0..n` in a random order (Fisher–Yates over the operating system's
/// randomness, as [`random_hex`]).
pub fn shuffled(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(i);
        let j = usize::try_from(hasher.finish() % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

/// The files of one check's build crate, as (path inside the crate, contents).
///
/// With `subjects`, the learner's file holds the tests (their `#[test]`
/// attributes already blanked) and each subject is code they run against:
/// the reference first, then each of the course's bugs. Every subject gets a
/// module of its own at the crate's root (`variant_<random>`), with
/// the subject inside under a random name and the learner's file beside it,
/// so the learner's `use super::*;` finds that subject; `tests` is then empty
/// and the registry calls the learner's functions. One build serves every
/// variant; the runner says which one to run on the test binary's input.
pub fn crate_files(
    learner: &str,
    tests: &str,
    cases: &[TestCase],
    crates: &[&str],
    lints: &[crate::course::Lint],
    subjects: &[&str],
    hide_tests: bool,
) -> Vec<(String, String)> {
    // The shield's text is no secret and keeps one name, which keeps the
    // compiler's incremental state; with `hide_tests`, the tests' file gets
    // a new random name every check (see above).
    let module = "__tensorlings_hidden";
    let shield_file = "hidden-shield.rs";
    let tests_file = if hide_tests {
        format!("hidden-{}.rs", random_hex())
    } else {
        "hidden-tests.rs".to_owned()
    };
    let learner_rs = with_shield(learner, shield_file, module);
    // The course's lint levels sit on the learner's module, after the
    // default (so a course may warn of dead code again); names were checked
    // when the course loaded.
    let mut levels = String::new();
    for lint in lints {
        let _ = writeln!(levels, "#[{}({})]", lint.level.attribute(), lint.name);
    }
    let mut files = Vec::new();
    let main_rs = if subjects.is_empty() {
        format!(
            "//! Generated by tensorlings for one check.\n\
             #[allow(dead_code)]\n\
             {levels}\
             #[path = \"learner.rs\"]\n\
             mod exercise;\n\
             mod harness;\n\
             fn main() -> ::std::process::ExitCode {{\n    \
             harness::main(&[exercise::{module}::t::__TENSORLINGS_TESTS])\n}}\n"
        )
    } else {
        variants_main(subjects, &levels, module, &mut files)
    };
    let mut tests_rs = String::with_capacity(tests.len() + 200 * cases.len());
    tests_rs.push_str(tests);
    tests_rs.push_str(&registry(cases));
    // The same root for a build by rustc alone that links the harness as
    // a library (see `library`): it imports it under the module's name.
    let direct_rs = main_rs.replace(
        "\nmod harness;\n",
        &format!("\nuse ::{} as harness;\n", library::CRATE),
    );
    files.extend([
        ("src/main.rs".to_owned(), main_rs),
        (DIRECT_ROOT.to_owned(), direct_rs),
        (
            "src/harness.rs".to_owned(),
            format!("#![allow(dead_code)]\n{HARNESS_SOURCE}"),
        ),
        (LEARNER_FILE.to_owned(), learner_rs),
        (format!("src/{shield_file}"), shield(&tests_file, crates)),
        (format!("src/{tests_file}"), tests_rs),
    ]);
    files
}

/// The learner's file with one line appended, after its own last line (so
/// its line numbers stay): the shield, declared as a child module.
fn with_shield(learner: &str, shield_file: &str, module: &str) -> String {
    let mut out = String::with_capacity(learner.len() + 80);
    out.push_str(learner);
    if !learner.is_empty() && !learner.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "#[path = \"{shield_file}\"] pub(crate) mod {module};");
    out
}

/// The crate's root where the learner wrote the tests: a module per
/// subject (the reference, then each bug) holding the subject and the
/// learner's file beside it, each module's files added to `files`, and a
/// `main` that hands the harness every module's registry.
fn variants_main(
    subjects: &[&str],
    levels: &str,
    module: &str,
    files: &mut Vec<(String, String)>,
) -> String {
    let mut decls = String::new();
    let mut registries = String::new();
    for subject in subjects {
        // Random names: the learner's tests run beside one subject and
        // must not be able to name another (the reference, say, to compare
        // a bug with it instead of testing).
        let name = format!("variant_{}", random_hex());
        let subject_file = format!("hidden-subject-{}.rs", random_hex());
        // The subject is declared before the learner's module so the
        // lint levels stay on that module.
        let variant = format!(
            "#[allow(dead_code, unused_imports)]\n\
             #[path = \"{subject_file}\"]\n\
             mod subject;\n\
             #[allow(unused_imports)]\n\
             pub(crate) use subject::*;\n\
             #[allow(dead_code)]\n\
             {levels}\
             #[path = \"learner.rs\"]\n\
             pub(crate) mod exercise;\n"
        );
        files.push((format!("src/{name}.rs"), variant));
        files.push((format!("src/{subject_file}"), (*subject).to_owned()));
        let _ = writeln!(decls, "mod {name};");
        let _ = write!(
            registries,
            "{name}::exercise::{module}::t::__TENSORLINGS_TESTS, "
        );
    }
    format!(
        "//! Generated by tensorlings for one check.\n\
         {decls}\
         mod harness;\n\
         fn main() -> ::std::process::ExitCode {{\n    \
         harness::main(&[{registries}])\n}}\n"
    )
}

/// The standard prelude's names, imported explicitly.
const PRELUDE: &str = "Copy, Send, Sized, Sync, Unpin, Drop, Fn, FnMut, FnOnce, drop, \
    Box, ToOwned, Clone, PartialEq, PartialOrd, Eq, Ord, AsRef, AsMut, Into, From, Default, \
    Iterator, Extend, IntoIterator, DoubleEndedIterator, ExactSizeIterator, Option, Some, None, \
    Result, Ok, Err, String, ToString, Vec, TryFrom, TryInto, FromIterator";

const PRIMITIVES: &str = "bool, char, f32, f64, i8, i16, i32, i64, i128, isize, \
    u8, u16, u32, u64, u128, usize, str";

/// Standard macros the hidden tests may call unqualified.
const MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "vec",
    "matches",
    "dbg",
    "concat",
    "stringify",
];

fn shield(tests_file: &str, crates: &[&str]) -> String {
    let mut out = String::from(
        "//! Generated by tensorlings: the hidden tests see the standard library,\n\
         //! whatever the learner's file defines.\n\
         #![allow(unused_imports, unused_macros, dead_code)]\n\
         use super::*;\n\
         use ::std;\n\
         use ::core;\n",
    );
    let _ = writeln!(out, "use ::std::prelude::rust_2024::{{{PRELUDE}}};");
    let _ = writeln!(out, "use ::std::primitive::{{{PRIMITIVES}}};");
    for krate in crates {
        let _ = writeln!(out, "use ::{};", krate.replace('-', "_"));
    }
    for name in MACROS {
        let open = if *name == "vec" { '[' } else { '(' };
        let close = if *name == "vec" { ']' } else { ')' };
        let _ = writeln!(
            out,
            "macro_rules! {name} {{ ($($t:tt)*) => {{ ::std::{name}!{open}$($t)*{close} }} }}"
        );
    }
    let _ = writeln!(out, "#[path = \"{tests_file}\"]\npub(crate) mod t;");
    out
}

/// The registry appended to the hidden tests: every test, how to run it and
/// what it expects of a panic.
fn registry(cases: &[TestCase]) -> String {
    let mut out = String::from(
        "\n#[allow(dead_code)]\npub(crate) const __TENSORLINGS_TESTS: &[crate::harness::Test] = &[\n",
    );
    for case in cases {
        let should_panic = match &case.should_panic {
            None => "crate::harness::ShouldPanic::No".to_owned(),
            Some(None) => "crate::harness::ShouldPanic::Yes".to_owned(),
            Some(Some(text)) => format!("crate::harness::ShouldPanic::WithMessage({text:?})"),
        };
        let _ = writeln!(
            out,
            "    crate::harness::Test {{ name: \"{0}\", run: || crate::harness::Outcome::outcome({0}()), should_panic: {should_panic} }},",
            case.name
        );
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reference_is_not_always_run_first() {
        // Where the learner writes the tests, variant 0 is the reference: a
        // test that "catches" every bug by failing whenever it is not the
        // first run must fail on the reference too, most of the time.
        let mut first = [0usize; 7];
        for _ in 0..700 {
            let order = shuffled(7);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..7).collect::<Vec<_>>());
            first[order[0]] += 1;
        }
        // Each variant is first about 100 times in 700; none never or always.
        assert!(first.iter().all(|&n| (30..=200).contains(&n)), "{first:?}");
    }

    use super::*;

    #[test]
    fn random_values_differ_and_are_hex() {
        let a = random_hex();
        let b = random_hex();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn the_learners_lines_keep_their_numbers() {
        let files = crate_files("fn a() {}\nfn b() {}", "", &[], &[], &[], &[], true);
        let learner = &files.iter().find(|(p, _)| p == LEARNER_FILE).unwrap().1;
        let lines: Vec<&str> = learner.lines().collect();
        assert_eq!(&lines[..2], ["fn a() {}", "fn b() {}"]);
        assert!(lines[2].starts_with("#[path = \"hidden-"));
    }

    #[test]
    fn every_check_that_hides_its_tests_names_them_anew() {
        let names = |files: &[(String, String)]| -> Vec<String> {
            files.iter().map(|(path, _)| path.clone()).collect()
        };
        let first = crate_files("", "", &[], &[], &[], &[], true);
        let second = crate_files("", "", &[], &[], &[], &[], true);
        assert_ne!(names(&first), names(&second));
        assert_eq!(first[0], second[0], "main.rs stays the same");
        // A learner's own check keeps one name, for incremental builds.
        let kept = crate_files("", "", &[], &[], &[], &[], false);
        let again = crate_files("", "", &[], &[], &[], &[], false);
        assert_eq!(names(&kept), names(&again));
    }
}
