use super::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::error::Error;
use std::time::{Duration, Instant};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A clock that moves only when something sleeps on it or a call takes time.
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
    /// The instant `d` after the test began.
    fn at(&self, d: Duration) -> Instant {
        self.start + d
    }
    fn elapsed(&self) -> Duration {
        self.elapsed.get()
    }
    fn advance(&self, d: Duration) {
        self.elapsed.set(self.elapsed.get() + d);
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
        self.advance(duration);
    }
}

/// One scripted call: how long the provider takes, and what it answers. A
/// call that would take longer than its timeout ends at the timeout with
/// `ApiError::Timeout`, as a real client does.
struct Step {
    takes: Duration,
    reply: Result<Completion, ApiError>,
}

fn answers(takes: Duration, text: &str) -> Step {
    Step {
        takes,
        reply: Ok(Completion {
            text: text.to_owned(),
            tokens: 3,
        }),
    }
}

fn fails(takes: Duration, err: ApiError) -> Step {
    Step {
        takes,
        reply: Err(err),
    }
}

/// A provider that never answers: every call runs into its timeout.
fn hangs() -> Step {
    answers(Duration::MAX, "too late")
}

/// A model on the same fake clock: each call moves the clock by the time it
/// takes, and records the timeout it was given.
struct Scripted<'c> {
    clock: &'c FakeClock,
    steps: VecDeque<Step>,
    timeouts: Vec<Duration>,
}

impl<'c> Scripted<'c> {
    fn new(clock: &'c FakeClock, steps: Vec<Step>) -> Self {
        Self {
            clock,
            steps: steps.into(),
            timeouts: Vec::new(),
        }
    }
    fn calls(&self) -> usize {
        self.timeouts.len()
    }
}

impl ModelClient for Scripted<'_> {
    fn complete(&mut self, prompt: &str, timeout: Duration) -> Result<Completion, ApiError> {
        assert_eq!(
            prompt, "Translate 'deadline' into French.",
            "every attempt sends the request's prompt"
        );
        self.timeouts.push(timeout);
        let step = self.steps.pop_front().unwrap_or_else(|| {
            panic!(
                "the model was called {} times, more than the test scripted",
                self.timeouts.len()
            )
        });
        if step.takes > timeout {
            self.clock.advance(timeout);
            return Err(ApiError::Timeout);
        }
        self.clock.advance(step.takes);
        step.reply
    }
}

fn request() -> Request {
    Request {
        prompt: "Translate 'deadline' into French.".to_owned(),
        idempotent: true,
    }
}

/// Up to `max_attempts` calls of at most 10 s each; waits of 1 s, 2 s, 4 s...
fn policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        backoff: Backoff {
            base: secs(1),
            cap: secs(60),
        },
        attempt_timeout: secs(10),
    }
}

fn server(status: u16) -> ApiError {
    ApiError::Server { status }
}

#[test]
fn a_deadline_already_passed_makes_no_call() {
    for (past, when) in [
        (Duration::ZERO, "is this very instant"),
        (secs(1), "passed 1 s ago"),
    ] {
        let clock = FakeClock::new();
        clock.advance(secs(5));
        let deadline = clock.at(secs(5) - past);
        let mut client = Scripted::new(&clock, vec![answers(secs(1), "échéance")]);
        let got: Result<Completion, RetryError> =
            call_before(&mut client, &request(), &policy(3), &clock, deadline);
        assert_eq!(
            client.calls(),
            0,
            "the deadline {when}: no call should be made, there is no time left for it"
        );
        assert!(
            matches!(
                got,
                Err(RetryError::DeadlineExceeded {
                    attempts: 0,
                    last: None
                })
            ),
            "a deadline that {when} should give DeadlineExceeded {{ attempts: 0, last: None }}, \
             got {got:?}"
        );
        assert_eq!(
            clock.sleeps(),
            Vec::<Duration>::new(),
            "nothing to wait for"
        );
    }
}

