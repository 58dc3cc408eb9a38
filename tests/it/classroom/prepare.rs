//! `prepare`: the crate sets built ahead of a class, once.

use crate::support::Tensorlings;

#[test]
fn prepare_builds_the_named_sets_once_and_reports_the_disk_used() {
    let cache = tempfile::tempdir().unwrap();
    let prepare = || {
        Tensorlings::new()
            .args(["prepare", "--set", "std,light"])
            .cache(cache.path())
            .run()
    };
    let out = prepare();
    assert!(out.success(), "{}", out.text());
    let said = out.stdout();
    let built = said
        .lines()
        .find_map(|line| line.trim().strip_prefix("light: ready ("))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no light count in {said}"));
    assert!(built > 10, "the light set compiles its crates: {said}");
    assert!(
        said.contains(&format!("light: ready ({built} compiled now, 0 reused")),
        "{said}"
    );
    assert!(said.contains("MB in"), "{said}");
    assert!(cache.path().join("light/target/debug").is_dir());
    // Built once: the second run compiles nothing new.
    let again = prepare();
    assert!(again.success(), "{}", again.text());
    let said = again.stdout();
    assert!(said.contains("light: ready (already built"), "{said}");
}
