use super::*;
use std::sync::Condvar;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

/// How long a step may take before the test calls it a hang. It is a guard
/// against waiting forever, never the outcome: every ordering below is
/// forced with channels and a gate.
const GUARD: Duration = Duration::from_secs(3);

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

fn words(prompt: &str) -> usize {
    prompt.split_whitespace().count()
}

fn request(id: u64, prompt: &str) -> (Request, mpsc::Receiver<Answer>) {
    let (reply, answer) = mpsc::channel();
    let request = Request {
        id,
        prompt: prompt.to_owned(),
        reply,
    };
    (request, answer)
}

/// `client.submit(request)`, guarded: a blocking `send` would wait for room
/// in a full queue forever, and a panic is reported with its message.
fn submit_now(client: &Client, request: Request) -> Result<(), Refused> {
    let client = client.clone();
    let (done, result) = mpsc::channel();
    let helper = thread::spawn(move || {
        let _ = done.send(client.submit(request));
    });
    match result.recv_timeout(GUARD) {
        Ok(outcome) => outcome,
        Err(RecvTimeoutError::Timeout) => {
            panic!("submit waited for room in a full queue instead of answering at once")
        }
        Err(RecvTimeoutError::Disconnected) => {
            let why = helper.join().err().map(|payload| panic_text(payload.as_ref()));
            panic!("submit panicked: {}", why.unwrap_or_default())
        }
    }
}

/// Holds the model until the test opens it.
struct Gate {
    opened: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn new() -> Arc<Gate> {
        Arc::new(Gate {
            opened: Mutex::new(false),
            changed: Condvar::new(),
        })
    }

    fn open(&self) {
        *self.opened.lock().unwrap() = true;
        self.changed.notify_all();
    }

    fn wait(&self) {
        let mut opened = self.opened.lock().unwrap();
        while !*opened {
            opened = self.changed.wait(opened).unwrap();
        }
    }
}

/// A model that reports each prompt it starts on, then waits at `gate`.
fn gated(gate: &Arc<Gate>) -> (impl Fn(&str) -> usize + Send + Sync + 'static, mpsc::Receiver<String>) {
    let (started_tx, started) = mpsc::channel();
    let gate = Arc::clone(gate);
    let model = move |prompt: &str| {
        let _ = started_tx.send(prompt.to_owned());
        gate.wait();
        words(prompt)
    };
    (model, started)
}

fn wait_until_started(started: &mpsc::Receiver<String>, how_many: usize, hang: &str) {
    for _ in 0..how_many {
        started.recv_timeout(GUARD).unwrap_or_else(|_| panic!("{hang}"));
    }
}

/// Runs `shutdown` on a thread of its own, so the test can go on meanwhile.
fn shutdown_in_background(server: Server) -> mpsc::Receiver<Result<Vec<usize>, String>> {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let outcome = thread::spawn(move || server.shutdown())
            .join()
            .map_err(|payload| panic_text(payload.as_ref()));
        let _ = done.send(outcome);
    });
    result
}

/// What a shutdown that never returns usually means.
const NEVER_RETURNED: &str =
    "shutdown never returned: the workers still wait for a queue that was never closed";

fn finished(result: &mpsc::Receiver<Result<Vec<usize>, String>>, hang: &str) -> Vec<usize> {
    match result.recv_timeout(GUARD) {
        Ok(Ok(counts)) => counts,
        Ok(Err(why)) => panic!("shutdown panicked: {why}"),
        Err(_) => panic!("{hang}"),
    }
}

/// Submits probes until one is refused with `ShuttingDown`: the moment the
/// intake is closed. The queue is full meanwhile, so no probe gets in.
fn wait_until_closed(client: &Client) {
    let since = Instant::now();
    loop {
        let (probe, _answer) = request(999, "probe");
        match submit_now(client, probe) {
            Err(Refused::ShuttingDown(_)) => return,
            Err(Refused::Busy(_)) => {}
            Ok(()) => panic!("a full queue accepted a request"),
        }
        assert!(
            since.elapsed() < GUARD,
            "shutdown never closed the intake: submit still said Busy, not ShuttingDown. Close the intake before joining the workers"
        );
        thread::yield_now();
    }
}

#[test]
fn an_idle_server_shuts_down_at_once_and_every_worker_returns() {
    let server = Server::start(3, 4, words);
    let client = server.client();
    let counts: Vec<usize> = finished(
        &shutdown_in_background(server),
        "shutdown of an idle server never returned: the workers wait for a queue that was never closed. Take the sender out of the intake BEFORE joining the workers",
    );
    assert_eq!(counts, vec![0, 0, 0], "3 idle workers answered nothing, and each should say so");
    drop(client);
}

