//! Exponential backoff with jitter and a cap.
//!
//! After a transient failure, wait before trying again, longer each time, so
//! a struggling provider gets room to recover. The longest wait doubles from
//! `base` with each retry and never passes `cap`. Jitter then picks a random
//! wait below that ceiling, so a thousand clients that failed at the same
//! moment do not all come back at the same moment.
//!
//! Randomness comes in through the `Jitter` trait: production uses
//! `SeededJitter`, tests use a script, and no result depends on luck.

use std::time::Duration;

/// Where jitter comes from.
pub trait Jitter {
    /// A random duration between zero and `max`.
    fn up_to(&mut self, max: Duration) -> Duration;
}

/// A small seeded generator (xorshift64*): the same seed gives the same
/// waits, different seeds give different ones. Seed it per client, from the
/// time or an id.
pub struct SeededJitter {
    state: u64,
}

impl SeededJitter {
    pub fn new(seed: u64) -> Self {
        // Spread nearby seeds apart; xorshift must never hold 0.
        Self {
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        }
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl Jitter for SeededJitter {
    fn up_to(&mut self, max: Duration) -> Duration {
        // The top 53 bits as a fraction in [0, 1).
        let fraction = (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64;
        max.mul_f64(fraction)
    }
}

/// How long to wait between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling before the first retry.
    pub base: Duration,
    /// No wait is ever longer than this.
    pub cap: Duration,
}

impl Backoff {
    /// The longest wait before retry number `retry` (0 for the first retry):
    /// `base · 2^retry`, but never more than `cap`, for any `retry`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        // TODO: double `base` `retry` times without overflowing, then cap.
        let _ = retry;
        todo!()
    }

    /// Full jitter: a random wait between zero and the ceiling.
    pub fn full_jitter(&self, retry: u32, jitter: &mut impl Jitter) -> Duration {
        // TODO: ask `jitter` for a wait inside the bounds described above.
        let _ = (retry, jitter);
        todo!()
    }

    /// Decorrelated jitter: a random wait between `base` and three times the
    /// `previous` wait, never more than `cap`. Pass `base` as the previous
    /// wait before the first retry.
    pub fn decorrelated(&self, previous: Duration, jitter: &mut impl Jitter) -> Duration {
        // TODO: ask `jitter` for a wait inside the bounds described above.
        let _ = (previous, jitter);
        todo!()
    }
}
