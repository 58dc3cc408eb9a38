// The bug: after the window that reaches the end come more windows that lie inside it.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    assert!(size > 0, "the window size must be at least 1");
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
        start += step;
    }
    out
}