#[test]
fn every_accepted_request_is_answered_before_shutdown_returns() {
    let gate = Gate::new();
    let (model, started) = gated(&gate);
    let server = Server::start(2, 4, model);
    let client = server.client();
    let mut answers = Vec::new();
    for id in 0..2 {
        let (req, answer) = request(id, "two words");
        submit_now(&client, req)
            .unwrap_or_else(|_| panic!("an open server with an empty queue refused request {id}"));
        answers.push((id, answer));
    }
    wait_until_started(
        &started,
        2,
        "only one worker ran the model at a time: the other never took a request (stuck on the queue's lock while a model ran, or quit on an empty queue)",
    );
    // Both workers are busy; the queue takes exactly 4 more.
    for id in 2..6 {
        let (req, answer) = request(id, "now three words");
        submit_now(&client, req)
            .unwrap_or_else(|_| panic!("a queue of 4 refused request {id} while it had room"));
        answers.push((id, answer));
    }
    // The caller of request 3 gives up before it is answered.
    let (_, gave_up) = answers.remove(3);
    drop(gave_up);

    let done = shutdown_in_background(server);
    wait_until_closed(&client);
    gate.open();
    let counts: Vec<usize> = finished(
        &done,
        "shutdown did not return once the workers could finish: join the workers, and let each stop when the queue is closed and empty",
    );
    for (id, answer) in &answers {
        match answer.try_recv() {
            Ok(got) => assert_eq!(
                got.id, *id,
                "request {id}'s caller should get request {id}'s answer"
            ),
            Err(TryRecvError::Disconnected) => panic!(
                "request {id} was accepted before shutdown, then dropped without an answer: the workers must drain the queue before they stop"
            ),
            Err(TryRecvError::Empty) => panic!(
                "request {id} was not answered by the time shutdown returned: shutdown must join the workers"
            ),
        }
    }
    assert_eq!(counts.len(), 2, "shutdown returns one count per worker");
    assert_eq!(
        counts.iter().sum::<usize>(),
        6,
        "6 requests were accepted, the one whose caller gave up included, and the workers should count 6: {counts:?}"
    );
}

#[test]
fn the_workers_run_the_model_at_the_same_time() {
    let gate = Gate::new();
    let (model, started) = gated(&gate);
    let server = Server::start(3, 1, model);
    let client = server.client();
    let mut answers = Vec::new();
    for id in 0..3 {
        let (req, answer) = request(id, "x");
        submit_now(&client, req)
            .unwrap_or_else(|_| panic!("request {id} was refused while a worker was free"));
        // Each request is taken by a worker before the next one is sent.
        started.recv_timeout(GUARD).unwrap_or_else(|_| {
            panic!(
                "only {id} of 3 workers ran the model at once: the others never took a request (stuck on the queue's lock while a model ran, or quit on an empty queue)"
            )
        });
        answers.push(answer);
    }
    gate.open();
    for (id, answer) in answers.iter().enumerate() {
        assert!(
            answer.recv_timeout(GUARD).is_ok(),
            "request {id} was never answered"
        );
    }
    let counts: Vec<usize> = finished(&shutdown_in_background(server), NEVER_RETURNED);
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![1, 1, 1], "each of the 3 workers answered one request: {counts:?}");
}

#[test]
fn a_request_after_shutdown_is_refused_and_handed_back() {
    let server = Server::start(2, 4, words);
    let client = server.client();
    let (before, before_answer) = request(1, "just in time");
    assert!(submit_now(&client, before).is_ok(), "an open server refused a request");
    let counts: Vec<usize> = finished(
        &shutdown_in_background(server),
        "shutdown never returned while a client still existed: the workers still wait for a queue that was never closed",
    );
    assert_eq!(
        before_answer.try_recv().ok(),
        Some(Answer { id: 1, tokens: 3 }),
        "the request accepted before shutdown should be answered by the time shutdown returns"
    );
    assert_eq!(counts.iter().sum::<usize>(), 1, "one request was answered: {counts:?}");

    let (late, late_answer) = request(2, "too late");
    match submit_now(&client, late) {
        Ok(()) => panic!("a request after shutdown was accepted, and nobody will ever answer it"),
        Err(Refused::Busy(_)) => {
            panic!("a request after shutdown was refused as Busy: it should say ShuttingDown, since retrying will not help")
        }
        Err(Refused::ShuttingDown(back)) => {
            assert_eq!(back.id, 2, "ShuttingDown hands back the refused request itself");
            back.reply
                .send(Answer { id: 2, tokens: 0 })
                .expect("the handed-back request's reply should still reach its caller");
            assert_eq!(late_answer.try_recv().ok(), Some(Answer { id: 2, tokens: 0 }));
        }
    }
}

