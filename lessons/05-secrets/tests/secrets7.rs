use super::*;
use std::fs;
use std::path::{Path, PathBuf};

const SK: &str = "sk-Ab3dEf6hIj9kLm2nOp5q";
const AWS: &str = "AKIAIOSFODNN7EXAMPLE";

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create dirs");
    fs::write(path, contents).expect("write file");
}

fn scanned(root: &Path) -> Vec<Finding> {
    let mut found = scan(root).unwrap_or_else(|e| panic!("scanning a valid tree failed: {e}"));
    found.sort();
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

#[test]
fn dotenv_names_are_recognised_but_templates_are_not() {
    for name in [".env", ".env.local", ".env.production", ".env.test.local"] {
        assert!(is_dotenv_name(name), "{name} is a .env file");
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
    assert_eq!(
        scanned(root),
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
    assert_eq!(
        scanned(root),
        sorted(vec![
            key(".config/tool.toml", 1, KeyKind::SkToken),
            key(".config/tool.toml", 1, KeyKind::AwsAccessKeyId),
            key("infra/deploy/vars.tf", 2, KeyKind::AwsAccessKeyId),
            key("src/app/settings.py", 3, KeyKind::SkToken),
        ])
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
    write(root, "app/config.yaml", &format!("\nkey: {SK}\n"));
    write(root, "app/.env.staging", "MODE=staging\n");
    assert_eq!(
        scanned(root),
        sorted(vec![
            file("app/.env.staging"),
            key("app/config.yaml", 2, KeyKind::SkToken),
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
    assert_eq!(
        scanned(root),
        sorted(vec![
            key("local.txt", 1, KeyKind::AwsAccessKeyId),
            key("tools/shared.txt", 1, KeyKind::SkToken),
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
    assert_eq!(
        scanned(root),
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
    assert_eq!(found.len(), 2, "{found:?}");
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
    assert_eq!(scanned(dir.path()), vec![]);
    let missing = dir.path().join("no/such/folder");
    assert!(
        scan(&missing).is_err(),
        "a root that does not exist must not come back as a clean report"
    );
}
