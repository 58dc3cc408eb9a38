use super::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A clock that only moves when something sleeps on it.
struct FakeClock {
    start: Instant,
    elapsed: Cell<Duration>,
    sleeps: RefCell<Vec<Duration>>,
}

impl FakeClock {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            elapsed: Cell::new(Duration::ZERO),
            sleeps: RefCell::new(Vec::new()),
        }
    }
    fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.borrow().clone()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed.get()
    }
    fn sleep(&self, duration: Duration) {
        self.sleeps.borrow_mut().push(duration);
        self.elapsed.set(self.elapsed.get() + duration);
    }
}

/// A model that answers from a script and counts its calls.
struct Scripted {
    replies: VecDeque<Result<Completion, ApiError>>,
    prompts: Vec<String>,
}

impl Scripted {
    fn new(replies: Vec<Result<Completion, ApiError>>) -> Self {
        Self {
            replies: replies.into(),
            prompts: Vec::new(),
        }
    }
    fn calls(&self) -> usize {
        self.prompts.len()
    }
}

impl ModelClient for Scripted {
    fn complete(&mut self, prompt: &str) -> Result<Completion, ApiError> {
        self.prompts.push(prompt.to_owned());
        self.replies.pop_front().unwrap_or_else(|| {
            panic!(
                "the model was called {} times, more than the test scripted",
                self.prompts.len()
            )
        })
    }
}

/// Jitter that answers all of what it is asked for, or nothing.
struct FixedJitter {
    all: bool,
    asked: Vec<Duration>,
}

impl Jitter for FixedJitter {
    fn up_to(&mut self, max: Duration) -> Duration {
        self.asked.push(max);
        if self.all { max } else { Duration::ZERO }
    }
}

fn top() -> FixedJitter {
    FixedJitter {
        all: true,
        asked: Vec::new(),
    }
}

fn done() -> Result<Completion, ApiError> {
    Ok(Completion {
        text: "done".to_owned(),
        tokens: 1,
    })
}

fn server(status: u16) -> Result<Completion, ApiError> {
    Err(ApiError::Server { status })
}

fn request(idempotent: bool) -> Request {
    Request {
        prompt: "Name three rivers.".to_owned(),
        idempotent,
    }
}

fn policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        backoff: Backoff {
            base: ms(100),
            cap: Duration::from_secs(10),
        },
    }
}

/// Runs the retry loop with a top-of-range jitter and a fresh fake clock.
fn run(
    script: Vec<Result<Completion, ApiError>>,
    idempotent: bool,
    max_attempts: u32,
) -> (Result<Completion, ApiError>, Scripted, Vec<Duration>) {
    let mut client = Scripted::new(script);
    let clock = FakeClock::new();
    let got: Result<Completion, ApiError> = call_with_retry(
        &mut client,
        &request(idempotent),
        &policy(max_attempts),
        &clock,
        &mut top(),
    );
    let sleeps = clock.sleeps();
    // With the jitter at its top no backoff is 0, so a wait of 0 can only
    // come from taking the smaller of the backoff and a missing Retry-After.
    if let Some(i) = sleeps.iter().position(Duration::is_zero) {
        panic!(
            "wait {i} was 0 although the backoff is at least 100ms: a missing Retry-After counts as 0, and the wait is the LARGER of the two; waits were {sleeps:?}"
        );
    }
    (got, client, sleeps)
}

#[test]
fn a_first_success_is_returned_without_sleeping() {
    let (got, client, sleeps) = run(vec![done()], true, 3);
    assert!(matches!(got, Ok(ref c) if c.text == "done"), "got {got:?}");
    assert_eq!(client.calls(), 1, "one call is enough when it succeeds");
    assert_eq!(sleeps, Vec::<Duration>::new(), "no failure, so no wait");
}

#[test]
fn transient_failures_are_retried_until_one_succeeds() {
    let (got, client, sleeps) = run(
        vec![server(503), Err(ApiError::Timeout), server(502), done()],
        true,
        5,
    );
    assert!(
        matches!(got, Ok(ref c) if c.text == "done"),
        "three transient failures and then a success should give the success, got {got:?}"
    );
    assert_eq!(
        client.calls(),
        4,
        "three failures and one success are four calls"
    );
    assert!(
        client.prompts.iter().all(|p| p == "Name three rivers."),
        "every attempt sends the same prompt: {:?}",
        client.prompts
    );
    assert_eq!(
        sleeps,
        vec![ms(100), ms(200), ms(400)],
        "with the jitter at its top, the waits on the clock are the ceilings 100ms, 200ms, 400ms"
    );
}

