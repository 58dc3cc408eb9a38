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
        let mut wait = self.base;
        for _ in 0..retry {
            // Past the cap (or stuck at zero) more doubling changes nothing.
            if wait >= self.cap || wait.is_zero() {
                break;
            }
            wait = wait.saturating_mul(2);
        }
        wait.min(self.cap)
    }

    /// Full jitter: a random wait between zero and the ceiling.
    pub fn full_jitter(&self, retry: u32, jitter: &mut impl Jitter) -> Duration {
        jitter.up_to(self.ceiling(retry))
    }

    /// Decorrelated jitter: a random wait between `base` and three times the
    /// `previous` wait, never more than `cap`. Pass `base` as the previous
    /// wait before the first retry.
    pub fn decorrelated(&self, previous: Duration, jitter: &mut impl Jitter) -> Duration {
        let high = previous.saturating_mul(3).max(self.base);
        (self.base + jitter.up_to(high - self.base)).min(self.cap)
    }
}
