use super::*;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long a step may take before the test calls it a hang. It is a guard
/// against waiting forever, never the outcome: correct code takes
/// microseconds, and every ordering below is forced with channels.
const GUARD: Duration = Duration::from_secs(3);

/// Runs `f` on a thread of its own and returns its result, or fails with
/// `hang` when it has not finished within `GUARD`. A panic inside `f` fails
/// the test with the same message.
fn within<T: Send + 'static>(hang: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    let helper = thread::spawn(move || {
        let _ = done.send(f());
    });
    match result.recv_timeout(GUARD) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => panic!("{hang}"),
        Err(RecvTimeoutError::Disconnected) => match helper.join() {
            Err(payload) => panic!("{}", panic_text(payload.as_ref())),
            Ok(()) => panic!("{hang}"),
        },
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

fn job(id: u64, prompt: &str) -> (Job, mpsc::Receiver<Answer>) {
    let (reply, answers) = mpsc::channel();
    let job = Job {
        id,
        prompt: prompt.to_owned(),
        reply,
    };
    (job, answers)
}

fn words(prompt: &str) -> usize {
    prompt.split_whitespace().count()
}

/// `submit`, guarded: a blocking `send` would wait for room forever.
fn submit_now(queue: &SyncSender<Job>, job: Job) -> Result<(), Rejected> {
    let queue = queue.clone();
    within(
        "submit waited for room in a full queue instead of answering busy at once",
        move || submit(&queue, job),
    )
}

fn answer_of(id: u64, answers: &mpsc::Receiver<Answer>) -> Answer {
    match answers.recv_timeout(GUARD) {
        Ok(answer) => answer,
        Err(RecvTimeoutError::Timeout) => {
            panic!("request {id} was never answered, and its reply channel is still open")
        }
        Err(RecvTimeoutError::Disconnected) => {
            panic!("request {id} was dropped without an answer")
        }
    }
}

/// Joins the worker, guarded, and fails with a clear message if it panicked.
fn taken_by(worker: JoinHandle<usize>) -> usize {
    let joined = within(
        "the worker did not return after the queue was closed and emptied",
        move || worker.join().map_err(|payload| panic_text(payload.as_ref())),
    );
    joined.unwrap_or_else(|why| {
        panic!("the worker panicked instead of returning its count: {why}")
    })
}

#[test]
fn the_queue_holds_exactly_its_capacity_then_says_busy() {
    for capacity in [1_u64, 3] {
        let (tx, rx) = queue(usize::try_from(capacity).unwrap());
        let mut answers = Vec::new();
        for id in 0..capacity {
            let (job, answer) = job(id, "one prompt");
            answers.push(answer);
            let got: Result<(), Rejected> = submit_now(&tx, job);
            assert!(
                got.is_ok(),
                "a queue of capacity {capacity} refused a request while it had room (request {} of {capacity})",
                id + 1
            );
        }
        let (extra, _answer) = job(99, "one too many");
        match submit_now(&tx, extra) {
            Err(Rejected::Busy(back)) => assert_eq!(
                back.id, 99,
                "Busy should hand back the refused request itself"
            ),
            Err(Rejected::Closed(_)) => {
                panic!("a full queue whose receiver is alive said Closed; full is Busy")
            }
            Ok(()) => panic!(
                "a queue of capacity {capacity} accepted request {}: once full it should say Busy",
                capacity + 1
            ),
        }
        drop(rx);
    }
}

#[test]
fn a_closed_queue_says_closed_not_busy() {
    let (tx, rx) = queue(4);
    drop(rx);
    let (job, _answer) = job(7, "anyone there?");
    match submit_now(&tx, job) {
        Err(Rejected::Closed(back)) => {
            assert_eq!(back.id, 7, "Closed should hand back the refused request itself");
        }
        Err(Rejected::Busy(_)) => panic!(
            "no worker is reading the queue any more, yet submit said Busy: a closed queue is Closed"
        ),
        Ok(()) => panic!("submit accepted a request into a queue nobody reads"),
    }
}

#[test]
fn busy_is_429_and_closed_is_503() {
    let (busy, busy_answers) = job(1, "a");
    let (closed, _closed_answers) = job(2, "b");
    let busy = Rejected::Busy(busy);
    let closed = Rejected::Closed(closed);
    let busy_status: u16 = busy.status();
    let closed_status: u16 = closed.status();
    assert_eq!(busy_status, 429, "Busy should map to 429 Too Many Requests");
    assert_eq!(closed_status, 503, "Closed should map to 503 Service Unavailable");

    // The job comes back whole: the caller can still answer it.
    let back: Job = busy.into_job();
    back.reply
        .send(Answer { id: back.id, tokens: 0 })
        .expect("the returned job's reply channel should still reach its caller");
    assert_eq!(answer_of(1, &busy_answers), Answer { id: 1, tokens: 0 });
}

