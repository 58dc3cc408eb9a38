use super::*;
use std::fs;
use std::path::{Path, PathBuf};

// What these tests rely on, read in ignore 0.4.34's source (src/dir.rs,
// src/walk.rs) and checked with a small program:
// - `WalkBuilder` skips hidden files by default, and `.env` is one.
// - With `require_git(false)`, `.gitignore` files apply outside a git
//   repository, and with the default `parents(true)` that includes the
//   `.gitignore` files of every folder ABOVE the root: a tree scanned in a
//   folder whose parent ignores `*.txt` loses its `.txt` files.
//   `parents(false)` makes the answer depend on the tree alone.
// - `ignore(true)`, the default, also applies `.ignore` files, which git
//   never reads: a `.env` listed there is hidden from the scan yet
//   `git add` commits it.
// - The global gitignore (`git_global`) is found through HOME and
//   XDG_CONFIG_HOME; the tests cannot set those, so no test covers it.
// And what no scan of the tree can see: git keeps tracking a file that was
// committed before `.gitignore` listed it, or added with `git add -f`.

const SK: &str = "sk-Ab3dEf6hIj9kLm2nOp5q";
const AWS: &str = "AKIAIOSFODNN7EXAMPLE";

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create dirs");
    fs::write(path, contents).expect("write file");
}

fn scanned(root: &Path) -> Vec<Finding> {
    checked(scan(root).unwrap_or_else(|e| panic!("scanning a valid tree failed: {e}")))
}

/// Sorts the findings and fails, naming the cause, when a path is not
/// relative to the root or a line number is 0 (lines start at 1). Every
/// test checks these first, so each of them reports those causes by name.
fn checked(mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort();
    for f in &found {
        assert!(
            f.path.is_relative(),
            "{} is not relative to the scanned root",
            f.path.display()
        );
        assert!(
            f.line != Some(0),
            "{} has a finding on line 0: lines were counted from 0",
            f.path.display()
        );
    }
    found
}

fn file(path: &str) -> Finding {
    Finding {
        path: PathBuf::from(path),
        line: None,
        kind: FindingKind::DotenvFile,
    }
}

fn key(path: &str, line: usize, kind: KeyKind) -> Finding {
    Finding {
        path: PathBuf::from(path),
        line: Some(line),
        kind: FindingKind::Key(kind),
    }
}

fn sorted(mut v: Vec<Finding>) -> Vec<Finding> {
    v.sort();
    v
}

/// Whether any finding is about `path`.
fn reported(found: &[Finding], path: &str) -> bool {
    found.iter().any(|f| f.path == Path::new(path))
}

/// Fails, naming the cause, when the hidden file `path` was not reported.
fn assert_hidden_seen(found: &[Finding], path: &str) {
    assert!(
        reported(found, path),
        "the hidden file {path} was not reported: {found:?}"
    );
}

#[test]
fn dotenv_names_are_recognised_but_templates_are_not() {
    for name in [".env", ".env.local", ".env.production", ".env.test.local"] {
        assert!(
            is_dotenv_name(name),
            "{name} is a .env file and was not recognised"
        );
    }
    for name in [
        ".env.example",
        ".env.sample",
        ".env.template",
        ".envrc",
        "env",
        ".env.",
        "my.env",
        "dotenv",
        ".environment",
    ] {
        assert!(
            !is_dotenv_name(name),
            "{name} is not a .env file to worry about"
        );
    }
}

#[test]
fn finds_dotenv_files_at_every_depth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, ".env", "MODE=dev\n");
    write(root, "services/api/.env.local", "PORT=8080\n");
    write(root, "deep/a/b/c/d/.env.production", "REGION=eu\n");
    write(root, ".env.example", "LLM_API_KEY=\n");
    write(root, "README.md", "# project\n");
    let found = scanned(root);
    assert_hidden_seen(&found, ".env");
    assert!(
        !reported(&found, ".env.example"),
        ".env.example is a template and was reported"
    );
    assert_eq!(
        found,
        sorted(vec![
            file(".env"),
            file("deep/a/b/c/d/.env.production"),
            file("services/api/.env.local"),
        ]),
        "hidden .env files must be seen, in nested folders too"
    );
}

#[test]
fn finds_keys_in_nested_and_hidden_files_with_line_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(
        root,
        "src/app/settings.py",
        &format!("import os\n\nAPI_KEY = \"{SK}\"\n"),
    );
    write(
        root,
        "infra/deploy/vars.tf",
        &format!("# creds\naccess_key = \"{AWS}\"\nsecret = 1\n"),
    );
    write(
        root,
        ".config/tool.toml",
        &format!("token = \"{SK}\" # and {AWS}\n"),
    );
    write(
        root,
        "notes.txt",
        "task-0123456789abcdefghijklmnop is just a name\n",
    );
    let found = scanned(root);
    assert_hidden_seen(&found, ".config/tool.toml");
    assert_eq!(
        found,
        sorted(vec![
            key(".config/tool.toml", 1, KeyKind::SkToken),
            key(".config/tool.toml", 1, KeyKind::AwsAccessKeyId),
            key("infra/deploy/vars.tf", 2, KeyKind::AwsAccessKeyId),
            key("src/app/settings.py", 3, KeyKind::SkToken),
        ])
    );
}

