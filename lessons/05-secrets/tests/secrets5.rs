use super::*;
use std::collections::HashMap;
use std::env::VarError;
use std::ffi::OsString;
use std::fs;

// What these tests rely on, read in dotenvy 0.15.7's source and checked with
// a small program:
// - `Error::LineParse(String, usize)` holds text from the file and prints it
//   in `Display` and `Debug` (src/errors.rs): the value after `=`, the whole
//   line, or for a quote never closed everything to the end of the file
//   (src/iter.rs, `QuotedLines`). A bad line may be a pasted key.
// - `$NAME` in an unquoted value is replaced by the process's `NAME` or an
//   earlier line's, and a name there is letters and digits only
//   (src/parse.rs): `sk-abc$def` reads as `sk-abc`. Single quotes and `\$`
//   keep the dollar sign.
// - `from_path` and `dotenv` set the file's variables in the process where
//   they are unset; `from_path_override` replaces ones that are set
//   (src/iter.rs, `load` and `load_override`).
// - Opening a directory succeeds on Linux and reading it fails
//   (`IsADirectory`); a path through a regular file fails to open with
//   `NotADirectory`, and `Path::exists` says `false` for it. Neither is
//   `NotFound`. The tests run as any user, root included, so they use these
//   rather than file permissions.
// The tests see a made-up environment in which HOME is set.

const KEY: &str = "sk-live-0123456789abcdefXYZ";

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
                DOLLAR='sk-abc$def'\n\
                EMPTY=\n";
    let parsed: HashMap<String, String> =
        parse_dotenv(text).unwrap_or_else(|e| panic!("this .env text is valid, got {e}"));
    assert_eq!(
        parsed,
        map_of(&[
            ("LLM_API_KEY", "sk-dev-0123456789abcdef"),
            ("LLM_MODEL", "chat-small"),
            ("GREETING", "hello there"),
            ("SINGLE", "quoted # not a comment"),
            ("DOLLAR", "sk-abc$def"),
            ("EMPTY", ""),
        ])
    );
    let empty: HashMap<String, String> =
        parse_dotenv("").unwrap_or_else(|e| panic!("empty text is valid, got {e}"));
    assert_eq!(empty, HashMap::new());
}

#[test]
fn a_malformed_line_is_an_error_placed_after_the_last_good_name() {
    for (text, after) in [
        ("this line has no equals sign\n", None),
        ("OK=1\n1BAD=starts with a digit\n", Some("OK")),
        (
            "FIRST=1\n# a comment\nSECOND=2\n\nnot a pair\nTHIRD=3\n",
            Some("SECOND"),
        ),
    ] {
        match parse_dotenv(text) {
            Ok(map) => panic!("{text:?} has a bad line, yet it parsed as {map:?}"),
            Err(DotenvError::Parse { after: got }) => assert_eq!(
                got.as_deref(),
                after,
                "in {text:?} the bad line should be placed after the last good name"
            ),
            Err(other) => {
                panic!("{text:?} has a bad line: that is DotenvError::Parse, got {other}")
            }
        }
    }
}

#[test]
fn a_bad_line_never_shows_its_text_in_the_error() {
    for text in [
        format!("LLM_MODEL=chat\nLLM_API_KEY={KEY} pasted twice\n"),
        format!("LLM_MODEL=chat\n{KEY}\n"),
        format!("LLM_MODEL=chat\nLLM_API_KEY=\"{KEY}\nOTHER=1\n"),
    ] {
        let Err(err) = parse_dotenv(&text) else {
            panic!("this .env text has a bad line, yet it parsed");
        };
        let shown = format!("{err}");
        let debugged = format!("{err:?}");
        assert!(
            !shown.contains(KEY),
            "the error's Display leaked the key from the bad line: {shown}"
        );
        assert!(
            !debugged.contains(KEY),
            "the error's Debug leaked the key from the bad line: {debugged}"
        );
    }
}

