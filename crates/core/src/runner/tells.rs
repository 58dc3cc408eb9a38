//! Tell-tale signs of a learner's file that tries to game its check.
//!
//! The sandbox and the harness make a forged pass fail; this is for the
//! instructor's eye: code that runs inside the test process can still do
//! things no exercise needs (end the process, print report-like text, bring
//! its own `Vec`), and `grade` lists them beside the verdict. Read from the
//! file's tokens, so comments and strings do not raise false alarms (except
//! strings that imitate a report).

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Standard macros whose redefinition would change what a test asserts.
const STD_MACROS: &[&str] = &[
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
    "vec",
    "format",
    "matches",
    "println",
    "print",
    "write",
    "writeln",
];

/// Standard names a learner's item should not take over.
const STD_NAMES: &[&str] = &[
    "Vec",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Box",
    "ToString",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
    "Default",
    "Drop",
    "std",
    "core",
    "f32",
    "f64",
    "i32",
    "i64",
    "u8",
    "u32",
    "u64",
    "usize",
    "isize",
    "bool",
    "char",
    "str",
];

/// Crate-level attributes an exercise may carry.
const HARMLESS_INNER: &[&str] = &["allow", "warn", "deny", "expect", "doc"];

/// The signs found in `source`, as short sentences, each once.
pub fn tells(source: &str) -> Vec<String> {
    let Ok(stream) = source.parse::<TokenStream>() else {
        return vec!["the file does not parse".to_owned()];
    };
    let mut found = Vec::new();
    for hole in super::unsound::scan(source) {
        found.push(format!(
            "has the shape of a compiler soundness hole (rust-lang/rust#{}), refused",
            hole.issue
        ));
    }
    inner_attributes(&stream, &mut found);
    walk(&stream, &mut found);
    found.dedup();
    let mut unique = Vec::new();
    for tell in found {
        if !unique.contains(&tell) {
            unique.push(tell);
        }
    }
    unique
}

