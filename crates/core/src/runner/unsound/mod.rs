//! Shapes of code that reach known soundness holes of the compiler, refused
//! before a learner's file is built.
//!
//! Safe Rust is not a boundary: a few open compiler bugs let safe code
//! transmute any type into any other, and so read or write any memory of the
//! test process (where the harness keeps what the verdict depends on). These
//! are the shapes they need, found in the file's tokens the way the hidden
//! tests are scanned:
//!
//! - **rust-lang/rust#25860** (the hole the `cve-rs` and `fake-static` crates
//!   use): a reference to a type that names another lifetime (`&'a &'b T`,
//!   `&'a Wrapper<'b>`) carries the implied bound `'b: 'a`; a function over it,
//!   coerced to a function pointer, loses the bound and turns any `&'b T` into
//!   a `&'static T`. Refused: a reference with a named lifetime to a type that
//!   names a different lifetime, and a function-pointer type that mentions a
//!   lifetime or leaves a type to inference (`fn(_, &'a T) -> &'b T`).
//! - **rust-lang/rust#57893**: a blanket implementation for every `T: ?Sized`
//!   of a trait with an associated type also covers `dyn Trait<Assoc = X>`,
//!   whose `Assoc` then means two types at once. Refused: such a blanket
//!   implementation in a file that also names `dyn` of that trait.
//!
//! No exercise needs either shape; the message says why it is refused and how
//! to write the same thing without it.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

mod derives;

pub use derives::replaced_derives;

/// One refused shape, where it starts in the learner's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsound {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Why it is refused, in a sentence the learner can act on.
    pub message: String,
    /// The compiler issue it reaches (0: none; the exercise's contract).
    pub issue: u32,
}

/// The message for the lifetime shapes of rust-lang/rust#25860.
const NESTED_LIFETIMES: &str = "a reference with a named lifetime to a type that names another lifetime \
    (such as `&'a &'b T`) is refused: with a function pointer it reaches a known hole in the compiler \
    (rust-lang/rust#25860) that lets safe code make any reference `'static`. Give both the same lifetime, \
    or let the compiler infer them";
/// The message for function-pointer types of rust-lang/rust#25860.
const FN_POINTER: &str = "a function-pointer type with a lifetime or a `_` in it is refused: it is how \
    safe code reaches a known hole in the compiler (rust-lang/rust#25860) that makes any reference \
    `'static`. Call the function directly, or take a generic `F: Fn(..)`";
/// The message for outlives bounds between lifetimes (rust-lang/rust#25860).
const OUTLIVES: &str = "a bound between two lifetimes (such as `'b: 'a`) is refused: a type or function \
    that carries one reaches a known hole in the compiler (rust-lang/rust#25860) that lets safe code make \
    any reference `'static`. No exercise needs one: give both the same lifetime";
/// The message for rust-lang/rust#57893.
const BLANKET_DYN: &str = "a blanket `impl<T: ?Sized> Trait for T` of a trait with an associated type, \
    used as `dyn Trait`, is refused: it reaches a known hole in the compiler (rust-lang/rust#57893) \
    that lets safe code turn any type into any other. Implement the trait for the types you need";

/// Every refused shape in `source`, in file order. A file that does not
/// parse has none (the compiler will say what is wrong with it).
pub fn scan(source: &str) -> Vec<Unsound> {
    let Ok(stream) = source.parse::<TokenStream>() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    walk(&stream, &mut found);
    blanket_dyn(&stream, &mut found);
    found.sort_by_key(|u| (u.line, u.column));
    found.dedup_by_key(|u| (u.line, u.column));
    found
}

/// A flat token: a lifetime is one token here (proc-macro2 gives a `'`
/// punctuation joined to an identifier).
#[derive(Debug)]
enum Flat {
    Lifetime(String),
    Ident(String),
    Punct(char),
    Group(Delimiter, TokenStream),
    Literal,
}

