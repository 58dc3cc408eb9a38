use super::*;
use std::time::Duration;

fn bad_request(status: u16) -> ApiError {
    ApiError::BadRequest {
        status,
        message: "the request is wrong".to_owned(),
    }
}

fn malformed() -> ApiError {
    ApiError::Malformed("tokens=?".into())
}

fn transient() -> Vec<ApiError> {
    vec![
        ApiError::Timeout,
        ApiError::RateLimited { retry_after: None },
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
        },
        ApiError::Server { status: 500 },
        ApiError::Server { status: 502 },
        ApiError::Server { status: 503 },
        ApiError::Server { status: 504 },
        ApiError::Server { status: 529 },
    ]
}

fn permanent() -> Vec<ApiError> {
    vec![
        bad_request(400),
        bad_request(404),
        bad_request(422),
        ApiError::Auth { status: 401 },
        ApiError::Auth { status: 403 },
        ApiError::QuotaExceeded,
        malformed(),
        ApiError::Server { status: 501 },
        ApiError::Server { status: 505 },
    ]
}

#[test]
fn timeouts_rate_limits_and_server_errors_are_retryable() {
    for e in transient() {
        let retry: bool = e.is_retryable();
        assert!(
            retry,
            "{e:?} is transient: the same request could succeed later, so it is retryable"
        );
    }
}

#[test]
fn a_request_that_will_fail_again_is_not_retryable() {
    for e in permanent() {
        let retry: bool = e.is_retryable();
        let why = match &e {
            ApiError::Auth { .. } => "a refused key stays refused until a person fixes it",
            ApiError::QuotaExceeded => {
                "a spent quota (a 429 with insufficient_quota) stays spent until someone pays or raises the limit"
            }
            ApiError::BadRequest { .. } => "the same request gets the same 4xx",
            ApiError::Malformed(_) => "a body we could not read is not fixed by asking again",
            ApiError::Server { .. } => "501 and 505 say the server never supports this request",
            _ => "it will fail the same way again",
        };
        assert!(!retry, "{e:?} must not be retried: {why}");
    }
}

#[test]
fn retry_after_comes_only_from_a_rate_limit() {
    let e = ApiError::RateLimited {
        retry_after: Some(Duration::from_secs(20)),
    };
    let got: Option<Duration> = e.retry_after();
    assert_eq!(
        got,
        Some(Duration::from_secs(20)),
        "a 429 that said Retry-After: 20 should give 20 s"
    );
    let e = ApiError::RateLimited { retry_after: None };
    let got: Option<Duration> = e.retry_after();
    assert_eq!(got, None, "a 429 without Retry-After gives None");
    // RFC 9110 section 10.2.3 defines Retry-After for a 503 (and for 3xx
    // redirects) as well as for a 429. This course's `ApiError` keeps it only
    // on `RateLimited`; `Server` has no field for it, so a 503's is dropped
    // and the caller's own backoff decides.
    for e in transient().into_iter().chain(permanent()) {
        if !matches!(e, ApiError::RateLimited { .. }) {
            let got: Option<Duration> = e.retry_after();
            assert_eq!(
                got, None,
                "in this ApiError only RateLimited holds a Retry-After (HTTP allows one on a 503 too, but Server keeps no field for it), so {e:?} gives None"
            );
        }
    }
}

#[test]
fn an_idempotent_call_may_repeat_every_transient_failure() {
    for e in transient() {
        let again: bool = e.may_repeat(true);
        assert!(
            again,
            "an idempotent call that failed with {e:?} may be sent again"
        );
    }
    for e in permanent() {
        let again: bool = e.may_repeat(true);
        assert!(
            !again,
            "may_repeat(true) must still refuse {e:?}: it is not retryable at all"
        );
    }
}

// `Timeout` stands for a client that gave up AND a server's 408. A 408 alone
// could be repeated even here (RFC 9110 section 15.5.9: the server closed the
// connection without acting on the request), but the type cannot tell the two
// apart, so the cautious rule holds for both.
#[test]
fn a_call_that_must_not_run_twice_repeats_only_after_a_rate_limit() {
    for e in [
        ApiError::RateLimited { retry_after: None },
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
        },
    ] {
        let again: bool = e.may_repeat(false);
        assert!(
            again,
            "{e:?} was refused before any work was done, so even a call that must not \
             run twice may be sent again"
        );
    }
    for e in transient() {
        if !matches!(e, ApiError::RateLimited { .. }) {
            let again: bool = e.may_repeat(false);
            assert!(
                !again,
                "after {e:?} the provider may already have done the work; a call that \
                 must not run twice is not sent again"
            );
        }
    }
    for e in permanent() {
        let again: bool = e.may_repeat(false);
        assert!(!again, "{e:?} is not retryable, whatever the call");
    }
}
