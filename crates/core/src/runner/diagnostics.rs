//! Compiler messages from cargo's JSON output, mapped back to the learner's file.

use cargo_metadata::diagnostic::{Diagnostic as RustcDiagnostic, DiagnosticLevel, DiagnosticSpan};
use serde::Serialize;

/// The path of the learner's file inside the build crate.
pub const LEARNER_SRC: &str = super::harness::LEARNER_FILE;

/// Which file a span points into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanFile {
    /// The learner's exercise file.
    Learner,
    /// The hidden tests (the learner does not see this file).
    HiddenTests,
    /// Anything else, such as a dependency's source or the standard library.
    Other(String),
}

/// One labelled place in the source a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The file.
    pub file: SpanFile,
    /// 1-based first line.
    pub line_start: usize,
    /// 1-based last line.
    pub line_end: usize,
    /// 1-based first column (in characters).
    pub column_start: usize,
    /// 1-based column just past the end (in characters).
    pub column_end: usize,
    /// Whether this is the main place the diagnostic is about.
    pub is_primary: bool,
    /// The compiler's label for the span.
    pub label: Option<String>,
}

/// How serious a compiler message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The code does not compile.
    Error,
    /// The compiler itself crashed.
    #[serde(rename = "error: internal compiler error")]
    InternalError,
    /// It compiles, but something is likely wrong.
    Warning,
    /// More about another message.
    Note,
    /// A suggestion.
    Help,
    /// The compiler's closing note on a failure.
    FailureNote,
}

impl Level {
    /// The word the compiler uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::InternalError => "error: internal compiler error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Help => "help",
            Level::FailureNote => "failure-note",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file: where a test panicked, say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Which file.
    pub file: SpanFile,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Place {
    /// Reads `path:line:column` as the harness reports it (paths inside the
    /// build crate).
    pub fn parse(text: &str) -> Option<Place> {
        let mut parts = text.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let file = parts.next()?;
        Some(Place {
            file: file_of(file),
            line,
            column,
        })
    }
}

/// One compiler message about the learner's crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub level: Level,
    /// The headline message.
    pub message: String,
    /// The error code such as `E0308`, when there is one.
    pub code: Option<String>,
    /// Places in the source, primary first.
    pub spans: Vec<Span>,
    /// Notes and help lines that follow the message.
    pub notes: Vec<String>,
    /// The compiler's own rendering, with file names mapped back.
    pub rendered: String,
}

impl Diagnostic {
    /// The primary span, if any.
    pub fn primary(&self) -> Option<&Span> {
        self.spans
            .iter()
            .find(|span| span.is_primary)
            .or(self.spans.first())
    }

    /// Whether this is an error (as opposed to a warning or note).
    pub fn is_error(&self) -> bool {
        matches!(self.level, Level::Error | Level::InternalError)
    }
}

/// Converts a rustc diagnostic; `learner_name` replaces the temporary crate's
/// paths in the rendered text. Summaries such as "aborting due to 2 previous
/// errors" return `None`.
pub fn convert(diag: &RustcDiagnostic, learner_name: &str) -> Option<Diagnostic> {
    if diag.spans.is_empty()
        && (diag.message.starts_with("aborting due to")
            || diag.message.ends_with("warnings emitted")
            || diag.message.ends_with("warning emitted"))
    {
        return None;
    }
    let mut spans: Vec<Span> = diag
        .spans
        .iter()
        .map(|span| convert_span(span_in_source(span)))
        .collect();
    spans.sort_by_key(|span| !span.is_primary);
    // A note that points into the learner's file ("type in trait") becomes a
    // labelled span there, so it is shown on their code; other children stay notes.
    let mut notes: Vec<String> = Vec::new();
    for child in &diag.children {
        let text = format!("{}: {}", level_of(child.level), child.message);
        let place = child
            .spans
            .iter()
            .map(|span| convert_span(span_in_source(span)))
            .find(|span| span.file == SpanFile::Learner);
        match place {
            Some(mut span) if child.level == DiagnosticLevel::Note => {
                span.is_primary = false;
                span.label = Some(text);
                spans.push(span);
            }
            _ => notes.push(text),
        }
    }
    let in_hidden_tests = spans
        .first()
        .is_some_and(|span| span.is_primary && span.file == SpanFile::HiddenTests);
    let rendered = if in_hidden_tests {
        hidden_rendering(diag, &spans, &notes, learner_name)
    } else {
        let rendered = diag
            .rendered
            .clone()
            .unwrap_or_default()
            .replace(LEARNER_SRC, learner_name);
        scrub(&rendered)
    };
    Some(Diagnostic {
        level: level_of(diag.level),
        message: diag.message.clone(),
        code: diag.code.as_ref().map(|code| code.code.clone()),
        spans,
        notes,
        rendered,
    })
}

