// The bug: a window size of 0 gives no windows instead of a panic, so a
// misconfigured chunker drops every document without a word.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    if size == 0 {
        return Vec::new();
    }
    assert!(
        overlap < size,
        "the overlap must be smaller than the window"
    );
    let step = size - overlap;
    let mut out = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let end = (start + size).min(tokens.len());
        out.push(&tokens[start..end]);
        if end == tokens.len() {
            break;
        }
        start += step;
    }
    out
}
