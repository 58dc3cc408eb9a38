use super::*;
use std::cell::Cell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// A clock that moves only when a test (or a slow fake call) moves it.
struct FakeClock {
    start: Instant,
    elapsed: Cell<Duration>,
}

impl FakeClock {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            elapsed: Cell::new(Duration::ZERO),
        }
    }
    /// The instant `d` after the test began.
    fn at(&self, d: Duration) -> Instant {
        self.start + d
    }
    fn advance(&self, d: Duration) {
        self.elapsed.set(self.elapsed.get() + d);
    }
    fn set(&self, d: Duration) {
        self.elapsed.set(d);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed.get()
    }
}

/// A breaker's state with instants shown as time since the test began, so a
/// failed comparison reads `Open(40s)`.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Closed(u32),
    Open(Duration),
    HalfOpen,
}

fn seen(clock: &FakeClock, state: State) -> Seen {
    match state {
        State::Closed { failures } => Seen::Closed(failures),
        State::Open { until } => Seen::Open(until.saturating_duration_since(clock.start)),
        State::HalfOpen => Seen::HalfOpen,
    }
}

/// A model that answers from a script, counts its calls, and moves the
/// shared clock by the time each call takes.
struct Scripted<'c> {
    name: &'static str,
    clock: &'c FakeClock,
    replies: VecDeque<(Duration, Result<Completion, ApiError>)>,
    calls: usize,
}

impl<'c> Scripted<'c> {
    fn new(name: &'static str, clock: &'c FakeClock) -> Self {
        Self {
            name,
            clock,
            replies: VecDeque::new(),
            calls: 0,
        }
    }
    fn then(mut self, takes: Duration, reply: Result<Completion, ApiError>) -> Self {
        self.replies.push_back((takes, reply));
        self
    }
}

impl ModelClient for Scripted<'_> {
    fn complete(&mut self, prompt: &str) -> Result<Completion, ApiError> {
        assert_eq!(
            prompt, "Summarise the incident.",
            "the prompt is passed on unchanged"
        );
        self.calls += 1;
        let (takes, reply) = self.replies.pop_front().unwrap_or_else(|| {
            panic!(
                "the {} model was called {} times, more than the test scripted",
                self.name, self.calls
            )
        });
        self.clock.advance(takes);
        reply
    }
}

fn text(t: &str) -> Result<Completion, ApiError> {
    Ok(Completion {
        text: t.to_owned(),
        tokens: 5,
    })
}

fn server(status: u16) -> Result<Completion, ApiError> {
    Err(ApiError::Server { status })
}

const COOL_DOWN: Duration = Duration::from_secs(30);

/// Opens after three transient failures in a row, for 30 s.
fn breaker() -> CircuitBreaker {
    CircuitBreaker::new(3, COOL_DOWN)
}

/// A breaker opened by three failures at `at`.
fn opened(clock: &FakeClock, at: Duration) -> CircuitBreaker {
    let mut b = breaker();
    for _ in 0..2 {
        b.on_failure(clock.at(at));
    }
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Closed(2),
        "after 2 failures of 3 the breaker is still closed and counts them"
    );
    b.on_failure(clock.at(at));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Open(at + COOL_DOWN),
        "three failures in a row at {}s: the third opens the breaker until 30 s later",
        at.as_secs()
    );
    b
}

fn ask<P: ModelClient, F: ModelClient>(
    router: &mut Router<P, F>,
    clock: &FakeClock,
) -> Result<Answer, ApiError> {
    router.complete("Summarise the incident.", clock)
}

