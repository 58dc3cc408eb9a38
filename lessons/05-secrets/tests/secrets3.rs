use super::*;

// What these tests and the lesson rely on, read in secrecy 0.10.3's
// src/lib.rs: `SecretString` is `SecretBox<str>`; its `Debug` writes
// `SecretBox<str>([REDACTED])` and it has no `Display`; dropping it zeroes
// its own boxed `str` (zeroize) and nothing else. `From<&str>` copies into a
// new `String`, and `From<String>` goes through `into_boxed_str`, which may
// reallocate and copy (std's docs), so earlier copies stay as they were.
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::env::VarError;
use std::ffi::OsString;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Result<String, VarError> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned().ok_or(VarError::NotPresent)
}

#[test]
fn read_secret_wraps_the_trimmed_key() {
    for (name, raw, want) in [
        (
            "PROVIDER_KEY",
            "sk-abc-0123456789xyz",
            "sk-abc-0123456789xyz",
        ),
        ("BACKUP_KEY", "  sk-padded-key \n", "sk-padded-key"),
        (
            "AWS_ACCESS_KEY_ID",
            "AKIAIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPLE",
        ),
    ] {
        // Other variables hold a decoy, so reading the wrong name shows.
        let mut pairs = vec![("DECOY", "sk-wrong"), ("PROVIDER_KEY", "sk-wrong")];
        pairs.retain(|(k, _)| *k != name);
        pairs.push((name, raw));
        let secret: SecretString = read_secret(name, env_of(&pairs))
            .unwrap_or_else(|e| panic!("{raw:?} is a usable key, got the error {e}"));
        assert_ne!(
            secret.expose_secret(),
            "sk-wrong",
            "read_secret(\"{name}\", ..) read another variable"
        );
        assert_eq!(
            secret.expose_secret(),
            want,
            "the secret should hold the trimmed key"
        );
    }
}

#[test]
fn read_secret_reports_missing_blank_and_non_unicode() {
    let name = "PROVIDER_KEY";
    assert_eq!(
        read_secret(name, env_of(&[])).err(),
        Some(KeyError::Missing {
            name: name.to_owned()
        }),
        "an unset variable is Missing, not a panic"
    );
    for blank in ["", "  ", "\n"] {
        assert_eq!(
            read_secret(name, env_of(&[(name, blank)])).err(),
            Some(KeyError::Empty {
                name: name.to_owned()
            }),
            "{blank:?} is blank, not a key"
        );
    }
    let not_utf8 = |_: &str| Err(VarError::NotUnicode(OsString::from("sk-bytes")));
    assert_eq!(
        read_secret(name, not_utf8).err(),
        Some(KeyError::NotUnicode {
            name: name.to_owned()
        }),
    );
}

#[test]
fn client_debug_never_shows_the_key() {
    for (model, key) in [
        ("chat-small", "sk-debug-test-0123456789abcdef"),
        ("embed-large", "AKIAZZZZYYYYXXXXWWWW"),
    ] {
        let client = ModelClient::new(model, SecretString::from(key));
        let text = format!("{client:#?}");
        assert!(!text.contains(key), "Debug leaked the key: {text}");
        assert!(
            text.contains(model),
            "Debug should still show the model: {text}"
        );
    }
}

#[test]
fn authorization_carries_the_key_but_stays_secret() {
    for key in ["sk-header-0123456789abcdef", "tok_live_42"] {
        let client = ModelClient::new("m", SecretString::from(key));
        let header = client.authorization();
        assert_eq!(
            header.expose_secret(),
            format!("Bearer {key}"),
            "the header value is `Bearer ` followed by the key"
        );
        let text = format!("{header:?}");
        assert!(
            !text.contains(key),
            "the header's Debug leaked the key: {text}"
        );
    }
}

#[test]
fn from_lookup_builds_a_client_or_names_the_missing_variable() {
    let env = env_of(&[("CHAT_KEY", " sk-from-env-0123456789 ")]);
    let client = ModelClient::from_lookup("chat-small", "CHAT_KEY", &env)
        .unwrap_or_else(|e| panic!("CHAT_KEY is set, got the error {e}"));
    assert_eq!(
        client.model, "chat-small",
        "the client is for the model given"
    );
    assert_eq!(
        client.authorization().expose_secret(),
        "Bearer sk-from-env-0123456789",
        "the client's key should be CHAT_KEY's value, trimmed"
    );

    let err = ModelClient::from_lookup("chat-small", "EMBED_KEY", &env).err();
    assert_eq!(
        err,
        Some(KeyError::Missing {
            name: "EMBED_KEY".to_owned()
        }),
        "asking for EMBED_KEY, which is unset, should be an error naming that variable"
    );
}
