// The bug: the last window is left out when it is shorter than `size`, and the tokens in it are lost.
pub fn windows(tokens: &[u32], size: usize, overlap: usize) -> Vec<&[u32]> {
    assert!(size > 0, "the window size must be at least 1");
    assert!(
        overlap < size,
        "the overlap must be smaller than the window"
    );
    let step = size - overlap;
    let mut out = Vec::new();
    let mut start = 0;
    while start + size <= tokens.len() {
        out.push(&tokens[start..start + size]);
        start += step;
    }
    out
}
