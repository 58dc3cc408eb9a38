//! Comparisons belong to the exercise: a hand-written `PartialEq`, `Eq`,
//! `PartialOrd`, `Ord` or `Hash` where the starter derives one (or gives
//! none) could make every comparison the hidden tests make come out equal.

use super::{Flat, Unsound, collect};
use proc_macro2::TokenStream;

/// Comparisons the hidden tests rely on: a type the starter derives one of
/// these for must keep the derived one.
const COMPARISONS: &[&str] = &["PartialEq", "Eq", "PartialOrd", "Ord", "Hash"];

/// Hand-written comparisons in `learner` for types whose comparison the
/// exercise's `starter` derives. The hidden tests compare values of those
/// types (`assert_eq!(x.op(), Op::Add)`); a hand-written `PartialEq` that
/// says yes to anything would pass every such test, so the derived one is
/// part of the exercise's contract.
pub fn replaced_derives(starter: &str, learner: &str) -> Vec<Unsound> {
    let (Ok(starter), Ok(learner)) = (
        starter.parse::<TokenStream>(),
        learner.parse::<TokenStream>(),
    ) else {
        return Vec::new();
    };
    let mut starter_tokens = Vec::new();
    collect(&starter, &mut starter_tokens);
    let derived = derived_comparisons(&starter_tokens);
    let given: Vec<(String, String)> = comparison_impls(&starter_tokens)
        .into_iter()
        .map(|(ty, comparison, _)| (ty, comparison))
        .collect();
    let mut tokens = Vec::new();
    collect(&learner, &mut tokens);
    let mut found = Vec::new();
    for (ty, comparison, at) in comparison_impls(&tokens) {
        let pair = (ty.clone(), comparison.clone());
        let message = if derived.contains(&pair) {
            format!(
                "`{ty}` must keep the `{comparison}` its starter derives: the hidden tests compare `{ty}` values, \
                 and a hand-written `{comparison}` could say they match when they do not. Keep \
                 `#[derive({comparison})]` on `{ty}`"
            )
        } else if given.contains(&pair) {
            continue;
        } else {
            format!(
                "a hand-written `{comparison}` for `{ty}` is refused: the hidden tests compare results with `==`, \
                 and a comparison of your own could say they match when they do not. Derive it \
                 (`#[derive({comparison})]`), or return the type the exercise declares"
            )
        };
        found.push(Unsound {
            line: at.0,
            column: at.1,
            message,
            issue: 0,
        });
    }
    found
}

/// (type, trait, place) for every hand-written `impl .. Trait .. for Type`
/// of a comparison trait in `tokens`.
fn comparison_impls(tokens: &[(Flat, (usize, usize))]) -> Vec<(String, String, (usize, usize))> {
    let mut out = Vec::new();
    for (i, (token, at)) in tokens.iter().enumerate() {
        if !matches!(token, Flat::Ident(w) if w == "impl") {
            continue;
        }
        // `impl<..> Trait<..> for Type`: the trait's last name before `for`,
        // and the first name after it.
        let rest = &tokens[i + 1..];
        let Some(end) = rest.iter().position(|(t, _)| {
            matches!(t, Flat::Ident(w) if w == "for") || matches!(t, Flat::Punct('{' | ';'))
        }) else {
            continue;
        };
        if !matches!(&rest[end].0, Flat::Ident(w) if w == "for") {
            continue;
        }
        let Some(comparison) = rest[..end].iter().rev().find_map(|(t, _)| match t {
            Flat::Ident(w) if COMPARISONS.contains(&w.as_str()) => Some(w.clone()),
            _ => None,
        }) else {
            continue;
        };
        let Some(ty) = rest[end + 1..].iter().find_map(|(t, _)| match t {
            Flat::Ident(w) if w != "crate" && w != "self" && w != "super" => Some(w.clone()),
            _ => None,
        }) else {
            continue;
        };
        out.push((ty, comparison, *at));
    }
    out
}

/// (type, trait) for every comparison trait derived on a type in `tokens`.
fn derived_comparisons(tokens: &[(Flat, (usize, usize))]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for (i, (token, _)) in tokens.iter().enumerate() {
        match token {
            Flat::Ident(w) if w == "derive" => {
                // derive ( A , B , ... ): up to the closing parenthesis.
                for (t, _) in tokens[i + 1..].iter().skip(1) {
                    match t {
                        Flat::Punct(')') => break,
                        Flat::Ident(name) if COMPARISONS.contains(&name.as_str()) => {
                            pending.push(name.clone());
                        }
                        _ => {}
                    }
                }
            }
            Flat::Ident(w) if (w == "struct" || w == "enum") && !pending.is_empty() => {
                if let Some((Flat::Ident(name), _)) = tokens.get(i + 1) {
                    for comparison in pending.drain(..) {
                        out.push((name.clone(), comparison));
                    }
                }
            }
            Flat::Punct(';' | '}') => pending.clear(),
            _ => {}
        }
    }
    out
}
