//! Context at the edge: the binary's side of the model API.
//!
//! The library below returns typed `ApiError`s. The binary that summarises
//! support tickets uses `anyhow`: each step adds what it was doing, and at
//! the very end `exit_code` looks through the chain for an `ApiError` to
//! tell the shell whether to fix something or try again later. Its `main`
//! would read:
//!
//! ```ignore
//! fn main() -> ExitCode {
//!     match run() {
//!         Ok(()) => ExitCode::SUCCESS,
//!         Err(err) => {
//!             eprintln!("error: {err:#}");
//!             ExitCode::from(exit_code(&err))
//!         }
//!     }
//! }
//! ```

use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub tokens: u32,
}

/// The library's error, as in the first exercise (the parse error is boxed
/// here to keep the file short).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the model API did not answer in time")]
    Timeout,
    #[error("rate limited by the model API")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the model API account has no quota left")]
    QuotaExceeded,
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
    #[error("the model API refused the key (status {status})")]
    Auth { status: u16 },
    #[error("the model API rejected the request (status {status}): {message}")]
    BadRequest { status: u16, message: String },
    #[error("the model API sent a body that could not be read")]
    Malformed(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Another library's error that keeps an `ApiError` as its source.
#[derive(Debug, thiserror::Error)]
#[error("item {index} of the batch failed")]
pub struct BatchError {
    pub index: usize,
    #[source]
    pub source: ApiError,
}

/// The model API, as the library sees it.
pub trait ModelClient {
    /// Sends one prompt.
    ///
    /// # Errors
    /// Any `ApiError`.
    fn complete(&mut self, prompt: &str) -> Result<Completion, ApiError>;
}

/// Exit codes from BSD's sysexits.h, which shells and schedulers know.
pub const EXIT_FAILURE: u8 = 1;
/// Temporary failure: run again later.
pub const EXIT_TEMPFAIL: u8 = 75;
/// Permission denied: a person must fix the key.
pub const EXIT_NOPERM: u8 = 77;

/// Reads a prompt template, which must hold a `{ticket}` placeholder.
///
/// # Errors
/// The file cannot be read (the error names the path), is blank, or has no
/// `{ticket}`.
pub fn load_prompt(path: &Path) -> anyhow::Result<String> {
    // TODO: `fs::read_to_string` with `.with_context(...)` naming the path,
    // then `anyhow::ensure!` for a blank template and a missing `{ticket}`.
    let _ = path;
    todo!()
}

/// Fills the template with the ticket and asks the model for a summary.
///
/// # Errors
/// As `load_prompt`, or the call failed (the error names the ticket and
/// keeps the `ApiError`).
pub fn summarise(
    client: &mut impl ModelClient,
    template: &Path,
    ticket_id: &str,
    ticket: &str,
) -> anyhow::Result<String> {
    // TODO: load the template, replace `{ticket}`, call the model and add
    // context saying which ticket was being summarised.
    let _ = (client, template, ticket_id, ticket);
    todo!()
}

/// What the process should exit with: `EXIT_NOPERM` when the key was
/// refused, `EXIT_TEMPFAIL` for a timeout, a rate limit or a server error,
/// `EXIT_FAILURE` for everything else (a spent quota included: a person
/// must act). The `ApiError` may be anywhere in the chain. This is the
/// coarse rule of a whole job run again later; the next exercise refines it
/// for a single call (a 501 or 505 will never work, and some calls must not
/// run twice).
pub fn exit_code(err: &anyhow::Error) -> u8 {
    // TODO: find the `ApiError` among `err.chain()` and match on it.
    let _ = err;
    todo!()
}
