use super::*;

// Mutation score (scripts/mutants.sh): every change to the solution is caught
// but one, which is equivalent: `while i < bytes.len()` as `<=` takes one
// more step at the very end, where no key can start, and stops.

const SK: &str = "sk-Ab3dEf6hIj9kLm2nOp5q";
const AWS: &str = "AKIAIOSFODNN7EXAMPLE";

fn spans(text: &str) -> Vec<(KeyKind, &str)> {
    find_keys(text)
        .into_iter()
        .map(|m| (m.kind, &text[m.start..m.end]))
        .collect()
}

#[test]
fn finds_an_sk_key_and_its_position() {
    // First the key alone, so a key that is not found at all (a rule for
    // its body) is told apart from one found at the wrong place.
    let alone: Vec<KeyMatch> = find_keys(SK);
    assert!(
        !alone.is_empty(),
        "no key was found in {SK:?}, a line holding only an sk- key with a 20-character body"
    );
    assert_eq!(
        alone,
        vec![KeyMatch {
            kind: KeyKind::SkToken,
            start: 0,
            end: SK.len()
        }],
        "{SK:?} alone is one SkToken from byte 0 to byte {}, the end of its body",
        SK.len()
    );
    let text = format!("OPENAI_API_KEY={SK}");
    let found = find_keys(&text);
    assert_eq!(
        found,
        vec![KeyMatch {
            kind: KeyKind::SkToken,
            start: 15,
            end: 15 + SK.len()
        }],
        "in {text:?} the key starts at byte 15: start and end are byte positions in the whole text"
    );
    assert_eq!(
        spans(SK),
        vec![(KeyKind::SkToken, SK)],
        "a key alone on its line"
    );
    let quoted = format!("key = \"{SK}\"  # rotate me");
    assert_eq!(
        spans(&quoted),
        vec![(KeyKind::SkToken, SK)],
        "in {quoted:?}"
    );
}

#[test]
fn finds_the_documented_aws_example_key() {
    for text in [
        format!("aws_access_key_id = {AWS}"),
        format!("{AWS}"),
        format!("export AWS_ACCESS_KEY_ID='{AWS}'"),
    ] {
        assert_eq!(
            spans(&text),
            vec![(KeyKind::AwsAccessKeyId, AWS)],
            "in {text:?}"
        );
    }
}

#[test]
fn the_sk_body_needs_twenty_characters_and_may_hold_dashes() {
    let nineteen = format!("sk-{}", "a".repeat(19));
    let twenty = format!("sk-{}", "a".repeat(20));
    assert_eq!(
        spans(&nineteen),
        vec![],
        "19 characters after sk- is too short"
    );
    assert_eq!(spans(&twenty), vec![(KeyKind::SkToken, twenty.as_str())]);
    let project = "sk-proj-Ab3d_Ef6h-Ij9kLm2nOp5qRs8t";
    assert_eq!(
        spans(&format!("{project}, then more")),
        vec![(KeyKind::SkToken, project)],
        "dashes and underscores belong to the key; the comma ends it"
    );
}

#[test]
fn lookalikes_inside_words_and_wrong_lengths_are_not_keys() {
    for (text, why) in [
        ("task-0123456789abcdefghijklmnop", "sk- inside a word"),
        (
            "risk-assessment-for-the-production-rollout",
            "sk- inside a word",
        ),
        ("my_sk-0123456789abcdefghijklmnop", "sk- inside a word"),
        ("sk-short", "too short"),
        ("AKIAIOSFODNN7EXAMPL", "AKIA and 15 characters"),
        ("AKIAIOSFODNN7EXAMPLE1", "AKIA and 17 characters"),
        (
            "AKIAIOSFODNN7EXAMPLEs",
            "AKIA and 16 running into more letters",
        ),
        ("XAKIAIOSFODNN7EXAMPLE", "AKIA inside a word"),
        ("akiaiosfodnn7example", "lower case"),
        ("AKIAiosfodnn7example", "lower case"),
        ("", "empty"),
    ] {
        assert_eq!(spans(text), vec![], "{text:?} holds no key: {why}");
    }
}

#[test]
fn finds_several_keys_in_order() {
    let other = "sk-ZZZZyyyyXXXXwwww0000";
    let text = format!("{SK} {AWS}\n# old: {other},{AWS}");
    assert_eq!(
        spans(&text),
        vec![
            (KeyKind::SkToken, SK),
            (KeyKind::AwsAccessKeyId, AWS),
            (KeyKind::SkToken, other),
            (KeyKind::AwsAccessKeyId, AWS),
        ],
        "every key, left to right"
    );
    let nested = "sk-proj-AKIAIOSFODNN7EXAMPLE";
    let got = spans(nested);
    assert!(
        got.contains(&(KeyKind::SkToken, nested)),
        "the sk- key {nested:?} was not found whole (dashes belong to its body): {got:?}"
    );
    assert_eq!(
        got,
        vec![(KeyKind::SkToken, nested)],
        "matches must not overlap: the AKIA id after a dash is part of the sk- key"
    );
}

#[test]
fn non_ascii_text_around_keys_is_fine() {
    let text = format!("clé «{SK}» — café");
    assert_eq!(spans(&text), vec![(KeyKind::SkToken, SK)], "in {text:?}");
    let text = format!("ключ: {SK}, ещё: {AWS}.");
    assert_eq!(
        spans(&text),
        vec![(KeyKind::SkToken, SK), (KeyKind::AwsAccessKeyId, AWS)],
        "in {text:?}"
    );
    assert_eq!(
        redact(&text),
        "ключ: [REDACTED], ещё: [REDACTED].",
        "redact should keep the text around the keys"
    );
}

#[test]
fn redact_replaces_every_key_and_keeps_the_rest() {
    assert_eq!(
        redact(&format!("Authorization: Bearer {SK}")),
        "Authorization: Bearer [REDACTED]"
    );
    assert_eq!(
        redact(&format!("{AWS}/{SK}")),
        "[REDACTED]/[REDACTED]",
        "keys at the very start and end"
    );
    for clean in [
        "nothing to hide here",
        "",
        "task-0123456789abcdefghijklmnop",
    ] {
        assert_eq!(
            redact(clean),
            clean,
            "text without keys comes back unchanged"
        );
    }
}
