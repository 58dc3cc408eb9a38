//! Retry what is worth retrying, and nothing else.
//!
//! `call_with_retry` sends a request, and after a failure that may be
//! repeated waits (full jitter, at least as long as any Retry-After) and
//! sends it again, up to `max_attempts` calls in all. Everything it needs
//! from the outside world comes in as a parameter: the model, the clock and
//! the jitter, so tests run it with fakes and never sleep.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub tokens: u32,
}

/// The library's error and its rules, from the exercises before.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the model API did not answer in time")]
    Timeout,
    #[error("rate limited by the model API")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the model API account has no quota left")]
    QuotaExceeded,
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
    #[error("the model API refused the key (status {status})")]
    Auth { status: u16 },
    #[error("the model API rejected the request (status {status}): {message}")]
    BadRequest { status: u16, message: String },
    #[error("the model API sent a body that could not be read")]
    Malformed(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Timeout | ApiError::RateLimited { .. } => true,
            ApiError::Server { status } => !matches!(status, 501 | 505),
            ApiError::Auth { .. }
            | ApiError::QuotaExceeded
            | ApiError::BadRequest { .. }
            | ApiError::Malformed(_) => false,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    pub fn may_repeat(&self, idempotent: bool) -> bool {
        self.is_retryable() && (idempotent || matches!(self, ApiError::RateLimited { .. }))
    }
}

/// The model API.
pub trait ModelClient {
    /// Sends one prompt.
    ///
    /// # Errors
    /// Any `ApiError`.
    fn complete(&mut self, prompt: &str) -> Result<Completion, ApiError>;
}

/// Time, as something passed in: the real clock in production, a fake one
/// in tests.
pub trait Clock {
    fn now(&self) -> Instant;
    fn sleep(&self, duration: Duration);
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// Where jitter comes from (see the backoff exercise).
pub trait Jitter {
    /// A random duration between zero and `max`.
    fn up_to(&mut self, max: Duration) -> Duration;
}

/// Exponential backoff with full jitter, from the exercise before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    pub fn ceiling(&self, retry: u32) -> Duration {
        let mut wait = self.base;
        for _ in 0..retry {
            if wait >= self.cap || wait.is_zero() {
                break;
            }
            wait = wait.saturating_mul(2);
        }
        wait.min(self.cap)
    }

    pub fn full_jitter(&self, retry: u32, jitter: &mut impl Jitter) -> Duration {
        jitter.up_to(self.ceiling(retry))
    }
}

/// One call to make.
#[derive(Debug, Clone)]
pub struct Request {
    pub prompt: String,
    /// True when sending it twice does no harm (a completion is; a call that
    /// sends an email or starts a paid job is not).
    pub idempotent: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Calls in all, the first one included; 0 counts as 1.
    pub max_attempts: u32,
    pub backoff: Backoff,
}

/// Sends `request`, retrying failures that `may_repeat` allows. The wait
/// before retry number `n` (0 for the first retry) is
/// `backoff.full_jitter(n, jitter)`, or the error's `retry_after` when that
/// is longer, slept on `clock`. No wait follows the last attempt. (Obeyed
/// with no bound, a garbage Retry-After could park the call for years: the
/// next exercise bounds every wait by a deadline.)
///
/// # Errors
/// The first error that may not be repeated, or the last one when the
/// attempts run out.
pub fn call_with_retry(
    client: &mut impl ModelClient,
    request: &Request,
    policy: &RetryPolicy,
    clock: &impl Clock,
    jitter: &mut impl Jitter,
) -> Result<Completion, ApiError> {
    // TODO: loop: call, return a success, stop on an error that may not be
    // repeated or when the attempts are used up, otherwise sleep and go on.
    let _ = (client, request, policy, clock, jitter);
    todo!()
}
