use super::*;
use std::borrow::Borrow;
use std::cell::Cell;

// A token that counts every copy made of it: each `From<&str>` and each
// `clone` is one new owned string, the cost the vocabulary must keep low.
// Tests run one per thread, so a thread-local count starts at 0 in each.
thread_local! {
    static COPIES: Cell<usize> = const { Cell::new(0) };
}

fn copies() -> usize {
    COPIES.with(Cell::get)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Tok(String);

impl Clone for Tok {
    fn clone(&self) -> Tok {
        COPIES.with(|c| c.set(c.get() + 1));
        Tok(self.0.clone())
    }
}

impl From<&str> for Tok {
    fn from(text: &str) -> Tok {
        COPIES.with(|c| c.set(c.get() + 1));
        Tok(text.to_owned())
    }
}

// `#[derive(Hash)]` on a one-field struct hashes just the `String`, which
// hashes like the `str` it borrows as, as `Borrow` requires.
impl Borrow<str> for Tok {
    fn borrow(&self) -> &str {
        &self.0
    }
}

fn words(vocab: &Vocab<Box<str>>) -> Vec<&str> {
    (0..)
        .map_while(|id| vocab.token(id))
        .map(|t| &**t)
        .collect()
}

/// 1234567 as "1 234 567", the way the messages write numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

#[test]
fn ids_are_dense_and_given_in_first_seen_order() {
    let mut vocab: Vocab<Box<str>> = Vocab::new(UNK.into());
    let got: Vec<u32> = ["the", "cat", "the", "sat", "cat", "the"]
        .iter()
        .map(|w| vocab.intern(*w))
        .collect();
    assert_eq!(
        got,
        vec![1, 2, 1, 3, 2, 1],
        "interning the, cat, the, sat, cat, the: a new token gets the next id (1, 2, 3 after <unk> = 0), a known one its old id"
    );
    let len: usize = vocab.len();
    assert_eq!(
        len, 4,
        "<unk>, the, cat and sat: the vocabulary should hold 4 tokens"
    );
    assert_eq!(
        words(&vocab),
        vec![UNK, "the", "cat", "sat"],
        "token(id) should give back each token at its id, <unk> at 0"
    );
    assert_eq!(
        vocab.tokens.len(),
        vocab.ids.len(),
        "`tokens` and `ids` should hold the same tokens, each once"
    );
}

#[test]
fn an_unknown_word_is_the_unk_id_and_never_added() {
    let mut vocab: Vocab<Box<str>> = Vocab::new(UNK.into());
    vocab.intern("hello");
    vocab.intern("world");
    let missing: u32 = vocab.id("zebra");
    assert_eq!(missing, 0, "a word never interned should be id 0, <unk>");
    let known: u32 = vocab.id("world");
    assert_eq!(known, 2, "id(\"world\") should find the id intern gave it");
    let encoded: Vec<u32> = vocab.encode("hello  zebra\tworld\nhello");
    assert_eq!(
        encoded,
        vec![1, 0, 2, 1],
        "encode splits on any whitespace and maps each word to its id, unknown words to 0"
    );
    assert_eq!(
        vocab.len(),
        3,
        "encode and id should never add to the vocabulary"
    );
    let empty: Vec<u32> = vocab.encode("   ");
    assert!(empty.is_empty(), "a blank text has no ids");
}

#[test]
fn token_gives_back_each_token_and_none_past_the_end() {
    let mut vocab: Vocab<Box<str>> = Vocab::new(UNK.into());
    for w in ["a", "b", "c"] {
        vocab.intern(w);
    }
    let c: Option<&Box<str>> = vocab.token(3);
    assert_eq!(c.map(|t| &**t), Some("c"), "token(3) should be \"c\"");
    let unk: Option<&Box<str>> = vocab.token(0);
    assert_eq!(unk.map(|t| &**t), Some(UNK), "token(0) should be <unk>");
    let past: Option<&Box<str>> = vocab.token(4);
    assert!(
        past.is_none(),
        "token(4) of a vocabulary of 4 should be None, not a panic"
    );
    assert!(
        vocab.token(u32::MAX).is_none(),
        "token(u32::MAX) should be None, not a panic"
    );
}

#[test]
fn a_known_token_is_looked_up_never_copied() {
    let mut vocab: Vocab<Tok> = Vocab::new(Tok(UNK.to_owned()));
    let texts: Vec<String> = (0..100).map(|i| format!("tok{i}")).collect();
    let before = copies();
    let mut ids = Vec::new();
    for round in 0..100 {
        for i in 0..100 {
            // a different order each round, the same 100 tokens
            let text = &texts[(i * 37 + round) % 100];
            ids.push(vocab.intern(text.as_str()));
        }
    }
    let made = copies() - before;
    assert_eq!(vocab.len(), 101, "100 distinct tokens and <unk>");
    assert!(
        made <= 200,
        "interning 10 000 tokens (100 distinct) copied a token {} times; storing each new token in `ids` and `tokens` needs 2 copies, 200 in all, and a token already known needs none",
        thousands(made)
    );
    assert!(
        made >= 100,
        "interning 100 new tokens copied a token only {made} times: each new token must be stored"
    );
    let hits_before = copies();
    for text in &texts {
        let _ = vocab.id(text.as_str());
        let _ = vocab.encode(text);
    }
    let looked = copies() - hits_before;
    assert_eq!(
        looked, 0,
        "looking up 100 known tokens with id and encode copied a token {looked} times; a lookup by &str needs none"
    );
}

#[test]
fn a_new_token_is_stored_once_in_each_container() {
    let mut vocab: Vocab<Tok> = Vocab::new(Tok(UNK.to_owned()));
    let before = copies();
    let id = vocab.intern("apple");
    let made = copies() - before;
    assert_eq!(id, 1, "the first token after <unk> is id 1");
    assert!(
        made <= 2,
        "interning one new token copied it {made} times; one copy for `ids` and one for `tokens` is enough"
    );
    assert_eq!(
        vocab.tokens.len(),
        2,
        "`tokens` should hold <unk> and apple"
    );
    assert_eq!(vocab.ids.len(), 2, "`ids` should hold <unk> and apple");
    assert_eq!(
        vocab.ids.get("apple"),
        Some(&1),
        "`ids` should map apple to 1"
    );
    assert_eq!(vocab.tokens[1].0, "apple", "`tokens[1]` should be apple");
}
