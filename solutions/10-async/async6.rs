//! Streaming tokens to a client, at the client's pace.
//!
//! A model writes its answer one token at a time, and the server forwards
//! each token to the client as soon as it exists. `stream_tokens` starts a
//! producer task that takes tokens from the model and sends them into a
//! bounded channel; the client reads from the other end.
//!
//! Two rules. Backpressure: the producer never runs more than `capacity`
//! tokens ahead of the reader (a slow client must not fill the server's
//! memory). Disconnects: when the client goes away (its receiver is
//! dropped), the producer stops at once, even in the middle of generating a
//! token, because every token it still makes is paid for and thrown away.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A model answering one prompt, a token at a time.
pub trait TokenSource: Send + 'static {
    /// The next token, or `None` once the answer is complete. Takes the
    /// model's time.
    fn next_token(&mut self) -> impl Future<Output = Option<String>> + Send;
}

/// How a stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// The answer was complete and every token was sent.
    Finished { sent: usize },
    /// The client went away; `sent` tokens had gone into the channel.
    ClientGone { sent: usize },
}

/// Starts a task that streams `source`'s tokens into a channel holding at
/// most `capacity` tokens (at least 1), and returns the client's end of
/// the channel with the task's handle.
pub fn stream_tokens<S: TokenSource>(
    mut source: S,
    capacity: usize,
) -> (mpsc::Receiver<String>, JoinHandle<StreamEnd>) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let producer = tokio::spawn(async move {
        let mut sent = 0;
        loop {
            let next = tokio::select! {
                () = tx.closed() => return StreamEnd::ClientGone { sent },
                next = source.next_token() => next,
            };
            let Some(token) = next else {
                return StreamEnd::Finished { sent };
            };
            if tx.send(token).await.is_err() {
                return StreamEnd::ClientGone { sent };
            }
            sent += 1;
        }
    });
    (rx, producer)
}
