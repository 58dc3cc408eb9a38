use super::*;
use std::collections::HashSet;
use std::time::Duration;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Jitter that always answers the same share of what it is asked for, and
/// records every `max` it was asked for.
struct Scripted {
    share: Share,
    asked: Vec<Duration>,
}

#[derive(Clone, Copy, Debug)]
enum Share {
    Nothing,
    All,
}

impl Scripted {
    fn new(share: Share) -> Self {
        Self {
            share,
            asked: Vec::new(),
        }
    }
}

impl Jitter for Scripted {
    fn up_to(&mut self, max: Duration) -> Duration {
        self.asked.push(max);
        match self.share {
            Share::Nothing => Duration::ZERO,
            Share::All => max,
        }
    }
}

const STANDARD: Backoff = Backoff {
    base: Duration::from_millis(100),
    cap: Duration::from_secs(10),
};

#[test]
fn the_ceiling_doubles_from_base_up_to_the_cap() {
    for (retry, expected) in [
        (0, ms(100)),
        (1, ms(200)),
        (2, ms(400)),
        (3, ms(800)),
        (4, ms(1_600)),
        (5, ms(3_200)),
        (6, ms(6_400)),
        (7, ms(10_000)),
        (8, ms(10_000)),
    ] {
        let got: Duration = STANDARD.ceiling(retry);
        assert_eq!(
            got, expected,
            "with base 100ms and cap 10s, ceiling({retry}) should be base · 2^{retry} \
             capped: {expected:?}"
        );
    }
}

#[test]
fn late_retries_stay_at_the_cap_without_overflow() {
    let daily = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(86_400),
    };
    for retry in [17, 31, 32, 33, 63, 64, 65, 100, 1_000, u32::MAX] {
        let got: Duration = daily.ceiling(retry);
        assert_eq!(
            got,
            Duration::from_secs(86_400),
            "with base 1s and cap 1 day, ceiling({retry}) is far past the cap and should be the cap"
        );
        let got: Duration = STANDARD.ceiling(retry);
        assert_eq!(
            got,
            ms(10_000),
            "ceiling({retry}) with cap 10s should be the cap"
        );
    }
    let open_ended = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::MAX,
    };
    let got: Duration = open_ended.ceiling(200);
    assert_eq!(
        got,
        Duration::MAX,
        "with no practical cap, a wait that no Duration can hold should saturate at Duration::MAX"
    );
}

#[test]
fn full_jitter_draws_between_zero_and_the_ceiling() {
    let mut top = Scripted::new(Share::All);
    let mut bottom = Scripted::new(Share::Nothing);
    for retry in 0..10 {
        let high: Duration = STANDARD.full_jitter(retry, &mut top);
        let low: Duration = STANDARD.full_jitter(retry, &mut bottom);
        let ceiling = STANDARD.ceiling(retry);
        assert_eq!(
            top.asked.last(),
            Some(&ceiling),
            "full_jitter({retry}) should ask the jitter for a wait up to ceiling({retry}) = {ceiling:?}, \
             it asked for {:?}",
            top.asked
        );
        assert_eq!(
            high, ceiling,
            "when the jitter answers its maximum, full_jitter({retry}) is the ceiling"
        );
        assert_eq!(
            low,
            Duration::ZERO,
            "when the jitter answers zero, full_jitter({retry}) is zero: full jitter starts at 0"
        );
    }
    assert_eq!(top.asked.len(), 10, "one draw per wait: {:?}", top.asked);
}

#[test]
fn decorrelated_jitter_draws_between_base_and_three_times_the_last_wait() {
    for (previous, highest) in [
        (ms(100), ms(300)),
        (ms(1_000), ms(3_000)),
        (ms(2_500), ms(7_500)),
    ] {
        let mut top = Scripted::new(Share::All);
        let mut bottom = Scripted::new(Share::Nothing);
        let high: Duration = STANDARD.decorrelated(previous, &mut top);
        let low: Duration = STANDARD.decorrelated(previous, &mut bottom);
        assert_eq!(
            low,
            ms(100),
            "after a wait of {previous:?}, the shortest decorrelated wait is base (100ms)"
        );
        assert_eq!(
            high, highest,
            "after a wait of {previous:?}, the longest decorrelated wait is three times it"
        );
        assert_eq!(
            top.asked,
            vec![highest - ms(100)],
            "the random part is the span from base to three times the last wait"
        );
    }
}

#[test]
fn decorrelated_jitter_never_passes_the_cap_or_overflows() {
    for previous in [
        ms(4_000),
        ms(10_000),
        Duration::from_secs(u64::MAX / 2),
        Duration::MAX,
    ] {
        let mut top = Scripted::new(Share::All);
        let got: Duration = STANDARD.decorrelated(previous, &mut top);
        assert_eq!(
            got,
            ms(10_000),
            "after a wait of {previous:?}, three times it is past the cap, so the wait is the cap"
        );
        let mut bottom = Scripted::new(Share::Nothing);
        let got: Duration = STANDARD.decorrelated(previous, &mut bottom);
        assert_eq!(
            got,
            ms(100),
            "the shortest wait is base, after any previous wait"
        );
    }
}

// Without `.max(self.base)`, three times a previous wait below base/3 is
// below base, and `high - self.base` panics ("overflow when subtracting
// durations"); the tests above only pass previous waits of base or more.
#[test]
fn a_previous_wait_below_a_third_of_base_still_waits_base() {
    for previous in [Duration::ZERO, ms(10), ms(33)] {
        let mut top = Scripted::new(Share::All);
        let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            STANDARD.decorrelated(previous, &mut top)
        }));
        let got: Duration = got.unwrap_or_else(|_| {
            panic!(
                "decorrelated({previous:?}, ..) panicked: three times {previous:?} is below base (100ms), so the span up to it is negative; the ceiling of the draw is never below base"
            )
        });
        assert_eq!(
            got,
            ms(100),
            "after a wait of {previous:?} (three times it is below base), the wait is base, 100ms"
        );
    }
}

#[test]
fn jitter_spreads_clients_that_failed_together() {
    let mut full = HashSet::new();
    let mut decorrelated = HashSet::new();
    for seed in 0..1_000 {
        let mut jitter = SeededJitter::new(seed);
        let wait: Duration = STANDARD.full_jitter(3, &mut jitter);
        assert!(
            wait <= ms(800),
            "full_jitter(3) gave {wait:?}, above its ceiling 800ms"
        );
        full.insert(wait);
        let wait: Duration = STANDARD.decorrelated(ms(400), &mut jitter);
        assert!(
            (ms(100)..=ms(1_200)).contains(&wait),
            "decorrelated after 400ms gave {wait:?}, outside base..=1200ms"
        );
        decorrelated.insert(wait);
    }
    assert!(
        full.len() > 900,
        "a thousand clients got only {} different full-jitter waits: they would come back together",
        full.len()
    );
    assert!(
        decorrelated.len() > 900,
        "a thousand clients got only {} different decorrelated waits: they would come back together",
        decorrelated.len()
    );
}