#[test]
fn the_breaker_opens_after_n_transient_failures_in_a_row() {
    let clock = FakeClock::new();
    let mut b = breaker();
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Closed(0),
        "a new breaker is closed"
    );
    for failures in 1..=2 {
        b.on_failure(clock.at(secs(failures.into())));
        assert_eq!(
            b.state(),
            State::Closed { failures },
            "after {failures} failure(s) of 3 the breaker is still closed and counts them"
        );
        let allowed: bool = b.try_acquire(clock.at(secs(5)));
        assert!(allowed, "a closed breaker lets every call through");
    }
    b.on_failure(clock.at(secs(7)));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Open(secs(7) + COOL_DOWN),
        "the third failure in a row opens the breaker until cool_down after that failure"
    );
    let allowed: bool = b.try_acquire(clock.at(secs(8)));
    assert!(!allowed, "an open breaker refuses calls");

    let mut b = CircuitBreaker::new(1, COOL_DOWN);
    b.on_failure(clock.at(secs(1)));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Open(secs(1) + COOL_DOWN),
        "with a threshold of 1, the first failure opens the breaker"
    );
}

#[test]
fn a_success_resets_the_count_of_failures() {
    let clock = FakeClock::new();
    let mut b = breaker();
    b.on_failure(clock.at(secs(1)));
    b.on_failure(clock.at(secs(2)));
    b.on_success();
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Closed(0),
        "a success sets the count back to zero: only failures IN A ROW open the breaker"
    );
    b.on_failure(clock.at(secs(3)));
    b.on_failure(clock.at(secs(4)));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Closed(2),
        "two failures since the last success: still closed and counts them (2)"
    );
}

#[test]
fn after_the_cool_down_one_trial_call_goes_through() {
    let clock = FakeClock::new();
    let mut b = opened(&clock, secs(10));
    for at in [secs(10), secs(25), secs(40) - Duration::from_millis(1)] {
        let allowed: bool = b.try_acquire(clock.at(at));
        assert!(
            !allowed,
            "the breaker opened at 10 s for 30 s: at {at:?} it must still refuse"
        );
        assert!(
            matches!(b.state(), State::Open { .. }),
            "before its time is up the breaker stays open, got {:?}",
            b.state()
        );
    }
    let allowed: bool = b.try_acquire(clock.at(secs(40)));
    assert!(
        allowed,
        "at 40 s the cool-down is over: the next call goes through as a trial"
    );
    assert_eq!(
        seen(&clock, b.state()),
        Seen::HalfOpen,
        "letting the trial through makes the breaker half-open"
    );
    for at in [secs(40), secs(41), secs(500)] {
        let allowed: bool = b.try_acquire(clock.at(at));
        assert!(
            !allowed,
            "the trial call is still out: only ONE call goes through while half-open, \
             every other one is refused (at {at:?})"
        );
    }
    assert_eq!(
        seen(&clock, b.state()),
        Seen::HalfOpen,
        "it stays half-open until the trial ends"
    );
}

#[test]
fn a_trial_that_succeeds_closes_the_breaker() {
    let clock = FakeClock::new();
    let mut b = opened(&clock, secs(0));
    assert!(
        b.try_acquire(clock.at(secs(30))),
        "the trial goes through at 30 s"
    );
    b.on_success();
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Closed(0),
        "a trial that succeeds closes the breaker with no failures counted"
    );
    assert!(
        b.try_acquire(clock.at(secs(31))),
        "closed again, so calls go through"
    );
    assert!(
        b.try_acquire(clock.at(secs(31))),
        "every call, not only one"
    );
}

#[test]
fn a_trial_that_fails_opens_it_again_for_a_full_cool_down() {
    let clock = FakeClock::new();
    let mut b = opened(&clock, secs(0));
    assert!(
        b.try_acquire(clock.at(secs(35))),
        "the trial goes through at 35 s"
    );
    b.on_failure(clock.at(secs(36)));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Open(secs(36) + COOL_DOWN),
        "a failed trial opens the breaker again at once, until cool_down after that failure \
         (one failure, not three: the provider is still down)"
    );
    assert!(
        !b.try_acquire(clock.at(secs(37))),
        "and it refuses calls again"
    );

    // A late failure of a call that began before the breaker opened.
    let mut b = opened(&clock, secs(0));
    b.on_failure(clock.at(secs(20)));
    assert_eq!(
        seen(&clock, b.state()),
        Seen::Open(COOL_DOWN),
        "a failure reported while the breaker is already open leaves it as it is"
    );
}

