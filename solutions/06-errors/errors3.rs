//! Transient or permanent: which failures are worth another try.
//!
//! A retry helps only when the next attempt could go differently: the
//! provider was slow, busy or briefly broken. A bad request, a refused key or
//! a body we cannot read will fail the same way again, and each try costs
//! time, quota and money. Some calls must not run twice at all (they send a
//! message, start a job, charge a card): those are repeated only when the
//! provider says it did nothing.

use std::time::Duration;

/// The library's error, as in the first exercise.
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
    /// True when the same request could succeed later: a timeout, a rate
    /// limit, or a server error other than 501 (Not Implemented) and 505
    /// (HTTP Version Not Supported), which say the server never will.
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

    /// How long the provider asked us to wait, if it said. HTTP allows a
    /// Retry-After on a 503 as well (RFC 9110, section 10.2.3); this type
    /// keeps only a 429's, so for every other variant it is `None`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// Whether a call that failed this way may be sent again. An idempotent
    /// call (running it twice does no harm) may repeat any retryable
    /// failure. Any other call may repeat only a rate limit: a 429 is refused
    /// before any work, while after a timeout or a 5xx the provider may have
    /// done the work already. (`Timeout` covers a client that gave up and a
    /// server's 408 alike. A 408 alone could be repeated: the server closed
    /// the connection without acting on the request, RFC 9110 section
    /// 15.5.9. This type cannot tell the two apart, so it takes the cautious
    /// rule.)
    pub fn may_repeat(&self, idempotent: bool) -> bool {
        self.is_retryable() && (idempotent || matches!(self, ApiError::RateLimited { .. }))
    }
}
