//! The app's behaviour, driven by feeding events to `App::update`: no
//! terminal, no threads, no compiles.

use std::sync::atomic::Ordering;

use crate::support::app::{
    add_fails, add_passes, app, app_on, app_with, check_with, fixture_course, key, panic, press,
    started_check,
};
use crossterm::event::{KeyCode, KeyModifiers, MouseEvent, MouseEventKind};
use tensorlings::course::progress::Progress;
use tensorlings::deps::DepSet;
use tensorlings::tui::app::{Effect, Focus, Overlay, Tab};
use tensorlings::tui::content::screen::Cache as _;
use tensorlings::tui::event::{Event, PrepEvent, RunFailure};

#[test]
fn a_fresh_start_opens_on_the_first_lesson() {
    let app = app(100, 30);
    assert_eq!(app.tab(), Tab::Lesson);
    assert_eq!(app.exercise(app.current()).id, "add");
    assert_eq!(app.focus(), Focus::Tree);
}

#[test]
fn the_app_resumes_at_the_last_exercise() {
    let mut progress = Progress::new();
    progress.opened("mean");
    let app = app_with(progress, 100, 30);
    assert_eq!(app.exercise(app.current()).id, "mean");
    assert_eq!(app.tab(), Tab::Exercise);
}

#[test]
fn a_save_during_a_run_cancels_it_and_checks_again() {
    let mut app = app(100, 30);
    app.update(key('c'));
    let effects = app.take_effects();
    let [
        Effect::Check {
            run: first, cancel, ..
        },
    ] = effects.as_slice()
    else {
        panic!("one check should start: {effects:?}");
    };
    app.update(Event::FileChanged("add".to_owned()));
    assert!(cancel.load(Ordering::Relaxed), "the stale run is cancelled");
    assert!(app.take_effects().is_empty(), "one run at a time");
    app.update(Event::FileChanged("add".to_owned()));
    assert_eq!(
        app.checks().queue,
        [0],
        "saves of one file collapse into one check"
    );
    app.update(Event::Finished {
        run: *first,
        outcome: Err(RunFailure::Cancelled),
    });
    let second = started_check(&mut app);
    assert_ne!(second, *first);
    assert!(app.outcome(0).is_none(), "a cancelled run leaves no result");
    app.update(Event::Finished {
        run: second,
        outcome: Ok(Box::new(add_fails())),
    });
    assert!(app.outcome(0).is_some());
    assert_eq!(app.session().progress().exercises["add"].attempts, 1);
}

#[test]
fn a_save_of_another_exercise_is_queued_not_dropped() {
    let mut app = app(100, 30);
    app.update(key('c'));
    let first = started_check(&mut app);
    app.update(Event::FileChanged("mean".to_owned()));
    assert!(app.take_effects().is_empty());
    assert_eq!(
        app.exercise(app.current()).id,
        "mean",
        "the saved exercise is shown"
    );
    app.update(Event::Finished {
        run: first,
        outcome: Ok(Box::new(add_fails())),
    });
    let effects = app.take_effects();
    assert!(
        matches!(effects.as_slice(), [Effect::Check { exercise: 1, .. }]),
        "{effects:?}"
    );
}

#[test]
fn late_results_of_an_old_run_are_ignored() {
    let mut app = app(100, 30);
    app.update(key('c'));
    let run = started_check(&mut app);
    app.update(Event::Finished {
        run: run + 7,
        outcome: Ok(Box::new(add_passes())),
    });
    assert!(app.outcome(0).is_none());
    assert!(app.checks().running.is_some());
}

#[test]
fn a_tool_failure_is_shown_as_such() {
    let mut app = app(100, 30);
    app.update(key('c'));
    let run = started_check(&mut app);
    app.update(Event::Finished {
        run,
        outcome: Err(RunFailure::Tool("cargo was not found".to_owned())),
    });
    let screen = crate::support::app::screen(&app);
    assert!(screen.contains("The check could not run"), "{screen}");
    assert!(screen.contains("not with your"), "{screen}");
    assert_eq!(
        app.session()
            .progress()
            .exercises
            .get("add")
            .map_or(0, |r| r.attempts),
        0
    );
}