#[test]
fn the_fallback_answers_while_the_breaker_is_open() {
    let clock = FakeClock::new();
    let mut router = Router {
        primary: Scripted::new("primary", &clock)
            .then(secs(1), server(503))
            .then(secs(1), Err(ApiError::Timeout))
            .then(secs(1), server(502)),
        fallback: Scripted::new("fallback", &clock)
            .then(secs(1), text("small 1"))
            .then(secs(1), text("small 2"))
            .then(secs(1), text("small 3"))
            .then(secs(1), text("small 4"))
            .then(secs(1), server(500)),
        breaker: breaker(),
    };
    for n in 1..=4 {
        let got: Result<Answer, ApiError> = ask(&mut router, &clock);
        match got {
            Ok(Answer {
                completion,
                served_by: Model::Fallback,
            }) => assert_eq!(
                completion.text,
                format!("small {n}"),
                "the fallback's own answer"
            ),
            other => panic!(
                "request {n}: the primary failed transiently or the breaker is open, so the \
                 fallback should answer (served_by: Model::Fallback), got {other:?}"
            ),
        }
    }
    assert_eq!(
        router.primary.calls, 3,
        "after three failures in a row the breaker is open: the fourth request must not reach \
         the primary"
    );
    let got: Result<Answer, ApiError> = ask(&mut router, &clock);
    assert!(
        matches!(got, Err(ApiError::Server { status: 500 })),
        "when the fallback fails too, its error comes back, got {got:?}"
    );
}

#[test]
fn a_permanent_failure_is_returned_and_not_hidden_by_the_fallback() {
    let clock = FakeClock::new();
    let mut router = Router {
        primary: Scripted::new("primary", &clock)
            .then(secs(1), server(503))
            .then(secs(1), server(503))
            .then(secs(1), Err(ApiError::Auth { status: 401 }))
            .then(secs(1), server(503))
            .then(secs(1), server(503))
            .then(secs(1), text("big")),
        fallback: Scripted::new("fallback", &clock)
            .then(secs(1), text("small"))
            .then(secs(1), text("small"))
            .then(secs(1), text("small"))
            .then(secs(1), text("small")),
        breaker: breaker(),
    };
    ask(&mut router, &clock).ok();
    assert_eq!(
        router.primary.calls, 1,
        "a closed breaker lets the call through to the primary (try_acquire is true while closed)"
    );
    ask(&mut router, &clock).ok();
    let got: Result<Answer, ApiError> = ask(&mut router, &clock);
    assert!(
        matches!(got, Err(ApiError::Auth { status: 401 })),
        "a refused key must come back as the error, not be covered up by the fallback's \
         answer, got {got:?}"
    );
    assert_eq!(
        seen(&clock, router.breaker.state()),
        Seen::Closed(0),
        "a 401 is the provider answering: for the breaker it is a success and resets the count"
    );
    ask(&mut router, &clock).ok();
    ask(&mut router, &clock).ok();
    let got: Result<Answer, ApiError> = ask(&mut router, &clock);
    assert!(
        matches!(
            got,
            Ok(Answer {
                served_by: Model::Primary,
                ..
            })
        ),
        "503, 503, 401, 503, 503 is not three transient failures in a row: the breaker stays \
         closed and the primary answers, got {got:?}"
    );
    assert_eq!(
        router.fallback.calls, 4,
        "the fallback answered the four 503s only"
    );
}

