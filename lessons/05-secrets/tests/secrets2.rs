use super::*;

const KEYS: [&str; 4] = [
    "sk-live-9f8e7d6c5b4a39281706",
    "AKIAIOSFODNN7EXAMPLE",
    "short1",
    "ключ-секрет-пароль-42",
];

#[test]
fn debug_never_shows_the_key() {
    for key in KEYS {
        let api_key = ApiKey::new(key);
        for text in [format!("{api_key:?}"), format!("{api_key:#?}")] {
            assert!(
                !text.contains(key),
                "Debug printed the key itself: {text:?}"
            );
            assert!(
                text.contains("REDACTED"),
                "Debug should say the value is hidden, got {text:?}"
            );
        }
    }
}

#[test]
fn display_never_shows_the_key() {
    for key in KEYS {
        let api_key = ApiKey::new(key);
        let text = format!("{api_key}");
        assert!(!text.contains(key), "Display printed the key: {text:?}");
        assert!(
            text.contains("REDACTED"),
            "Display should say the value is hidden, got {text:?}"
        );
        let logged = format!("using key {api_key} for the request");
        assert!(
            !logged.contains(key),
            "a log line leaked the key: {logged:?}"
        );
    }
}

#[test]
fn settings_debug_is_safe_and_still_useful() {
    for (key, model) in [
        ("sk-settings-0123456789abcdef", "small-chat-v2"),
        ("AKIAABCDEFGHIJKLMNOP", "embedder-large"),
    ] {
        let settings = ClientSettings {
            model: model.to_owned(),
            api_key: ApiKey::new(key),
            timeout_secs: 42,
        };
        let text = format!("{settings:#?}");
        assert!(!text.contains(key), "ClientSettings Debug leaked: {text}");
        assert!(
            text.contains(model) && text.contains("42"),
            "the other fields should still be visible: {text}"
        );
    }
}

#[test]
fn expose_returns_the_exact_value() {
    for key in KEYS {
        let api_key = ApiKey::new(key.to_owned());
        assert_eq!(
            api_key.expose(),
            key,
            "expose() must return the key unchanged"
        );
    }
}

#[test]
fn hint_shows_only_the_last_four_of_long_keys() {
    assert_eq!(
        ApiKey::new("sk-live-9f8e7d6c5b4a39281706").hint(),
        "...1706",
        "the hint is \"...\" and the key's LAST four characters"
    );
    assert_eq!(
        ApiKey::new("AKIAIOSFODNN7EXAMPLE").hint(),
        "...MPLE",
        "the hint is \"...\" and the key's LAST four characters"
    );
    assert_eq!(
        ApiKey::new("0123456789abcdef").hint(),
        "...cdef",
        "exactly 16 characters is long enough for a hint"
    );
}

#[test]
fn hint_hides_short_keys_entirely() {
    for key in ["", "abc", "short1", "0123456789abcde"] {
        assert_eq!(
            ApiKey::new(key).hint(),
            "...",
            "a key of {} characters is too short to show any of it",
            key.chars().count()
        );
    }
}

#[test]
fn hint_counts_characters_not_bytes() {
    // 21 characters but 37 bytes: byte slicing would panic or cut a letter.
    assert_eq!(
        ApiKey::new("ключ-секрет-пароль-42").hint(),
        "...ь-42",
        "a key of 21 characters (37 bytes) shows its last four characters"
    );
    // 15 characters but 30 bytes: still too short.
    assert_eq!(
        ApiKey::new("ключключключклю").hint(),
        "...",
        "a key of 15 characters but 30 bytes is too short for a hint"
    );
}
