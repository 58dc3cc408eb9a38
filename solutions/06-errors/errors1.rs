//! A typed error for every way a model call can fail.
//!
//! `from_response` turns what came back from the provider (a status, the
//! Retry-After header if there was one, and the body) into a `Completion` or
//! an `ApiError` variant that callers can `match` on. A 200 whose body cannot
//! be read is `Malformed`, with the reason kept as its source.
//!
//! The status alone does not always say what went wrong: the body's error
//! code does. Here it tells a spent quota from a rate limit; a real client
//! also reads it for a prompt over the context window (shorten it: sending
//! it again fails the same way) and for a refusal by the model.

use std::num::ParseIntError;
use std::time::Duration;

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub tokens: u32,
}

/// Why the body of a 200 could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The first line is not `tokens=<n>`.
    #[error("the body does not start with a `tokens=` line")]
    MissingTokenCount,
    /// The value after `tokens=` is not a whole number.
    #[error("the token count is not a whole number")]
    BadTokenCount(#[from] ParseIntError),
}

/// Every way a call to the model API can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer in time (the client gave up, or the provider sent 408).
    #[error("the model API did not answer in time")]
    Timeout,
    /// 429: too many requests; the provider may say when to come back.
    #[error("rate limited by the model API")]
    RateLimited { retry_after: Option<Duration> },
    /// 429 whose body's error code is `insufficient_quota`: the account is
    /// out of credit or past its spend limit. Waiting does not fix it.
    #[error("the model API account has no quota left")]
    QuotaExceeded,
    /// 5xx: the provider failed.
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
    /// 401 or 403. No body: an auth error's body can echo the key.
    #[error("the model API refused the key (status {status})")]
    Auth { status: u16 },
    /// Any other status: the request itself is wrong.
    #[error("the model API rejected the request (status {status}): {message}")]
    BadRequest { status: u16, message: String },
    /// A 200 whose body could not be read.
    #[error("the model API sent a body that could not be read")]
    Malformed(#[from] ParseError),
}

/// Reads a body of the form `tokens=<n>` on the first line, then the text.
///
/// # Errors
/// `MissingTokenCount` when the first line is not `tokens=...`,
/// `BadTokenCount` when the count is not a number.
pub fn parse_completion(body: &str) -> Result<Completion, ParseError> {
    let (first, text) = body.split_once('\n').unwrap_or((body, ""));
    let count = first
        .strip_prefix("tokens=")
        .ok_or(ParseError::MissingTokenCount)?;
    let tokens = count.trim().parse::<u32>()?;
    Ok(Completion {
        text: text.to_owned(),
        tokens,
    })
}

/// Turns a response into a completion or a typed error.
///
/// # Errors
/// One `ApiError` variant per kind of failure, as documented on the enum.
pub fn from_response(
    status: u16,
    retry_after: Option<&str>,
    body: &str,
) -> Result<Completion, ApiError> {
    match status {
        200..=299 => Ok(parse_completion(body)?),
        408 => Err(ApiError::Timeout),
        // The status says "too many", the body says why: a spent quota is
        // permanent, a rate limit is not.
        429 if body.contains("insufficient_quota") => Err(ApiError::QuotaExceeded),
        429 => Err(ApiError::RateLimited {
            retry_after: retry_after.and_then(seconds),
        }),
        401 | 403 => Err(ApiError::Auth { status }),
        500..=599 => Err(ApiError::Server { status }),
        _ => Err(ApiError::BadRequest {
            status,
            message: body.trim().to_owned(),
        }),
    }
}

/// Retry-After in whole seconds. RFC 9110 (section 10.2.3) also allows an
/// HTTP-date; this course reads only seconds, so a date, like garbage, is
/// `None` and the caller falls back to its own backoff.
fn seconds(header: &str) -> Option<Duration> {
    header.trim().parse::<u64>().ok().map(Duration::from_secs)
}
