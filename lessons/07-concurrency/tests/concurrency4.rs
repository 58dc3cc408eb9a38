use super::*;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a step may take before the test calls it a hang. It is a guard
/// against waiting forever, never the outcome: every ordering below is
/// forced with channels and condition variables.
const GUARD: Duration = Duration::from_secs(3);

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

/// Multiplies by a constant.
struct Scale {
    name: &'static str,
    factor: f32,
}

impl Model for Scale {
    fn name(&self) -> &str {
        self.name
    }
    fn predict(&self, x: f32) -> f32 {
        self.factor * x
    }
}

/// Doubles, but the request for `first` waits until `last` has been served:
/// its client can only finish if another client runs at the same time.
struct FirstWaitsForLast {
    first: f32,
    last: f32,
    last_seen: Mutex<bool>,
    seen: Condvar,
}

impl Model for FirstWaitsForLast {
    fn name(&self) -> &str {
        "double"
    }
    fn predict(&self, x: f32) -> f32 {
        if x == self.last {
            *self.last_seen.lock().unwrap() = true;
            self.seen.notify_all();
        } else if x == self.first {
            let mut seen = self.last_seen.lock().unwrap();
            while !*seen {
                seen = self.seen.wait(seen).unwrap();
            }
        }
        2.0 * x
    }
}

/// Doubles, after telling the test it has started and waiting for its go.
struct Held {
    entered: Sender<()>,
    release: Mutex<Receiver<()>>,
}

impl Model for Held {
    fn name(&self) -> &str {
        "held"
    }
    fn predict(&self, x: f32) -> f32 {
        let _ = self.entered.send(());
        let _ = self.release.lock().unwrap().recv();
        2.0 * x
    }
}

/// How long the counting test keeps serving. A count that is read, then
/// written, loses a request only when two threads run between the read and
/// the write at the same moment. No test can force that moment; this one
/// gives it tens of thousands of chances. A correct count never loses one,
/// however long it runs, so the outcome for correct code never varies.
const HAMMER: Duration = Duration::from_millis(300);

#[test]
fn one_server_answers_from_many_threads_and_counts_every_request() {
    let server = Arc::new(Server::new(Scale {
        name: "double",
        factor: 2.0,
    }));
    let batches: Vec<Vec<f32>> = (0..8u16)
        .map(|b| (0..500u16).map(|i| f32::from(b * 500 + i)).collect())
        .collect();
    let want: Vec<Vec<f32>> = batches
        .iter()
        .map(|batch| batch.iter().map(|x| 2.0 * x).collect())
        .collect();
    let until = Instant::now() + HAMMER;
    let mut sent: u64 = 0;
    loop {
        let shared = Arc::clone(&server);
        let round = batches.clone();
        let got: Vec<Vec<f32>> = within(
            "serving 8 clients of 500 requests did not finish",
            move || serve_from_threads(&shared, round),
        );
        assert!(got == want, "each client should get model(x) for each of its inputs, in order");
        sent += 4000;
        let served: u64 = server.served();
        assert_eq!(
            served, sent,
            "served() lost requests from the count: 8 threads at a time served {sent}, and a read followed by a write lets two threads write the same number"
        );
        assert_eq!(
            server.served_by("double"),
            sent,
            "served_by(\"double\") lost requests from the count: read and update the map under one lock"
        );
        if Instant::now() >= until {
            break;
        }
    }
}

#[test]
fn clients_run_at_the_same_time_and_answers_keep_batch_order() {
    let model = FirstWaitsForLast {
        first: 0.0,
        last: 11.0,
        last_seen: Mutex::new(false),
        seen: Condvar::new(),
    };
    let server = Arc::new(Server::new(model));
    let batches: Vec<Vec<f32>> = (0..4u8)
        .map(|b| (0..3u8).map(|i| f32::from(b * 3 + i)).collect())
        .collect();
    let got: Vec<Vec<f32>> = within(
        "the clients never ran at the same time: the first client's request waits for the last client's, and it never came",
        move || serve_from_threads(&server, batches),
    );
    let want: Vec<Vec<f32>> = (0..4u8)
        .map(|b| (0..3u8).map(|i| 2.0 * f32::from(b * 3 + i)).collect())
        .collect();
    assert!(
        got == want,
        "the answers should come back batch by batch in the order the batches were given, however the threads finished: got {got:?}"
    );
}

#[test]
fn swapping_the_model_changes_the_next_answer() {
    let server = Server::new(Scale {
        name: "double",
        factor: 2.0,
    });
    assert_eq!(server.predict(2.0), 4.0, "the first model doubles");
    let old: String = server.swap_model(Scale {
        name: "triple",
        factor: 3.0,
    });
    assert_eq!(old, "double", "swap_model returns the old model's name");
    assert_eq!(server.predict(2.0), 6.0, "after the swap the new model answers");
    assert_eq!(server.served(), 2);
    assert_eq!(server.served_by("double"), 1, "one request was answered by \"double\"");
    assert_eq!(server.served_by("triple"), 1, "one request was answered by \"triple\"");
}

#[test]
fn a_swap_does_not_wait_for_a_request_in_flight() {
    let (entered_tx, entered) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let server = Arc::new(Server::new(Held {
        entered: entered_tx,
        release: Mutex::new(release_rx),
    }));
    let in_flight = {
        let server = Arc::clone(&server);
        thread::spawn(move || server.predict(1.0))
    };
    entered
        .recv_timeout(GUARD)
        .expect("the first request never reached the model");

    let swapper = Arc::clone(&server);
    let old: String = within(
        "swap_model waited for the request in flight: the model's lock was held while the model ran",
        move || {
            swapper.swap_model(Scale {
                name: "triple",
                factor: 3.0,
            })
        },
    );
    assert_eq!(old, "held", "swap_model returns the old model's name");
    let client = Arc::clone(&server);
    let fresh: f32 = within(
        "a new request waited for the one in flight: the model's lock was held while the model ran",
        move || client.predict(1.0),
    );
    assert_eq!(fresh, 3.0, "a request after the swap is answered by the new model");

    release.send(()).unwrap();
    let finished: f32 = in_flight.join().expect("the request in flight panicked");
    assert_eq!(
        finished, 2.0,
        "the request in flight should finish on the model it started with"
    );
    assert_eq!(server.served(), 2, "two requests were served");
    assert_eq!(
        (server.served_by("held"), server.served_by("triple")),
        (1, 1),
        "each request counts under the model that answered it, even when the model was swapped meanwhile"
    );
}

#[test]
fn a_fresh_server_has_served_nothing_by_any_name() {
    let server = Server::new(Scale {
        name: "double",
        factor: 2.0,
    });
    assert_eq!(server.served(), 0);
    assert_eq!(
        server.served_by("double"),
        0,
        "nothing was served yet, not even by the current model"
    );
    assert_eq!(
        server.served_by("never-loaded"),
        0,
        "a model that never served anything has a count of 0"
    );
    let none: Vec<Vec<f32>> = serve_from_threads(&Arc::new(server), Vec::new());
    assert!(none.is_empty(), "no batches, no answers");
}
