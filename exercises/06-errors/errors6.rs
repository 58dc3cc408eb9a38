//! One deadline across every retry.
//!
//! A caller waiting on a model call has a budget: a user request that must
//! answer within 30 seconds, a batch job with a slot. Retries must fit in
//! it. `call_before` is the retry loop of the exercise before (without the
//! jitter, to keep the file short), plus a deadline:
//!
//! - a deadline already passed makes no call at all;
//! - each attempt's timeout is the policy's, or the time left when that is
//!   less, so no call runs past the deadline;
//! - a wait that would end at or after the deadline is not slept: give up
//!   at once, with the error that made us wait. A Retry-After can be huge,
//!   so compare the wait with the time left rather than adding it to `now`.
//!
//! The result says which way it ended, with the model's error as its source.

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
    /// Sends one prompt, giving up with `ApiError::Timeout` once `timeout`
    /// has passed.
    ///
    /// # Errors
    /// Any `ApiError`.
    fn complete(&mut self, prompt: &str, timeout: Duration) -> Result<Completion, ApiError>;
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

/// Exponential backoff without jitter.
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
}

#[derive(Debug, Clone)]
pub struct Request {
    pub prompt: String,
    pub idempotent: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Calls in all, the first one included; 0 counts as 1.
    pub max_attempts: u32,
    pub backoff: Backoff,
    /// The longest any one attempt may take.
    pub attempt_timeout: Duration,
}

/// How a call that never succeeded ended. Each keeps the model's error as
/// its source, so `{:#}` and `chain()` show why.
#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    #[error("the call failed in a way that is not retried")]
    NotRetried(#[source] ApiError),
    #[error("the call failed {attempts} times")]
    Exhausted {
        attempts: u32,
        #[source]
        last: ApiError,
    },
    #[error("the deadline came after {attempts} attempts")]
    DeadlineExceeded {
        attempts: u32,
        /// `None` when the deadline had passed before the first attempt.
        #[source]
        last: Option<ApiError>,
    },
}

/// Sends `request` with retries, all before `deadline` (see the top of the
/// file). The wait before retry `n` is `backoff.ceiling(n)`, or the error's
/// `retry_after` when that is longer.
///
/// # Errors
/// `NotRetried` for a failure that `may_repeat` refuses, `Exhausted` when
/// the attempts run out, `DeadlineExceeded` when time does.
pub fn call_before(
    client: &mut impl ModelClient,
    request: &Request,
    policy: &RetryPolicy,
    clock: &impl Clock,
    deadline: Instant,
) -> Result<Completion, RetryError> {
    // TODO: this is the loop without a deadline. Make no call once the
    // deadline has passed, give each attempt at most the time left, and
    // give up instead of sleeping into the deadline.
    let _ = deadline;
    let attempts = policy.max_attempts.max(1);
    let mut made = 0;
    loop {
        made += 1;
        let err = match client.complete(&request.prompt, policy.attempt_timeout) {
            Ok(completion) => return Ok(completion),
            Err(err) => err,
        };
        if !err.may_repeat(request.idempotent) {
            return Err(RetryError::NotRetried(err));
        }
        if made >= attempts {
            return Err(RetryError::Exhausted {
                attempts: made,
                last: err,
            });
        }
        let wait = policy.backoff.ceiling(made - 1);
        let wait = wait.max(err.retry_after().unwrap_or_default());
        clock.sleep(wait);
    }
}