#[test]
fn an_ml_check_waits_for_its_crates_and_std_checks_do_not() {
    let mut course = fixture_course();
    course.lessons[0].exercises[1].deps = DepSet::Ml;
    let mut app = app_on(course, Progress::new(), 100, 30);
    assert_eq!(app.plan_deps(|_| false), [DepSet::Ml]);
    app.update(Event::Prep(PrepEvent::Started {
        set: DepSet::Ml,
        total: 200,
    }));
    app.update(key('j'));
    app.update(key('c'));
    assert!(app.take_effects().is_empty(), "mean needs the ml crates");
    app.update(key('k'));
    app.update(key('c'));
    let run = started_check(&mut app);
    app.update(Event::Finished {
        run,
        outcome: Ok(Box::new(add_fails())),
    });
    assert!(app.take_effects().is_empty(), "mean still waits");
    app.update(Event::Prep(PrepEvent::Done {
        set: DepSet::Ml,
        error: None,
    }));
    let effects = app.take_effects();
    assert!(
        matches!(effects.as_slice(), [Effect::Check { exercise: 1, .. }]),
        "{effects:?}"
    );
}

#[test]
fn a_failed_build_of_the_crates_lets_checks_try_themselves() {
    let mut course = fixture_course();
    course.lessons[0].exercises[0].deps = DepSet::Light;
    let mut app = app_on(course, Progress::new(), 100, 30);
    app.plan_deps(|_| false);
    app.update(key('c'));
    assert!(app.take_effects().is_empty());
    app.update(Event::Prep(PrepEvent::Done {
        set: DepSet::Light,
        error: Some("offline".to_owned()),
    }));
    started_check(&mut app);
}

#[test]
fn hints_are_revealed_one_level_at_a_time_and_recorded() {
    let mut app = app(100, 30);
    app.update(key('h'));
    assert_eq!(app.session().progress().exercises["add"].hints_used, 1);
    assert_eq!(app.tab(), Tab::Feedback);
    app.update(key('h'));
    app.update(key('h'));
    assert_eq!(
        app.session().progress().exercises["add"].hints_used,
        2,
        "add has two hints"
    );
    assert!(
        app.status()
            .as_ref()
            .is_some_and(|(_, m)| m.contains("all 2 hints"))
    );
}

#[test]
fn the_solution_unlocks_only_once_passed() {
    let mut app = app(100, 30);
    app.update(key('s'));
    assert!(!app.show_solution());
    assert!(
        app.status()
            .as_ref()
            .is_some_and(|(_, m)| m.contains("unlocks once add passes"))
    );
    check_with(&mut app, add_passes());
    assert!(app.session().passed("add"));
    app.update(key('s'));
    assert!(app.show_solution());
    assert_eq!(app.tab(), Tab::Exercise);
}

#[test]
fn a_pass_offers_the_next_exercise_and_n_goes_there() {
    let mut app = app(100, 30);
    check_with(&mut app, add_passes());
    assert!(
        app.status()
            .as_ref()
            .is_some_and(|(_, m)| m.contains("n goes to the next exercise"))
    );
    app.update(key('n'));
    assert_eq!(app.exercise(app.current()).id, "mean");
    assert_eq!(app.session().progress().current.as_deref(), Some("mean"));
}

#[test]
fn e_asks_the_loop_to_open_the_editor_and_closing_it_checks() {
    let mut app = app(100, 30);
    app.update(key('e'));
    assert!(matches!(app.take_effects().as_slice(), [Effect::Edit(0)]));
    app.update(Event::EditorClosed {
        exercise: "add".to_owned(),
        error: None,
    });
    started_check(&mut app);
    app.update(Event::EditorClosed {
        exercise: "add".to_owned(),
        error: Some("no editor".to_owned()),
    });
    assert_eq!(
        app.overlay().cloned(),
        Some(Overlay::Notice("no editor".to_owned()))
    );
}

#[test]
fn tabs_focus_and_scrolling() {
    let mut app = app(100, 30);
    app.update(press(KeyCode::Right));
    assert_eq!(app.tab(), Tab::Exercise);
    app.update(press(KeyCode::Left));
    app.update(press(KeyCode::Left));
    assert_eq!(app.tab(), Tab::Feedback);
    app.update(key('1'));
    assert_eq!(app.tab(), Tab::Lesson);
    app.update(press(KeyCode::Tab));
    assert_eq!(app.focus(), Focus::Pane);
    app.update(key('j'));
    assert_eq!(app.scroll().lesson, 0, "the lesson fits: nothing to scroll");
    app.update(press(KeyCode::Esc));
    assert_eq!(app.focus(), Focus::Tree);
}

#[test]
fn long_feedback_scrolls_with_keys_and_the_mouse_and_stops_at_the_end() {
    let mut app = app(80, 24);
    let mut report = add_fails();
    let long: Vec<String> = (0..40).map(|i| format!("context line {i}")).collect();
    panic(&mut report.tests[0]).message = long.join("\n");
    check_with(&mut app, report);
    app.update(press(KeyCode::Tab));
    app.update(key('j'));
    assert_eq!(app.scroll().feedback, 1);
    let wheel = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 50,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.update(wheel(MouseEventKind::ScrollDown));
    assert_eq!(app.scroll().feedback, 4);
    app.update(key('G'));
    let bottom = app.scroll().feedback;
    app.update(key('j'));
    assert_eq!(app.scroll().feedback, bottom, "no scrolling past the end");
    app.update(wheel(MouseEventKind::ScrollUp));
    assert_eq!(app.scroll().feedback, bottom - 3);
}