fn flatten(stream: &TokenStream) -> Vec<(Flat, (usize, usize))> {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let start = tokens[i].span().start();
        let at = (start.line, start.column + 1);
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '\'' && p.spacing() == Spacing::Joint => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    out.push((Flat::Lifetime(name.to_string()), at));
                    i += 2;
                    continue;
                }
                out.push((Flat::Punct('\''), at));
            }
            TokenTree::Punct(p) => out.push((Flat::Punct(p.as_char()), at)),
            TokenTree::Ident(id) => out.push((Flat::Ident(id.to_string()), at)),
            TokenTree::Group(g) => out.push((Flat::Group(g.delimiter(), g.stream()), at)),
            TokenTree::Literal(_) => out.push((Flat::Literal, at)),
        }
        i += 1;
    }
    out
}

fn walk(stream: &TokenStream, found: &mut Vec<Unsound>) {
    let tokens = flatten(stream);
    for (i, (token, at)) in tokens.iter().enumerate() {
        match token {
            Flat::Group(_, inner) => walk(inner, found),
            Flat::Punct('&') => {
                if let Some(Flat::Lifetime(outer)) = tokens.get(i + 1).map(|t| &t.0) {
                    let mut j = i + 2;
                    if matches!(tokens.get(j), Some((Flat::Ident(m), _)) if m == "mut") {
                        j += 1;
                    }
                    let inner = lifetimes_of_type(&tokens[j.min(tokens.len())..]);
                    if inner.iter().any(|l| l != outer) {
                        found.push(unsound(*at, NESTED_LIFETIMES, 25860));
                    }
                }
            }
            Flat::Lifetime(_)
                if matches!(tokens.get(i + 1), Some((Flat::Punct(':'), _)))
                    && matches!(tokens.get(i + 2), Some((Flat::Lifetime(_), _))) =>
            {
                found.push(unsound(*at, OUTLIVES, 25860));
            }
            Flat::Ident(word) if word == "fn" => {
                // `fn(` is a function-pointer type; `fn name(` is an item.
                if let Some((Flat::Group(Delimiter::Parenthesis, params), _)) = tokens.get(i + 1) {
                    let mut names = lifetimes(params);
                    // The return type, up to what ends a type.
                    if matches!(tokens.get(i + 2), Some((Flat::Punct('-'), _))) {
                        let rest = (i + 4).min(tokens.len());
                        names.extend(lifetimes_of_type(&tokens[rest..]));
                    }
                    if !names.is_empty() || has_placeholder(params) {
                        found.push(unsound(*at, FN_POINTER, 25860));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The lifetimes named in the type that starts `tokens`: up to the first
/// `,` `;` `=` `{` `)` or `|` outside angle brackets, or the end.
fn lifetimes_of_type(tokens: &[(Flat, (usize, usize))]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    for (k, (token, _)) in tokens.iter().enumerate() {
        match token {
            Flat::Punct('<') => depth += 1,
            Flat::Punct('>') => {
                // `->` is an arrow, not a closing bracket.
                let arrow = k > 0 && matches!(tokens[k - 1].0, Flat::Punct('-'));
                if !arrow {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
            }
            Flat::Punct(',' | ';' | '=' | '|') | Flat::Group(Delimiter::Brace, _) if depth == 0 => {
                break;
            }
            Flat::Group(_, inner) => names.extend(lifetimes(inner)),
            Flat::Lifetime(name) => names.push(name.clone()),
            _ => {}
        }
    }
    names
}

/// Every lifetime named anywhere in `stream`.
fn lifetimes(stream: &TokenStream) -> Vec<String> {
    flatten(stream)
        .into_iter()
        .flat_map(|(token, _)| match token {
            Flat::Lifetime(name) => vec![name],
            Flat::Group(_, inner) => lifetimes(&inner),
            _ => Vec::new(),
        })
        .collect()
}

/// Whether `stream` holds a `_` type placeholder.
fn has_placeholder(stream: &TokenStream) -> bool {
    flatten(stream).into_iter().any(|(token, _)| match token {
        Flat::Ident(name) => name == "_",
        Flat::Punct('_') => true,
        Flat::Group(_, inner) => has_placeholder(&inner),
        _ => false,
    })
}

/// rust-lang/rust#57893: `impl<.. T: ?Sized ..> Trait for T` of a trait the
/// file defines with an associated type, and `dyn Trait` somewhere.
fn blanket_dyn(stream: &TokenStream, found: &mut Vec<Unsound>) {
    let mut all = Vec::new();
    collect(stream, &mut all);
    let with_types = traits_with_associated_types(&all);
    for (i, (token, at)) in all.iter().enumerate() {
        let Flat::Ident(word) = token else { continue };
        if word != "impl" || !matches!(all.get(i + 1), Some((Flat::Punct('<'), _))) {
            continue;
        }
        // The generics, up to the matching `>`.
        let mut depth = 0usize;
        let mut end = i + 1;
        for (k, (t, _)) in all.iter().enumerate().skip(i + 1) {
            match t {
                Flat::Punct('<') => depth += 1,
                Flat::Punct('>') => {
                    depth -= 1;
                    if depth == 0 {
                        end = k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let unsized_param = all[i + 2..end].windows(3).find_map(|w| match w {
            [
                (Flat::Ident(_), _),
                (Flat::Punct(':'), _),
                (Flat::Punct('?'), _),
            ] => match &w[0].0 {
                Flat::Ident(name) => Some(name.clone()),
                _ => None,
            },
            _ => None,
        });
        let Some(param) = unsized_param else { continue };
        let Some((Flat::Ident(trait_name), _)) = all.get(end + 1) else {
            continue;
        };
        let for_param = all[end + 1..]
            .iter()
            .take_while(|(t, _)| !matches!(t, Flat::Group(Delimiter::Brace, _)))
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| matches!((&w[0].0, &w[1].0), (Flat::Ident(f), Flat::Ident(p)) if f == "for" && *p == param));
        let used_as_dyn = all.windows(2).any(|w| {
            matches!((&w[0].0, &w[1].0), (Flat::Ident(d), Flat::Ident(t)) if d == "dyn" && t == trait_name)
        });
        if for_param && used_as_dyn && with_types.contains(trait_name) {
            found.push(unsound(*at, BLANKET_DYN, 57893));
        }
    }
}

/// Every token of `stream`, groups opened up in place.
fn collect(stream: &TokenStream, out: &mut Vec<(Flat, (usize, usize))>) {
    for (token, at) in flatten(stream) {
        if let Flat::Group(delimiter, inner) = token {
            let (open, close) = match delimiter {
                Delimiter::Parenthesis => ('(', ')'),
                Delimiter::Bracket => ('[', ']'),
                Delimiter::Brace => ('{', '}'),
                Delimiter::None => (' ', ' '),
            };
            out.push((Flat::Punct(open), at));
            collect(&inner, out);
            out.push((Flat::Punct(close), at));
        } else {
            out.push((token, at));
        }
    }
}

/// Names of traits defined in the file whose body declares a `type`.
fn traits_with_associated_types(all: &[(Flat, (usize, usize))]) -> Vec<String> {
    let mut names = Vec::new();
    for (i, (token, _)) in all.iter().enumerate() {
        let (Flat::Ident(word), Some((Flat::Ident(name), _))) =
            (token, all.get(i + 1).map(|t| (&t.0, t.1)))
        else {
            continue;
        };
        if word != "trait" {
            continue;
        }
        // The body: from the first `{` after the name to its match.
        let Some(open) = all[i..]
            .iter()
            .position(|(t, _)| matches!(t, Flat::Punct('{')))
        else {
            continue;
        };
        let mut depth = 0usize;
        for (t, _) in &all[i + open..] {
            match t {
                Flat::Punct('{') => depth += 1,
                Flat::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Flat::Ident(w) if w == "type" && depth == 1 => {
                    names.push(name.clone());
                    break;
                }
                _ => {}
            }
        }
    }
    names
}

fn unsound(at: (usize, usize), message: &str, issue: u32) -> Unsound {
    Unsound {
        line: at.0,
        column: at.1,
        message: message.to_owned(),
        issue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape `cve-rs` uses, as a learner would paste it.
    const CVE_RS: &str = r"
        fn translate<'a, 'b, T: ?Sized>(_unit: &'a &'b (), v: &'b T) -> &'a T { v }
        pub fn expand<'a, 'b, T: ?Sized>(x: &'a T) -> &'b T {
            let f: for<'x> fn(_, &'x T) -> &'b T = translate;
            f(&&(), x)
        }
    ";

    #[test]
    fn the_25860_shape_is_found_in_both_its_halves() {
        let found = scan(CVE_RS);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|u| u.issue == 25860));
        assert_eq!(found[0].line, 2);
        assert_eq!(found[1].line, 4);
    }

    #[test]
    fn a_static_outer_lifetime_or_a_struct_with_a_lifetime_counts_too() {
        assert_eq!(scan("fn f<'b>(_: &'static Holder<'b>) {}").len(), 1);
        assert_eq!(scan("type T<'a, 'b> = &'a mut Vec<&'b str>;").len(), 1);
        assert_eq!(
            scan("fn g<'b, T>(x: &'b T) { let f: fn(&'static _) = h; }").len(),
            1
        );
        assert_eq!(
            scan("fn g() { let f = h as for<'x> fn(&'x u8) -> &'x u8; }").len(),
            1
        );
    }

    #[test]
    fn everyday_lifetimes_are_not_refused() {
        let ordinary = r"
            use std::fmt;
            struct Vocab<'a> { words: Vec<&'a str> }
            impl fmt::Display for Vocab<'_> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, 'x') }
            }
            fn longest<'a>(a: &'a str, b: &'a [&'a str]) -> &'a str { a }
            fn apply(f: fn(f32) -> f32, x: f32) -> f32 { f(x) }
            fn table() -> Vec<(&'static str, fn(f64) -> f64)> { Vec::new() }
            fn by_ref<'a>(x: &'a Vec<&'a str>) -> &'a str { x[0] }
            'outer: loop { break 'outer; }
        ";
        assert_eq!(scan(ordinary), Vec::new());
    }

    #[test]
    fn a_derived_comparison_the_starter_gives_cannot_be_replaced() {
        let starter = "#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Op { Leaf, Add }\n\
                       #[derive(Debug)]\npub struct Plain(u8);\n";
        let cheat = "#[derive(Debug, Clone, Copy)]\npub enum Op { Leaf, Add }\n\
                     impl PartialEq for Op { fn eq(&self, _: &Op) -> bool { true } }\n\
                     impl<T> core::cmp::PartialEq<T> for crate::Op { fn eq(&self, _: &T) -> bool { true } }\n";
        let found = replaced_derives(starter, cheat);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].message.contains("`Op` must keep the `PartialEq`"),
            "{found:?}"
        );
        // A comparison of the learner's own, where the starter has none, is
        // refused too: a return type that equals anything is the same cheat.
        let own = "pub struct Anything;\nimpl<T> PartialEq<T> for Anything { fn eq(&self, _: &T) -> bool { true } }\n";
        let found = replaced_derives(starter, own);
        assert!(
            found[0]
                .message
                .contains("hand-written `PartialEq` for `Anything`"),
            "{found:?}"
        );
        // One the starter gives is the exercise's own.
        let given = "#[derive(Debug)]\npub struct Plain(u8);\nimpl PartialEq for Plain { fn eq(&self, o: &Plain) -> bool { self.0 == o.0 } }\n";
        assert_eq!(replaced_derives(given, given), Vec::new());
        // The solution itself: the derive kept.
        assert_eq!(replaced_derives(starter, starter), Vec::new());
    }

    #[test]
    fn the_57893_shape_needs_a_blanket_impl_an_associated_type_and_dyn() {
        let hole = r"
            trait Object<U> { type Output; }
            impl<T: ?Sized, U> Object<U> for T { type Output = U; }
            fn foo<T: ?Sized, U>(x: <T as Object<U>>::Output) -> U { x }
            pub fn transmute<T, U>(x: T) -> U { foo::<dyn Object<U, Output = T>, U>(x) }
        ";
        let found = scan(hole);
        assert!(found.iter().any(|u| u.issue == 57893), "{found:?}");
        // A blanket impl alone is ordinary code.
        let ordinary = "trait Describe { fn describe(&self) -> String; }\n\
                        impl<T: ?Sized + std::fmt::Debug> Describe for T { fn describe(&self) -> String { format!(\"{self:?}\") } }\n\
                        fn show(x: &dyn Describe) {}";
        assert_eq!(scan(ordinary), Vec::new());
    }
}