#[test]
fn files_that_are_not_utf8_are_scanned_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let mut bytes = b"\x89PNG\r\n\x1a\n\xff\xfe\x00\n".to_vec();
    bytes.extend_from_slice(format!("comment: {SK}\n").as_bytes());
    fs::write(root.join("logo.png"), bytes).expect("write logo.png");
    write(root, "b.txt", &format!("{AWS}\n"));
    let found = checked(
        scan(root).unwrap_or_else(|e| panic!("a file that is not UTF-8 stopped the scan: {e}")),
    );
    assert_eq!(
        found,
        vec![
            key("b.txt", 1, KeyKind::AwsAccessKeyId),
            key("logo.png", 4, KeyKind::SkToken),
        ],
        "a key inside a file that is not UTF-8 is still a key"
    );
}

#[test]
fn gitignored_files_are_skipped_even_outside_a_git_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, ".gitignore", ".env\nsecrets/\n*.log\n");
    write(root, ".env", &format!("LLM_API_KEY={SK}\n"));
    write(root, "secrets/prod/keys.txt", &format!("{AWS}\n"));
    write(root, "logs/debug.log", &format!("sent {SK}\n"));
    write(root, "app/config.yaml", &format!("key: {SK}\n"));
    write(root, "app/.env.staging", "MODE=staging\n");
    let found = scanned(root);
    assert_hidden_seen(&found, "app/.env.staging");
    for ignored in [".env", "secrets/prod/keys.txt", "logs/debug.log"] {
        assert!(
            !reported(&found, ignored),
            "{ignored} was reported although .gitignore excludes it"
        );
    }
    assert_eq!(
        found,
        sorted(vec![
            file("app/.env.staging"),
            key("app/config.yaml", 1, KeyKind::SkToken),
        ]),
        "only files that .gitignore does not exclude may be reported"
    );
}

#[test]
fn a_nested_gitignore_applies_to_its_own_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "tools/.gitignore", "local.txt\n");
    write(root, "tools/local.txt", &format!("{SK}\n"));
    write(root, "tools/shared.txt", &format!("{SK}\n"));
    write(root, "local.txt", &format!("{AWS}\n"));
    let found = scanned(root);
    assert!(
        !reported(&found, "tools/local.txt"),
        "tools/local.txt was reported although tools/.gitignore excludes it"
    );
    assert!(
        reported(&found, "local.txt"),
        "local.txt at the root was hidden, yet tools/.gitignore only covers tools/"
    );
    assert_eq!(
        found,
        sorted(vec![
            key("local.txt", 1, KeyKind::AwsAccessKeyId),
            key("tools/shared.txt", 1, KeyKind::SkToken),
        ])
    );
}

#[test]
fn a_gitignore_above_the_scanned_folder_does_not_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outer = dir.path();
    write(outer, ".gitignore", "*.txt\n.env\n");
    let root = outer.join("project");
    write(&root, "keys.txt", &format!("{SK}\n"));
    write(&root, ".env", "MODE=dev\n");
    let found = scanned(&root);
    assert!(
        reported(&found, "keys.txt"),
        "keys.txt was hidden by a .gitignore above the scanned folder: {found:?}"
    );
    assert_hidden_seen(&found, ".env");
    assert_eq!(
        found,
        sorted(vec![file(".env"), key("keys.txt", 1, KeyKind::SkToken)])
    );
}

#[test]
fn ignore_files_that_git_does_not_read_hide_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, ".ignore", ".env\n*.txt\n");
    write(root, ".env", "MODE=dev\n");
    write(root, "keys.txt", &format!("{AWS}\n"));
    let found = scanned(root);
    assert!(
        reported(&found, "keys.txt"),
        "keys.txt was hidden by a .ignore file, which git does not read: {found:?}"
    );
    assert_hidden_seen(&found, ".env");
    assert_eq!(
        found,
        sorted(vec![
            file(".env"),
            key("keys.txt", 1, KeyKind::AwsAccessKeyId)
        ])
    );
}

#[test]
fn the_git_directory_is_never_scanned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, ".git/COMMIT_EDITMSG", &format!("remove {SK}\n"));
    write(root, ".git/logs/HEAD", &format!("{AWS}\n"));
    write(root, "main.rs", "fn main() {}\n");
    write(root, "lib.rs", &format!("// {AWS}\n"));
    let found = scanned(root);
    for f in &found {
        assert!(
            !f.path.starts_with(".git"),
            "{} is inside .git and was scanned",
            f.path.display()
        );
    }
    assert_eq!(
        found,
        vec![key("lib.rs", 1, KeyKind::AwsAccessKeyId)],
        "git's own files are history, not the tree"
    );
}

#[test]
fn findings_never_contain_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "a.txt", &format!("{SK}\n{AWS}\n"));
    let found = scanned(root);
    assert_eq!(
        found,
        vec![
            key("a.txt", 1, KeyKind::SkToken),
            key("a.txt", 2, KeyKind::AwsAccessKeyId)
        ],
        "one finding per key, with its line"
    );
    let text = format!("{found:?}");
    assert!(
        !text.contains(SK) && !text.contains(AWS),
        "the report leaked a key: {text}"
    );
}

#[test]
fn a_clean_tree_is_empty_but_a_missing_root_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "src/lib.rs", "pub fn f() {}\n");
    let found = scanned(dir.path());
    assert!(
        found.is_empty(),
        "a tree without keys or .env files should give no findings, got {found:?}"
    );
    let missing = dir.path().join("no/such/folder");
    assert!(
        scan(&missing).is_err(),
        "a root that does not exist must not come back as a clean report"
    );
}