// The outage a production engineer fears most: a spent quota comes back as a 429, and a
// client that treats every 429 as transient retries it, opens its breaker
// and serves every request from the fallback, so nobody notices until the
// quality drops. `QuotaExceeded` is permanent: the router must return it
// every time, and never count it against the provider.
#[test]
fn a_spent_quota_is_returned_every_time_and_never_switches_to_the_fallback() {
    let clock = FakeClock::new();
    let mut router = Router {
        primary: Scripted::new("primary", &clock)
            .then(secs(1), Err(ApiError::QuotaExceeded))
            .then(secs(1), Err(ApiError::QuotaExceeded))
            .then(secs(1), Err(ApiError::QuotaExceeded))
            .then(secs(1), Err(ApiError::QuotaExceeded))
            .then(secs(1), Err(ApiError::QuotaExceeded)),
        fallback: Scripted::new("fallback", &clock)
            .then(secs(1), text("small"))
            .then(secs(1), text("small"))
            .then(secs(1), text("small"))
            .then(secs(1), text("small"))
            .then(secs(1), text("small")),
        breaker: breaker(),
    };
    for ask_number in 1..=5 {
        let got: Result<Answer, ApiError> = ask(&mut router, &clock);
        assert_eq!(
            router.primary.calls, ask_number,
            "a closed breaker lets the call through to the primary (try_acquire is true while closed)"
        );
        assert!(
            matches!(got, Err(ApiError::QuotaExceeded)),
            "request {ask_number}: a spent quota must come back as the error every time, not be served by the fallback, got {got:?}"
        );
    }
    assert_eq!(
        router.fallback.calls, 0,
        "a spent quota is permanent: the fallback is never asked"
    );
    assert_eq!(
        seen(&clock, router.breaker.state()),
        Seen::Closed(0),
        "five spent-quota answers are the provider answering: the breaker stays closed"
    );
}

#[test]
fn the_cool_down_starts_when_the_failure_comes_back() {
    let clock = FakeClock::new();
    let mut router = Router {
        primary: Scripted::new("primary", &clock)
            .then(secs(20), Err(ApiError::Timeout))
            .then(secs(20), Err(ApiError::Timeout))
            .then(secs(20), Err(ApiError::Timeout)),
        fallback: Scripted::new("fallback", &clock)
            .then(Duration::ZERO, text("small"))
            .then(Duration::ZERO, text("small"))
            .then(Duration::ZERO, text("small")),
        breaker: breaker(),
    };
    for _ in 0..3 {
        ask(&mut router, &clock).ok();
    }
    assert_eq!(
        seen(&clock, router.breaker.state()),
        Seen::Open(secs(60) + COOL_DOWN),
        "the third call started at 40 s and timed out at 60 s: read the clock AFTER the call, \
         so the breaker stays open until 60 s + 30 s"
    );
}

#[test]
fn the_router_sends_one_trial_to_the_primary_after_the_cool_down() {
    let clock = FakeClock::new();
    let mut router = Router {
        primary: Scripted::new("primary", &clock).then(Duration::ZERO, text("big, recovered")),
        fallback: Scripted::new("fallback", &clock)
            .then(Duration::ZERO, text("small"))
            .then(Duration::ZERO, text("small")),
        breaker: opened(&clock, Duration::ZERO),
    };
    clock.set(secs(29));
    let got: Result<Answer, ApiError> = ask(&mut router, &clock);
    assert!(
        matches!(
            got,
            Ok(Answer {
                served_by: Model::Fallback,
                ..
            })
        ),
        "at 29 s the breaker is still open: the fallback answers, got {got:?}"
    );
    clock.set(secs(30));
    let got: Result<Answer, ApiError> = ask(&mut router, &clock);
    assert!(
        matches!(got, Ok(Answer { served_by: Model::Primary, ref completion }) if completion.text == "big, recovered"),
        "at 30 s the cool-down is over: the request goes to the primary as the trial, got {got:?}"
    );
    assert_eq!(
        seen(&clock, router.breaker.state()),
        Seen::Closed(0),
        "the trial succeeded, so the router should tell the breaker (on_success) and it closes"
    );
}
