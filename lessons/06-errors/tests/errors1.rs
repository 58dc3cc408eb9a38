use super::*;
use std::error::Error;
use std::num::ParseIntError;
use std::time::Duration;

fn failure(status: u16, retry_after: Option<&str>, body: &str) -> ApiError {
    let got: Result<Completion, ApiError> = from_response(status, retry_after, body);
    match got {
        Ok(c) => panic!("status {status} is a failure, got Ok({c:?})"),
        Err(e) => e,
    }
}

/// The messages of an error and of every source below it, outermost first.
fn chain(e: &(dyn Error + 'static)) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        parts.push(cause.to_string());
        next = cause.source();
    }
    parts
}

#[test]
fn a_success_body_becomes_a_completion() {
    let got: Result<Completion, ApiError> = from_response(
        200,
        None,
        "tokens=12\nRust has no exceptions.\nIt has Result.",
    );
    match got {
        Ok(c) => assert_eq!(
            c,
            Completion {
                text: "Rust has no exceptions.\nIt has Result.".to_owned(),
                tokens: 12,
            },
            "the first line is the count, everything after it is the text"
        ),
        Err(e) => panic!("a 200 with a readable body is a completion, got the error {e:?}"),
    }
    for status in [201, 203, 299] {
        let got: Result<Completion, ApiError> = from_response(status, None, "tokens=2\nok");
        assert!(
            matches!(got, Ok(ref c) if c.text == "ok" && c.tokens == 2),
            "every 2xx status is a success, so {status} should give a completion, got {got:?}"
        );
    }
    // Rebuilding the text with `lines()` and `join("\n")` drops a final
    // newline and turns `\r\n` into `\n`: a body of code or a CSV comes
    // back changed. The text is the rest of the body, byte for byte.
    let body = "tokens=5\r\nname,score\r\nada,3\r\n\n";
    let got: Result<Completion, ParseError> = parse_completion(body);
    match got {
        Ok(c) => assert_eq!(
            c.text, "name,score\r\nada,3\r\n\n",
            "the text is everything after the first newline, unchanged: its \\r\\n and final newlines stay"
        ),
        Err(e) => panic!("{body:?} is a completion (the count line may end in \\r\\n), got the error {e:?}"),
    }
    let got: Result<Completion, ParseError> = parse_completion("tokens=0");
    match got {
        Ok(c) => assert_eq!(
            c,
            Completion {
                text: String::new(),
                tokens: 0,
            },
            "a body with only the count line has empty text"
        ),
        Err(e) => panic!("`tokens=0` with no text is a completion, got the error {e:?}"),
    }
}

