//! Finding the hidden tests in a course's test file, from its tokens.
//!
//! The list of tests a check must pass comes from here (the course), never
//! from what the learner's run reports. Test attributes are blanked out with
//! spaces, byte for byte, so line numbers in the file stay the same.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// One hidden test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    /// The test function's name.
    pub name: String,
    /// `None`: must not panic; `Some(None)`: must panic; `Some(Some(text))`:
    /// must panic with a message containing `text` — the three forms of the
    /// attribute, one to one.
    #[allow(clippy::option_option)]
    pub should_panic: Option<Option<String>>,
}

/// A hidden tests file the runner cannot use, with the line to look at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ScanError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The tests in `source`, and the source with their test attributes blanked.
pub fn scan(source: &str) -> Result<(Vec<TestCase>, String), ScanError> {
    let stream: TokenStream = source
        .parse()
        .map_err(|err: proc_macro2::LexError| ScanError {
            line: err.span().start().line,
            message: format!("the hidden tests do not parse: {err}"),
        })?;
    let mut blanked = source.as_bytes().to_vec();
    let mut cases: Vec<TestCase> = Vec::new();
    let mut pending: Vec<Attr> = Vec::new();
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1)
                    && g.delimiter() == Delimiter::Bracket
                {
                    pending.push(attr(p.span(), g.span(), g.stream()));
                    i += 2;
                    continue;
                }
            }
            TokenTree::Ident(id) if id == "fn" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    take_test(
                        &mut pending,
                        name.to_string(),
                        id.span(),
                        &mut cases,
                        &mut blanked,
                    )?;
                }
            }
            TokenTree::Group(g) => {
                if let Some(line) = nested_test(&g.stream()) {
                    return Err(nested(line));
                }
                check_no_test(&pending)?;
                pending.clear();
            }
            TokenTree::Punct(p) if p.as_char() == ';' => {
                check_no_test(&pending)?;
                pending.clear();
            }
            _ => {}
        }
        i += 1;
    }
    check_no_test(&pending)?;
    no_twice(&cases)?;
    let blanked = String::from_utf8(blanked).map_err(|_| ScanError {
        line: 1,
        message: "the hidden tests are not UTF-8".to_owned(),
    })?;
    Ok((cases, blanked))
}

/// The error for a test that is not a top-level function.
fn nested(line: usize) -> ScanError {
    ScanError {
        line,
        message: "a #[test] inside a module, a block or a macro such as `proptest! { ... }`: \
                  tests must be top-level functions (write a property as \
                  `#[test] fn name() { proptest!(|(x in 0..10u32)| { ... }); }`)"
            .to_owned(),
    }
}

/// An error when two tests share a name.
fn no_twice(cases: &[TestCase]) -> Result<(), ScanError> {
    match cases.iter().enumerate().find_map(|(n, c)| {
        cases[..n]
            .iter()
            .any(|d| d.name == c.name)
            .then_some(&c.name)
    }) {
        Some(dup) => Err(ScanError {
            line: 1,
            message: format!("the test `{dup}` is defined twice"),
        }),
        None => Ok(()),
    }
}

#[derive(Debug)]
enum Kind {
    Test,
    ShouldPanic(Option<String>),
    Ignore,
    Other,
}

#[derive(Debug)]
struct Attr {
    kind: Kind,
    bytes: std::ops::Range<usize>,
    line: usize,
}

fn attr(hash: Span, group: Span, inner: TokenStream) -> Attr {
    let tokens: Vec<TokenTree> = inner.into_iter().collect();
    let kind = match tokens.first() {
        Some(TokenTree::Ident(id)) if id == "test" && tokens.len() == 1 => Kind::Test,
        Some(TokenTree::Ident(id)) if id == "ignore" => Kind::Ignore,
        Some(TokenTree::Ident(id)) if id == "should_panic" => Kind::ShouldPanic(expected(&tokens)),
        _ => Kind::Other,
    };
    Attr {
        kind,
        bytes: hash.byte_range().start..group.byte_range().end,
        line: hash.start().line,
    }
}

/// The text of `should_panic(expected = "...")`, if given.
fn expected(tokens: &[TokenTree]) -> Option<String> {
    let Some(TokenTree::Group(args)) = tokens.get(1) else {
        return None;
    };
    let args: Vec<TokenTree> = args.stream().into_iter().collect();
    match args.as_slice() {
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(lit),
        ] if key == "expected" && eq.as_char() == '=' => {
            serde_json::from_str::<String>(&lit.to_string()).ok()
        }
        _ => None,
    }
}

