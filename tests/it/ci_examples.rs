//! The example grading workflows in examples/ci/ keep their promises: no
//! token left where students' code could read it, no secret in the grade
//! step's environment, hidden tests from the instructor's repository only,
//! and the grade kept as `JUnit` and as GitHub Classroom's JSON.

use serde_norway::Value;

fn example(name: &str) -> (String, Value) {
    let path = crate::support::repo().join("examples/ci").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let yaml = serde_norway::from_str(&text).unwrap();
    (text, yaml)
}

fn steps(workflow: &Value) -> &Vec<Value> {
    workflow["jobs"]["grade"]["steps"].as_sequence().unwrap()
}

fn run_text(step: &Value) -> &str {
    step["run"].as_str().unwrap_or_default()
}

#[test]
fn the_github_workflow_leaves_no_token_and_keeps_secrets_out_of_the_grade() {
    let (_, workflow) = example("grade-class.yml");
    let job = &workflow["jobs"]["grade"];
    assert_eq!(job["strategy"]["fail-fast"], Value::Bool(false));
    assert!(
        job["strategy"]["matrix"]["student"].as_sequence().is_some(),
        "one job per student"
    );
    // The workflow's own token: read this repository, write check results.
    let permissions = workflow["permissions"].as_mapping().unwrap();
    for (scope, level) in permissions {
        let allowed = match scope.as_str().unwrap() {
            "contents" => level == "read",
            "checks" => level == "write",
            _ => false,
        };
        assert!(allowed, "{scope:?}: {level:?}");
    }
    let checkouts: Vec<&Value> = steps(&workflow)
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout"))
        })
        .collect();
    assert_eq!(checkouts.len(), 2, "the course and the student");
    for checkout in &checkouts {
        assert_eq!(
            checkout["with"]["persist-credentials"],
            Value::Bool(false),
            "a checkout keeps a token in .git/config: {checkout:?}"
        );
    }
    let grade = steps(&workflow)
        .iter()
        .find(|s| s["name"] == "Grade")
        .expect("a Grade step");
    let text = run_text(grade);
    assert!(
        grade.get("env").is_none(),
        "no environment for the grade step"
    );
    assert!(!text.contains("secrets."), "{text}");
    assert!(
        text.trim_start().starts_with("env -i "),
        "a clean environment: {text}"
    );
    assert!(
        text.contains("--course course"),
        "hidden tests from the course: {text}"
    );
    assert!(text.contains("--junit grade.xml"), "{text}");
    assert!(
        text.contains("--format classroom > classroom.json"),
        "{text}"
    );
    // Secrets appear only as a checkout's token.
    for step in steps(&workflow) {
        let yaml = serde_norway::to_string(step).unwrap();
        if yaml.contains("secrets.") {
            assert!(
                step["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout")),
                "a secret outside a checkout: {yaml}"
            );
        }
    }
    let upload = steps(&workflow)
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact"))
        })
        .unwrap();
    let paths = upload["with"]["path"].as_str().unwrap();
    assert!(
        paths.contains("grade.xml") && paths.contains("classroom.json"),
        "{paths}"
    );
}

#[test]
fn the_gitlab_job_removes_the_token_and_grades_in_a_clean_environment() {
    let (_, config) = example("grade-class.gitlab-ci.yml");
    let job = &config["grade"];
    assert!(job["parallel"]["matrix"].as_sequence().is_some());
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let clone = script
        .iter()
        .position(|l| l.starts_with("git clone"))
        .expect("a clone");
    assert_eq!(
        script.get(clone + 1).copied(),
        Some("rm -rf student/.git"),
        "the token in the clone's .git/config goes at once"
    );
    let grade = script
        .iter()
        .find(|l| l.contains(" grade "))
        .expect("a grade line");
    assert!(grade.starts_with("env -i "), "{grade}");
    assert!(!grade.contains("CI_JOB_TOKEN"), "{grade}");
    assert!(grade.contains("--course ."), "{grade}");
    assert!(grade.contains("--junit grade.xml"), "{grade}");
    assert!(
        grade.contains("--format classroom > classroom.json"),
        "{grade}"
    );
    assert_eq!(job["artifacts"]["reports"]["junit"], "grade.xml");
    let kept: Vec<&str> = job["artifacts"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(kept, ["grade.xml", "classroom.json"]);
}
