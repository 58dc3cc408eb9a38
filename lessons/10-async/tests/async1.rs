use super::*;
use std::cell::RefCell;
use std::future::Future;
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

/// One call the fake saw: when it started and, unless it was dropped
/// before answering, when it answered (virtual milliseconds).
#[derive(Debug, Clone)]
struct Call {
    prompt: String,
    start: u64,
    end: Option<u64>,
}

/// A model client that answers after a scripted delay on tokio's clock.
struct Fake {
    start: Instant,
    script: Box<dyn Fn(&str) -> (u64, Result<String, ApiError>)>,
    calls: RefCell<Vec<Call>>,
}

impl Fake {
    fn new(script: impl Fn(&str) -> (u64, Result<String, ApiError>) + 'static) -> Fake {
        Fake {
            start: Instant::now(),
            script: Box::new(script),
            calls: RefCell::new(Vec::new()),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.borrow().clone()
    }

    /// Prints every call as a span of the timeline the Feedback tab draws.
    fn draw(&self) {
        for call in self.calls() {
            let name = if call.prompt.starts_with("Summarise") {
                "summary".to_owned()
            } else if call.prompt.starts_with("Give three tags") {
                "tags".to_owned()
            } else {
                call.prompt.replace(' ', "_")
            };
            let end = call.end.map_or_else(|| "-".to_owned(), |t| t.to_string());
            println!("tensorlings:span {name} {} {end}", call.start);
        }
    }
}

impl LlmClient for Fake {
    async fn complete(&self, prompt: &str) -> Result<String, ApiError> {
        let (latency, answer) = (self.script)(prompt);
        let index = {
            let mut calls = self.calls.borrow_mut();
            calls.push(Call {
                prompt: prompt.to_owned(),
                start: self.now(),
                end: None,
            });
            calls.len() - 1
        };
        tokio::time::sleep(Duration::from_millis(latency)).await;
        self.calls.borrow_mut()[index].end = Some(self.now());
        answer
    }
}

fn starts(calls: &[Call]) -> String {
    calls
        .iter()
        .map(|c| format!("{:?} at {} ms", c.prompt, c.start))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn the_summary_and_the_tags_are_asked_at_the_same_time() {
    paused(async {
        let client = Fake::new(|prompt| {
            if prompt.starts_with("Summarise") {
                (300, Ok("The printer is on fire.".to_owned()))
            } else {
                (300, Ok("printer, fire, urgent".to_owned()))
            }
        });
        let got: Result<Brief, ApiError> = brief(&client, "my printer is on fire").await;
        let took = client.now();
        client.draw();
        assert_eq!(
            got,
            Ok(Brief {
                summary: "The printer is on fire.".to_owned(),
                tags: "printer, fire, urgent".to_owned(),
            })
        );
        let calls = client.calls();
        assert!(
            took <= 300,
            "the brief took {took} ms of virtual time, but two calls of 300 ms each take 300 ms when they run at the same time: the second call waited for the first ({}): one after the other",
            starts(&calls)
        );
    });
}

#[test]
fn each_answer_goes_to_its_own_field() {
    paused(async {
        let ticket = "refund for order 7";
        let client = Fake::new(|prompt| {
            if prompt.starts_with("Summarise") {
                (400, Ok(format!("summary of [{prompt}]")))
            } else {
                (100, Ok(format!("tags of [{prompt}]")))
            }
        });
        let got: Result<Brief, ApiError> = brief(&client, ticket).await;
        client.draw();
        let calls = client.calls();
        assert_eq!(
            calls.len(),
            2,
            "one call for the summary and one for the tags, no more: {}",
            starts(&calls)
        );
        assert_eq!(
            got,
            Ok(Brief {
                summary: format!("summary of [{}]", summary_prompt(ticket)),
                tags: format!("tags of [{}]", tags_prompt(ticket)),
            }),
            "the summary comes from `summary_prompt(ticket)` and the tags from `tags_prompt(ticket)`, whichever answers first"
        );
    });
}

#[test]
fn a_failed_call_ends_the_brief_at_once() {
    paused(async {
        let client = Fake::new(|prompt| {
            if prompt.starts_with("Summarise") {
                (300, Ok("fine".to_owned()))
            } else {
                (50, Err(ApiError::RateLimited))
            }
        });
        let got: Result<Brief, ApiError> = brief(&client, "slow ticket").await;
        let took = client.now();
        client.draw();
        assert_eq!(
            got,
            Err(ApiError::RateLimited),
            "the tags call failed, so the brief fails with its error"
        );
        assert!(
            took <= 50,
            "the tags call failed at 50 ms, yet the brief waited until {took} ms: it waited for the summary it could no longer use ({})",
            starts(&client.calls())
        );
    });
    paused(async {
        let client = Fake::new(|prompt| {
            if prompt.starts_with("Summarise") {
                (20, Err(ApiError::Server { status: 503 }))
            } else {
                (300, Ok("a, b".to_owned()))
            }
        });
        let got: Result<Brief, ApiError> = brief(&client, "another ticket").await;
        let took = client.now();
        client.draw();
        assert_eq!(
            got,
            Err(ApiError::Server { status: 503 }),
            "the summary call failed, so the brief fails with its error"
        );
        assert!(
            took <= 20,
            "the summary call failed at 20 ms, yet the brief waited until {took} ms: it waited for the tags it could no longer use ({})",
            starts(&client.calls())
        );
    });
}

#[test]
fn complete_all_sends_every_prompt_at_once() {
    paused(async {
        let latencies = [500u64, 100, 300, 200, 400];
        let client = Fake::new(move |prompt| {
            let index: usize = prompt.trim_start_matches("prompt ").parse().unwrap_or(0);
            (latencies[index], Ok(format!("answer {index}")))
        });
        let prompts: Vec<String> = (0..5).map(|i| format!("prompt {i}")).collect();
        let got: Vec<Result<String, ApiError>> = complete_all(&client, &prompts).await;
        let took = client.now();
        client.draw();
        assert_eq!(got.len(), 5, "one answer per prompt");
        let calls = client.calls();
        assert_eq!(calls.len(), 5, "one call per prompt: {}", starts(&calls));
        assert!(
            took <= 500,
            "5 calls took {took} ms of virtual time; at the same time they take as long as the slowest, 500 ms. They ran one after the other: {}",
            starts(&calls)
        );
    });
}

#[test]
fn complete_all_keeps_each_answer_in_the_place_of_its_prompt() {
    paused(async {
        let latencies = [400u64, 100, 300, 50, 200];
        let client = Fake::new(move |prompt| {
            let index: usize = prompt.trim_start_matches("q").parse().unwrap_or(0);
            if index == 2 {
                (latencies[index], Err(ApiError::Server { status: 500 }))
            } else {
                (latencies[index], Ok(format!("a{index}")))
            }
        });
        let prompts: Vec<String> = (0..5).map(|i| format!("q{i}")).collect();
        let got: Vec<Result<String, ApiError>> = complete_all(&client, &prompts).await;
        client.draw();
        let expected: Vec<Result<String, ApiError>> = vec![
            Ok("a0".to_owned()),
            Ok("a1".to_owned()),
            Err(ApiError::Server { status: 500 }),
            Ok("a3".to_owned()),
            Ok("a4".to_owned()),
        ];
        assert_eq!(
            got, expected,
            "answers in the order of the prompts (not the order they finished in), with the failed one in its own place"
        );
    });
}
