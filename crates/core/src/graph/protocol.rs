//! The line grammar tests use to describe a picture: one line each,
//!
//! ```text
//! tensorlings:<word> <rest…>
//! ```
//!
//! The word says which reader takes the line (`graph`, `onnx`, `span`,
//! `mark`, `loss`; see [`super::reader`]); the rest is that reader's own
//! grammar. A line may be indented; one without a space after its word, or
//! whose word no reader takes, is ordinary output.

/// What every annotation line starts with.
const PREFIX: &str = "tensorlings:";

/// One annotation line, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotation<'a> {
    /// The word after the prefix: which reader it is for.
    pub word: &'a str,
    /// What follows the word, trimmed; may be empty.
    pub rest: &'a str,
}

/// The annotation `line` is, if it has the shape of one.
pub fn annotation(line: &str) -> Option<Annotation<'_>> {
    let (word, rest) = line.trim_start().strip_prefix(PREFIX)?.split_once(' ')?;
    (!word.is_empty() && !word.contains(char::is_whitespace)).then(|| Annotation {
        word,
        rest: rest.trim(),
    })
}

/// A word from a test's output, safe to show: control characters escaped
/// (see [`crate::text::printable`]) and at most 200 characters.
pub fn clean(word: &str) -> String {
    crate::text::printable(word).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_splits_into_its_word_and_the_rest() {
        assert_eq!(
            annotation("  tensorlings:span p0 0 10  "),
            Some(Annotation {
                word: "span",
                rest: "p0 0 10"
            })
        );
        assert_eq!(
            annotation("tensorlings:graph   "),
            Some(Annotation {
                word: "graph",
                rest: ""
            })
        );
    }

    #[test]
    fn anything_else_is_output() {
        for line in [
            "tensorlings:graph",
            "tensorlings:graph\tnode a leaf 1 -",
            "tensorlings: graph",
            "say tensorlings:graph node",
            "hello",
        ] {
            assert_eq!(annotation(line), None, "{line}");
        }
    }
}
