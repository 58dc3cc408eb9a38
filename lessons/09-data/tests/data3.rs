use super::*;
use std::time::{Duration, Instant};

// Time is made up: every sample is recorded at an instant the test chooses,
// so ages and evictions are exact.

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const HOUR: Duration = Duration::from_secs(3600);

/// 1..=n ms in a scrambled order (a stride coprime with n).
fn scrambled(n: u64) -> Vec<Duration> {
    (0..n).map(|i| ms((i * 7919) % n + 1)).collect()
}

/// 1234567 as "1 234 567", the way the messages write numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

#[test]
fn p50_p95_p99_are_nearest_ranks() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(1000, HOUR);
    for latency in scrambled(1000) {
        window.record(t0, latency);
    }
    let got: Option<Summary> = window.summary(t0);
    let got = got.expect("a window of 1 000 samples should have a summary");
    assert_eq!(got.count, 1000, "the summary should count 1 000 samples");
    assert_eq!(
        got.p50,
        ms(500),
        "p50 of 1..=1000 ms is the sample at rank ⌈0.50 · 1000⌉ = 500 (1-based) in sorted order: 500 ms"
    );
    assert_eq!(
        got.p95,
        ms(950),
        "p95 of 1..=1000 ms is the sample at rank ⌈0.95 · 1000⌉ = 950 (1-based) in sorted order: 950 ms"
    );
    assert_eq!(
        got.p99,
        ms(990),
        "p99 of 1..=1000 ms is the sample at rank ⌈0.99 · 1000⌉ = 990 (1-based) in sorted order: 990 ms"
    );
    assert_eq!(got.max, ms(1000), "the maximum of 1..=1000 ms is 1000 ms");
    let p100: Option<Duration> = window.percentile(t0, 100.0);
    assert_eq!(p100, Some(ms(1000)), "p100 is the maximum");
    let small: Option<Duration> = window.percentile(t0, 0.01);
    assert_eq!(
        small,
        Some(ms(1)),
        "p0.01 of 1 000 samples is rank ⌈0.1⌉ = 1, the minimum"
    );
    let mut three = LatencyWindow::new(10, HOUR);
    for l in [30, 10, 20] {
        three.record(t0, ms(l));
    }
    assert_eq!(
        three.percentile(t0, 50.0),
        Some(ms(20)),
        "p50 of [30, 10, 20] ms is rank ⌈1.5⌉ = 2 of the sorted [10, 20, 30]: 20 ms"
    );
}

#[test]
fn the_window_keeps_only_the_last_n_samples() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(100, HOUR);
    for i in 1..=1000 {
        window.record(t0, ms(i));
    }
    let len: usize = window.len();
    assert_eq!(
        len, 100,
        "after 1 000 samples, a window of 100 should hold the last 100"
    );
    let kept: Vec<Duration> = window.samples.iter().map(|&(_, l)| l).collect();
    let last: Vec<Duration> = (901..=1000).map(ms).collect();
    assert!(
        kept == last,
        "after 1..=1000 ms into a window of 100, it should hold the last 100 (901..=1000 ms) oldest first, but it holds {} ms … {} ms; a full window drops its OLDEST sample (`pop_front`) and adds at the back",
        kept.first().map_or(0, Duration::as_millis),
        kept.last().map_or(0, Duration::as_millis)
    );
}

#[test]
fn memory_stays_bounded_whatever_the_traffic() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(1000, HOUR);
    let reserved = window.samples.capacity();
    for i in 0..200_000u64 {
        window.record(t0 + Duration::from_micros(i), ms(i % 500));
    }
    let len = window.samples.len();
    let capacity = window.samples.capacity();
    assert!(
        len <= 1000,
        "after 200 000 requests a window of 1 000 holds {} samples; it should never hold more than 1 000",
        thousands(len)
    );
    assert!(
        capacity <= 2048,
        "after 200 000 requests a window of 1 000 has room for {} samples (it started with {}); its buffer should stay the size of the window",
        thousands(capacity),
        thousands(reserved)
    );
    assert!(
        reserved >= 1000,
        "a new window of 1 000 has room for only {reserved} samples: reserve them up front, `VecDeque::with_capacity(capacity)`, so recording never allocates"
    );
}

#[test]
fn samples_older_than_max_age_leave_the_window() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(1000, secs(60));
    // one request a second for 100 s, taking 1, 2, … 100 ms
    for s in 0..100u64 {
        window.record(t0 + secs(s), ms(s + 1));
    }
    let got = window
        .summary(t0 + secs(99))
        .expect("recent samples should give a summary");
    assert_eq!(
        got.count, 61,
        "at t = 99 s a 60 s window holds the samples from t = 39 s to 99 s: 61 of them (a sample exactly 60 s old still counts)"
    );
    assert_eq!(
        got.p50,
        ms(70),
        "the samples from t = 39 s to 99 s took 40..=100 ms: p50 is 70 ms"
    );
    let later: Option<Summary> = window.summary(t0 + secs(200));
    assert_eq!(
        later, None,
        "at t = 200 s every sample is more than 60 s old: no summary, even though no new request came"
    );
    assert_eq!(
        window.len(),
        0,
        "samples too old to count should leave the window"
    );
}

#[test]
fn a_query_leaves_the_window_in_arrival_order() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(5, HOUR);
    for l in [5, 4, 3, 2, 1] {
        window.record(t0, ms(l));
    }
    let before = window.percentile(t0, 50.0);
    assert_eq!(before, Some(ms(3)), "p50 of 5, 4, 3, 2, 1 ms is 3 ms");
    window.record(t0, ms(10));
    let got = window.percentile(t0, 50.0);
    assert_eq!(
        got,
        Some(ms(3)),
        "5, 4, 3, 2, 1 ms then 10 ms into a window of 5 leaves 4, 3, 2, 1, 10 (p50 3 ms): the window dropped the wrong sample after a query; the oldest (5 ms) must go"
    );
}

#[test]
fn an_empty_window_has_no_percentiles() {
    let t0 = Instant::now();
    let mut window = LatencyWindow::new(10, HOUR);
    let none: Option<Duration> = window.percentile(t0, 99.0);
    assert_eq!(none, None, "an empty window has no p99 (None, not a panic)");
    let summary: Option<Summary> = window.summary(t0);
    assert_eq!(summary, None, "an empty window has no summary");
    window.record(t0, ms(7));
    let one = window.summary(t0).expect("one sample gives a summary");
    assert_eq!(
        (one.count, one.p50, one.p99, one.max),
        (1, ms(7), ms(7), ms(7)),
        "with one sample of 7 ms, every percentile is 7 ms"
    );
}