#[test]
fn a_full_queue_says_busy_and_hands_the_request_back() {
    let gate = Gate::new();
    let (model, started) = gated(&gate);
    let server = Server::start(1, 2, model);
    let client = server.client();
    let mut answers = Vec::new();
    let (first, answer) = request(0, "a");
    assert!(
        submit_now(&client, first).is_ok(),
        "an open server with an empty queue refused request 0"
    );
    answers.push(answer);
    wait_until_started(&started, 1, "the worker never started on the first request");
    for id in 1..3 {
        let (req, answer) = request(id, "b");
        assert!(
            submit_now(&client, req).is_ok(),
            "a queue of 2 refused request {id} while it had room"
        );
        answers.push(answer);
    }
    let (extra, _extra_answer) = request(3, "c");
    match submit_now(&client, extra) {
        Ok(()) => panic!("a queue of 2 accepted a third waiting request: once full it should say Busy"),
        Err(Refused::ShuttingDown(_)) => {
            panic!("a full queue of an open server said ShuttingDown: full is Busy")
        }
        Err(Refused::Busy(back)) => {
            assert_eq!(back.id, 3, "Busy hands back the refused request itself");
        }
    }
    gate.open();
    let counts: Vec<usize> = finished(&shutdown_in_background(server), NEVER_RETURNED);
    for (id, answer) in answers.iter().enumerate() {
        match answer.try_recv() {
            Ok(_) => {}
            Err(TryRecvError::Disconnected) => panic!(
                "request {id} was accepted before shutdown, then dropped without an answer: the workers must drain the queue before they stop"
            ),
            Err(TryRecvError::Empty) => panic!(
                "request {id} was not answered by the time shutdown returned: shutdown must join the workers"
            ),
        }
    }
    assert_eq!(counts, vec![3], "one worker answered the 3 accepted requests, and should say so");
}

#[test]
fn requests_racing_a_shutdown_are_answered_or_refused_never_lost() {
    let server = Server::start(3, 8, words);
    let (accepted_tx, accepted) = mpsc::channel::<()>();
    let clients: Vec<_> = (0..4u64)
        .map(|c| {
            let client = server.client();
            let accepted_tx = accepted_tx.clone();
            thread::spawn(move || {
                let mut waiting = Vec::new();
                let mut refused = None;
                'ids: for n in 0..5000u64 {
                    let id = c * 10_000 + n;
                    let (mut req, answer) = request(id, "one two");
                    let since = Instant::now();
                    loop {
                        assert!(
                            since.elapsed() < GUARD,
                            "request {id} was refused as Busy for {GUARD:?} while three workers served: after shutdown, submit should say ShuttingDown"
                        );
                        match client.submit(req) {
                            Ok(()) => {
                                waiting.push((id, answer));
                                let _ = accepted_tx.send(());
                                break;
                            }
                            Err(Refused::Busy(back)) => {
                                req = back;
                                thread::yield_now();
                            }
                            Err(Refused::ShuttingDown(back)) => {
                                refused = Some((id, back.id));
                                break 'ids;
                            }
                        }
                    }
                }
                (waiting, refused)
            })
        })
        .collect();
    drop(accepted_tx);
    // Shut down while the clients are still sending.
    for _ in 0..200 {
        accepted
            .recv_timeout(GUARD)
            .expect("the server stopped accepting requests before shutdown: its queue closed on its own");
    }
    let counts: Vec<usize> = finished(
        &shutdown_in_background(server),
        NEVER_RETURNED,
    );
    let mut total = 0;
    for client in clients {
        let (waiting, refused) = client
            .join()
            .unwrap_or_else(|payload| panic!("{}", panic_text(payload.as_ref())));
        if let Some((id, back)) = refused {
            assert_eq!(back, id, "ShuttingDown hands back the refused request itself");
        }
        for (id, answer) in &waiting {
            assert!(
                matches!(answer.try_recv(), Ok(Answer { id: got, tokens: 2 }) if got == *id),
                "request {id} was accepted, yet it had no answer when shutdown returned: every accepted request is answered before shutdown returns"
            );
        }
        total += waiting.len();
    }
    assert_eq!(
        counts.iter().sum::<usize>(),
        total,
        "the workers' counts should add up to the {total} accepted requests: {counts:?}"
    );
}
