use super::*;
use std::cell::RefCell;
use std::collections::VecDeque;

fn failure(status: u16) -> ModelError {
    ModelError {
        status,
        message: format!("status {status}"),
    }
}

fn reply(text: &str) -> Result<String, ModelError> {
    Ok(text.to_owned())
}

/// The tests' own scripted client, so a test of `summarise` does not
/// depend on your fake (which has tests of its own, and one at the end that
/// drives `summarise`). It is also a client your code has never seen:
/// `summarise` must work with any `ModelClient`.
struct Script {
    replies: RefCell<VecDeque<Result<String, ModelError>>>,
    prompts: RefCell<Vec<String>>,
}

impl Script {
    fn new(replies: Vec<Result<String, ModelError>>) -> Script {
        Script {
            replies: RefCell::new(replies.into()),
            prompts: RefCell::new(Vec::new()),
        }
    }

    fn prompts(&self) -> Vec<String> {
        self.prompts.borrow().clone()
    }
}

impl ModelClient for Script {
    fn complete(&self, prompt: &str) -> Result<String, ModelError> {
        self.prompts.borrow_mut().push(prompt.to_owned());
        self.replies.borrow_mut().pop_front().unwrap_or_else(|| {
            panic!(
                "the test's client had no reply left for call number {}",
                self.prompts.borrow().len()
            )
        })
    }
}

#[test]
fn the_fake_replays_its_script_in_order_and_records_every_prompt() {
    let fake = FakeClient::new(vec![reply("one"), Err(failure(503)), reply("three")]);
    assert!(
        fake.prompts().is_empty(),
        "a new fake should have recorded no prompts"
    );
    let got: Vec<Result<String, ModelError>> = ["a", "b", "c"]
        .iter()
        .map(|prompt| fake.complete(prompt))
        .collect();
    assert_eq!(
        got,
        vec![reply("one"), Err(failure(503)), reply("three")],
        "the fake should give its replies back in the order of the script"
    );
    assert_eq!(
        fake.prompts(),
        ["a", "b", "c"],
        "the fake should record every prompt, oldest first, errors included"
    );
}

#[test]
#[should_panic(expected = "no reply left")]
fn the_fake_panics_when_its_script_runs_out() {
    let fake = FakeClient::new(vec![reply("only one")]);
    let _ = fake.complete("first");
    let _ = fake.complete("second");
}

#[test]
fn sends_one_prompt_built_from_the_trimmed_document() {
    let client = Script::new(vec![reply("A cat sat.")]);
    let got: Result<String, SummaryError> = summarise(&client, "\n  The cat sat on the mat.  \n");
    assert_eq!(
        got,
        Ok("A cat sat.".to_owned()),
        "the model's reply is the summary"
    );
    assert_eq!(
        client.prompts(),
        [summary_prompt("The cat sat on the mat.")],
        "one call, with summary_prompt of the trimmed document"
    );
}

#[test]
fn the_reply_comes_back_trimmed() {
    for raw in ["  Short.  ", "Short.\n", "\tShort.\r\n"] {
        let client = Script::new(vec![reply(raw)]);
        let got: Result<String, SummaryError> = summarise(&client, "Some text.");
        assert_eq!(
            got,
            Ok("Short.".to_owned()),
            "the reply {raw:?} should come back trimmed"
        );
    }
}

#[test]
fn a_blank_document_never_reaches_the_model() {
    for document in ["", "   ", "\n\t\n"] {
        let client = Script::new(vec![reply("should not be asked")]);
        let got: Result<String, SummaryError> = summarise(&client, document);
        assert_eq!(
            got,
            Err(SummaryError::EmptyDocument),
            "the document {document:?} is blank: that is EmptyDocument"
        );
        assert!(
            client.prompts().is_empty(),
            "the document {document:?} is blank, yet the model was called with {:?}",
            client.prompts()
        );
    }
}

#[test]
fn a_blank_reply_is_an_error_and_is_not_retried() {
    for raw in ["", "  ", "\n"] {
        let client = Script::new(vec![reply(raw), reply("a second answer")]);
        let got: Result<String, SummaryError> = summarise(&client, "Some text.");
        assert_eq!(
            got,
            Err(SummaryError::EmptyReply),
            "the reply {raw:?} is blank: that is EmptyReply, not a summary"
        );
        assert_eq!(
            client.prompts().len(),
            1,
            "a blank reply is still a successful call: it is not retried"
        );
    }
}

#[test]
fn a_retryable_failure_is_tried_again_with_the_same_prompt() {
    let client = Script::new(vec![Err(failure(503)), Err(failure(429)), reply("Done.")]);
    let got: Result<String, SummaryError> = summarise(&client, "A long report.");
    assert_eq!(
        got,
        Ok("Done.".to_owned()),
        "503 and 429 are retryable: the third call's reply is the summary"
    );
    let prompt = summary_prompt("A long report.");
    assert_eq!(
        client.prompts(),
        [prompt.clone(), prompt.clone(), prompt],
        "each retry sends the same prompt again"
    );
}

#[test]
fn retries_stop_at_max_attempts_with_the_last_error() {
    let client = Script::new(vec![
        Err(failure(500)),
        Err(failure(502)),
        Err(failure(503)),
        reply("too late"),
    ]);
    let got: Result<String, SummaryError> = summarise(&client, "A long report.");
    assert_eq!(
        client.prompts().len(),
        MAX_ATTEMPTS,
        "there should be MAX_ATTEMPTS calls in all, the first one included"
    );
    assert_eq!(
        got,
        Err(SummaryError::Model(failure(503))),
        "after the last attempt, return the last error"
    );
}

#[test]
fn a_request_error_is_returned_at_once() {
    for status in [400, 401, 403, 404, 422] {
        let client = Script::new(vec![Err(failure(status)), reply("never seen")]);
        let got: Result<String, SummaryError> = summarise(&client, "Some text.");
        assert_eq!(
            client.prompts().len(),
            1,
            "status {status} is not retryable, yet it was sent again"
        );
        assert_eq!(
            got,
            Err(SummaryError::Model(failure(status))),
            "status {status} should come back as SummaryError::Model"
        );
    }
}

#[test]
fn your_fake_drives_summarise_end_to_end() {
    let fake = FakeClient::new(vec![Err(failure(503)), reply("  Fine.  ")]);
    let got: Result<String, SummaryError> = summarise(&fake, " All is well. ");
    assert_eq!(
        got,
        Ok("Fine.".to_owned()),
        "with your fake, one retry and then the trimmed reply"
    );
    let prompts = fake.prompts();
    assert_eq!(
        prompts.len(),
        2,
        "your fake should have recorded two prompts (a 503, then the retry), got {prompts:?}"
    );
    assert_eq!(
        prompts,
        [
            summary_prompt("All is well."),
            summary_prompt("All is well.")
        ],
        "both prompts should be summary_prompt of the trimmed document"
    );
}
