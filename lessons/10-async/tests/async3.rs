use super::*;
use std::cell::RefCell;
use std::future::Future;
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

/// A provider that answers prompt `p{i}` after `latency(i)` ms and counts
/// how many calls are open at once.
struct Provider {
    start: Instant,
    latency: Box<dyn Fn(usize) -> u64>,
    fails: Vec<usize>,
    open: RefCell<usize>,
    /// The most calls open at once, and when that was first reached.
    peak: RefCell<(usize, u64)>,
    /// Every call's prompt index and start time, in the order they started.
    starts: RefCell<Vec<(usize, u64)>>,
    /// Every call's prompt index and end time, in the order they ended.
    ends: RefCell<Vec<(usize, u64)>>,
}

impl Provider {
    fn new(latency: impl Fn(usize) -> u64 + 'static, fails: &[usize]) -> Provider {
        Provider {
            start: Instant::now(),
            latency: Box::new(latency),
            fails: fails.to_vec(),
            open: RefCell::new(0),
            peak: RefCell::new((0, 0)),
            starts: RefCell::new(Vec::new()),
            ends: RefCell::new(Vec::new()),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Prints every call as a span of the timeline the Feedback tab draws,
    /// and marks the moment the most calls were open if that broke `limit`.
    fn draw(&self, limit: usize) {
        let ends = self.ends.borrow();
        for (index, start) in self.starts.borrow().iter() {
            let end = ends.iter().find(|(i, _)| i == index).map(|(_, t)| *t);
            let end = end.map_or_else(|| "-".to_owned(), |t| t.to_string());
            println!("tensorlings:span p{index} {start} {end}");
        }
        let (peak, at) = *self.peak.borrow();
        if peak > limit.max(1) {
            println!(
                "tensorlings:mark {at} {peak} in flight at once; the limit is {}",
                limit.max(1)
            );
        }
    }

    fn start_of(&self, index: usize) -> Option<u64> {
        self.starts
            .borrow()
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, t)| *t)
    }
}

/// Counts a call as open until it answers or is dropped.
struct Open<'a>(&'a Provider, usize);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        *self.0.open.borrow_mut() -= 1;
        let now = self.0.now();
        self.0.ends.borrow_mut().push((self.1, now));
    }
}

impl LlmClient for Provider {
    async fn complete(&self, prompt: &str) -> Result<String, ApiError> {
        let index: usize = prompt.trim_start_matches('p').parse().unwrap_or(usize::MAX);
        let now = self.now();
        self.starts.borrow_mut().push((index, now));
        *self.open.borrow_mut() += 1;
        let _open = Open(self, index);
        let open = *self.open.borrow();
        if open > self.peak.borrow().0 {
            *self.peak.borrow_mut() = (open, now);
        }
        tokio::time::sleep(Duration::from_millis((self.latency)(index))).await;
        if self.fails.contains(&index) {
            Err(ApiError::Server {
                status: 500 + index as u16,
            })
        } else {
            Ok(format!("answer {index}"))
        }
    }
}

fn prompts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i}")).collect()
}

/// Runs `complete_bounded`, turning a hang into a failure that says so.
async fn bounded(
    provider: &Provider,
    n: usize,
    limit: usize,
) -> Result<Vec<String>, Vec<(usize, ApiError)>> {
    let prompts = prompts(n);
    let got = tokio::time::timeout(
        Duration::from_secs(3600),
        complete_bounded(provider, &prompts, limit),
    )
    .await;
    provider.draw(limit);
    got.unwrap_or_else(|_| {
            panic!(
                "complete_bounded never finished with a limit of {limit}: after an hour of virtual time {} of {n} prompts had been sent and none was in flight",
                provider.starts.borrow().len()
            )
        })
}

#[test]
fn no_more_than_the_limit_are_in_flight() {
    paused(async {
        let provider = Provider::new(|_| 100, &[]);
        let got = bounded(&provider, 12, 4).await;
        assert!(got.is_ok(), "no prompt failed, yet: {got:?}");
        let (peak, at) = *provider.peak.borrow();
        assert!(
            peak <= 4,
            "{peak} requests were in flight at once at t={at} ms; the limit is 4, and a provider that allows 4 answers the rest with 429"
        );
    });
}

#[test]
fn the_limit_is_used_not_just_respected() {
    paused(async {
        let provider = Provider::new(|_| 100, &[]);
        let got = bounded(&provider, 12, 4).await;
        assert!(got.is_ok(), "no prompt failed, yet: {got:?}");
        let took = provider.now();
        let (peak, _) = *provider.peak.borrow();
        assert!(
            peak >= 4 && took <= 300,
            "12 calls of 100 ms with 4 at a time take 300 ms; these took {took} ms with at most {peak} in flight: the limit is a ceiling to fill, not one call at a time"
        );
    });
}

#[test]
fn a_freed_slot_is_used_at_once() {
    paused(async {
        // p0 answers at 10 ms, p1..p3 at 1000 ms: p4 should take p0's slot at 10 ms.
        let provider = Provider::new(|i| if i == 0 { 10 } else { 1000 }, &[]);
        let got = bounded(&provider, 5, 4).await;
        assert!(got.is_ok(), "no prompt failed, yet: {got:?}");
        let fifth = provider.start_of(4).unwrap_or(u64::MAX);
        assert!(
            fifth <= 10,
            "prompt 4 started at {fifth} ms although a slot was free at 10 ms, when prompt 0 answered: the prompts went in batches, and each batch waited for its slowest call"
        );
    });
}

#[test]
fn answers_come_back_in_the_order_of_the_prompts() {
    paused(async {
        let provider = Provider::new(|i| [300, 50, 200, 10, 120, 80][i], &[]);
        let got = bounded(&provider, 6, 3).await;
        let expected: Vec<String> = (0..6).map(|i| format!("answer {i}")).collect();
        assert_eq!(
            got,
            Ok(expected),
            "the answers in the order of the prompts, not in the order they finished"
        );
    });
}

#[test]
fn every_failure_is_reported_by_its_index() {
    paused(async {
        // Later prompts fail first: 9 at 10 ms, 7 at 50 ms, 2 at 300 ms.
        let provider = Provider::new(
            |i| match i {
                9 => 10,
                7 => 50,
                2 => 300,
                _ => 100,
            },
            &[2, 7, 9],
        );
        let got = bounded(&provider, 12, 4).await;
        let sent = provider.starts.borrow().len();
        assert_eq!(
            sent, 12,
            "every prompt should be tried, failures or not; {sent} of 12 were sent"
        );
        let expected = vec![
            (2, ApiError::Server { status: 502 }),
            (7, ApiError::Server { status: 507 }),
            (9, ApiError::Server { status: 509 }),
        ];
        assert_eq!(
            got,
            Err(expected),
            "every failure, each with the index of its prompt, in index order"
        );
    });
}

#[test]
fn a_limit_of_zero_is_taken_as_one() {
    paused(async {
        let provider = Provider::new(|_| 100, &[]);
        let got = bounded(&provider, 3, 0).await;
        let expected: Vec<String> = (0..3).map(|i| format!("answer {i}")).collect();
        assert_eq!(got, Ok(expected), "a limit of 0 is taken as 1");
        let (peak, at) = *provider.peak.borrow();
        assert_eq!(
            peak, 1,
            "{peak} requests were in flight at once at t={at} ms; a limit of 0 is taken as 1"
        );
    });
}