#[test]
fn reading_a_file_does_not_touch_the_process_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    let name = "TENSORLINGS_SECRETS5_FROM_FILE_ONLY";
    let home = std::env::var("HOME");
    fs::write(
        &path,
        format!("{name}=from-the-file\nHOME=/home/from-a-dotenv-file\nOTHER=2\n"),
    )
    .expect("write .env");

    let map: HashMap<String, String> =
        read_dotenv(&path).unwrap_or_else(|e| panic!("the file is valid, got {e}"));
    assert_eq!(
        std::env::var("HOME"),
        home,
        "read_dotenv overrode HOME, a variable the real environment already had"
    );
    assert_eq!(
        std::env::var(name),
        Err(VarError::NotPresent),
        "read_dotenv loaded the file into the process environment"
    );
    assert_eq!(map.get(name).map(String::as_str), Some("from-the-file"));
    assert_eq!(map.get("OTHER").map(String::as_str), Some("2"));
}

#[test]
fn a_missing_file_is_an_empty_map_not_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in [
        dir.path().join(".env"),
        dir.path().join("nested/dir/.env.local"),
    ] {
        let map: HashMap<String, String> = read_dotenv(&path)
            .unwrap_or_else(|e| panic!("a missing {} is normal, got {e}", path.display()));
        assert!(map.is_empty(), "no file, no variables");
    }
}

#[test]
fn only_a_missing_file_counts_as_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join(".env");
    fs::create_dir(&folder).expect("create a folder named .env");
    fs::write(dir.path().join("config"), "a file, not a folder\n").expect("write config");
    let not_utf8 = dir.path().join("latin1.env");
    fs::write(&not_utf8, b"GREETING=gr\xfc\xdf dich\n").expect("write latin1.env");

    for (path, what) in [
        (folder, "a directory named .env"),
        (
            dir.path().join("config/.env"),
            "a path through a regular file",
        ),
        (not_utf8, "a file that is not UTF-8"),
    ] {
        match read_dotenv(&path) {
            Ok(map) => {
                panic!("{what} came back as the map {map:?}: only NotFound means there is no file")
            }
            Err(DotenvError::Read(_)) => {}
            Err(other) => panic!("{what} cannot be read: that is DotenvError::Read, got {other}"),
        }
    }
}

#[test]
fn a_malformed_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".env");
    fs::write(&path, "GOOD=1\nnot a pair at all\n").expect("write .env");
    match read_dotenv(&path) {
        Ok(map) => panic!("a broken line must be reported, not skipped: got the map {map:?}"),
        Err(DotenvError::Parse { after }) => assert_eq!(
            after.as_deref(),
            Some("GOOD"),
            "the bad line should be placed after the last good name"
        ),
        Err(other) => panic!("a broken line is DotenvError::Parse, got {other}"),
    }
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
    assert_eq!(
        lookup("LLM_API_KEY"),
        Ok("sk-from-the-shell".to_owned()),
        "the file's value beat the environment's"
    );
    assert_eq!(
        lookup("LLM_MODEL"),
        Ok("prod-model".to_owned()),
        "the file's value beat the environment's"
    );
}

#[test]
fn the_file_fills_in_only_what_the_environment_lacks() {
    let env = env_of(&[("LLM_MODEL", "prod-model")]);
    let file = map_of(&[
        ("LLM_API_KEY", "sk-from-the-file"),
        ("LLM_MODEL", "dev-model"),
    ]);
    let lookup = layered(env, file);
    assert_eq!(
        lookup("LLM_API_KEY"),
        Ok("sk-from-the-file".to_owned()),
        "a name only the file has should come from the file"
    );
    assert_eq!(
        lookup("LLM_MODEL"),
        Ok("prod-model".to_owned()),
        "the file's value beat the environment's"
    );
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
    let home = std::env::var("HOME").expect("the tests run with HOME set");
    fs::write(
        &path,
        format!("{name}=file-value\nHOME=/home/from-the-file\n"),
    )
    .expect("write .env");
    let lookup = env_with_dotenv(&path).unwrap_or_else(|e| panic!("the file is valid, got {e}"));
    assert_eq!(
        lookup(name),
        Ok("file-value".to_owned()),
        "a name only the file has should come from the file"
    );
    assert_eq!(
        lookup("HOME"),
        Ok(home),
        "the file replaced HOME, which the real environment already had"
    );
}
