use super::*;
use std::collections::HashMap;
use std::env::VarError;
use std::ffi::OsString;
use std::fs;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Result<String, VarError> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned().ok_or(VarError::NotPresent)
}

fn map_of(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn dotenv_text_is_parsed_into_a_map() {
    let text = "# local development only\n\
                LLM_API_KEY=sk-dev-0123456789abcdef\n\
                \n\
                export LLM_MODEL=chat-small\n\
                GREETING=\"hello there\"\n\
                SINGLE='quoted # not a comment'\n\
                EMPTY=\n";
    let parsed = parse_dotenv(text).expect("this .env text is valid");
    assert_eq!(
        parsed,
        map_of(&[
            ("LLM_API_KEY", "sk-dev-0123456789abcdef"),
            ("LLM_MODEL", "chat-small"),
            ("GREETING", "hello there"),
            ("SINGLE", "quoted # not a comment"),
            ("EMPTY", ""),
        ])
    );
    assert_eq!(
        parse_dotenv("").expect("empty text is valid"),
        HashMap::new()
    );
}

#[test]
fn a_malformed_line_is_an_error() {
    for bad in [
        "this line has no equals sign\n",
        "OK=1\n1BAD=starts with a digit\n",
    ] {
        let result = parse_dotenv(bad);
        assert!(
            matches!(result, Err(dotenvy::Error::LineParse(..))),
            "{bad:?} should be a LineParse error, got {result:?}"
        );
    }
}

#[test]
fn reading_a_file_does_not_touch_the_process_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    let name = "TENSORLINGS_SECRETS5_FROM_FILE_ONLY";
    fs::write(&path, format!("{name}=from-the-file\nOTHER=2\n")).expect("write .env");

    let map = read_dotenv(&path).expect("the file is valid");
    assert_eq!(map.get(name).map(String::as_str), Some("from-the-file"));
    assert_eq!(map.get("OTHER").map(String::as_str), Some("2"));
    assert_eq!(
        std::env::var(name),
        Err(VarError::NotPresent),
        "read_dotenv must not load the file into the process environment"
    );
}

#[test]
fn a_missing_file_is_an_empty_map_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in [
        dir.path().join(".env"),
        dir.path().join("nested/dir/.env.local"),
    ] {
        let map = read_dotenv(&path)
            .unwrap_or_else(|e| panic!("a missing {} is normal, got {e}", path.display()));
        assert!(map.is_empty(), "no file, no variables");
    }
}

#[test]
fn a_malformed_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    fs::write(&path, "GOOD=1\nnot a pair at all\n").expect("write .env");
    assert!(
        matches!(read_dotenv(&path), Err(dotenvy::Error::LineParse(..))),
        "a broken line must be reported, not skipped"
    );
}

#[test]
fn the_real_environment_wins_over_the_file() {
    let env = env_of(&[
        ("LLM_API_KEY", "sk-from-the-shell"),
        ("LLM_MODEL", "prod-model"),
    ]);
    let file = map_of(&[
        ("LLM_API_KEY", "sk-from-the-file"),
        ("LLM_MODEL", "dev-model"),
    ]);
    let lookup = layered(env, file);
    assert_eq!(lookup("LLM_API_KEY"), Ok("sk-from-the-shell".to_owned()));
    assert_eq!(lookup("LLM_MODEL"), Ok("prod-model".to_owned()));
}

#[test]
fn the_file_fills_in_only_what_the_environment_lacks() {
    let env = env_of(&[("LLM_MODEL", "prod-model")]);
    let file = map_of(&[
        ("LLM_API_KEY", "sk-from-the-file"),
        ("LLM_MODEL", "dev-model"),
    ]);
    let lookup = layered(env, file);
    assert_eq!(lookup("LLM_API_KEY"), Ok("sk-from-the-file".to_owned()));
    assert_eq!(lookup("LLM_MODEL"), Ok("prod-model".to_owned()));
    assert_eq!(
        lookup("NOWHERE"),
        Err(VarError::NotPresent),
        "a name in neither place is not present"
    );
}

#[test]
fn a_variable_set_in_the_environment_wins_even_when_empty_or_not_unicode() {
    let file = map_of(&[("BLANK", "from-file"), ("BYTES", "from-file")]);
    let env = |name: &str| match name {
        "BLANK" => Ok(String::new()),
        "BYTES" => Err(VarError::NotUnicode(OsString::from("raw"))),
        _ => Err(VarError::NotPresent),
    };
    let lookup = layered(env, file);
    assert_eq!(
        lookup("BLANK"),
        Ok(String::new()),
        "an exported empty value is still set: the file must not replace it"
    );
    assert!(
        matches!(lookup("BYTES"), Err(VarError::NotUnicode(_))),
        "a set but non-UTF-8 variable is still set: report it, do not hide it"
    );
}

#[test]
fn env_with_dotenv_layers_the_real_environment_over_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    let name = "TENSORLINGS_SECRETS5_LAYERED";
    fs::write(&path, format!("{name}=file-value\nPATH=/from/the/file\n")).expect("write .env");
    let lookup = env_with_dotenv(&path).expect("valid file");
    assert_eq!(lookup(name), Ok("file-value".to_owned()));
    if let Ok(real) = std::env::var("PATH") {
        assert_eq!(
            lookup("PATH"),
            Ok(real),
            "the real PATH must win over the file's"
        );
    }
}
