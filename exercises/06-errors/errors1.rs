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
//!
//! 1. Replace the hand-written `Display` and `Error` impls at the bottom with
//!    `#[derive(thiserror::Error)]` and an `#[error("...")]` on each variant.
//!    Messages with a status say which; the causes of `Malformed` and
//!    `BadTokenCount` are sources (`#[from]`), not part of the message.
//! 2. Write `parse_completion` and `from_response`, using `?`.

use std::fmt;
use std::num::ParseIntError;
use std::time::Duration;

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub tokens: u32,
}

/// Why the body of a 200 could not be read.
#[derive(Debug)]
pub enum ParseError {
    /// The first line is not `tokens=<n>`.
    MissingTokenCount,
    /// The value after `tokens=` is not a whole number.
    BadTokenCount(ParseIntError),
}

/// Every way a call to the model API can fail.
#[derive(Debug)]
pub enum ApiError {
    /// No answer in time (the client gave up, or the provider sent 408).
    Timeout,
    /// 429: too many requests; the provider may say when to come back.
    RateLimited { retry_after: Option<Duration> },
    /// 429 whose body's error code is `insufficient_quota`: the account is
    /// out of credit or past its spend limit. Waiting does not fix it.
    QuotaExceeded,
    /// 5xx: the provider failed.
    Server { status: u16 },
    /// 401 or 403. No body: an auth error's body can echo the key.
    Auth { status: u16 },
    /// Any other status: the request itself is wrong.
    BadRequest { status: u16, message: String },
    /// A 200 whose body could not be read.
    Malformed(ParseError),
}

/// Reads a body of the form `tokens=<n>` on the first line, then the text
/// (everything after that first newline, unchanged).
///
/// # Errors
/// `MissingTokenCount` when the first line is not `tokens=...`,
/// `BadTokenCount` when the count is not a number.
pub fn parse_completion(body: &str) -> Result<Completion, ParseError> {
    // TODO: split off the first line, strip `tokens=`, parse the count with `?`.
    let _ = body;
    todo!()
}

/// Turns a response into a completion or a typed error:
/// 2xx → the parsed body (`Malformed` if it can't be read), 408 → `Timeout`,
/// 429 → `QuotaExceeded` when the body holds the error code
/// `insufficient_quota`, else `RateLimited` (Retry-After in whole seconds,
/// `None` if absent or unreadable: this course does not parse the HTTP-date
/// form RFC 9110 also allows), 401/403 → `Auth`, 5xx → `Server`, anything else →
/// `BadRequest` with the trimmed body as its message.
///
/// # Errors
/// One `ApiError` variant per kind of failure, as above.
pub fn from_response(
    status: u16,
    retry_after: Option<&str>,
    body: &str,
) -> Result<Completion, ApiError> {
    // TODO: one `match status` with a range or a list per arm.
    let _ = (status, retry_after, body);
    todo!()
}

// A first draft, to be replaced by thiserror: one message for everything,
// and no `source()`, so the reason a body was unreadable is lost.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("model API error")
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("parse error")
    }
}

impl std::error::Error for ParseError {}