#[test]
fn the_help_lists_keys_and_any_key_closes_it() {
    let mut app = app(100, 30);
    app.update(key('?'));
    assert_eq!(app.overlay().cloned(), Some(Overlay::Help));
    app.update(key('c'));
    assert_eq!(app.overlay().cloned(), None);
    assert!(
        app.take_effects().is_empty(),
        "the key that closes the help does nothing else"
    );
}

#[test]
fn quitting_records_where_the_learner_was() {
    let mut app = app(100, 30);
    app.update(key('j'));
    app.update(Event::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.quitting());
    assert_eq!(app.session().progress().current.as_deref(), Some("mean"));
}

#[test]
fn progress_is_saved_to_the_course() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&crate::support::app::fixture(), dir.path());
    let course = tensorlings::course::Course::load(dir.path()).unwrap();
    let (session, _) = tensorlings::session::Session::open(course).unwrap();
    let size = ratatui::layout::Rect::new(0, 0, 100, 30);
    let colors = tensorlings::tui::content::ColorMode::Off;
    let mut app = tensorlings::tui::app::App::new(session, size, colors).unwrap();
    check_with(&mut app, add_passes());
    let path = Progress::path(dir.path());
    let saved = Progress::load(&path).unwrap().progress;
    assert!(saved.passed("add"));
}

#[test]
fn an_animation_tick_never_rebuilds_the_feedback_text() {
    let mut app = app(100, 30);
    check_with(&mut app, add_fails());
    let width = usize::from(
        tensorlings::tui::layout::layout(&app.screen(), app.size())
            .inner
            .width,
    );
    let generation = app.generation();
    assert!(
        app.view()
            .feedback(app.current(), width, generation)
            .is_some()
    );
    for _ in 0..5 {
        app.update(Event::Tick);
    }
    assert_eq!(app.generation(), generation, "a tick counted as a change");
    assert!(
        app.view()
            .feedback(app.current(), width, generation)
            .is_some()
    );
    app.update(key('h'));
    assert_ne!(app.generation(), generation, "a key may change the text");
}

#[test]
fn p_goes_back_and_says_so_at_the_start() {
    let mut app = app(100, 30);
    app.update(key('p'));
    assert_eq!(app.exercise(app.current()).id, "add");
    assert!(
        app.status()
            .as_ref()
            .is_some_and(|(_, m)| m.contains("first exercise"))
    );
    app.update(key('n'));
    assert_eq!(app.exercise(app.current()).id, "mean");
    app.update(key('p'));
    assert_eq!(app.exercise(app.current()).id, "add");
    assert_eq!(app.session().progress().current.as_deref(), Some("add"));
}

#[test]
fn slash_goes_straight_to_an_exercise_by_part_of_its_name() {
    let mut app = app(100, 30);
    app.update(key('/'));
    assert!(matches!(app.overlay().cloned(), Some(Overlay::GoTo(_))));
    assert_eq!(app.goto_matches(""), [0, 1], "no words: every exercise");
    // Letters that are keys elsewhere are text here: q does not quit.
    for c in "SLICE q".chars() {
        app.update(key(c));
    }
    assert!(!app.quitting());
    assert!(app.goto_matches("SLICE q").is_empty());
    app.update(press(KeyCode::Enter));
    assert!(
        matches!(app.overlay().cloned(), Some(Overlay::GoTo(_))),
        "nothing to go to"
    );
    app.update(press(KeyCode::Backspace));
    app.update(press(KeyCode::Backspace));
    assert_eq!(app.goto_matches("SLICE"), [1]);
    app.update(press(KeyCode::Enter));
    assert_eq!(app.overlay().cloned(), None);
    assert_eq!(app.exercise(app.current()).id, "mean");
    assert_eq!(app.tab(), Tab::Exercise);
    assert_eq!(app.session().progress().current.as_deref(), Some("mean"));

    // Arrows choose among the matches; Esc leaves without moving.
    app.update(key('/'));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Up));
    app.update(press(KeyCode::Up));
    app.update(press(KeyCode::Enter));
    assert_eq!(app.exercise(app.current()).id, "add");
    app.update(key('/'));
    app.update(press(KeyCode::Down));
    app.update(press(KeyCode::Esc));
    assert_eq!(app.overlay().cloned(), None);
    assert_eq!(app.exercise(app.current()).id, "add");
}

