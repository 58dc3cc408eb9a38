//! A token vocabulary that interns: each distinct token is stored once, and
//! every later sight of it costs a lookup, not a copy.
//!
//! Ids are dense and stable: id 0 is the unknown token, and each new token
//! gets the next id (1, 2, 3 …) in the order it was first seen. `tokens[id]`
//! is the token, `ids[token]` its id. Production uses `Vocab<Box<str>>`; the
//! type is generic so a test can count how often a token is copied.
//!
//! Write `intern`, `id`, `token` and `encode`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

/// The token every unknown word becomes, with id 0.
pub const UNK: &str = "<unk>";

/// Interned tokens and their ids.
#[derive(Debug)]
pub struct Vocab<T> {
    ids: HashMap<T, u32>,
    tokens: Vec<T>,
}

impl<T: Hash + Eq + Clone> Vocab<T> {
    /// A vocabulary holding only `unknown`, as id 0.
    pub fn new(unknown: T) -> Vocab<T> {
        let mut ids = HashMap::new();
        ids.insert(unknown.clone(), 0);
        Vocab {
            ids,
            tokens: vec![unknown],
        }
    }

    /// How many tokens the vocabulary holds, the unknown one included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the vocabulary holds nothing but the unknown token.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tokens.len() <= 1
    }

    /// The id of `token`, adding it with the next id if it is new. A token
    /// already known is only looked up: it is never copied again.
    ///
    /// # Panics
    /// When the vocabulary already holds `u32::MAX` tokens.
    pub fn intern<Q>(&mut self, token: &Q) -> u32
    where
        T: Borrow<Q> + for<'a> From<&'a Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = u32::try_from(self.tokens.len()).expect("more than u32::MAX tokens");
        let owned = T::from(token);
        self.ids.insert(owned.clone(), id);
        self.tokens.push(owned);
        id
    }

    /// The id of `token`, or 0 (the unknown token) if it was never interned.
    pub fn id<Q>(&self, token: &Q) -> u32
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.ids.get(token).copied().unwrap_or(0)
    }

    /// The token with this id, if there is one.
    #[must_use]
    pub fn token(&self, id: u32) -> Option<&T> {
        self.tokens.get(usize::try_from(id).ok()?)
    }

    /// The ids of `text`'s whitespace-separated words; unknown words are 0.
    /// Encoding never adds to the vocabulary.
    pub fn encode(&self, text: &str) -> Vec<u32>
    where
        T: Borrow<str>,
    {
        text.split_whitespace().map(|word| self.id(word)).collect()
    }
}
