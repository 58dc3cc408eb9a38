// The bug: each window starts one token too late, so neighbours share one token less than `overlap`.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    assert!(size > 0, "the window size must be at least 1");
    assert!(
        overlap < size,
        "the overlap must be smaller than the window"
    );
    let step = size - overlap + 1;
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