fn take_test(
    pending: &mut Vec<Attr>,
    name: String,
    at: Span,
    cases: &mut Vec<TestCase>,
    blanked: &mut [u8],
) -> Result<(), ScanError> {
    let is_test = pending.iter().any(|a| matches!(a.kind, Kind::Test));
    if is_test {
        if pending.iter().any(|a| matches!(a.kind, Kind::Ignore)) {
            return Err(ScanError {
                line: at.start().line,
                message: format!("`{name}` is #[ignore]d: every hidden test must run"),
            });
        }
        let mut should_panic = None;
        for a in pending.iter() {
            match &a.kind {
                Kind::Test => blank(blanked, a.bytes.clone()),
                Kind::ShouldPanic(text) => {
                    should_panic = Some(text.clone());
                    blank(blanked, a.bytes.clone());
                }
                _ => {}
            }
        }
        cases.push(TestCase { name, should_panic });
    }
    pending.clear();
    Ok(())
}

fn check_no_test(pending: &[Attr]) -> Result<(), ScanError> {
    match pending.iter().find(|a| matches!(a.kind, Kind::Test)) {
        Some(a) => Err(ScanError {
            line: a.line,
            message: "#[test] must be on a function".to_owned(),
        }),
        None => Ok(()),
    }
}

/// The line of a `#[test]` anywhere inside `stream`, if there is one.
fn nested_test(stream: &TokenStream) -> Option<usize> {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = tokens.get(i + 1) {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    if matches!(inner.as_slice(), [TokenTree::Ident(id)] if id == "test") {
                        return Some(p.span().start().line);
                    }
                }
            }
            TokenTree::Group(g) => {
                if let Some(line) = nested_test(&g.stream()) {
                    return Some(line);
                }
            }
            _ => {}
        }
    }
    None
}

/// Replaces the bytes in `range` with spaces, keeping line breaks.
fn blank(bytes: &mut [u8], range: std::ops::Range<usize>) {
    for b in &mut bytes[range] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_inside_a_proptest_block_is_refused_with_the_way_to_write_it() {
        let src = "use super::*;\n\nproptest! {\n    #[test]\n    fn holds(x in 0..9u32) { assert!(x < 9); }\n}\n";
        let err = scan(src).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("proptest!(|("), "{}", err.message);
    }

    #[test]
    fn tests_are_found_and_their_attributes_blanked() {
        let src = "use super::*;\n\n#[test]\nfn adds() {\n    assert_eq!(1, 1);\n}\n\nfn helper() {}\n\n#[test] #[should_panic(expected = \"boom\")]\nfn explodes() { panic!(\"boom\") }\n";
        let (cases, blanked) = scan(src).unwrap();
        assert_eq!(
            cases,
            [
                TestCase {
                    name: "adds".into(),
                    should_panic: None
                },
                TestCase {
                    name: "explodes".into(),
                    should_panic: Some(Some("boom".into()))
                },
            ]
        );
        assert_eq!(blanked.len(), src.len());
        assert_eq!(blanked.lines().count(), src.lines().count());
        assert!(!blanked.contains("#[test]"));
        assert!(!blanked.contains("should_panic"));
        assert!(blanked.contains("fn helper() {}"));
    }

    #[test]
    fn other_attributes_and_doc_comments_are_left_alone() {
        let src = "/// Checks things.\n#[test]\n#[allow(unused)]\nfn documented() {}\n";
        let (cases, blanked) = scan(src).unwrap();
        assert_eq!(cases.len(), 1);
        assert!(blanked.contains("#[allow(unused)]"));
        assert!(blanked.contains("/// Checks things."));
    }

    #[test]
    fn an_ignored_test_is_refused_with_its_line() {
        let err = scan("#[test]\n#[ignore]\nfn skipped() {}\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("skipped"), "{err}");
    }

    #[test]
    fn a_test_in_a_module_is_refused() {
        let err = scan("mod inner {\n    #[test]\n    fn hidden() {}\n}\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn a_test_attribute_on_something_else_is_refused() {
        let err = scan("#[test]\nconst X: u8 = 1;\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn a_file_that_does_not_lex_is_refused() {
        assert!(scan("fn broken( {").is_err());
    }
}