#[test]
fn the_worker_answers_every_job_and_returns_how_many_it_took() {
    let (tx, rx) = queue(8);
    let prompts = ["one", "two words", "now three words", "", "a b c d e"];
    let mut waiting = Vec::new();
    for (id, prompt) in (10..).zip(prompts) {
        let (job, answer) = job(id, prompt);
        submit_now(&tx, job).unwrap_or_else(|_| {
            panic!("a queue of 8 refused a request while it had room (request {id})")
        });
        waiting.push((id, prompt, answer));
    }
    let worker = spawn_worker(rx, words);
    for (id, prompt, answers) in &waiting {
        let got: Answer = answer_of(*id, answers);
        assert_eq!(
            got,
            Answer {
                id: *id,
                tokens: words(prompt)
            },
            "the answer to request {id} should carry its id and model({prompt:?})"
        );
    }
    drop(tx);
    let taken: usize = taken_by(worker);
    assert_eq!(taken, 5, "the worker took 5 jobs and should say so");
}

#[test]
fn a_full_queue_says_busy_while_the_worker_is_occupied_then_recovers() {
    // The model tells the test when it has started, then waits for the gate.
    let (started_tx, started) = mpsc::channel();
    let (open, gate) = mpsc::channel::<()>();
    let model = move |prompt: &str| {
        let _ = started_tx.send(());
        let _ = gate.recv();
        words(prompt)
    };
    let (tx, rx) = queue(2);
    let worker = spawn_worker(rx, model);

    let (first, first_answer) = job(0, "first request");
    match submit_now(&tx, first) {
        Ok(()) => {}
        Err(Rejected::Closed(_)) => panic!(
            "the queue was closed before the first request arrived: the worker quit when it found the queue empty"
        ),
        Err(Rejected::Busy(_)) => panic!("an empty queue refused a request while it had room"),
    }
    started
        .recv_timeout(GUARD)
        .expect("the worker never started on the first request");

    // The worker holds request 0, so the queue has room for exactly two more.
    let (second, second_answer) = job(1, "second");
    let (third, third_answer) = job(2, "third one here");
    assert!(
        submit_now(&tx, second).is_ok() && submit_now(&tx, third).is_ok(),
        "a queue of capacity 2 refused a request while it had room"
    );
    let (fourth, _fourth_answer) = job(3, "too many");
    match submit_now(&tx, fourth) {
        Err(rejected) => assert_eq!(
            rejected.status(),
            429,
            "a full queue should say Busy (429)"
        ),
        Ok(()) => panic!(
            "a queue of capacity 2 accepted request 3 while the worker was busy: once full it should say Busy"
        ),
    }

    drop(open);
    assert_eq!(answer_of(0, &first_answer).tokens, 2);
    assert_eq!(answer_of(1, &second_answer).tokens, 1);
    assert_eq!(answer_of(2, &third_answer).tokens, 3);

    // Once the queue has drained, it takes requests again.
    let (later, later_answer) = job(4, "after the rush");
    assert!(
        submit_now(&tx, later).is_ok(),
        "the queue had drained, yet it still refused a request"
    );
    assert_eq!(answer_of(4, &later_answer).tokens, 3);
    drop(tx);
    assert_eq!(taken_by(worker), 4, "the worker took 4 jobs and should say so");
}

#[test]
fn a_caller_that_stopped_listening_does_not_stop_the_worker() {
    let (tx, rx) = queue(4);
    let (gone, gone_answer) = job(1, "the caller timed out");
    let (second, second_answer) = job(2, "still here");
    let (third, third_answer) = job(3, "me too");
    for job in [gone, second, third] {
        assert!(
            submit_now(&tx, job).is_ok(),
            "a queue of 4 refused a request while it had room"
        );
    }
    drop(gone_answer);
    let worker = spawn_worker(rx, words);
    assert_eq!(answer_of(2, &second_answer).tokens, 2);
    assert_eq!(answer_of(3, &third_answer).tokens, 2);
    drop(tx);
    assert_eq!(
        taken_by(worker),
        3,
        "the worker took 3 jobs, the unanswerable one included"
    );
}