/// Crate-level `#![...]` attributes other than lint levels and docs.
fn inner_attributes(stream: &TokenStream, found: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    let mut i = 0;
    while let (
        Some(TokenTree::Punct(hash)),
        Some(TokenTree::Punct(bang)),
        Some(TokenTree::Group(g)),
    ) = (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
    {
        if hash.as_char() != '#' || bang.as_char() != '!' {
            break;
        }
        if let Some(TokenTree::Ident(name)) = g.stream().into_iter().next() {
            let name = name.to_string();
            if !HARMLESS_INNER.contains(&name.as_str()) {
                found.push(format!("a crate-level attribute #![{name}]"));
            }
        }
        i += 3;
    }
}

fn walk(stream: &TokenStream, found: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        let next = |k: usize| tokens.get(i + k);
        match token {
            TokenTree::Group(group) => {
                if group.delimiter() == Delimiter::Bracket
                    && is_punct(i.checked_sub(1).and_then(|p| tokens.get(p)), '#')
                {
                    attribute(&group.stream(), found);
                }
                walk(&group.stream(), found);
            }
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let name = name.trim_start_matches("r#");
                ident_tell(name, next(1), next(2), &tokens[..i], found);
            }
            TokenTree::Literal(lit) => {
                let text = lit.to_string();
                if ["tensorlings-report", "test result:", " ... ok"]
                    .iter()
                    .any(|s| text.contains(s))
                {
                    found.push("prints text that imitates a test report".to_owned());
                }
                if text.contains("/proc/") || text.contains("/dev/tty") {
                    found.push("opens /proc or the terminal".to_owned());
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

fn ident_tell(
    name: &str,
    next: Option<&TokenTree>,
    after: Option<&TokenTree>,
    before: &[TokenTree],
    found: &mut Vec<String>,
) {
    let prev_ident = before.iter().rev().find_map(|t| match t {
        TokenTree::Ident(id) => Some(id.to_string()),
        _ => None,
    });
    match name {
        "exit" | "abort" if prev_ident.as_deref() == Some("process") => {
            found.push(format!("ends the test process (std::process::{name})"));
        }
        "include_str" | "include_bytes" | "include" if is_punct(next, '!') => {
            found.push(format!("reads a file at compile time ({name}!)"));
        }
        "macro_rules" if is_punct(next, '!') => {
            if let Some(TokenTree::Ident(macro_name)) = after {
                let macro_name = macro_name.to_string();
                if STD_MACROS.contains(&macro_name.as_str()) {
                    found.push(format!("redefines the standard macro {macro_name}!"));
                }
            }
        }
        "Command" => found.push("starts other programs".to_owned()),
        "TcpStream" | "TcpListener" | "UdpSocket" => {
            found.push("uses the network".to_owned());
        }
        "set_hook" | "take_hook" => found.push("replaces the panic hook".to_owned()),
        "stdout" | "stderr" if prev_ident.as_deref() == Some("io") => {
            found.push(format!("writes to std{} directly", &name[3..]));
        }
        "unsafe" => found.push("unsafe code (the compiler refuses it)".to_owned()),
        "struct" | "enum" | "type" | "trait" | "fn" | "mod" | "union" => {
            if let Some(TokenTree::Ident(item)) = next {
                let item = item.to_string();
                if STD_NAMES.contains(&item.as_str()) {
                    found.push(format!("defines its own `{item}`"));
                }
            }
        }
        _ => {}
    }
}

/// Attributes: `#[path = ...]` modules and exported macros.
fn attribute(stream: &TokenStream, found: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        if let TokenTree::Ident(id) = token {
            if id == "path" && is_punct(tokens.get(i + 1), '=') {
                found.push("loads a module from another file (#[path])".to_owned());
            }
            if id == "macro_export" {
                found.push("exports macros to the whole crate (#[macro_export])".to_owned());
            }
        }
        if let TokenTree::Group(g) = token {
            attribute(&g.stream(), found);
        }
    }
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_compiler_hole_is_named_among_the_signs() {
        let source = "fn t<'a, 'b, T>(_: &'a &'b (), v: &'b T) -> &'a T { v }";
        let found = tells(source);
        assert!(
            found.iter().any(|t| t.contains("rust-lang/rust#25860")),
            "{found:?}"
        );
    }

    use super::*;

    #[test]
    fn an_honest_solution_raises_nothing() {
        let honest = "//! Adds.\n#![allow(dead_code)]\n/// Sums.\npub fn add(a: i32, b: i32) -> i32 {\n    // exit early? no.\n    let s = \"std::process::exit\";\n    a + b + s.len() as i32 * 0\n}\n";
        assert_eq!(tells(honest), Vec::<String>::new());
    }

    #[test]
    fn the_usual_tricks_are_named() {
        let tricky = r#"#![no_implicit_prelude]
macro_rules! assert_eq { ($($t:tt)*) => {} }
#[macro_export] macro_rules! x { () => {} }
pub struct Vec;
pub fn add() { std::process::exit(0); }
pub fn out() { let _ = std::io::Write::write_all(&mut std::io::stdout(), b"test result: ok"); }
const F: &str = include_str!("/etc/passwd");
#[path = "other.rs"] mod other;
"#;
        let found = tells(tricky);
        for expected in [
            "a crate-level attribute #![no_implicit_prelude]",
            "redefines the standard macro assert_eq!",
            "exports macros to the whole crate (#[macro_export])",
            "defines its own `Vec`",
            "ends the test process (std::process::exit)",
            "writes to stdout directly",
            "prints text that imitates a test report",
            "reads a file at compile time (include_str!)",
            "loads a module from another file (#[path])",
        ] {
            assert!(
                found.iter().any(|f| f == expected),
                "{expected} not in {found:?}"
            );
        }
    }
}
