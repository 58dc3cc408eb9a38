use super::*;
use std::fs;
use std::path::PathBuf;

/// An evaluation report, the kind of output golden files are for.
const REPORT: &str = "model: tiny-gpt\naccuracy: 0.75\nexamples: 4\n";

#[test]
fn normalise_uses_lf_and_ends_with_one_newline() {
    let cases = [
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\r\nb", "a\nb\n"),
        ("a\nb", "a\nb\n"),
        ("a\nb\n", "a\nb\n"),
        ("a\n\n", "a\n\n"),
        ("", ""),
        ("\r\n", "\n"),
    ];
    for (text, want) in cases {
        let got: String = normalise(text);
        assert_eq!(got, want, "normalise({text:?}) should be {want:?}");
    }
}

#[test]
fn line_diff_of_equal_texts_is_empty() {
    for text in ["", "one\n", REPORT] {
        let got: String = line_diff(text, text);
        assert_eq!(got, "", "equal texts should give an empty diff");
    }
}

#[test]
fn line_diff_shows_each_changed_line_with_its_number() {
    let golden = "a\nb\nc\nd\n";
    let output = "a\nB\nc\nD\n";
    let got: String = line_diff(golden, output);
    assert_eq!(
        got, "line 2:\n- \"b\"\n+ \"B\"\nline 4:\n- \"d\"\n+ \"D\"\n",
        "each changed line: its number from 1, the golden line after `- `, the output's after `+ `"
    );
}

#[test]
fn line_diff_shows_missing_and_extra_lines() {
    let got: String = line_diff("a\nb\nc\n", "a\n");
    assert_eq!(
        got, "line 2:\n- \"b\"\nline 3:\n- \"c\"\n",
        "lines only the golden text has get only their `-` row"
    );
    let got: String = line_diff("a\n", "a\nb\n");
    assert_eq!(
        got, "line 2:\n+ \"b\"\n",
        "lines only the output has get only their `+` row"
    );
}

#[test]
fn line_diff_makes_invisible_differences_visible() {
    let got: String = line_diff("score: 1 \n", "score: 1\n");
    assert_eq!(
        got, "line 1:\n- \"score: 1 \"\n+ \"score: 1\"\n",
        "quote lines with {{:?}}, so a trailing space shows"
    );
    let got: String = line_diff("a\tb\n", "a    b\n");
    assert_eq!(
        got, "line 1:\n- \"a\\tb\"\n+ \"a    b\"\n",
        "quote lines with {{:?}}, so a tab shows"
    );
}

#[test]
fn matching_output_passes_whatever_the_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.golden");
    for stored in [
        REPORT.to_owned(),
        REPORT.replace('\n', "\r\n"),
        REPORT.trim_end().to_owned(),
    ] {
        fs::write(&path, &stored).unwrap();
        for output in [REPORT.to_owned(), REPORT.trim_end().to_owned()] {
            let got: Result<(), GoldenError> = check_golden(&path, &output, Mode::Check);
            assert!(
                got.is_ok(),
                "golden file {stored:?} and output {output:?} differ only in line ends, got {got:?}"
            );
        }
    }
}

#[test]
fn a_mismatch_is_an_error_with_the_diff_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.golden");
    fs::write(&path, REPORT.replace('\n', "\r\n")).unwrap();
    let output = REPORT.replace("0.75", "0.80");
    let got: Result<(), GoldenError> = check_golden(&path, &output, Mode::Check);
    match got {
        Err(GoldenError::Mismatch {
            path: reported,
            diff,
        }) => {
            assert_eq!(
                reported, path,
                "the error should carry the golden file's path"
            );
            assert_eq!(
                diff, "line 2:\n- \"accuracy: 0.75\"\n+ \"accuracy: 0.80\"\n",
                "the diff should be line_diff of the normalised golden text and output"
            );
        }
        other => panic!("a changed line should be a GoldenError::Mismatch, got {other:?}"),
    }
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        REPORT.replace('\n', "\r\n"),
        "check mode must never write the golden file"
    );
}

#[test]
fn a_missing_golden_file_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("never-written.golden");
    let got: Result<(), GoldenError> = check_golden(&path, REPORT, Mode::Check);
    assert!(
        matches!(&got, Err(GoldenError::Missing { path: p }) if *p == path),
        "with no golden file, check mode should return GoldenError::Missing with its path, got {got:?}"
    );
    assert!(
        !path.exists(),
        "check mode created the missing golden file, so the next run passes without anyone looking"
    );
}

#[test]
fn update_writes_the_normalised_output_and_its_folders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("goldens")
        .join("eval")
        .join("report.golden");
    let got: Result<(), GoldenError> =
        check_golden(&path, &REPORT.replace('\n', "\r\n"), Mode::Update);
    assert!(
        got.is_ok(),
        "update mode should create the folders and write the file, got {got:?}"
    );
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(written, REPORT, "update mode writes the normalised output");
    let again: Result<(), GoldenError> = check_golden(&path, REPORT, Mode::Check);
    assert!(
        again.is_ok(),
        "right after an update, check mode should pass, got {again:?}"
    );
}

#[test]
fn update_replaces_a_stale_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.golden");
    fs::write(&path, "model: old\nlots of old lines\nthat must all go\n").unwrap();
    let got: Result<(), GoldenError> = check_golden(&path, "model: new", Mode::Update);
    assert!(
        got.is_ok(),
        "update mode should overwrite a differing file, got {got:?}"
    );
    let written = fs::read_to_string(&path).unwrap();
    assert_eq!(
        written, "model: new\n",
        "the old golden text should be replaced entirely"
    );
}

#[test]
fn a_golden_file_that_cannot_be_used_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the file should be: it exists, but cannot be read.
    let folder = dir.path().join("report.golden");
    fs::create_dir(&folder).unwrap();
    let got: Result<(), GoldenError> = check_golden(&folder, REPORT, Mode::Check);
    assert!(
        matches!(&got, Err(GoldenError::Io { path, .. }) if *path == folder),
        "a golden path that exists but cannot be read is GoldenError::Io, not Missing, got {got:?}"
    );
    // A regular file where a folder should be: nothing can be written below.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "a file").unwrap();
    let below = blocker.join("report.golden");
    let got: Result<(), GoldenError> = check_golden(&below, REPORT, Mode::Update);
    assert!(
        matches!(&got, Err(GoldenError::Io { path, .. }) if *path == below),
        "when update mode cannot write, that is GoldenError::Io with the golden path, got {got:?}"
    );
}

#[test]
fn errors_name_the_file_and_say_how_to_update() {
    let path = PathBuf::from("goldens").join("summary.golden");
    let shown = path.display().to_string();
    let missing = GoldenError::Missing { path: path.clone() }.to_string();
    let diff = "line 1:\n- \"old\"\n+ \"new\"\n".to_owned();
    let mismatch = GoldenError::Mismatch {
        path: path.clone(),
        diff: diff.clone(),
    }
    .to_string();
    for (what, text) in [("Missing", &missing), ("Mismatch", &mismatch)] {
        assert!(
            text.contains(&shown),
            "the {what} message {text:?} should name the golden file"
        );
        assert!(
            text.contains("Mode::Update"),
            "the {what} message {text:?} should say to run with Mode::Update"
        );
    }
    assert!(
        mismatch.contains(&diff),
        "the Mismatch message {mismatch:?} should include the diff"
    );
}
