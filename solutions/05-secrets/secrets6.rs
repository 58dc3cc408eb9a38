//! Spot key-shaped strings in text, and scrub them out of it.
//!
//! Two shapes: `sk-` followed by 20 or more of `[A-Za-z0-9_-]`, and `AKIA`
//! followed by exactly 16 of `[A-Z0-9]`. Either must start a word (no letter,
//! digit or `_` just before it); the `AKIA` shape must also end one.
//! `find_keys` returns byte ranges, left to right, never overlapping;
//! `redact` replaces each one with `[REDACTED]`.

/// Which shape matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// `sk-` plus at least 20 characters, as many API providers use.
    SkToken,
    /// An AWS access key id: `AKIA` plus 16 upper-case letters or digits.
    AwsAccessKeyId,
}

/// One match: `text[start..end]` is the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyMatch {
    pub kind: KeyKind,
    pub start: usize,
    pub end: usize,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// End of an `sk-` key starting at `start`, if one does.
fn sk_token_end(bytes: &[u8], start: usize) -> Option<usize> {
    let body = bytes[start..].strip_prefix(b"sk-")?;
    let len = body
        .iter()
        .take_while(|&&b| is_word(b) || b == b'-')
        .count();
    (len >= 20).then_some(start + 3 + len)
}

/// End of an `AKIA` key id starting at `start`, if one does.
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

/// `text` with every key replaced by `[REDACTED]`.
#[must_use]
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in find_keys(text) {
        out.push_str(&text[last..m.start]);
        out.push_str("[REDACTED]");
        last = m.end;
    }
    out.push_str(&text[last..]);
    out
}
