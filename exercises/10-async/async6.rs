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
//!
//! Write `stream_tokens`.

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
    source: S,
    capacity: usize,
) -> (mpsc::Receiver<String>, JoinHandle<StreamEnd>) {
    // TODO: a `mpsc::channel(capacity)`, and a task (`tokio::spawn`) that
    // loops: take the next token, `send(token).await` it (which waits while
    // the channel is full), count it. `None` ends the answer; a failed send
    // means the client is gone. To notice a disconnect while the model is
    // still generating, race `source.next_token()` against `tx.closed()`
    // with `tokio::select!`.
    let _ = (source, capacity);
    todo!()
}
