// The bug: the last window stops one token before the end.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    assert!(size > 0, "the window size must be at least 1");
    assert!(
        overlap < size,
        "the overlap must be smaller than the window"
    );
    let step = size - overlap;
    let last = tokens.len().saturating_sub(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let end = (start + size).min(last);
        out.push(&tokens[start..end]);
        if end == last {
            break;
        }
        start += step;
    }
    out
}