#[test]
fn a_success_before_the_deadline_is_returned() {
    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![fails(secs(2), server(503)), answers(secs(3), "échéance")],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(3),
        &clock,
        clock.at(secs(30)),
    );
    assert!(
        matches!(got, Ok(ref c) if c.text == "échéance"),
        "a 503 and then an answer, all well inside the deadline, should give the answer, got {got:?}"
    );
    assert_eq!(
        client.timeouts,
        vec![secs(10), secs(10)],
        "with 30 s left, each attempt gets the policy's full 10 s"
    );
    assert_eq!(
        clock.sleeps(),
        vec![secs(1)],
        "one wait of backoff.ceiling(0) between the two"
    );
}

#[test]
fn each_attempt_gets_at_most_the_time_left() {
    // 0 s: hangs for 10 s. 10 s: waits 1 s. 11 s: hangs for 10 s. 21 s:
    // waits 2 s. 23 s: 2 s left before the deadline at 25 s.
    let clock = FakeClock::new();
    let mut client = Scripted::new(&clock, vec![hangs(), hangs(), answers(secs(1), "échéance")]);
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(25)),
    );
    assert_eq!(
        client.timeouts,
        vec![secs(10), secs(10), secs(2)],
        "the third attempt starts at 23 s with 2 s left before the deadline: its timeout must be \
         those 2 s, not the policy's 10 s, or it could run past the deadline"
    );
    assert!(
        matches!(got, Ok(ref c) if c.text == "échéance"),
        "the third attempt answered in 1 s, inside its 2 s, got {got:?}"
    );
}

#[test]
fn time_spent_in_calls_counts_against_the_deadline() {
    // Each 503 takes 8 s. 0 s: 503. 8 s: waits 1 s. 9 s: 503. 17 s: waits
    // 2 s. 19 s: 1 s left, the call times out. 20 s: no time for a wait.
    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![
            fails(secs(8), server(503)),
            fails(secs(8), server(503)),
            fails(secs(8), server(503)),
            answers(secs(1), "too late"),
        ],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(20)),
    );
    assert_eq!(
        client.timeouts,
        vec![secs(10), secs(10), secs(1)],
        "the time left is the deadline minus the clock's now() at each attempt: calls take time \
         too, not only the waits"
    );
    assert!(
        matches!(
            got,
            Err(RetryError::DeadlineExceeded {
                attempts: 3,
                last: Some(ApiError::Timeout)
            })
        ),
        "after the third attempt timed out at the deadline, the result should be \
         DeadlineExceeded {{ attempts: 3, last: Some(Timeout) }}, got {got:?}"
    );
    assert!(
        clock.elapsed() <= secs(20),
        "the clock ended {:?} after the start, past the deadline at 20 s",
        clock.elapsed()
    );
}

#[test]
fn a_wait_that_would_reach_the_deadline_is_not_slept() {
    // Two scenarios, each failing for one mistake only. First, `>=` against
    // `>`: the deadline is 1 s away and the first wait is 1 s. Nothing has
    // happened yet, so the time left is the same however it is read.
    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![fails(Duration::ZERO, server(503)), answers(Duration::ZERO, "too late")],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(1)),
    );
    assert_eq!(
        clock.sleeps(),
        Vec::<Duration>::new(),
        "a wait of 1 s with 1 s left would end exactly at the deadline, when no call could run: give up instead of sleeping"
    );
    assert!(
        matches!(
            got,
            Err(RetryError::DeadlineExceeded {
                attempts: 1,
                last: Some(ApiError::Server { status: 503 })
            })
        ),
        "giving up before a wait should be DeadlineExceeded with the error that made us wait, got {got:?}"
    );
    // Then the time left read again before each wait: 0 s: 503. 1 s wait,
    // to 1 s. 1 s: 502. The next wait (2 s) would end at 3 s, exactly the
    // deadline, but only if the 1 s already slept is counted: read once at
    // the start, the time left would still say 3 s.
    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![
            fails(Duration::ZERO, server(503)),
            fails(Duration::ZERO, server(502)),
            answers(Duration::ZERO, "too late"),
        ],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(3)),
    );
    assert_eq!(
        clock.sleeps(),
        vec![secs(1)],
        "after the first wait (1 s) only 2 s are left, so the second wait (2 s) would reach the deadline: the time left is the deadline minus the clock's now() before EACH wait, not a number worked out once"
    );
    assert_eq!(client.calls(), 2, "no call once the wait is refused");
    match got {
        Err(RetryError::DeadlineExceeded {
            attempts,
            last: Some(ApiError::Server { status }),
        }) => {
            assert_eq!(attempts, 2, "two attempts were made before giving up");
            assert_eq!(
                status, 502,
                "the error that made us wait is the last one, the 502"
            );
        }
        other => panic!(
            "giving up before a wait should be DeadlineExceeded with the error that made us wait, \
             got {other:?}"
        ),
    }
}

