//! The app acts on the session's answer to a check: a first pass says where
//! to go next, a pass again says nothing new.

use tensorlings::course::progress::Progress;

use crate::support::app::{add_passes, app, app_with, check_with};

fn status(app: &tensorlings::tui::app::App) -> String {
    app.status().map(|(_, m)| m.clone()).unwrap_or_default()
}

#[test]
fn the_last_exercise_to_pass_says_every_exercise_has() {
    let mut progress = Progress::new();
    progress.checked("mean", true);
    let mut app = app_with(progress, 100, 30);
    assert_eq!(app.exercise(app.current()).id, "add");
    check_with(&mut app, add_passes());
    assert_eq!(
        status(&app),
        "add passed; every exercise of the course has passed"
    );
}

#[test]
fn a_pass_again_says_nothing_new() {
    let mut app = app(100, 30);
    check_with(&mut app, add_passes());
    assert!(status(&app).contains("n goes to the next exercise"));
    check_with(&mut app, add_passes());
    assert_eq!(status(&app), "", "{}", status(&app));
}
