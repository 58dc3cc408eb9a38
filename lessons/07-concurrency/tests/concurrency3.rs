use super::*;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long a step may take before the test calls it a hang. It is a guard
/// against waiting forever, never the outcome.
const GUARD: Duration = Duration::from_secs(3);

/// A deadline no test reaches: batches in these tests go out by size or
/// when the channel closes, never by luck of timing.
const HOUR: Duration = Duration::from_secs(3600);

type Answer = Result<f32, BatchError>;

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs `run_batcher` on a thread of its own, as a server would.
fn start<M>(max_items: usize, max_wait: Duration, model: M) -> (Sender<Request>, JoinHandle<Vec<usize>>)
where
    M: FnMut(&[f32]) -> Vec<f32> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || run_batcher(rx, max_items, max_wait, model));
    (tx, handle)
}

/// Closes the channel and returns the batch sizes, guarded.
fn finish(tx: Sender<Request>, handle: JoinHandle<Vec<usize>>) -> Vec<usize> {
    drop(tx);
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(handle.join().map_err(|p| panic_text(p.as_ref())));
    });
    match result.recv_timeout(GUARD) {
        Ok(Ok(sizes)) => sizes,
        Ok(Err(why)) => panic!("run_batcher panicked: {why}"),
        Err(_) => panic!("run_batcher did not return after the channel was closed"),
    }
}

fn send(tx: &Sender<Request>, input: f32) -> mpsc::Receiver<Answer> {
    let (reply, answer) = mpsc::channel();
    tx.send(Request { input, reply })
        .unwrap_or_else(|_| panic!("run_batcher stopped reading requests (it returned or panicked)"));
    answer
}

/// The answer to the request with `input`; `hang` says what a missing answer
/// means in this test.
fn answer_of(input: f32, answer: &mpsc::Receiver<Answer>, hang: &str) -> Answer {
    match answer.recv_timeout(GUARD) {
        Ok(got) => got,
        Err(RecvTimeoutError::Timeout) => panic!("the request with input {input}: {hang}"),
        Err(RecvTimeoutError::Disconnected) => {
            panic!("the request with input {input} was dropped without an answer")
        }
    }
}

fn double(xs: &[f32]) -> Vec<f32> {
    xs.iter().map(|x| 2.0 * x).collect()
}

fn affine(x: f32) -> f32 {
    10.0 * x + 1.0
}

#[test]
fn full_batches_go_out_without_waiting_for_the_deadline() {
    let (tx, handle) = start(4, HOUR, double);
    let inputs: Vec<f32> = (1..=8u8).map(f32::from).collect();
    let answers: Vec<_> = inputs.iter().map(|&x| send(&tx, x)).collect();
    for (&x, answer) in inputs.iter().zip(&answers) {
        let got: Answer = answer_of(
            x,
            answer,
            "no answer although its batch was full; a full batch waited for its deadline",
        );
        assert_eq!(got, Ok(2.0 * x), "the answer to input {x} should be model(x) = {}", 2.0 * x);
    }
    let sizes: Vec<usize> = finish(tx, handle);
    assert_eq!(sizes, vec![4, 4], "8 requests with max_items = 4 make two full batches");
}

#[test]
fn every_caller_gets_its_own_answer() {
    let model = |xs: &[f32]| xs.iter().map(|&x| affine(x)).collect::<Vec<f32>>();
    let (tx, handle) = start(3, HOUR, model);
    let inputs = [0.5_f32, 7.0, -2.0, 3.0, 100.0, 0.0];
    let answers: Vec<_> = inputs.iter().map(|&x| send(&tx, x)).collect();
    for (&x, answer) in inputs.iter().zip(&answers) {
        let got: Answer = answer_of(x, answer, "no answer although its batch was full");
        assert_eq!(
            got,
            Ok(affine(x)),
            "the caller with input {x} should get its own output {}, not another request's",
            affine(x)
        );
    }
    assert_eq!(finish(tx, handle), vec![3, 3], "6 requests with max_items = 3 make two batches of 3");
}

#[test]
fn answers_to_one_caller_come_back_in_the_order_it_asked() {
    let (tx, handle) = start(4, HOUR, double);
    // One caller, one reply channel, six requests.
    let (reply, answers) = mpsc::channel();
    for n in 0..6u8 {
        let request = Request {
            input: f32::from(n),
            reply: reply.clone(),
        };
        tx.send(request).expect("run_batcher stopped reading requests");
    }
    drop(reply);
    let sizes = finish(tx, handle);
    let mut got: Vec<Answer> = Vec::new();
    while let Ok(answer) = answers.try_recv() {
        got.push(answer);
    }
    assert_eq!(
        got.len(),
        6,
        "one caller sent 6 requests and got {} answers; when the channel closes, the pending batch is answered too: {got:?}",
        got.len()
    );
    let want: Vec<Answer> = (0..6u8).map(|n| Ok(2.0 * f32::from(n))).collect();
    assert_eq!(got, want, "one caller's answers should come back in the order it asked");
    assert_eq!(sizes, vec![4, 2], "a full batch of 4, then the 2 left when the channel closed");
    assert_eq!(
        answers.try_recv(),
        Err(TryRecvError::Disconnected),
        "a request was answered twice"
    );
}

