use super::*;
use secrecy::ExposeSecret;
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

const KEY: &str = "sk-config-0123456789abcdef";

fn errors_of(pairs: &[(&str, &str)]) -> Vec<ConfigError> {
    match load_config(env_of(pairs)) {
        Ok(cfg) => panic!("expected errors for {pairs:?}, got {cfg:?}"),
        Err(errors) => errors,
    }
}

fn is_invalid(e: &ConfigError, name: &str) -> bool {
    matches!(e, ConfigError::Invalid { var, .. } if *var == name)
}

/// Fails, naming the cause, when the only error is the first problem of
/// several: reading stopped there.
fn assert_not_stopped(errors: &[ConfigError], is_first: impl Fn(&ConfigError) -> bool) {
    assert!(
        !(errors.len() == 1 && is_first(&errors[0])),
        "only the first problem was reported: {errors:?}"
    );
}

/// Fails, naming the problem, unless `errors` holds an error that `is_it`
/// accepts; `what` says which variable and why, e.g. `LLM_MODEL (blank)`.
fn assert_reported(errors: &[ConfigError], what: &str, is_it: impl Fn(&ConfigError) -> bool) {
    assert!(
        errors.iter().any(is_it),
        "{what} was not reported: {errors:?}"
    );
}

#[test]
fn full_environment_gives_a_config() {
    let cfg = load_config(env_of(&[
        (API_KEY, KEY),
        (MODEL, "chat-small"),
        (TIMEOUT_SECS, "120"),
        (MAX_RETRIES, "5"),
    ]))
    .unwrap_or_else(|e| panic!("every variable is valid, got {e:?}"));
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.model, "chat-small");
    assert_eq!(cfg.timeout_secs, 120);
    assert_eq!(cfg.max_retries, 5);
}

#[test]
fn unset_optional_values_fall_back_to_defaults() {
    let cfg = load_config(env_of(&[(API_KEY, KEY), (MODEL, "embed-large")]))
        .unwrap_or_else(|e| panic!("only the key and the model are required, got {e:?}"));
    assert_eq!(cfg.timeout_secs, DEFAULT_TIMEOUT_SECS);
    assert_eq!(cfg.max_retries, DEFAULT_MAX_RETRIES);
    assert_eq!(cfg.model, "embed-large");
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = errors_of(&[]);
    assert_not_stopped(&errors, |e| *e == ConfigError::Missing { var: API_KEY });
    assert_reported(&errors, "LLM_API_KEY (unset)", |e| {
        *e == ConfigError::Missing { var: API_KEY }
    });
    assert_reported(&errors, "LLM_MODEL (unset)", |e| {
        *e == ConfigError::Missing { var: MODEL }
    });
    assert_eq!(
        errors.len(),
        2,
        "an empty environment lacks exactly the key and the model: {errors:?}"
    );

    let errors = errors_of(&[(MODEL, "   "), (TIMEOUT_SECS, "abc"), (MAX_RETRIES, "99")]);
    assert_not_stopped(&errors, |e| *e == ConfigError::Missing { var: API_KEY });
    assert_reported(&errors, "LLM_API_KEY (unset)", |e| {
        *e == ConfigError::Missing { var: API_KEY }
    });
    assert_reported(&errors, "LLM_MODEL (blank)", |e| {
        *e == ConfigError::Empty { var: MODEL }
    });
    assert_reported(&errors, "LLM_TIMEOUT_SECS=\"abc\" (not a number)", |e| {
        is_invalid(e, TIMEOUT_SECS)
    });
    assert_reported(&errors, "LLM_MAX_RETRIES=\"99\" (out of range)", |e| {
        is_invalid(e, MAX_RETRIES)
    });
    assert_eq!(
        errors.len(),
        4,
        "four variables are wrong, so four errors: {errors:?}"
    );

    let errors = errors_of(&[
        (API_KEY, KEY),
        (MODEL, "m"),
        (TIMEOUT_SECS, "0"),
        (MAX_RETRIES, "-1"),
    ]);
    assert_not_stopped(&errors, |e| is_invalid(e, TIMEOUT_SECS));
    assert_reported(&errors, "LLM_TIMEOUT_SECS=\"0\" (out of range)", |e| {
        is_invalid(e, TIMEOUT_SECS)
    });
    assert_reported(&errors, "LLM_MAX_RETRIES=\"-1\" (not a count)", |e| {
        is_invalid(e, MAX_RETRIES)
    });
    assert_eq!(errors.len(), 2, "both numbers are out of range: {errors:?}");
}

