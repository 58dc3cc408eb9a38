use super::*;
use std::future::Future;
use std::sync::Mutex;
use tokio::task::JoinHandle;
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
enum End {
    Running,
    Finished(u64),
    Cancelled(u64),
}

/// A handler whose request `id` takes `work(id)` ms, noting for each
/// request when it started and how it ended.
struct Work {
    start: Instant,
    work: fn(u64) -> u64,
    log: Mutex<Vec<(u64, u64, End)>>,
}

impl Work {
    fn new(work: fn(u64) -> u64) -> Arc<Work> {
        Arc::new(Work {
            start: Instant::now(),
            work,
            log: Mutex::new(Vec::new()),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn log(&self) -> Vec<(u64, u64, End)> {
        let mut log = self.log.lock().unwrap().clone();
        log.sort_by_key(|(id, _, _)| *id);
        log
    }

    fn running(&self) -> Vec<u64> {
        self.log()
            .into_iter()
            .filter(|(_, _, e)| *e == End::Running)
            .map(|(id, _, _)| id)
            .collect()
    }
}

struct Watch<'a> {
    work: &'a Work,
    slot: usize,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let now = self.work.now();
        let mut log = self.work.log.lock().unwrap();
        if log[self.slot].2 == End::Running {
            log[self.slot].2 = End::Cancelled(now);
        }
    }
}

impl Handler for Work {
    async fn handle(&self, id: u64) {
        let slot = {
            let mut log = self.log.lock().unwrap();
            log.push((id, self.now(), End::Running));
            log.len() - 1
        };
        let _watch = Watch { work: self, slot };
        tokio::time::sleep(Duration::from_millis((self.work)(id))).await;
        self.log.lock().unwrap()[slot].2 = End::Finished(self.now());
    }
}

/// A server on a task of its own, with its queue, its token and its clock.
struct Running {
    queue: mpsc::Sender<u64>,
    token: CancellationToken,
    /// What `serve` returned, and the requests still running at that moment.
    server: JoinHandle<(ShutdownReport, Vec<u64>)>,
}

fn start(work: &Arc<Work>, grace_ms: u64) -> Running {
    let (queue, requests) = mpsc::channel(16);
    let token = CancellationToken::new();
    let serving = serve(
        Arc::clone(work),
        requests,
        token.clone(),
        Duration::from_millis(grace_ms),
    );
    let work = Arc::clone(work);
    let server = tokio::spawn(async move {
        let report = serving.await;
        // Read in the same step as serve's return: no other task runs between.
        (report, work.running())
    });
    Running {
        queue,
        token,
        server,
    }
}

async fn send(running: &Running, ids: std::ops::Range<u64>) {
    for id in ids {
        running
            .queue
            .send(id)
            .await
            .expect("the server took no requests before shutdown");
    }
    // Let the server take them.
    tokio::task::yield_now().await;
}

/// Prints every request as a span of the timeline the Feedback tab draws;
/// `left` are those still running when serve returned at `returned` ms.
fn draw(work: &Work, returned: Option<u64>, left: &[u64]) {
    for (id, start, end) in work.log() {
        let (end, mark) = match end {
            End::Finished(at) | End::Cancelled(at) => (at.to_string(), ""),
            End::Running => ("-".to_owned(), ""),
        };
        let mark = if left.contains(&id) {
            "still running when serve returned"
        } else {
            mark
        };
        println!("tensorlings:span req{id} {start} {end} {mark}");
    }
    if let Some(at) = returned {
        println!("tensorlings:span serve 0 {at}");
    }
    if let Some(at) = returned
        && !left.is_empty()
    {
        println!(
            "tensorlings:mark {at} serve returned with {} requests still running",
            left.len()
        );
    }
}

/// Waits for `serve` to return, turning a hang into a failure that says so.
async fn report(
    server: JoinHandle<(ShutdownReport, Vec<u64>)>,
    work: &Work,
    what: &str,
) -> (ShutdownReport, Vec<u64>) {
    match tokio::time::timeout(Duration::from_secs(3600), server).await {
        Ok(Ok((report, left))) => {
            draw(work, Some(work.now()), &left);
            (report, left)
        }
        Ok(Err(join_error)) => panic!("serve failed: {join_error}"),
        Err(_) => {
            draw(work, None, &[]);
            panic!("serve never returned {what}")
        }
    }
}

#[test]
fn requests_are_handled_at_the_same_time() {
    paused(async {
        let work = Work::new(|_| 100);
        let running = start(&work, 1000);
        send(&running, 0..5).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        running.token.cancel();
        let (got, _) = report(
            running.server,
            &work,
            "after shutdown, with nothing in flight",
        )
        .await;
        let log = work.log();
        assert_eq!(
            log.len(),
            5,
            "5 requests were sent, and each should be handled once: {log:?}"
        );
        assert!(
            log.iter().all(|(_, started, _)| *started == 0),
            "5 requests of 100 ms sent at 0 ms should all start at 0 ms, each in a task of its own; they started at {:?} ms: one after the other",
            log.iter().map(|(_, s, _)| *s).collect::<Vec<_>>()
        );
        assert_eq!(
            got,
            ShutdownReport { served: 5, cut: 0 },
            "all 5 were served before the shutdown"
        );
    });
}

#[test]
fn shutdown_waits_for_the_requests_in_flight() {
    paused(async {
        let work = Work::new(|id| if id == 0 { 300 } else { 800 });
        let running = start(&work, 2000);
        send(&running, 0..2).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        running.token.cancel();
        let (got, left) = report(
            running.server,
            &work,
            "after shutdown, once its requests had finished",
        )
        .await;
        let returned = work.now();
        assert_eq!(
            got,
            ShutdownReport { served: 2, cut: 0 },
            "both requests finish within the grace period (at 300 and 800 ms; shutdown at 100 ms, grace 2000 ms): 2 served, none cut"
        );
        assert_eq!(
            left,
            Vec::<u64>::new(),
            "every request should have finished when serve returned"
        );
        assert!(
            returned <= 800,
            "the last request finished at 800 ms, yet serve returned at {returned} ms: it waited out the grace period instead of returning when nothing was left"
        );
    });
}

#[test]
fn what_outlives_the_grace_period_is_cut() {
    paused(async {
        let work = Work::new(|id| if id == 0 { 200 } else { 10_000 });
        let running = start(&work, 1000);
        send(&running, 0..3).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        running.token.cancel();
        let (got, left) = report(running.server, &work, "after the grace period").await;
        let returned = work.now();
        assert!(
            returned <= 1100,
            "shutdown began at 100 ms with a grace period of 1000 ms, yet serve returned at {returned} ms: it waited for requests the grace period had given up on"
        );
        assert_eq!(
            got,
            ShutdownReport { served: 1, cut: 2 },
            "request 0 finished at 200 ms; requests 1 and 2 were still running at 1100 ms, when the grace period ended"
        );
        assert!(
            left.is_empty(),
            "requests {left:?} were still running when serve returned: abort only asks a task to stop; wait until they are gone"
        );
        tokio::time::sleep(Duration::from_secs(20)).await;
        let late: Vec<_> = work
            .log()
            .into_iter()
            .filter(|(_, _, end)| matches!(end, End::Finished(at) if *at > returned))
            .collect();
        assert!(
            late.is_empty(),
            "serve returned at {returned} ms, yet requests it had cut went on and finished: {late:?}"
        );
    });
}

#[test]
fn no_request_is_taken_once_shutdown_begins() {
    paused(async {
        let work = Work::new(|_| 5000);
        let running = start(&work, 60_000);
        send(&running, 0..1).await;
        running.token.cancel();
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        // The server is draining request 0; a client tries one more.
        let late = running.queue.send(99).await;
        assert!(
            late.is_err(),
            "request 99 was queued after shutdown began, and nobody will ever take it: close the queue when shutdown begins, so a client's send fails at once"
        );
        let (got, _) = report(running.server, &work, "after request 0 finished").await;
        assert_eq!(
            got,
            ShutdownReport { served: 1, cut: 0 },
            "request 0 finished at 5000 ms, within the grace period"
        );
        assert!(
            work.log().iter().all(|(id, _, _)| *id == 0),
            "only request 0 should ever be handled: {:?}",
            work.log()
        );
    });
}

#[test]
fn when_every_client_is_gone_the_server_drains_and_returns() {
    paused(async {
        let work = Work::new(|_| 300);
        let running = start(&work, 1000);
        send(&running, 0..3).await;
        drop(running.queue);
        let (got, _) = report(
            running.server,
            &work,
            "after every client had gone: `recv` gives `None` once the queue is closed and empty",
        )
        .await;
        assert_eq!(
            got,
            ShutdownReport { served: 3, cut: 0 },
            "3 requests, each finished at 300 ms"
        );
        assert_eq!(
            work.now(),
            300,
            "serve should return when the last request finished, at 300 ms"
        );
        drop(running.token);
    });
}

#[test]
fn a_shutdown_with_nothing_in_flight_returns_at_once() {
    paused(async {
        let work = Work::new(|_| 100);
        let running = start(&work, 30_000);
        running.token.cancel();
        let (got, _) = report(
            running.server,
            &work,
            "after shutdown, with nothing in flight",
        )
        .await;
        let returned = work.now();
        assert_eq!(
            got,
            ShutdownReport { served: 0, cut: 0 },
            "nothing was sent"
        );
        assert_eq!(
            returned, 0,
            "nothing was in flight, yet serve returned at {returned} ms: it waited out the grace period instead of returning when nothing was left"
        );
    });
}
