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

#[derive(Debug, Default)]
struct Seen {
    /// Tokens the model finished generating.
    made: usize,
    /// When the producer let go of the model (virtual ms).
    released_at: Option<u64>,
}

/// A model that takes `per_token` ms for each token `t0`, `t1`, … and stops
/// after `length` tokens (never, with `None`).
struct Model {
    start: Instant,
    per_token: u64,
    length: Option<usize>,
    seen: Arc<Mutex<Seen>>,
}

fn model(per_token: u64, length: Option<usize>) -> (Model, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let model = Model {
        start: Instant::now(),
        per_token,
        length,
        seen: Arc::clone(&seen),
    };
    (model, seen)
}

fn now(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl TokenSource for Model {
    async fn next_token(&mut self) -> Option<String> {
        let made = self.seen.lock().unwrap().made;
        if self.length.is_some_and(|length| made >= length) {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(self.per_token)).await;
        self.seen.lock().unwrap().made += 1;
        Some(format!("t{made}"))
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.seen.lock().unwrap().released_at = Some(now(self.start));
    }
}

/// Waits for the producer, turning a producer that never stops into a
/// failure that says how much it made meanwhile.
async fn ended(producer: JoinHandle<StreamEnd>, seen: &Mutex<Seen>, since: u64) -> StreamEnd {
    match tokio::time::timeout(Duration::from_secs(60), producer).await {
        Ok(Ok(end)) => end,
        Ok(Err(join_error)) => panic!("the producer task failed: {join_error}"),
        Err(_) => panic!(
            "the producer was still running 60 s after the client went away at {since} ms, and had generated {} tokens that nobody will read",
            seen.lock().unwrap().made
        ),
    }
}

#[test]
fn every_token_arrives_in_order_then_the_stream_ends() {
    paused(async {
        let (source, _seen) = model(10, Some(20));
        let (mut tokens, producer) = stream_tokens(source, 4);
        let mut got = Vec::new();
        while let Some(token) = tokio::time::timeout(Duration::from_secs(60), tokens.recv())
            .await
            .expect("the stream never ended: the channel stays open while its sender lives, so the producer must drop it when the answer is complete")
        {
            got.push(token);
        }
        let expected: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
        assert_eq!(
            got, expected,
            "the client should read every token, in order, and then the end of the stream"
        );
        let end = producer.await.expect("the producer task failed");
        assert_eq!(
            end,
            StreamEnd::Finished { sent: 20 },
            "the stream finished with 20 tokens sent"
        );
    });
}

#[test]
fn a_slow_reader_holds_the_producer_back() {
    paused(async {
        let (source, seen) = model(10, Some(1000));
        let (mut tokens, _producer) = stream_tokens(source, 4);
        // The client reads nothing for a second: room for 100 tokens of model time.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let made = seen.lock().unwrap().made;
        assert!(
            made <= 5,
            "the producer generated {made} tokens while the client read none; a channel of 4 lets it run at most 5 ahead (4 waiting, 1 in hand)"
        );
        for i in 0..10 {
            let token = tokio::time::timeout(Duration::from_secs(60), tokens.recv())
                .await
                .ok()
                .flatten();
            assert_eq!(
                token,
                Some(format!("t{i}")),
                "token {i} should come next, none lost or skipped"
            );
        }
        let made = seen.lock().unwrap().made;
        assert!(
            made <= 15,
            "after the client read 10 tokens the producer had generated {made}: it should stay at most 5 ahead of the reader"
        );
    });
}

#[test]
fn a_client_that_disconnects_stops_the_producer() {
    paused(async {
        let (source, seen) = model(10, None);
        let start = tokio::time::Instant::now();
        let (mut tokens, producer) = stream_tokens(source, 4);
        for _ in 0..3 {
            tokens.recv().await.expect("a token");
        }
        // Let the channel fill up again, then hang up.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let since = now(start);
        drop(tokens);
        let end = ended(producer, &seen, since).await;
        assert_eq!(
            end,
            StreamEnd::ClientGone { sent: 7 },
            "the client read 3 tokens and 4 more waited in the channel: 7 were sent, and the 8th never got in"
        );
    });
}

#[test]
fn a_disconnect_stops_the_token_being_generated() {
    paused(async {
        // Each token takes 5 s: t0 is read at 5000 ms, and the client hangs up
        // at 6000 ms, while t1 is being generated.
        let (source, seen) = model(5000, None);
        let start = tokio::time::Instant::now();
        let (mut tokens, producer) = stream_tokens(source, 4);
        tokens.recv().await.expect("a token");
        tokio::time::sleep(Duration::from_millis(1000)).await;
        drop(tokens);
        let end = ended(producer, &seen, 6000).await;
        let stopped = now(start);
        assert!(
            matches!(end, StreamEnd::ClientGone { .. }),
            "the client went away; the stream ended with {end:?}"
        );
        assert!(
            stopped <= 6000,
            "the client hung up at 6000 ms, but the producer noticed only at {stopped} ms, once the token it was generating was done and could not be sent"
        );
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen.made, 1,
            "only t0 should have been generated; the token in progress is dropped"
        );
        assert!(
            seen.released_at.is_some(),
            "the producer should let go of the model when it stops"
        );
    });
}
