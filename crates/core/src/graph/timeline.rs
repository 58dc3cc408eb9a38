//! Timelines the hidden tests describe: when each task of an async exercise
//! ran, in the virtual milliseconds of a paused clock.
//!
//! A test prints one line per task and one per instant worth pointing at:
//!
//! ```text
//! tensorlings:span <name> <start ms> <end ms, or - if still running> [<mark…>]
//! tensorlings:mark <at ms> <text…>
//! ```
//!
//! A span with a mark broke a rule (a task still running after shutdown);
//! a mark on the time axis is an instant that did (more requests in flight
//! than the limit, a heartbeat that stopped). Like graphs, these lines only
//! draw a picture: nothing in them can change a verdict.

use serde::Serialize;

use super::reader::Reader;

/// Spans kept per timeline; a larger one is cut and says so.
const MAX_SPANS: usize = 200;
/// Marks kept per timeline.
const MAX_MARKS: usize = 20;

/// When each task ran, and the instants that broke a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The spans, in the order the test printed them.
    pub spans: Vec<TimeSpan>,
    /// Instants on the time axis, in the order the test printed them.
    pub marks: Vec<TimeMark>,
    /// Whether the test printed more spans or marks than are kept.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// One task's time, from its start to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeSpan {
    /// What ran: a request, a chunk, a call.
    pub name: String,
    /// When it started (virtual ms).
    pub start_ms: u64,
    /// When it ended, or `None` if it was still running when the test looked.
    pub end_ms: Option<u64>,
    /// What is wrong with it, in plain words.
    pub mark: Option<String>,
}

/// An instant worth pointing at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeMark {
    /// When (virtual ms).
    pub at_ms: u64,
    /// What happened then.
    pub text: String,
}

impl Timeline {
    /// Whether anything in it is marked.
    pub fn has_marks(&self) -> bool {
        !self.marks.is_empty() || self.spans.iter().any(|s| s.mark.is_some())
    }

    /// The last instant it shows: the latest start, end or mark.
    pub fn end_ms(&self) -> u64 {
        let spans = self
            .spans
            .iter()
            .map(|s| s.end_ms.unwrap_or(s.start_ms).max(s.start_ms));
        let marks = self.marks.iter().map(|m| m.at_ms);
        spans.chain(marks).max().unwrap_or(0)
    }
}

/// Reads `span` and `mark` lines; one that does not parse is left out.
#[derive(Debug, Default)]
pub struct TimelineReader {
    timeline: Timeline,
    /// Whether any line parsed: a timeline of lines that all failed is none.
    any: bool,
}

impl Reader for TimelineReader {
    const WORDS: &'static [&'static str] = &["span", "mark"];
    type Output = Option<Timeline>;

    fn line(&mut self, word: &str, rest: &str) {
        let timeline = &mut self.timeline;
        let parsed = if word == "span" {
            span(rest).map(|span| {
                if timeline.spans.len() < MAX_SPANS {
                    timeline.spans.push(span);
                } else {
                    timeline.truncated = true;
                }
            })
        } else {
            mark(rest).map(|mark| {
                if timeline.marks.len() < MAX_MARKS {
                    timeline.marks.push(mark);
                } else {
                    timeline.truncated = true;
                }
            })
        };
        self.any |= parsed.is_some();
    }

    fn finish(self) -> Option<Timeline> {
        self.any.then_some(self.timeline)
    }
}

fn span(rest: &str) -> Option<TimeSpan> {
    let mut words = rest.split_whitespace();
    let name = words.next()?.to_owned();
    let start_ms = words.next()?.parse().ok()?;
    let end_ms = match words.next()? {
        "-" => None,
        end => Some(end.parse::<u64>().ok()?.max(start_ms)),
    };
    let mark = words.collect::<Vec<_>>().join(" ");
    Some(TimeSpan {
        name,
        start_ms,
        end_ms,
        mark: (!mark.is_empty()).then_some(mark),
    })
}

fn mark(rest: &str) -> Option<TimeMark> {
    let (at, text) = rest.trim().split_once(char::is_whitespace)?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(TimeMark {
        at_ms: at.parse().ok()?,
        text: text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_output(output: &str) -> Option<Timeline> {
        super::super::reader::read_only::<TimelineReader>(output)
    }

    #[test]
    fn spans_and_marks_are_read_and_bad_lines_left_out() {
        let out = "hello\n\
                   tensorlings:span p0 0 100\n\
                   tensorlings:span p1 0 - still running after shutdown\n\
                   tensorlings:span p2 x 10\n\
                   tensorlings:span p3 50 20\n\
                   tensorlings:mark 0 12 in flight; the limit is 4\n\
                   tensorlings:mark soon nothing\n\
                   tensorlings:mark 5\n";
        let timeline = from_output(out).expect("a timeline");
        assert_eq!(
            timeline.spans,
            vec![
                TimeSpan {
                    name: "p0".into(),
                    start_ms: 0,
                    end_ms: Some(100),
                    mark: None
                },
                TimeSpan {
                    name: "p1".into(),
                    start_ms: 0,
                    end_ms: None,
                    mark: Some("still running after shutdown".into())
                },
                TimeSpan {
                    name: "p3".into(),
                    start_ms: 50,
                    end_ms: Some(50),
                    mark: None
                },
            ]
        );
        assert_eq!(
            timeline.marks,
            vec![TimeMark {
                at_ms: 0,
                text: "12 in flight; the limit is 4".into()
            }]
        );
        assert!(timeline.has_marks());
        assert_eq!(timeline.end_ms(), 100);
    }

    #[test]
    fn no_lines_no_timeline_and_a_flood_is_cut() {
        assert_eq!(from_output("just output\n"), None);
        let flood = (0..300)
            .map(|i| format!("tensorlings:span t{i} {i} {}", i + 1))
            .collect::<Vec<_>>()
            .join("\n");
        let timeline = from_output(&flood).expect("a timeline");
        assert_eq!(timeline.spans.len(), MAX_SPANS);
        assert!(timeline.truncated);
        assert!(!timeline.has_marks());
    }
}
