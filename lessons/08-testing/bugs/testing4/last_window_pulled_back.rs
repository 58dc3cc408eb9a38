// The bug: the last window is pulled back to full length, so it overlaps the one before by more than `overlap`.
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
        if start + size >= tokens.len() {
            let from = tokens.len().saturating_sub(size);
            out.push(&tokens[from..]);
            break;
        }
        out.push(&tokens[start..start + size]);
        start += step;
    }
    out
}
