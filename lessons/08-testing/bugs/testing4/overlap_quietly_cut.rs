// The bug: an overlap as large as the window is quietly cut to `size - 1`
// instead of refused, so a wrong setting embeds every token `size` times.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    assert!(size > 0, "the window size must be at least 1");
    let overlap = overlap.min(size - 1);
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
