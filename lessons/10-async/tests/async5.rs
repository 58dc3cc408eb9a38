use super::*;
use std::future::Future;
use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// Runs `future` on a one-thread runtime whose clock is paused. With one
/// thread, any task that blocks it stops every other task.
fn paused<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// How long (real time) the model waits for the heartbeat or for a partner.
/// A free runtime answers in microseconds; this only bounds the failure.
const GUARD: Duration = Duration::from_secs(5);

/// A model that, while it computes, asks the runtime's heartbeat task for a
/// sign of life: if `predict` runs on the runtime's own thread, nothing can
/// answer. With `pair`, each prediction also waits for a second one to be
/// computing at the same time.
struct Fake {
    pings: mpsc::UnboundedSender<std::sync::mpsc::Sender<()>>,
    stalls: Mutex<Vec<String>>,
    pair: bool,
    inside: Mutex<usize>,
    changed: Condvar,
    alone: Mutex<usize>,
    panics_on: Option<f32>,
}

impl Fake {
    /// A fake and its heartbeat task, which answers every ping at once.
    fn new(pair: bool, panics_on: Option<f32>) -> Arc<Fake> {
        let (pings, mut heard) = mpsc::unbounded_channel::<std::sync::mpsc::Sender<()>>();
        tokio::spawn(async move {
            while let Some(reply) = heard.recv().await {
                let _ = reply.send(());
            }
        });
        Arc::new(Fake {
            pings,
            stalls: Mutex::new(Vec::new()),
            pair,
            inside: Mutex::new(0),
            changed: Condvar::new(),
            alone: Mutex::new(0),
            panics_on,
        })
    }

    fn stalls(&self) -> Vec<String> {
        self.stalls.lock().unwrap().clone()
    }
}

impl Model for Fake {
    fn predict(&self, features: &[f32]) -> f32 {
        let first = features.first().copied().unwrap_or(0.0);
        if self.stalls.lock().unwrap().is_empty() {
            let (reply, answer) = std::sync::mpsc::channel();
            if self.pings.send(reply).is_ok() && answer.recv_timeout(GUARD).is_err() {
                self.stalls.lock().unwrap().push(format!(
                    "predict({features:?}) ran on the runtime's own thread: the heartbeat could not answer for {} ms while it ran, and every other task on this runtime froze with it",
                    GUARD.as_millis()
                ));
            }
        }
        if self.panics_on == Some(first) {
            panic!("the model crashed on purpose");
        }
        // Once the runtime was seen blocked, waiting again proves nothing.
        if self.pair && self.stalls.lock().unwrap().is_empty() {
            let mut inside = self.inside.lock().unwrap();
            *inside += 1;
            self.changed.notify_all();
            let (inside, waited) = self
                .changed
                .wait_timeout_while(inside, GUARD, |inside| *inside < 2)
                .unwrap();
            if waited.timed_out() {
                *self.alone.lock().unwrap() += 1;
            }
            drop(inside);
        }
        features.iter().sum::<f32>() * 2.0
    }
}

fn assert_no_stall(model: &Fake) {
    if let Some(stall) = model.stalls().first() {
        panic!("{stall}");
    }
}

#[test]
fn a_prediction_comes_back() {
    paused(async {
        let model = Fake::new(false, None);
        let got: Result<f32, PredictError> = predict(Arc::clone(&model), vec![1.0, 2.5]).await;
        assert_eq!(got, Ok(7.0), "the model's output for [1.0, 2.5]");
    });
}

#[test]
fn the_runtime_keeps_its_heartbeat_during_a_prediction() {
    paused(async {
        let model = Fake::new(false, None);
        let got: Result<f32, PredictError> = predict(Arc::clone(&model), vec![3.0]).await;
        assert_no_stall(&model);
        assert_eq!(got, Ok(6.0), "the model's output for [3.0]");
    });
}

#[test]
fn a_batch_keeps_its_order_and_its_heartbeat() {
    paused(async {
        let model = Fake::new(false, None);
        let batch = vec![vec![1.0], vec![2.0, 2.0], vec![0.5], vec![]];
        let got: Result<Vec<f32>, PredictError> = predict_batch(Arc::clone(&model), batch).await;
        assert_no_stall(&model);
        assert_eq!(
            got,
            Ok(vec![2.0, 8.0, 1.0, 0.0]),
            "one output per row, in the order of the rows"
        );
    });
}

#[test]
fn two_predictions_run_side_by_side() {
    paused(async {
        let model = Fake::new(true, None);
        let (a, b) = tokio::join!(
            predict(Arc::clone(&model), vec![1.0]),
            predict(Arc::clone(&model), vec![2.0]),
        );
        assert_no_stall(&model);
        let alone = *model.alone.lock().unwrap();
        assert_eq!(
            alone, 0,
            "{alone} of 2 predictions never had the other beside it: they ran one after the other (one thread for every prediction, or a lock around the model)"
        );
        assert_eq!(
            (a, b),
            (Ok(2.0), Ok(4.0)),
            "each caller gets its own row's output"
        );
    });
}

#[test]
fn a_model_that_panics_is_a_crash_error_and_the_runtime_goes_on() {
    paused(async {
        let model = Fake::new(false, Some(13.0));
        let got: Result<f32, PredictError> = predict(Arc::clone(&model), vec![13.0]).await;
        match got {
            Err(PredictError::Crashed(why)) => assert!(
                why.contains("panic"),
                "Crashed should carry the JoinError's text, which says the task panicked: {why:?}"
            ),
            other => {
                panic!("the model panicked; that is Err(PredictError::Crashed(..)), not {other:?}")
            }
        }
        let batch: Result<Vec<f32>, PredictError> =
            predict_batch(Arc::clone(&model), vec![vec![1.0], vec![13.0]]).await;
        assert!(
            matches!(batch, Err(PredictError::Crashed(_))),
            "the model panicked on the batch's second row; that is Err(PredictError::Crashed(..)), not {batch:?}"
        );
        let after: Result<f32, PredictError> = predict(Arc::clone(&model), vec![1.0]).await;
        assert_eq!(
            after,
            Ok(2.0),
            "after a crash, the next prediction works as before"
        );
    });
}