/// Whether `name` is one of the files the runner writes beside the
/// learner's: the hidden tests (under random names) and the harness.
pub fn is_runner_file(name: &str) -> bool {
    name.starts_with(super::harness::HIDDEN_PREFIX)
        || name == "src/main.rs"
        || name == "src/harness.rs"
}

/// `text` with the names of the runner's own files replaced, so neither the
/// hidden tests' random names nor the crate's layout reach the learner.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("src/") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_')))
            .unwrap_or(tail.len());
        let name = tail[..end].trim_end_matches('.');
        if is_runner_file(name) {
            out.push_str("<hidden tests>");
            rest = &tail[name.len()..];
        } else {
            out.push_str("src/");
            rest = &tail[4..];
        }
    }
    out.push_str(rest);
    out
}

/// A rendering for an error the compiler found in the hidden tests: where it
/// is and what it says, and the learner's own lines it mentions, but none of
/// the hidden code itself.
fn hidden_rendering(
    diag: &RustcDiagnostic,
    spans: &[Span],
    notes: &[String],
    learner_name: &str,
) -> String {
    use std::fmt::Write as _;
    let code = diag
        .code
        .as_ref()
        .map(|c| format!("[{}]", c.code))
        .unwrap_or_default();
    let mut out = format!("{}{code}: {}\n", level_of(diag.level), diag.message);
    if let Some(primary) = spans.first() {
        let _ = writeln!(
            out,
            "  --> <hidden tests>:{}:{} (the tests use your code in a way it does not support yet)",
            primary.line_start, primary.column_start
        );
    }
    for span in spans.iter().filter(|s| s.file == SpanFile::Learner) {
        let label = span
            .label
            .as_deref()
            .map(|l| format!(": {l}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  --> {learner_name}:{}:{}{label}",
            span.line_start, span.column_start
        );
    }
    for note in notes {
        let _ = writeln!(out, "  = {note}");
    }
    out
}

/// For a span inside a macro expansion from the learner's code, the place in
/// the learner's code that invoked the macro.
fn span_in_source(span: &DiagnosticSpan) -> &DiagnosticSpan {
    let mut current = span;
    while file_of(&current.file_name) == SpanFile::Other(current.file_name.clone()) {
        match &current.expansion {
            Some(expansion) => current = &expansion.span,
            None => return span,
        }
    }
    current
}

fn convert_span(span: &DiagnosticSpan) -> Span {
    Span {
        file: file_of(&span.file_name),
        line_start: span.line_start,
        line_end: span.line_end,
        column_start: span.column_start,
        column_end: span.column_end,
        is_primary: span.is_primary,
        label: span.label.clone(),
    }
}

fn file_of(name: &str) -> SpanFile {
    match name {
        LEARNER_SRC => SpanFile::Learner,
        _ if is_runner_file(name) => SpanFile::HiddenTests,
        other => SpanFile::Other(other.to_owned()),
    }
}

fn level_of(level: DiagnosticLevel) -> Level {
    match level {
        DiagnosticLevel::Ice => Level::InternalError,
        DiagnosticLevel::Error => Level::Error,
        DiagnosticLevel::Warning => Level::Warning,
        DiagnosticLevel::FailureNote => Level::FailureNote,
        DiagnosticLevel::Help => Level::Help,
        _ => Level::Note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rustc(json: &str) -> RustcDiagnostic {
        serde_json::from_str(json).expect("valid diagnostic json")
    }

    const MISMATCH: &str = r#"{
        "$message_type": "diagnostic",
        "message": "mismatched types", "code": {"code": "E0308", "explanation": null},
        "level": "error",
        "spans": [{"file_name": "src/learner.rs", "byte_start": 50, "byte_end": 53, "line_start": 4,
                   "line_end": 4, "column_start": 12, "column_end": 15, "is_primary": true,
                   "text": [], "label": "expected `f32`, found `i32`", "suggested_replacement": null,
                   "suggestion_applicability": null, "expansion": null}],
        "children": [{"message": "consider using a float literal", "code": null, "level": "help",
                      "spans": [], "children": [], "rendered": null}],
        "rendered": "error[E0308]: mismatched types\n --> src/learner.rs:4:12\n"}"#;

    #[test]
    fn a_diagnostic_keeps_level_code_span_label_and_notes() {
        let diag = convert(&rustc(MISMATCH), "exercises/01-traits/traits1.rs").unwrap();
        assert_eq!(diag.level, Level::Error);
        assert_eq!(diag.code.as_deref(), Some("E0308"));
        let span = diag.primary().unwrap();
        assert_eq!(
            (span.file.clone(), span.line_start, span.column_start),
            (SpanFile::Learner, 4, 12)
        );
        assert_eq!(span.label.as_deref(), Some("expected `f32`, found `i32`"));
        assert_eq!(diag.notes, ["help: consider using a float literal"]);
        assert!(
            diag.rendered
                .contains("exercises/01-traits/traits1.rs:4:12"),
            "{}",
            diag.rendered
        );
    }

    #[test]
    fn an_error_in_the_hidden_tests_never_shows_their_code() {
        let diag = rustc(
            r#"{
            "message": "this function takes 2 arguments but 1 argument was supplied",
            "code": {"code": "E0061", "explanation": null}, "level": "error",
            "spans": [
                {"file_name": "src/hidden-0123456789abcdef.rs", "byte_start": 9, "byte_end": 12, "line_start": 7,
                 "line_end": 7, "column_start": 13, "column_end": 16, "is_primary": true,
                 "text": [], "label": null, "suggested_replacement": null,
                 "suggestion_applicability": null, "expansion": null},
                {"file_name": "src/learner.rs", "byte_start": 1, "byte_end": 4, "line_start": 3,
                 "line_end": 3, "column_start": 8, "column_end": 11, "is_primary": false,
                 "text": [], "label": "function defined here", "suggested_replacement": null,
                 "suggestion_applicability": null, "expansion": null}],
            "children": [],
            "rendered": "error[E0061]: ...\n --> src/hidden-0123456789abcdef.rs:7:13\n  |\n7 |     let secret_expectation = add(1);\n"}"#,
        );
        let diag = convert(&diag, "exercises/x.rs").unwrap();
        assert!(
            !diag.rendered.contains("secret_expectation"),
            "{}",
            diag.rendered
        );
        assert!(
            diag.rendered.contains("<hidden tests>:7:13"),
            "{}",
            diag.rendered
        );
        assert!(
            diag.rendered
                .contains("exercises/x.rs:3:8: function defined here"),
            "{}",
            diag.rendered
        );
    }

    #[test]
    fn a_note_about_the_learners_code_becomes_a_labelled_span() {
        let diag = rustc(
            r#"{
            "message": "method `predict` has an incompatible type for trait",
            "code": {"code": "E0053", "explanation": null}, "level": "error",
            "spans": [{"file_name": "src/learner.rs", "byte_start": 9, "byte_end": 12, "line_start": 41,
                 "line_end": 41, "column_start": 26, "column_end": 29, "is_primary": true,
                 "text": [], "label": "expected `f64`, found `f32`", "suggested_replacement": null,
                 "suggestion_applicability": null, "expansion": null}],
            "children": [
                {"message": "type in trait", "code": null, "level": "note", "children": [], "rendered": null,
                 "spans": [{"file_name": "src/learner.rs", "byte_start": 1, "byte_end": 4, "line_start": 14,
                   "line_end": 14, "column_start": 26, "column_end": 29, "is_primary": true,
                   "text": [], "label": null, "suggested_replacement": null,
                   "suggestion_applicability": null, "expansion": null}]},
                {"message": "expected signature `fn(f64)`", "code": null, "level": "note",
                 "children": [], "rendered": null, "spans": []}],
            "rendered": "error[E0053]: ..."}"#,
        );
        let diag = convert(&diag, "x.rs").unwrap();
        assert_eq!(diag.spans.len(), 2);
        assert_eq!(diag.primary().unwrap().line_start, 41);
        assert_eq!(diag.spans[1].line_start, 14);
        assert_eq!(diag.spans[1].label.as_deref(), Some("note: type in trait"));
        assert_eq!(diag.notes, ["note: expected signature `fn(f64)`"]);
    }

    #[test]
    fn summary_lines_are_dropped() {
        let summary = rustc(
            r#"{"message": "aborting due to 1 previous error", "code": null, "level": "error",
                "spans": [], "children": [], "rendered": "error: aborting due to 1 previous error\n"}"#,
        );
        assert_eq!(convert(&summary, "x.rs"), None);
    }
}