#[test]
fn a_permanent_failure_is_returned_at_once() {
    let permanent = [
        Err(ApiError::BadRequest {
            status: 400,
            message: "prompt too long".to_owned(),
        }),
        Err(ApiError::Auth { status: 401 }),
        Err(ApiError::Malformed("tokens=?".into())),
        server(501),
    ];
    for reply in permanent {
        let shown = format!("{reply:?}");
        let (got, client, sleeps) = run(vec![reply, done()], true, 5);
        assert_eq!(
            client.calls(),
            1,
            "{shown} will fail the same way again: it must not be retried"
        );
        assert_eq!(sleeps, Vec::<Duration>::new(), "no wait after {shown}");
        assert_eq!(
            format!("{got:?}"),
            shown,
            "the error itself should come back"
        );
    }
}

#[test]
fn the_attempt_budget_counts_the_first_call() {
    let (got, client, sleeps) = run(
        vec![server(500), server(502), server(503), server(504)],
        true,
        3,
    );
    assert_eq!(
        client.calls(),
        3,
        "max_attempts 3 means three calls in all, the first one included"
    );
    assert!(
        matches!(got, Err(ApiError::Server { status: 503 })),
        "when the attempts run out, the LAST error comes back (503 here), got {got:?}"
    );
    assert_eq!(
        sleeps.len(),
        2,
        "three attempts have two waits between them, and none after the last: {sleeps:?}"
    );
    assert_eq!(
        sleeps,
        vec![ms(100), ms(200)],
        "the waits before retries 0 and 1 are full_jitter(0, ..) and full_jitter(1, ..): \
         100ms and 200ms with the jitter at its top"
    );
    for max_attempts in [1, 0] {
        let (got, client, sleeps) = run(vec![server(503), done()], true, max_attempts);
        assert_eq!(
            client.calls(),
            1,
            "max_attempts {max_attempts} makes exactly one call (0 counts as 1)"
        );
        assert!(
            matches!(got, Err(ApiError::Server { status: 503 })),
            "got {got:?}"
        );
        assert_eq!(
            sleeps,
            Vec::<Duration>::new(),
            "no wait after the only attempt"
        );
    }
}

#[test]
fn a_call_that_must_not_run_twice_is_repeated_only_after_a_rate_limit() {
    for reply in [Err(ApiError::Timeout), server(503)] {
        let shown = format!("{reply:?}");
        let (got, client, sleeps) = run(vec![reply, done()], false, 5);
        assert_eq!(
            client.calls(),
            1,
            "after {shown} the provider may have done the work: a request that is not \
             idempotent is not sent again"
        );
        assert!(got.is_err(), "the {shown} should come back, got {got:?}");
        assert_eq!(
            sleeps,
            Vec::<Duration>::new(),
            "no wait when there is no retry"
        );
    }
    let (got, client, _) = run(
        vec![Err(ApiError::RateLimited { retry_after: None }), done()],
        false,
        5,
    );
    assert_eq!(
        client.calls(),
        2,
        "a 429 is refused before any work, so even this request is sent again"
    );
    assert!(got.is_ok(), "got {got:?}");
}

#[test]
fn retry_after_is_a_floor_for_the_wait() {
    let (got, _, sleeps) = run(
        vec![
            Err(ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(5)),
            }),
            done(),
        ],
        true,
        3,
    );
    assert!(
        got.is_ok(),
        "a 429 and then a success, with 3 attempts allowed, should end in the success (the retry loop itself is off: see the other tests), got {got:?}"
    );
    assert_eq!(
        sleeps,
        vec![Duration::from_secs(5)],
        "the provider asked for 5s, longer than the 100ms backoff: wait the 5s"
    );
    let (got, _, sleeps) = run(
        vec![
            server(503),
            Err(ApiError::RateLimited {
                retry_after: Some(ms(10)),
            }),
            done(),
        ],
        true,
        3,
    );
    assert!(
        got.is_ok(),
        "a 503, a 429 and then a success, with 3 attempts allowed, should end in the success (the retry loop itself is off: see the other tests), got {got:?}"
    );
    assert_eq!(
        sleeps.first(),
        Some(&ms(100)),
        "the wait after the 503 is the first retry's backoff, full_jitter(0, ..) = 100ms"
    );
    assert_eq!(
        sleeps,
        vec![ms(100), ms(200)],
        "a Retry-After of 10ms is shorter than the backoff: the backoff's 200ms wins"
    );
}

#[test]
fn waits_come_from_full_jitter_on_the_clock() {
    let mut client = Scripted::new(vec![server(503), server(503), done()]);
    let clock = FakeClock::new();
    let mut jitter = FixedJitter {
        all: false,
        asked: Vec::new(),
    };
    let got: Result<Completion, ApiError> =
        call_with_retry(&mut client, &request(true), &policy(5), &clock, &mut jitter);
    assert!(got.is_ok(), "got {got:?}");
    assert_eq!(
        jitter.asked,
        vec![ms(100), ms(200)],
        "the first retry waits full_jitter(0, ..), the second full_jitter(1, ..)"
    );
    assert_eq!(
        clock.sleeps(),
        vec![Duration::ZERO, Duration::ZERO],
        "with the jitter answering zero, each wait is zero: sleep what full_jitter returns, \
         on the clock you were given"
    );
}