#[test]
fn a_retry_after_past_the_deadline_ends_the_call_at_once() {
    // 60 s, and the largest Retry-After a header in whole seconds can give:
    // `now + wait` would overflow an Instant.
    for asked in [secs(60), secs(u64::MAX)] {
        let clock = FakeClock::new();
        let mut client = Scripted::new(
            &clock,
            vec![
                fails(
                    secs(1),
                    ApiError::RateLimited {
                        retry_after: Some(asked),
                    },
                ),
                answers(secs(1), "too late"),
            ],
        );
        let got: Result<Completion, RetryError> = call_before(
            &mut client,
            &request(),
            &policy(5),
            &clock,
            clock.at(secs(30)),
        );
        assert_eq!(
            clock.sleeps(),
            Vec::<Duration>::new(),
            "the provider asked for {asked:?} and 29 s are left: the wait that counts is the \
             Retry-After, and it would pass the deadline, so do not sleep at all"
        );
        assert_eq!(
            client.calls(),
            1,
            "no second call: the provider said not before {asked:?}"
        );
        assert!(
            matches!(
                got,
                Err(RetryError::DeadlineExceeded {
                    attempts: 1,
                    last: Some(ApiError::RateLimited { .. })
                })
            ),
            "the result should be DeadlineExceeded {{ attempts: 1, last: Some(RateLimited) }}, \
             got {got:?}"
        );
    }
}

#[test]
fn running_out_of_attempts_or_a_permanent_failure_still_end_as_before() {
    // The last attempt fails 1 s before the deadline: no wait is needed, so
    // the attempts ran out before the time did.
    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![
            fails(Duration::ZERO, server(503)),
            fails(secs(1), server(504)),
        ],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(2),
        &clock,
        clock.at(secs(3)),
    );
    assert!(
        matches!(
            got,
            Err(RetryError::Exhausted {
                attempts: 2,
                last: ApiError::Server { status: 504 }
            })
        ),
        "both attempts of two failed while 1 s was still left; no wait follows the last attempt, \
         so the attempts ran out first: Exhausted with the last error, the 504, got {got:?}"
    );

    let clock = FakeClock::new();
    let mut client = Scripted::new(
        &clock,
        vec![
            fails(secs(1), ApiError::Auth { status: 401 }),
            answers(secs(1), "never"),
        ],
    );
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(2)),
    );
    assert_eq!(
        client.calls(),
        1,
        "a refused key is not retried, deadline or not"
    );
    assert!(
        matches!(
            got,
            Err(RetryError::NotRetried(ApiError::Auth { status: 401 }))
        ),
        "a 401 should give NotRetried(Auth), got {got:?}"
    );
}

#[test]
fn the_deadline_error_explains_itself_through_its_source() {
    let clock = FakeClock::new();
    let mut client = Scripted::new(&clock, vec![hangs(), hangs()]);
    let got: Result<Completion, RetryError> = call_before(
        &mut client,
        &request(),
        &policy(5),
        &clock,
        clock.at(secs(15)),
    );
    let err = match got {
        Ok(c) => panic!("the model never answered, got Ok({c:?})"),
        Err(e) => e,
    };
    assert!(
        matches!(
            err,
            RetryError::DeadlineExceeded {
                attempts: 2,
                last: Some(ApiError::Timeout)
            }
        ),
        "two attempts (10 s, then the 4 s left after a 1 s wait) timed out: DeadlineExceeded \
         {{ attempts: 2, last: Some(Timeout) }}, got {err:?}"
    );
    assert_eq!(
        client.timeouts,
        vec![secs(10), secs(4)],
        "the second attempt gets the 4 s left"
    );
    let below = err
        .source()
        .and_then(|s| s.downcast_ref::<ApiError>())
        .map(ToString::to_string);
    assert_eq!(
        below.as_deref(),
        Some("the model API did not answer in time"),
        "the ApiError should be the source of the RetryError"
    );
}