#[test]
fn blank_values_are_errors_not_values() {
    for blank in ["", " ", "\t\n"] {
        let errors = errors_of(&[(API_KEY, blank), (MODEL, "m")]);
        assert_eq!(
            errors,
            vec![ConfigError::Empty { var: API_KEY }],
            "key = {blank:?}"
        );

        let errors = errors_of(&[(API_KEY, KEY), (MODEL, "m"), (TIMEOUT_SECS, blank)]);
        assert_eq!(
            errors,
            vec![ConfigError::Empty { var: TIMEOUT_SECS }],
            "a timeout set to {blank:?} is a mistake, not a request for the default"
        );
    }
}

#[test]
fn bad_numbers_are_errors_not_panics() {
    for bad in [
        "abc",
        "-5",
        "1.5",
        "30s",
        "0",
        "601",
        "99999999999999999999999",
    ] {
        let errors = errors_of(&[(API_KEY, KEY), (MODEL, "m"), (TIMEOUT_SECS, bad)]);
        assert_eq!(errors.len(), 1, "timeout {bad:?}: {errors:?}");
        assert!(
            is_invalid(&errors[0], TIMEOUT_SECS),
            "timeout {bad:?}: {errors:?}"
        );
        if let ConfigError::Invalid { value, .. } = &errors[0] {
            assert!(
                value.contains(bad),
                "the error should show the bad value {bad:?}"
            );
        }
    }
    for bad in ["many", "11", "-1", "3.0"] {
        let errors = errors_of(&[(API_KEY, KEY), (MODEL, "m"), (MAX_RETRIES, bad)]);
        assert_eq!(errors.len(), 1, "retries {bad:?}: {errors:?}");
        assert!(
            is_invalid(&errors[0], MAX_RETRIES),
            "retries {bad:?}: {errors:?}"
        );
    }
}

#[test]
fn numbers_at_the_edges_are_accepted_and_trimmed() {
    for (raw, want, what) in [
        ("1", 1, "an end of the range"),
        ("600", 600, "an end of the range"),
        (" 45 ", 45, "with spaces around it"),
        ("007", 7, "with leading zeros"),
    ] {
        let cfg = load_config(env_of(&[(API_KEY, KEY), (MODEL, "m"), (TIMEOUT_SECS, raw)]))
            .unwrap_or_else(|e| panic!("timeout {raw:?} ({what}) is fine, got {e:?}"));
        assert_eq!(cfg.timeout_secs, want, "timeout {raw:?}");
    }
    for (raw, want, what) in [
        ("0", 0, "an end of the range"),
        ("10", 10, "an end of the range"),
        ("2\n", 2, "with a newline after it"),
    ] {
        let cfg = load_config(env_of(&[(API_KEY, KEY), (MODEL, "m"), (MAX_RETRIES, raw)]))
            .unwrap_or_else(|e| panic!("retries {raw:?} ({what}) is fine, got {e:?}"));
        assert_eq!(cfg.max_retries, want, "retries {raw:?}");
    }
}

#[test]
fn non_unicode_values_are_reported_by_name() {
    let lookup = |name: &str| match name {
        API_KEY => Err(VarError::NotUnicode(OsString::from("sk-raw"))),
        MODEL => Ok("m".to_owned()),
        TIMEOUT_SECS => Err(VarError::NotUnicode(OsString::from("12"))),
        _ => Err(VarError::NotPresent),
    };
    let errors = load_config(lookup).expect_err("two variables are not UTF-8");
    assert_not_stopped(&errors, |e| *e == ConfigError::NotUnicode { var: API_KEY });
    assert_reported(&errors, "LLM_API_KEY (not UTF-8)", |e| {
        *e == ConfigError::NotUnicode { var: API_KEY }
    });
    assert_reported(&errors, "LLM_TIMEOUT_SECS (not UTF-8)", |e| {
        *e == ConfigError::NotUnicode { var: TIMEOUT_SECS }
    });
    assert_eq!(
        errors.len(),
        2,
        "exactly two variables are wrong: {errors:?}"
    );
}

#[test]
fn the_key_never_appears_in_debug_or_error_text() {
    let cfg = load_config(env_of(&[(API_KEY, KEY), (MODEL, "m")])).expect("valid config");
    let text = format!("{cfg:#?}");
    assert!(!text.contains(KEY), "Config's Debug leaked the key: {text}");

    let errors = errors_of(&[(API_KEY, KEY), (MODEL, ""), (TIMEOUT_SECS, "soon")]);
    let text = format!("{errors:?}");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(!text.contains(KEY), "errors leaked the key: {text}");
    assert!(
        !shown.concat().contains(KEY),
        "error messages leaked the key: {shown:?}"
    );
}
