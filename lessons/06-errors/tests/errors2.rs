use super::*;
use std::collections::VecDeque;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A model that answers from a script and records every prompt.
struct Scripted {
    replies: VecDeque<Result<Completion, ApiError>>,
    prompts: Vec<String>,
}

impl Scripted {
    fn new(replies: Vec<Result<Completion, ApiError>>) -> Self {
        Self {
            replies: replies.into(),
            prompts: Vec::new(),
        }
    }
}

impl ModelClient for Scripted {
    fn complete(&mut self, prompt: &str) -> Result<Completion, ApiError> {
        self.prompts.push(prompt.to_owned());
        self.replies
            .pop_front()
            .unwrap_or_else(|| panic!("the model was called more often than once"))
    }
}

fn reply(text: &str) -> Result<Completion, ApiError> {
    Ok(Completion {
        text: text.to_owned(),
        tokens: 9,
    })
}

const TEMPLATE: &str = "Summarise this support ticket in one line:\n{ticket}\n";

fn template_in(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("summary.prompt");
    fs::write(&path, text).expect("writing the test's template");
    path
}

fn failed_summary(client: &mut Scripted, template: &Path) -> anyhow::Error {
    let got: anyhow::Result<String> =
        summarise(client, template, "T-7", "The export button does nothing.");
    match got {
        Ok(text) => panic!("this summary should fail, got Ok({text:?})"),
        Err(e) => e,
    }
}

#[test]
fn a_missing_template_names_its_path_and_keeps_the_io_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("prompts").join("summary.prompt");
    let got: anyhow::Result<String> = load_prompt(&path);
    let err = match got {
        Ok(text) => panic!("there is no file at {}, got Ok({text:?})", path.display()),
        Err(e) => e,
    };
    let full = format!("{err:#}");
    assert!(
        full.contains(&path.display().to_string()),
        "the error should name the file it could not read: {full:?}"
    );
    let io_error = err.downcast_ref::<io::Error>();
    assert!(
        io_error.is_some_and(|e| e.kind() == io::ErrorKind::NotFound),
        "the io::Error should stay the error under the context (downcast_ref::<io::Error>), \
         not become text: {err:?}"
    );
}

#[test]
fn a_blank_template_or_one_without_a_placeholder_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (text, why) in [
        ("", "is empty"),
        ("  \n\t\n", "holds only whitespace"),
        ("Summarise this ticket.\n", "has no {ticket} placeholder"),
    ] {
        let path = template_in(dir.path(), text);
        let got: anyhow::Result<String> = load_prompt(&path);
        match got {
            Ok(t) => panic!("a template that {why} should be an error, got Ok({t:?})"),
            Err(e) => assert!(
                format!("{e:#}").contains(&path.display().to_string()),
                "the error for a template that {why} should name the file: {e:#}"
            ),
        }
    }
    let path = template_in(dir.path(), TEMPLATE);
    let got: anyhow::Result<String> = load_prompt(&path);
    match got {
        Ok(t) => assert_eq!(t, TEMPLATE, "a good template comes back as written"),
        Err(e) => panic!("{TEMPLATE:?} is a good template, got the error {e:#}"),
    }
}

#[test]
fn a_ticket_is_summarised_with_the_filled_in_template() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = template_in(dir.path(), TEMPLATE);
    let mut client = Scripted::new(vec![reply("Export button broken.")]);
    let got: anyhow::Result<String> =
        summarise(&mut client, &path, "T-7", "The export button does nothing.");
    match got {
        Ok(text) => assert_eq!(
            text, "Export button broken.",
            "the summary is the completion's text"
        ),
        Err(e) => panic!("the model answered, got the error {e:#}"),
    }
    assert_eq!(
        client.prompts,
        vec!["Summarise this support ticket in one line:\nThe export button does nothing.\n"],
        "the prompt should be the template with {{ticket}} replaced by the ticket's text"
    );
}

#[test]
fn a_failed_call_says_which_ticket_and_keeps_the_api_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = template_in(dir.path(), TEMPLATE);
    let mut client = Scripted::new(vec![Err(ApiError::Server { status: 503 })]);
    let err = failed_summary(&mut client, &path);
    assert!(
        matches!(
            err.downcast_ref::<ApiError>(),
            Some(ApiError::Server { status: 503 })
        ),
        "the ApiError is gone: `downcast_ref::<ApiError>()` should find Server {{ status: 503 }} \
         under the context, in {err:?}"
    );
    assert!(
        err.to_string().contains("T-7"),
        "the outermost message should name the ticket being summarised: {:?}",
        err.to_string()
    );
    let full = format!("{err:#}");
    assert!(
        full.contains("status 503"),
        "`{{:#}}` should show the whole chain down to the ApiError: {full:?}"
    );
}

#[test]
fn the_model_is_not_called_when_the_template_cannot_be_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let missing = dir.path().join("nope.prompt");
    let mut client = Scripted::new(vec![reply("should not be asked")]);
    let err = failed_summary(&mut client, &missing);
    assert!(
        client.prompts.is_empty(),
        "the model was called although the template could not be read: {:?}",
        client.prompts
    );
    assert!(
        err.downcast_ref::<io::Error>().is_some(),
        "the template's io::Error should come back from summarise: {err:?}"
    );
}

#[test]
fn exit_codes_follow_the_cause() {
    let cases = [
        (ApiError::Auth { status: 401 }, EXIT_NOPERM),
        (ApiError::Auth { status: 403 }, EXIT_NOPERM),
        (ApiError::Timeout, EXIT_TEMPFAIL),
        (ApiError::RateLimited { retry_after: None }, EXIT_TEMPFAIL),
        (ApiError::Server { status: 502 }, EXIT_TEMPFAIL),
        (
            ApiError::BadRequest {
                status: 400,
                message: "prompt too long".to_owned(),
            },
            EXIT_FAILURE,
        ),
        (ApiError::Malformed("tokens=?".into()), EXIT_FAILURE),
    ];
    for (api, expected) in cases {
        let shown = format!("{api:?}");
        let err = anyhow::Error::new(api).context("summarising ticket T-1");
        let code: u8 = exit_code(&err);
        assert_eq!(code, expected, "exit code for {shown} under one context");
        let err = err.context("nightly summaries");
        let code: u8 = exit_code(&err);
        assert_eq!(code, expected, "exit code for {shown} under two contexts");
    }
    let err = anyhow::anyhow!("no tickets to summarise");
    let code: u8 = exit_code(&err);
    assert_eq!(
        code, EXIT_FAILURE,
        "an error with no ApiError in it is a plain failure"
    );
    let err =
        anyhow::Error::new(io::Error::from(io::ErrorKind::NotFound)).context("reading prompt");
    let code: u8 = exit_code(&err);
    assert_eq!(code, EXIT_FAILURE, "an io::Error is a plain failure");
}

#[test]
fn exit_code_finds_an_api_error_inside_another_error() {
    let err = anyhow::Error::new(BatchError {
        index: 3,
        source: ApiError::Auth { status: 401 },
    })
    .context("nightly summaries");
    let code: u8 = exit_code(&err);
    assert_eq!(
        code, EXIT_NOPERM,
        "the ApiError is the source of a BatchError here, so downcast_ref::<ApiError>() \
         on the anyhow error misses it; look through err.chain()"
    );
    let err = anyhow::Error::new(BatchError {
        index: 0,
        source: ApiError::RateLimited { retry_after: None },
    });
    let code: u8 = exit_code(&err);
    assert_eq!(
        code, EXIT_TEMPFAIL,
        "a rate limit inside a BatchError is still a reason to try again later"
    );
}
