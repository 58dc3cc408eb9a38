//! The dependency rules a reader of ARCHITECTURE.md relies on, read from the
//! sources: no module imports one that imports it back, directly or through
//! others, among the modules of the binary (`src/`) and of the core
//! (`crates/core/src/`). A module's own children and parent are not its
//! siblings: `tui::content::feedback` using `tui::app` is an edge from
//! `content` to `app` under `tui`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Circles the code still has, each as `parent: a ↔ b …` (sorted). The test
/// fails when one of these is gone (take it off the list) or a new one appears.
const KNOWN: &[&str] = &[];

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = circles(&root.join("src"));
    found.extend(circles(&root.join("crates/core/src")));
    found.sort();
    let known: Vec<String> = KNOWN.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        found, known,
        "import circles between sibling modules (crate root is `crate`)"
    );
}

#[test]
fn the_reader_sees_a_circle() {
    // The reader itself: a circle through `use`, a `super::` path and a path in code.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("a")).unwrap();
    fs::write(src.join("lib.rs"), "mod a;\nmod b;\nmod c;\n").unwrap();
    fs::write(src.join("a/mod.rs"), "mod inner;\n").unwrap();
    fs::write(src.join("a/inner.rs"), "use crate::b::{self, Thing};\n").unwrap();
    fs::write(src.join("b.rs"), "fn f() { super::c::g(); }\n").unwrap();
    fs::write(
        src.join("c.rs"),
        "//! see [`crate::b`]\nfn g() { crate::a::h() }\n#[cfg(test)]\nuse crate::b;\n",
    )
    .unwrap();
    assert_eq!(circles(src), ["crate: a ↔ b ↔ c"]);
    fs::write(src.join("c.rs"), "fn g() {}\n#[cfg(test)]\nuse crate::a;\n").unwrap();
    assert!(circles(src).is_empty());
    // Through a façade: `super::Item` is `a`'s item, re-exported by the parent.
    fs::create_dir_all(src.join("p")).unwrap();
    fs::write(src.join("lib.rs"), "mod p;\n").unwrap();
    fs::write(src.join("p/mod.rs"), "mod a;\nmod b;\npub use a::{Item};\n").unwrap();
    fs::write(
        src.join("p/a.rs"),
        "use super::b::helper;\npub struct Item;\n",
    )
    .unwrap();
    fs::write(src.join("p/b.rs"), "use super::Item;\npub fn helper() {}\n").unwrap();
    let found = circles(src);
    assert!(found.contains(&"p: a ↔ b".to_owned()), "{found:?}");
}

/// Every circle among sibling modules of the crate whose root is `src`.
fn circles(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    collect(src, src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    let reexported = reexports(&files, &modules);
    // parent module → (child → children it uses)
    let mut edges: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, text) in &files {
        for path in paths(module, &production(text)) {
            let target = resolve(&modules, &reexported, path);
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                edges
                    .entry(module[..common].to_vec())
                    .or_default()
                    .entry(module[common].clone())
                    .or_default()
                    .insert(target[common].clone());
            }
        }
    }
    let mut out = Vec::new();
    for (parent, graph) in &edges {
        for group in strongly_connected(graph) {
            let name = if parent.is_empty() {
                "crate".to_owned()
            } else {
                parent.join("::")
            };
            out.push(format!("{name}: {}", group.join(" ↔ ")));
        }
    }
    out.sort();
    out
}