#[test]
fn a_lone_request_is_answered_once_max_wait_has_passed() {
    let (tx, handle) = start(8, Duration::from_millis(20), double);
    for x in [1.5_f32, 4.0] {
        let answer = send(&tx, x);
        // The channel stays open: only the deadline can release this batch.
        let got: Answer = answer_of(
            x,
            &answer,
            "a lone request was never answered, though its max_wait had long passed",
        );
        assert_eq!(got, Ok(2.0 * x), "the answer to input {x} should be model(x) = {}", 2.0 * x);
    }
    assert_eq!(finish(tx, handle), vec![1, 1], "each lone request is a batch of its own");
}

#[test]
fn a_steady_trickle_does_not_postpone_the_first_batch() {
    // Requests keep arriving, each well within max_wait of the one before.
    // The first batch is still due max_wait after its OLDEST request.
    let (tx, handle) = start(10_000, Duration::from_millis(40), double);
    let first = send(&tx, 1.0);
    let mut others = Vec::new();
    let started = std::time::Instant::now();
    let got = loop {
        match first.recv_timeout(Duration::from_millis(2)) {
            Ok(got) => break got,
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the first request was dropped without an answer")
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        assert!(
            started.elapsed() < GUARD,
            "a steady trickle of requests kept postponing the first batch: {} requests in {GUARD:?}, and the first is still waiting",
            others.len() + 1
        );
        others.push(send(&tx, 0.0));
    };
    assert_eq!(got, Ok(2.0), "the answer to input 1 should be model(x) = 2");
    let sizes = finish(tx, handle);
    assert_eq!(
        sizes.iter().sum::<usize>(),
        others.len() + 1,
        "every request sent should be in exactly one batch: {sizes:?}"
    );
    for other in &others {
        let got: Answer = answer_of(0.0, other, "no answer, yet run_batcher has returned");
        assert_eq!(got, Ok(0.0), "the answer to input 0 should be model(x) = 0");
    }
}

// A loop that checks the deadline only when `recv_timeout` times out passes
// the trickle above (the queue empties between sends, so the wait times out)
// and fails here: under a flood the queue never empties, so the wait never
// times out. With max_wait 0 every request is due the moment it is pushed.
#[test]
fn a_flood_that_never_lets_the_wait_time_out_still_meets_the_deadline() {
    let (tx, rx) = mpsc::channel();
    let answers: Vec<_> = (1..=5u8).map(|x| send(&tx, f32::from(x))).collect();
    drop(tx);
    let sizes = run_batcher(rx, 100, Duration::ZERO, double);
    assert_eq!(
        sizes,
        vec![1, 1, 1, 1, 1],
        "with max_wait 0, five requests already queued are each due as soon as they are pushed: check the deadline after every push (`batcher.poll(now)`), not only when the wait times out"
    );
    for (x, answer) in (1..=5u8).map(f32::from).zip(&answers) {
        let got: Answer = answer_of(x, answer, "no answer, yet run_batcher has returned");
        assert_eq!(got, Ok(2.0 * x), "the answer to input {x} should be model(x) = {}", 2.0 * x);
    }
}

#[test]
fn closing_the_channel_answers_what_is_pending() {
    let (tx, handle) = start(8, HOUR, double);
    let inputs = [3.0_f32, 1.0, 2.0];
    let answers: Vec<_> = inputs.iter().map(|&x| send(&tx, x)).collect();
    let sizes = finish(tx, handle);
    for (&x, answer) in inputs.iter().zip(&answers) {
        let got: Answer = answer_of(x, answer, "no answer, yet run_batcher has returned");
        assert_eq!(got, Ok(2.0 * x), "the answer to input {x} should be model(x) = {}", 2.0 * x);
    }
    assert_eq!(sizes, vec![3], "the 3 pending requests go out as one batch when the channel closes");
}

#[test]
fn a_model_that_miscounts_fails_its_batch_instead_of_losing_requests() {
    // First call: one output too few. Second call: one too many.
    let mut calls = 0;
    let model = move |xs: &[f32]| {
        calls += 1;
        let n = if calls == 1 { xs.len() - 1 } else { xs.len() + 1 };
        vec![0.0; n]
    };
    let (tx, handle) = start(3, HOUR, model);
    for got_outputs in [2, 4] {
        let inputs = [1.0_f32, 2.0, 3.0];
        let answers: Vec<_> = inputs.iter().map(|&x| send(&tx, x)).collect();
        for (&x, answer) in inputs.iter().zip(&answers) {
            let got: Answer = answer_of(x, answer, "no answer although its batch was full");
            assert_eq!(
                got,
                Err(BatchError::ModelMiscounted {
                    expected: 3,
                    got: got_outputs
                }),
                "the model returned {got_outputs} outputs for 3 inputs, so no output can be trusted to belong to its request"
            );
        }
    }
    assert_eq!(finish(tx, handle), vec![3, 3]);
}

#[test]
fn a_caller_that_gave_up_does_not_stop_the_batcher() {
    let (tx, handle) = start(2, HOUR, double);
    let gone = send(&tx, 1.0);
    drop(gone);
    let inputs = [2.0_f32, 3.0, 4.0];
    let answers: Vec<_> = inputs.iter().map(|&x| send(&tx, x)).collect();
    for (&x, answer) in inputs.iter().zip(&answers) {
        let got: Answer = answer_of(x, answer, "no answer although its batch was full");
        assert_eq!(got, Ok(2.0 * x), "the answer to input {x} should be model(x) = {}", 2.0 * x);
    }
    assert_eq!(finish(tx, handle), vec![2, 2]);
}
