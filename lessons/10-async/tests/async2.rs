use super::*;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Runs `future` on a one-thread runtime whose clock is paused: a sleep
/// takes no real time, and the clock jumps to the next timer whenever
/// every task is waiting. Virtual milliseconds are the same on every machine.
fn paused<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    Running,
    Answered(u64),
    Cancelled(u64),
}

/// A model client that answers after a scripted delay on tokio's clock and
/// notes, for every call, whether it answered or was dropped, and when.
struct Fake {
    start: Instant,
    script: fn(&str) -> (u64, Result<String, ApiError>),
    calls: Mutex<Vec<End>>,
}

impl Fake {
    fn new(script: fn(&str) -> (u64, Result<String, ApiError>)) -> Arc<Fake> {
        Arc::new(Fake {
            start: Instant::now(),
            script,
            calls: Mutex::new(Vec::new()),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn calls(&self) -> Vec<End> {
        self.calls.lock().unwrap().clone()
    }
}

/// Marks its call cancelled if the call's future is dropped before the end.
struct Watch<'a> {
    fake: &'a Fake,
    index: usize,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let now = self.fake.now();
        let mut calls = self.fake.calls.lock().unwrap();
        if calls[self.index] == End::Running {
            calls[self.index] = End::Cancelled(now);
        }
    }
}

impl LlmClient for Fake {
    async fn complete(&self, prompt: &str) -> Result<String, ApiError> {
        let (latency, answer) = (self.script)(prompt);
        let index = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(End::Running);
            calls.len() - 1
        };
        let _watch = Watch { fake: self, index };
        tokio::time::sleep(Duration::from_millis(latency)).await;
        if prompt == "boom" {
            panic!("the fake client crashed on purpose");
        }
        self.calls.lock().unwrap()[index] = End::Answered(self.now());
        answer
    }
}

fn script(prompt: &str) -> (u64, Result<String, ApiError>) {
    match prompt {
        "fast" => (200, Ok("quick answer".to_owned())),
        "slow" => (5000, Ok("late answer".to_owned())),
        "overloaded" => (100, Err(ApiError::Server { status: 503 })),
        "limited" => (100, Err(ApiError::RateLimited)),
        "boom" => (100, Ok(String::new())),
        _ => (0, Ok(String::new())),
    }
}

const LIMIT: Duration = Duration::from_millis(1000);

#[test]
fn an_answer_within_the_limit_comes_back_as_it_is() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> = complete_within(&*client, "fast", LIMIT).await;
        let took = client.now();
        assert_eq!(
            got,
            Ok("quick answer".to_owned()),
            "a call of 200 ms within a limit of 1000 ms"
        );
        assert_eq!(
            took, 200,
            "the answer came at 200 ms, but complete_within returned at {took} ms: it should return as soon as the call answers"
        );
        assert_eq!(
            client.calls(),
            vec![End::Answered(200)],
            "one call, answered"
        );
    });
}

#[test]
fn a_slow_call_is_a_timeout_at_the_limit() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> = complete_within(&*client, "slow", LIMIT).await;
        let took = client.now();
        assert_eq!(
            got,
            Err(ApiError::Timeout),
            "a call of 5000 ms with a limit of 1000 ms is `ApiError::Timeout` (after {took} ms)"
        );
        assert_eq!(
            took, 1000,
            "the limit is 1000 ms, yet complete_within returned at {took} ms"
        );
        assert_eq!(
            client.calls(),
            vec![End::Cancelled(1000)],
            "the call should be dropped, and so cancelled, when the limit passes"
        );
    });
}

#[test]
fn the_clients_own_error_is_not_a_timeout() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> = complete_within(&*client, "overloaded", LIMIT).await;
        assert_eq!(
            got,
            Err(ApiError::Server { status: 503 }),
            "the client answered 503 within the limit: its own error, unchanged, not a Timeout"
        );
        let got: Result<String, ApiError> =
            complete_in_background(Arc::clone(&client), "limited".to_owned(), LIMIT).await;
        assert_eq!(
            got,
            Err(ApiError::RateLimited),
            "in the background too, the client's own error comes back unchanged, not as a Timeout"
        );
    });
}

#[test]
fn a_background_call_answers_within_the_limit() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> =
            complete_in_background(Arc::clone(&client), "fast".to_owned(), LIMIT).await;
        let took = client.now();
        assert_eq!(
            got,
            Ok("quick answer".to_owned()),
            "a call of 200 ms within a limit of 1000 ms"
        );
        assert_eq!(
            took, 200,
            "the answer came at 200 ms, but complete_in_background returned at {took} ms: it should return as soon as the task answers"
        );
    });
}

#[test]
fn a_background_call_that_times_out_is_cancelled() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> =
            complete_in_background(Arc::clone(&client), "slow".to_owned(), LIMIT).await;
        let took = client.now();
        assert_eq!(
            got,
            Err(ApiError::Timeout),
            "a call of 5000 ms with a limit of 1000 ms is a Timeout"
        );
        assert_eq!(
            took, 1000,
            "the limit is 1000 ms, yet complete_in_background returned at {took} ms"
        );
        // Wait well past the call's own 5000 ms, and see whether it went on.
        tokio::time::sleep(Duration::from_secs(10)).await;
        // The picture the Feedback tab draws: the caller, and the call's task.
        println!("tensorlings:span caller 0 {took}");
        for call in client.calls() {
            match call {
                End::Answered(at) if at > took => {
                    println!("tensorlings:span call 0 {at} ran on after the timeout at {took} ms")
                }
                End::Answered(at) | End::Cancelled(at) => println!("tensorlings:span call 0 {at}"),
                End::Running => println!("tensorlings:span call 0 - still running"),
            }
        }
        match client.calls().as_slice() {
            [End::Cancelled(at)] if *at <= 1000 => {}
            [End::Answered(at)] => panic!(
                "the call timed out at 1000 ms, yet its task went on running and answered at {at} ms, still holding its connection and its tokens: dropping a JoinHandle detaches the task, it does not stop it"
            ),
            other => panic!("one call, cancelled at 1000 ms, was expected: {other:?}"),
        }
    });
}

#[test]
fn a_call_that_panics_is_a_task_error_not_a_crash() {
    paused(async {
        let client = Fake::new(script);
        let got: Result<String, ApiError> =
            complete_in_background(Arc::clone(&client), "boom".to_owned(), LIMIT).await;
        match got {
            Err(ApiError::TaskFailed(why)) => assert!(
                why.contains("panic"),
                "TaskFailed should carry the JoinError's text, which says the task panicked: {why:?}"
            ),
            other => panic!("the task panicked; that is `ApiError::TaskFailed(..)`, not {other:?}"),
        }
    });
}
