use super::*;
use std::future::Future;
use std::sync::Mutex;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Running,
    Answered(u64),
    Cancelled(u64),
}

/// An embedding API: chunk `c{i}` answers after `latency(i)` ms with
/// `[i, 0.5]`, fails with 500+i if `i` is in `fails`, panics if it is
/// `panics`. Every call is noted: still running, answered or cancelled.
struct Api {
    start: Instant,
    latency: fn(usize) -> u64,
    fails: Vec<usize>,
    panics: Option<usize>,
    calls: Mutex<Vec<(usize, Call)>>,
    /// When each call started, by its place in `calls`.
    starts: Mutex<Vec<u64>>,
}

impl Api {
    fn new(latency: fn(usize) -> u64, fails: &[usize], panics: Option<usize>) -> Arc<Api> {
        Arc::new(Api {
            start: Instant::now(),
            latency,
            fails: fails.to_vec(),
            panics,
            calls: Mutex::new(Vec::new()),
            starts: Mutex::new(Vec::new()),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn calls(&self) -> Vec<(usize, Call)> {
        let mut calls = self.calls.lock().unwrap().clone();
        calls.sort_by_key(|(i, _)| *i);
        calls
    }

    /// Prints every call as a span of the timeline the Feedback tab draws;
    /// `late` are the chunks whose calls outlived `embed_all`.
    fn draw(&self, late: &[usize]) {
        let starts = self.starts.lock().unwrap().clone();
        let calls = self.calls.lock().unwrap().clone();
        for ((index, call), start) in calls.into_iter().zip(starts) {
            let end = match call {
                Call::Running => "-".to_owned(),
                Call::Answered(at) | Call::Cancelled(at) => at.to_string(),
            };
            let mark = if late.contains(&index) {
                "outlived embed_all"
            } else {
                ""
            };
            println!("tensorlings:span c{index} {start} {end} {mark}");
        }
    }

    fn running(&self) -> Vec<usize> {
        self.calls()
            .into_iter()
            .filter(|(_, c)| *c == Call::Running)
            .map(|(i, _)| i)
            .collect()
    }

    fn answered_after(&self, t: u64) -> Vec<(usize, u64)> {
        self.calls()
            .into_iter()
            .filter_map(|(i, c)| match c {
                Call::Answered(at) if at > t => Some((i, at)),
                _ => None,
            })
            .collect()
    }
}

/// Notes its call cancelled if the call's future is dropped before the end.
struct Watch<'a> {
    api: &'a Api,
    slot: usize,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let now = self.api.now();
        let mut calls = self.api.calls.lock().unwrap();
        if calls[self.slot].1 == Call::Running {
            calls[self.slot].1 = Call::Cancelled(now);
        }
    }
}

impl Embedder for Api {
    async fn embed(&self, chunk: &str) -> Result<Vec<f32>, ApiError> {
        let index: usize = chunk.trim_start_matches('c').parse().unwrap_or(usize::MAX);
        let slot = {
            let mut calls = self.calls.lock().unwrap();
            calls.push((index, Call::Running));
            self.starts.lock().unwrap().push(self.now());
            calls.len() - 1
        };
        let watch = Watch { api: self, slot };
        tokio::time::sleep(Duration::from_millis((self.latency)(index))).await;
        if self.panics == Some(index) {
            panic!("the embedding client crashed on chunk {index}");
        }
        self.calls.lock().unwrap()[slot].1 = Call::Answered(self.now());
        drop(watch);
        if self.fails.contains(&index) {
            Err(ApiError::Server {
                status: 500 + index as u16,
            })
        } else {
            Ok(vec![index as f32, 0.5])
        }
    }
}

fn chunks(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("c{i}")).collect()
}

#[test]
fn every_chunk_is_embedded_in_the_order_of_the_chunks() {
    paused(async {
        let api = Api::new(|i| [400, 100, 300, 50, 200][i], &[], None);
        let got: Result<Vec<Vec<f32>>, (usize, ApiError)> =
            embed_all(Arc::clone(&api), chunks(5)).await;
        let expected: Vec<Vec<f32>> = (0..5).map(|i| vec![i as f32, 0.5]).collect();
        assert_eq!(
            got,
            Ok(expected),
            "one embedding per chunk, in the order of the chunks (not the order the tasks finished in)"
        );
    });
}

#[test]
fn the_chunks_are_embedded_at_the_same_time() {
    paused(async {
        let api = Api::new(|_| 100, &[], None);
        let got = embed_all(Arc::clone(&api), chunks(8)).await;
        let took = api.now();
        api.draw(&[]);
        assert!(got.is_ok(), "no chunk failed, yet: {got:?}");
        assert_eq!(api.calls().len(), 8, "one call per chunk");
        assert!(
            took <= 100,
            "8 calls of 100 ms took {took} ms: each task should start at once and run beside the others"
        );
    });
}

#[test]
fn the_first_error_in_time_returns_at_once() {
    paused(async {
        // Chunk 6 fails at 10 ms, chunk 2 at 500 ms, the rest answer at 1000 ms.
        let api = Api::new(
            |i| match i {
                6 => 10,
                2 => 500,
                _ => 1000,
            },
            &[2, 6],
            None,
        );
        let got = embed_all(Arc::clone(&api), chunks(8)).await;
        let took = api.now();
        api.draw(&[]);
        assert_eq!(
            got,
            Err((6, ApiError::Server { status: 506 })),
            "chunk 6 failed first (at 10 ms; chunk 2 only at 500 ms): its index and its error, after {took} ms"
        );
        assert!(
            took <= 10,
            "chunk 6 failed at 10 ms, yet embed_all returned at {took} ms: it waited for other tasks before it looked at the failure"
        );
    });
}

#[test]
fn no_task_outlives_the_call() {
    paused(async {
        let api = Api::new(|i| if i == 0 { 10 } else { 1000 }, &[0], None);
        let got = embed_all(Arc::clone(&api), chunks(6)).await;
        let returned = api.now();
        assert_eq!(
            got,
            Err((0, ApiError::Server { status: 500 })),
            "chunk 0 failed"
        );
        let running = api.running();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let late = api.answered_after(returned);
        api.draw(&running);
        println!("tensorlings:span embed_all 0 {returned}");
        assert!(
            late.is_empty(),
            "embed_all returned at {returned} ms, yet its tasks went on and answered (chunk, ms): {late:?}. Nothing stopped them: a task runs on when its handle is dropped"
        );
        assert!(
            running.is_empty(),
            "the calls of chunks {running:?} were still running when embed_all returned at {returned} ms, and were cancelled only later: abort only asks a task to stop"
        );
    });
}

#[test]
fn a_task_that_panics_is_reported_by_its_chunk() {
    paused(async {
        let api = Api::new(|i| if i == 4 { 10 } else { 1000 }, &[], Some(4));
        let got = embed_all(Arc::clone(&api), chunks(6)).await;
        let took = api.now();
        api.draw(&api.running());
        match got {
            Err((4, ApiError::TaskFailed(why))) => assert!(
                why.contains("panic"),
                "TaskFailed should carry the JoinError's text, which says the task panicked: {why:?}"
            ),
            other => panic!(
                "the task of chunk 4 panicked; that is Err((4, ApiError::TaskFailed(..))), not {other:?}"
            ),
        }
        assert!(
            took <= 10,
            "chunk 4's task panicked at 10 ms, yet embed_all returned at {took} ms: it waited for other tasks before it looked at the failure"
        );
        assert!(
            api.running().is_empty(),
            "every other task should be gone when embed_all returns"
        );
    });
}