#[test]
fn every_status_maps_to_its_own_variant() {
    let e = failure(408, None, "");
    assert!(
        matches!(e, ApiError::Timeout),
        "status 408 should be ApiError::Timeout, got {e:?}"
    );
    let e = failure(429, Some("1"), "slow down");
    assert!(
        matches!(e, ApiError::RateLimited { .. }),
        "status 429 should be ApiError::RateLimited, got {e:?}"
    );
    // A 429 is not always transient. OpenAI's API, for one, answers a spent
    // quota (billing, a spend limit) with 429 and the error code
    // `insufficient_quota` in its JSON body: waiting never fixes it, and a
    // client that retries it, opens its breaker and quietly serves a
    // fallback hides the outage. The status says "too many"; the body says
    // why.
    let quota = r#"{"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota", "code": "insufficient_quota"}}"#;
    let e = failure(429, Some("20"), quota);
    assert!(
        matches!(e, ApiError::QuotaExceeded),
        "a 429 whose body's error code is insufficient_quota should be ApiError::QuotaExceeded (the account is out of credit; waiting does not help), got {e:?}"
    );
    let e = failure(429, Some("1"), r#"{"error": {"code": "rate_limit_exceeded"}}"#);
    assert!(
        matches!(e, ApiError::RateLimited { .. }),
        "a 429 whose body's error code is rate_limit_exceeded should be ApiError::RateLimited, got {e:?}"
    );
    for status in [401, 403] {
        let e = failure(status, None, "invalid key sk-test-0123456789abcdefghij");
        assert!(
            matches!(e, ApiError::Auth { status: s } if s == status),
            "status {status} should be ApiError::Auth with that status, got {e:?}"
        );
    }
    for status in [500, 502, 503, 504, 529, 599] {
        let e = failure(status, None, "upstream overloaded");
        assert!(
            matches!(e, ApiError::Server { status: s } if s == status),
            "status {status} should be ApiError::Server with that status, got {e:?}"
        );
    }
    for status in [400, 404, 409, 422, 302] {
        let e = failure(status, None, "  no such model: chat-huge\n");
        match e {
            ApiError::BadRequest { status: s, message } => {
                assert_eq!(s, status, "BadRequest should keep the status it got");
                assert_eq!(
                    message, "no such model: chat-huge",
                    "BadRequest's message is the body, trimmed"
                );
            }
            other => {
                panic!("status {status} should be ApiError::BadRequest, got {other:?}")
            }
        }
    }
}

#[test]
fn retry_after_is_read_in_whole_seconds_or_left_out() {
    for (header, expected) in [
        (Some("7"), Some(Duration::from_secs(7))),
        (Some(" 2 "), Some(Duration::from_secs(2))),
        (Some("0"), Some(Duration::ZERO)),
        (None, None),
        (Some("soon"), None),
        (Some("-1"), None),
        (Some("Wed, 21 Oct 2026 07:28:00 GMT"), None),
    ] {
        let e = failure(429, header, "");
        match e {
            ApiError::RateLimited { retry_after } => assert_eq!(
                retry_after, expected,
                "Retry-After {header:?} should give retry_after = {expected:?}"
            ),
            other => panic!("status 429 should be ApiError::RateLimited, got {other:?}"),
        }
    }
}

#[test]
fn an_unreadable_body_is_malformed_with_its_cause_as_source() {
    let e = failure(200, None, "tokens=lots\nhello");
    assert!(
        matches!(e, ApiError::Malformed(ParseError::BadTokenCount(_))),
        "`tokens=lots` should be ApiError::Malformed(ParseError::BadTokenCount(_)), got {e:?}"
    );
    let below = e.source().expect(
        "ApiError::Malformed should return its ParseError from source(); use #[from] or #[source]",
    );
    assert!(
        below.downcast_ref::<ParseError>().is_some(),
        "the source of ApiError::Malformed should be its ParseError, got {below:?}"
    );
    let bottom = below
        .source()
        .expect("ParseError::BadTokenCount should return its ParseIntError from source(); use #[from] or #[source]");
    assert!(
        bottom.downcast_ref::<ParseIntError>().is_some(),
        "the source of BadTokenCount should be the ParseIntError, got {bottom:?}"
    );

    for body in ["hello", "", "count=3\nhi", "\ntokens=3"] {
        let e = failure(200, None, body);
        assert!(
            matches!(e, ApiError::Malformed(ParseError::MissingTokenCount)),
            "a body {body:?} has no `tokens=` first line, so it should be Malformed(MissingTokenCount), got {e:?}"
        );
    }
    let got: Result<Completion, ParseError> = parse_completion("tokens=-4\nhi");
    assert!(
        matches!(got, Err(ParseError::BadTokenCount(_))),
        "a negative count is not a u32: BadTokenCount, got {got:?}"
    );
}

#[test]
fn messages_differ_and_name_the_status() {
    let errors = [
        ApiError::Timeout,
        ApiError::RateLimited { retry_after: None },
        ApiError::Server { status: 503 },
        ApiError::Auth { status: 401 },
        ApiError::BadRequest {
            status: 404,
            message: "no such model: chat-huge".to_owned(),
        },
        ApiError::Malformed(ParseError::MissingTokenCount),
        ApiError::QuotaExceeded,
    ];
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    for (i, m) in messages.iter().enumerate() {
        assert!(!m.trim().is_empty(), "{:?} has an empty message", errors[i]);
        for (j, other) in messages.iter().enumerate().skip(i + 1) {
            assert_ne!(
                m, other,
                "{:?} and {:?} print the same message; each variant needs its own words",
                errors[i], errors[j]
            );
        }
    }
    assert!(
        messages[2].contains("503"),
        "Server's message should name its status: {:?}",
        messages[2]
    );
    assert!(
        messages[3].contains("401"),
        "Auth's message should name its status: {:?}",
        messages[3]
    );
    assert!(
        messages[4].contains("404") && messages[4].contains("no such model: chat-huge"),
        "BadRequest's message should name its status and the provider's message: {:?}",
        messages[4]
    );
    let parse = [
        ParseError::MissingTokenCount.to_string(),
        failure(200, None, "tokens=x")
            .source()
            .map(ToString::to_string)
            .unwrap_or_default(),
    ];
    assert_ne!(
        parse[0], parse[1],
        "the two ParseError variants print the same message; each needs its own words"
    );
}

#[test]
fn the_chain_names_each_cause_once_and_can_be_boxed() {
    let e = failure(200, None, "tokens=many\nhello");
    let parts = chain(&e);
    assert_eq!(
        parts.len(),
        3,
        "the chain should be ApiError, then ParseError, then ParseIntError: {parts:?}"
    );
    for pair in parts.windows(2) {
        assert!(
            !pair[0].contains(&pair[1]),
            "a message repeats its source's text ({:?} contains {:?}); printed as a chain, \
             the cause would appear twice",
            pair[0],
            pair[1]
        );
    }

    // An error that is Send + Sync + 'static goes into the boxed error type
    // with `?` or `.into()`, and can be downcast back.
    let boxed: Box<dyn Error + Send + Sync> = ApiError::Server { status: 502 }.into();
    let back: Box<ApiError> = boxed
        .downcast::<ApiError>()
        .unwrap_or_else(|b| panic!("a boxed ApiError should downcast back, got {b:?}"));
    assert!(
        matches!(*back, ApiError::Server { status: 502 }),
        "{back:?}"
    );
}
