//! A pre-commit style scanner: `.env` files and key-shaped strings in a tree.
//!
//! `scan` walks `root` with the `ignore` crate so that the tree's own
//! `.gitignore` files are honoured (even when `root` is not a git repository)
//! and nothing else is: not a `.gitignore` above `root`, not the global one,
//! not `.ignore` files, which git never reads. Hidden files ARE looked at, the
//! `.git` directory is not. It reports every `.env`-style file and every key,
//! with paths relative to `root`, and never the key text.
//!
//! Its limit: it sees the tree, not the repository. A file git already
//! tracks stays committed whatever `.gitignore` says (a `.env` committed
//! before it was ignored, or added with `git add -f`), and this scan skips it;
//! `git ls-files` lists what is tracked. Old commits need a history scan.

use ignore::WalkBuilder;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

// ---- Given: the matcher from the previous exercise. ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    SkToken,
    AwsAccessKeyId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyMatch {
    pub kind: KeyKind,
    pub start: usize,
    pub end: usize,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn sk_token_end(bytes: &[u8], start: usize) -> Option<usize> {
    let body = bytes[start..].strip_prefix(b"sk-")?;
    let len = body
        .iter()
        .take_while(|&&b| is_word(b) || b == b'-')
        .count();
    (len >= 20).then_some(start + 3 + len)
}

fn aws_key_end(bytes: &[u8], start: usize) -> Option<usize> {
    let body = bytes[start..].strip_prefix(b"AKIA")?;
    let len = body
        .iter()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .count();
    let end = start + 4 + len;
    let ends_word = bytes.get(end).is_none_or(|&b| !is_word(b));
    (len == 16 && ends_word).then_some(end)
}

/// Every key-shaped string in `text`, left to right.
#[must_use]
pub fn find_keys(text: &str) -> Vec<KeyMatch> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_word(bytes[i - 1]);
        let hit = if starts_word {
            sk_token_end(bytes, i)
                .map(|end| (KeyKind::SkToken, end))
                .or_else(|| aws_key_end(bytes, i).map(|end| (KeyKind::AwsAccessKeyId, end)))
        } else {
            None
        };
        match hit {
            Some((kind, end)) => {
                found.push(KeyMatch {
                    kind,
                    start: i,
                    end,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

// ---- The scanner. ----

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// A `.env`-style file that is not ignored, so it could be committed.
    DotenvFile,
    /// A key-shaped string.
    Key(KeyKind),
}

/// Where it was found. `path` is relative to the scanned root; `line` is
/// 1-based, and `None` for a finding about the whole file. There is
/// deliberately no field for the key itself: a report must not leak it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub kind: FindingKind,
}

#[derive(Debug)]
pub enum ScanError {
    /// The walk failed, e.g. `root` does not exist.
    Walk(ignore::Error),
    /// A file could not be read.
    Read { path: PathBuf, source: io::Error },
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::Walk(e) => write!(f, "walking the tree failed: {e}"),
            ScanError::Read { path, source } => {
                write!(f, "reading {} failed: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// `.env`, or `.env.<something>` (`.env.local`, `.env.production`), but not
/// the templates meant to be committed: `.env.example`, `.env.sample`,
/// `.env.template`.
#[must_use]
pub fn is_dotenv_name(name: &str) -> bool {
    name == ".env"
        || name.strip_prefix(".env.").is_some_and(|suffix| {
            !suffix.is_empty() && !matches!(suffix, "example" | "sample" | "template")
        })
}

/// Scans `root` and returns the findings sorted by path, then line. Files
/// that are not UTF-8 are scanned too (a key can sit in any file).
///
/// # Errors
/// `Walk` if the tree cannot be walked (a missing root included), `Read` if
/// a file cannot be read.
pub fn scan(root: &Path) -> Result<Vec<Finding>, ScanError> {
    let walker = WalkBuilder::new(root)
        .hidden(false) // `.env` is a hidden file: look at hidden files
        .require_git(false) // apply `.gitignore` even outside a repository
        .git_global(false) // decide from the tree, not from this machine's config
        .parents(false) // nor from .gitignore files in folders above `root`
        .ignore(false) // `.ignore` files are ripgrep's, not git's: git commits what they hide
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();

    let mut findings = Vec::new();
    for entry in walker {
        let entry = entry.map_err(ScanError::Walk)?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();

        if is_dotenv_name(&entry.file_name().to_string_lossy()) {
            findings.push(Finding {
                path: relative.clone(),
                line: None,
                kind: FindingKind::DotenvFile,
            });
        }

        let bytes = fs::read(path).map_err(|source| ScanError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        for (index, line) in text.lines().enumerate() {
            for found in find_keys(line) {
                findings.push(Finding {
                    path: relative.clone(),
                    line: Some(index + 1),
                    kind: FindingKind::Key(found.kind),
                });
            }
        }
    }
    findings.sort();
    Ok(findings)
}