/// What each module re-exports with `pub use`: (module, name) → the item's
/// own path, so a path through a façade counts as a use of the module
/// that defines the item.
fn reexports(
    files: &[(Vec<String>, String)],
    modules: &BTreeSet<Vec<String>>,
) -> BTreeMap<(Vec<String>, String), Vec<String>> {
    let mut out = BTreeMap::new();
    for (module, text) in files {
        let text = production(text);
        for statement in text.split(';') {
            let statement = statement.trim();
            let Some(at) = statement.find("use ") else {
                continue;
            };
            if !statement[..at].trim().starts_with("pub") {
                continue;
            }
            for path in spread(&statement[at + 4..]) {
                let first = path.first().map(String::as_str);
                let full = match first {
                    Some("crate" | "super" | "self") => absolute(module, &path),
                    Some(child)
                        if modules.contains(&[module.clone(), vec![child.to_owned()]].concat()) =>
                    {
                        [module.clone(), path.clone()].concat()
                    }
                    _ => continue,
                };
                if let Some(name) = full.last().filter(|n| *n != "*") {
                    out.insert((module.clone(), name.clone()), full);
                }
            }
        }
    }
    out
}

/// The module `path` uses, through re-exports to where the item is defined.
fn resolve(
    modules: &BTreeSet<Vec<String>>,
    reexported: &BTreeMap<(Vec<String>, String), Vec<String>>,
    mut path: Vec<String>,
) -> Vec<String> {
    for _ in 0..8 {
        let module = longest_module(modules, &path);
        let Some(name) = path.get(module.len()) else {
            return module;
        };
        match reexported.get(&(module.clone(), name.clone())) {
            Some(full) if *full != path[..=module.len()] => {
                path = [full.clone(), path[module.len() + 1..].to_vec()].concat();
            }
            _ => return module,
        }
    }
    longest_module(modules, &path)
}

/// (module path, text) of every `.rs` file under `dir`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(Vec<String>, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap().with_extension("");
        let mut module: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if matches!(
            module.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            module.pop();
        }
        out.push((module, fs::read_to_string(&path).unwrap()));
    }
}

/// The text above the file's `#[cfg(test)]`, without comments.
fn production(text: &str) -> String {
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::`, `super::` and `self::` path in `text`, absolute, with
/// `use` groups (`a::{b, c::d}`) spread out.
fn paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| text_at(&bytes, i, p) && (i == 0 || !is_ident(bytes[i - 1])));
        if let Some(prefix) = starts {
            let mut end = i;
            let mut depth = 0;
            while end < bytes.len() {
                let c = bytes[end];
                if c == '{' {
                    depth += 1;
                } else if c == '}' && depth > 0 {
                    depth -= 1;
                } else if depth == 0 && !(is_ident(c) || c == ':') {
                    break;
                }
                end += 1;
            }
            let tree: String = bytes[i..end].iter().collect();
            for path in spread(&tree) {
                out.push(absolute(module, &path));
            }
            i = end.max(i + prefix.len());
        } else {
            i += 1;
        }
    }
    out
}

fn text_at(chars: &[char], at: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e` (`self` keeps the prefix).
fn spread(tree: &str) -> Vec<Vec<String>> {
    // `a as b` is `a`.
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut kept = String::new();
    let mut k = 0;
    while k < words.len() {
        if words[k] == "as" {
            k += 2;
            continue;
        }
        kept.push_str(words[k]);
        k += 1;
    }
    let tree = kept;
    let Some(open) = tree.find('{') else {
        return vec![segments(&tree)];
    };
    let prefix = segments(tree[..open].trim_end_matches(':'));
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    let mut out = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        for rest in spread(part) {
            let mut path = prefix.clone();
            path.extend(rest.into_iter().filter(|s| s != "self"));
            out.push(path);
        }
    }
    out
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `path` from the crate root, as seen from `module`.
fn absolute(module: &[String], path: &[String]) -> Vec<String> {
    let mut base = module.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        _ => {}
    }
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    base
}

/// The longest prefix of `path` that is a module of the crate.
fn longest_module(modules: &BTreeSet<Vec<String>>, path: &[String]) -> Vec<String> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// The groups of more than one node that reach each other, each sorted.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|node| (node, reach(node))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (node, from_here) in &reached {
        let group: Vec<String> = from_here
            .iter()
            .filter(|other| reached.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        // A node on a circle reaches itself, so its group holds it too.
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}
