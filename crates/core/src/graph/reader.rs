//! The one trait every annotation reader implements: a kind of picture
//! read from the lines of one test's output (see [`super::protocol`]).
//! [`super::pictures`] registers each reader and feeds it its lines.

/// Reads one kind of picture out of one test's annotation lines.
pub trait Reader: Default {
    /// The words (after `tensorlings:`) whose lines it takes.
    const WORDS: &'static [&'static str];
    /// What it reads.
    type Output;
    /// Takes one line: its word and what follows it (trimmed, never empty).
    fn line(&mut self, word: &str, rest: &str);
    /// What it read, once the output is all in.
    fn finish(self) -> Self::Output;
}

/// What reader `R` alone reads from `output`: for its own tests.
#[cfg(test)]
pub fn read_only<R: Reader>(output: &str) -> R::Output {
    let mut reader = R::default();
    for line in output.lines() {
        if let Some(a) = super::protocol::annotation(line)
            && R::WORDS.contains(&a.word)
            && !a.rest.is_empty()
        {
            reader.line(a.word, a.rest);
        }
    }
    reader.finish()
}
