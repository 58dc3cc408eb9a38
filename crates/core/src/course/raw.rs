//! The first loading stage: `lesson.yaml` exactly as an author writes it.
//!
//! These types mirror the file and nothing more. They reject unknown fields so a
//! typo is an error, not a silently ignored setting, and they are the source of
//! the JSON Schema authors point their editors at.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `format_version` this build reads. Files with another version are refused.
pub const FORMAT_VERSION: u32 = 1;

/// Settings for the whole course: `lessons/course.yaml`, optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tensorlings course.yaml")]
pub struct RawCourse {
    /// Version of the format; this build reads version 1.
    pub format_version: u32,
    /// Lint levels for the learner's code in every exercise of the course
    /// (`dead_code: allow`); a lesson's own `lints` win for the names they set.
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
}

/// One lesson: `lessons/<NN-topic>/lesson.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tensorlings lesson.yaml")]
pub struct RawLesson {
    /// Version of the lesson format; this build reads version 1.
    pub format_version: u32,
    /// The lesson's title, shown in the course tree and above the prose.
    pub title: String,
    /// One sentence about the lesson, shown by `list` and in the course tree.
    #[serde(default)]
    pub summary: Option<String>,
    /// The lesson's prose in Markdown: the idea, why it matters, and the Rust way.
    pub prose: String,
    /// Lint levels for the learner's code in this lesson's exercises, by lint
    /// name (`dead_code: allow`, `clippy::needless_range_loop: warn`).
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
    /// The lesson's exercises in the order a learner should take them.
    pub exercises: Vec<RawExercise>,
}

/// One exercise entry in a lesson.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExercise {
    /// Unique across the course, lower case (`traits1`). Names the files:
    /// `exercises/<lesson>/<id>.rs`, `solutions/<lesson>/<id>.rs`, `lessons/<lesson>/tests/<id>.rs`.
    pub id: String,
    /// A short title shown in the course tree.
    pub title: String,
    /// Crates the exercise uses, from the pinned set (see `tensorlings crates`).
    /// The runner picks the smallest prebuilt dependency set that has them all.
    #[serde(default)]
    pub crates: Vec<String>,
    /// Seconds the hidden tests may run before they are stopped (default 10).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// `false` when the starter fails to compile on purpose; `verify` then
    /// expects a compile error from it rather than failing tests.
    #[serde(default)]
    pub starter_compiles: Option<bool>,
    /// Two or three hints, from a nudge to nearly the answer (Markdown).
    #[serde(default)]
    pub hints: Vec<String>,
    /// What a failure of a given hidden test usually means, keyed by the test's
    /// function name: one explanation, or several chosen by what the failure
    /// says.
    #[serde(default)]
    pub messages: BTreeMap<String, RawMessage>,
    /// What the exercise is worth when graded (default 1; 0 for practice that
    /// does not count).
    #[serde(default)]
    pub points: Option<u32>,
    /// `code` (the default): the learner writes code and the course's
    /// hidden tests check it. `tests`: the learner writes tests, which must
    /// pass on the course's reference code (in `lessons/<lesson>/tests/<id>.rs`)
    /// and fail on each of its `bugs`.
    #[serde(default)]
    pub kind: Option<ExerciseKind>,
    /// For a `tests` exercise: the buggy versions of the reference code its
    /// tests must catch, by name (the file `lessons/<lesson>/bugs/<id>/<name>.rs`),
    /// each with what is wrong in plain words, shown when a bug is missed.
    #[serde(default)]
    pub bugs: BTreeMap<String, String>,
    /// How many times `verify` runs the solution's hidden tests (default 1):
    /// more for tests whose outcome could depend on scheduling, to prove it
    /// does not.
    #[serde(default)]
    pub verify_runs: Option<u32>,
    /// How much single hidden tests weigh in the exercise's partial credit,
    /// keyed by the test's function name (default 1 each; 0 for a test that
    /// must pass but earns nothing by itself).
    #[serde(default)]
    pub weights: BTreeMap<String, u32>,
}

/// What a failure of one hidden test means.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawMessage {
    /// Shown whenever the test fails.
    Always(String),
    /// Tried in order: the first case whose `when` the failure's text
    /// contains is shown. A last case without `when` covers every other
    /// failure; without one, other failures show no explanation.
    Cases(Vec<RawCase>),
}

/// One explanation, and the failure it belongs to.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    /// Text the failure shows (its panic message, or an assertion's values)
    /// when this is the cause; compared exactly, case included.
    #[serde(default)]
    pub when: Option<String>,
    /// What to tell the learner (Markdown).
    pub say: String,
}

/// The JSON Schema of `lesson.yaml`, generated from the types that read it, so
/// authors' editors check exactly what the loader accepts.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawLesson);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// How a lint treats the learner's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Silence it.
    Allow,
    /// Report it as a warning.
    Warn,
    /// Make it an error: the code does not compile until it is fixed.
    Deny,
}

impl LintLevel {
    /// The attribute's name: `allow`, `warn`, `deny`.
    pub fn attribute(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }
}

/// What the learner writes in an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExerciseKind {
    /// Code, checked by the course's hidden tests.
    #[default]
    Code,
    /// Tests, checked against the course's reference code and its bugs.
    Tests,
}