/// The app on a writable copy of the fixture course whose pristine starters
/// are kept where `reset` looks for them.
fn writable_app() -> (tempfile::TempDir, tensorlings::tui::app::App) {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&crate::support::app::fixture(), dir.path());
    crate::support::copy_dir(
        &dir.path().join("exercises"),
        &dir.path().join(".tensorlings/starters"),
    );
    let course = tensorlings::course::Course::load(dir.path()).unwrap();
    (dir, app_on(course, Progress::new(), 100, 30))
}

fn backups(dir: &std::path::Path) -> Vec<String> {
    let mut kept: Vec<String> = std::fs::read_dir(dir.join(".tensorlings/backups"))
        .map(|d| {
            d.flatten()
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    kept.sort();
    kept
}

#[test]
fn r_asks_then_resets_with_a_backup_and_its_own_write_is_not_a_save() {
    let (dir, mut app) = writable_app();
    let file = app.exercise(0).file.clone();
    let starter = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "// my work\n").unwrap();

    app.update(key('r'));
    assert!(matches!(app.overlay().cloned(), Some(Overlay::Confirm(_))));
    app.update(key('n'));
    assert_eq!(app.overlay().cloned(), None);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "// my work\n");
    assert!(backups(dir.path()).is_empty());

    app.update(key('r'));
    app.update(key('y'));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), starter);
    assert_eq!(backups(dir.path()), ["// my work\n"]);
    assert!(
        app.status()
            .as_ref()
            .is_some_and(|(_, m)| m.contains("back to its starter"))
    );
    // The watcher reports the reset's own write: no check of the starter.
    app.take_effects();
    app.update(Event::FileChanged("add".to_owned()));
    assert!(app.take_effects().is_empty(), "a reset is not a save");
    // The learner's next save is checked as always.
    std::fs::write(&file, "// trying again\n").unwrap();
    app.update(Event::FileChanged("add".to_owned()));
    assert!(matches!(
        app.take_effects().as_slice(),
        [Effect::Check { exercise: 0, .. }]
    ));
}

#[test]
fn shift_r_resets_every_exercise_each_changed_file_backed_up() {
    let (dir, mut app) = writable_app();
    let files: Vec<_> = (0..app.exercise_count())
        .map(|e| app.exercise(e).file.clone())
        .collect();
    let starters: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    std::fs::write(&files[1], "// my mean\n").unwrap();
    app.update(key('R'));
    assert!(matches!(app.overlay().cloned(), Some(Overlay::Confirm(_))));
    app.update(key('y'));
    for (file, starter) in files.iter().zip(&starters) {
        assert_eq!(&std::fs::read_to_string(file).unwrap(), starter);
    }
    assert_eq!(
        backups(dir.path()),
        ["// my mean\n"],
        "untouched files need no backup"
    );
    assert!(
        app.status().is_some_and(
            |(_, m)| m.contains("1 exercise back to its starter; 1 changed file saved")
        ),
        "{:?}",
        app.status()
    );
}

#[test]
fn a_reset_that_cannot_find_the_starter_says_so_and_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&crate::support::app::fixture(), dir.path());
    let course = tensorlings::course::Course::load(dir.path()).unwrap();
    let mut app = app_on(course, Progress::new(), 100, 30);
    let file = app.exercise(0).file.clone();
    std::fs::write(&file, "// my work\n").unwrap();
    app.update(key('r'));
    app.update(key('y'));
    assert!(matches!(app.overlay(), Some(Overlay::Notice(text)) if text.contains("not reset")));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "// my work\n");
}

#[test]
fn a_pass_in_a_learners_workspace_brings_its_solution_for_s() {
    use crate::support::app::{app_on, check_with, report};
    use tensorlings::runner::Status;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("class");
    tensorlings::workspace::init(&ws).unwrap();
    let course = tensorlings::course::Course::load(&ws).unwrap();
    let shown = ws.join("solutions/01-traits/traits1.rs");
    let mut app = app_on(course, Progress::new(), 100, 30);
    app.update(crate::support::app::key('s'));
    assert!(!app.show_solution(), "locked before a pass");
    check_with(&mut app, report(Status::TestsFailed));
    assert!(!shown.exists(), "a failed check reveals nothing");
    check_with(&mut app, report(Status::Passed));
    let reference = crate::support::repo().join("solutions/01-traits/traits1.rs");
    assert_eq!(
        std::fs::read(&shown).unwrap(),
        std::fs::read(reference).unwrap()
    );
    app.update(crate::support::app::key('s'));
    assert!(app.show_solution());
}
