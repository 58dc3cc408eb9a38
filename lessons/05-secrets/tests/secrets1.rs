use super::*;

// Checked with a small program (Rust 1.95, Linux): `std::env::var` gives
// `NotPresent` for an empty name and for a name holding a NUL byte. Its
// docs say the same of a name holding `=`, but there the name reached the C
// library: with `A=B=C` in the environment, `var("A=B")` returned `Ok("C")`.
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
fn present_key_is_returned_trimmed() {
    let cases = [
        ("MODEL_API_KEY", "sk-test-0123456789", "sk-test-0123456789"),
        ("BACKUP_KEY", "  sk-padded-abc  ", "sk-padded-abc"),
        ("EMBED_KEY", "sk-from-a-file\n", "sk-from-a-file"),
        ("X", "\tkey with inner space\t", "key with inner space"),
    ];
    for (name, raw, want) in cases {
        // Other variables hold a decoy, so reading the wrong name shows.
        let mut pairs = vec![
            ("OTHER_KEY", "sk-wrong-variable"),
            ("MODEL_API_KEY", "sk-wrong-variable"),
        ];
        pairs.retain(|(k, _)| *k != name);
        pairs.push((name, raw));
        let got: Result<String, KeyError> = read_key(name, env_of(&pairs));
        assert_ne!(
            got,
            Ok("sk-wrong-variable".to_owned()),
            "read_key(\"{name}\", ..) read another variable"
        );
        assert_eq!(
            got,
            Ok(want.to_owned()),
            "value {raw:?} should come back trimmed, as {want:?}"
        );
    }
}

#[test]
fn missing_key_is_a_typed_error_not_a_panic() {
    for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "X"] {
        let env = env_of(&[("SOMETHING_ELSE", "sk-unrelated")]);
        assert_eq!(
            read_key(name, env),
            Err(KeyError::Missing {
                name: name.to_owned()
            }),
            "an unset {name} must be KeyError::Missing carrying the name"
        );
    }
}

#[test]
fn blank_value_is_its_own_error_not_a_key() {
    for raw in ["", " ", "   ", "\t\n", "\r\n"] {
        let env = env_of(&[("MODEL_API_KEY", raw)]);
        assert_eq!(
            read_key("MODEL_API_KEY", env),
            Err(KeyError::Empty {
                name: "MODEL_API_KEY".to_owned()
            }),
            "a value of {raw:?} is set but blank: that is KeyError::Empty"
        );
    }
}

#[test]
fn non_unicode_value_is_its_own_error() {
    for name in ["MODEL_API_KEY", "BACKUP_KEY"] {
        let lookup = |_: &str| Err(VarError::NotUnicode(OsString::from("sk-raw-bytes")));
        assert_eq!(
            read_key(name, lookup),
            Err(KeyError::NotUnicode {
                name: name.to_owned()
            }),
            "VarError::NotUnicode must become KeyError::NotUnicode for {name}"
        );
    }
}

#[test]
fn error_messages_name_the_variable() {
    let errors = [
        KeyError::Missing {
            name: "ALPHA_KEY".to_owned(),
        },
        KeyError::Empty {
            name: "BETA_KEY".to_owned(),
        },
        KeyError::NotUnicode {
            name: "GAMMA_KEY".to_owned(),
        },
    ];
    let mut seen = Vec::new();
    for (err, name) in errors.iter().zip(["ALPHA_KEY", "BETA_KEY", "GAMMA_KEY"]) {
        let text = err.to_string();
        assert!(
            text.contains(name),
            "the message {text:?} should name the variable {name}"
        );
        seen.push(text.replace(name, ""));
    }
    assert!(
        seen[0] != seen[1] && seen[1] != seen[2] && seen[0] != seen[2],
        "the three errors should read differently, got {seen:?}"
    );
}

#[test]
fn real_environment_wrapper_reports_a_missing_key() {
    let name = "TENSORLINGS_SECRETS1_SURELY_NEVER_SET";
    assert_eq!(
        read_key_from_env(name),
        Err(KeyError::Missing {
            name: name.to_owned()
        }),
        "read_key_from_env should pass std::env::var's answer through read_key"
    );
}
