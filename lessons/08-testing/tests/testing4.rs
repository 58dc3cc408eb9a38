//! The correct `windows`: the code the learner's tests run against.

/// Cuts `tokens` into windows of at most `size` tokens, the way a long
/// document is cut before it is embedded. Each window starts
/// `size - overlap` tokens after the one before, so neighbours share
/// `overlap` tokens. The first window starts at 0; the last one ends at the
/// end of the input and may be shorter than `size`; no window lies entirely
/// inside the one before it. No tokens, no windows.
///
/// # Panics
/// When `size` is 0 or `overlap >= size`: the windows would never move on.
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
        if end == tokens.len() {
            break;
        }
        start += step;
    }
    out
}
