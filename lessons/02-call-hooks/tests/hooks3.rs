use super::*;
use std::cell::RefCell;
use std::rc::Rc;

type Log = Rc<RefCell<Vec<String>>>;

fn new_log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

/// A forward hook that writes `name` to `log` and changes nothing.
fn tracer(log: &Log, name: &str) -> impl Fn(&[f32], &[f32]) -> Option<Vec<f32>> + 'static {
    let log = Rc::clone(log);
    let name = name.to_string();
    move |_, _| {
        log.borrow_mut().push(name.clone());
        None
    }
}

fn fired(model: &Scale, log: &Log) -> Vec<String> {
    log.borrow_mut().clear();
    model.call(vec![1.0]);
    log.borrow().clone()
}

/// Fails, naming the cause, when dropping a handle leaves its hook registered
/// (PyTorch's `RemovableHandle` does that; this course's handles remove on drop).
fn assert_drop_removes() {
    let probe = Scale::new(1.0);
    drop(probe.hooks.register_pre(|_| None));
    assert!(
        probe.hooks.is_empty(),
        "a dropped handle left its hook registered: `Drop for HookHandle` removes nothing"
    );
}

#[test]
fn a_held_handle_keeps_its_hook_firing() {
    let model = Scale::new(2.0);
    let log = new_log();
    let handle = model.hooks.register_forward(tracer(&log, "a"));
    assert_eq!(model.hooks.len(), 1);
    assert_eq!(fired(&model, &log), ["a"]);
    assert_eq!(fired(&model, &log), ["a"], "the hook stays until its handle goes");
    drop(handle);
}

#[test]
fn remove_stops_the_hook_and_reports_it_was_there() {
    let model = Scale::new(2.0);
    let log = new_log();
    let handle = model.hooks.register_forward(tracer(&log, "a"));
    let doubled = model.hooks.register_pre(|x| Some(x.iter().map(|v| v * 2.0).collect()));
    assert_eq!(model.call(vec![3.0]), vec![12.0]);
    assert!(handle.remove(), "the hook was registered, so `remove` must say true");
    assert!(doubled.remove());
    assert!(model.hooks.is_empty(), "a removed hook must leave the map");
    assert_eq!(fired(&model, &log), Vec::<String>::new(), "a removed hook must not fire");
    assert_eq!(model.call(vec![3.0]), vec![6.0], "a removed pre-hook must not change the input");
}

#[test]
fn dropping_the_handle_removes_the_hook() {
    let model = Scale::new(1.0);
    let log = new_log();
    {
        let _scoped = model.hooks.register_forward(tracer(&log, "scoped"));
        assert_eq!(fired(&model, &log), ["scoped"]);
    } // `_scoped` is dropped here
    assert_eq!(model.hooks.len(), 0, "a dropped handle left its hook registered");
    assert_eq!(fired(&model, &log), Vec::<String>::new());
}

#[test]
fn let_underscore_drops_the_handle_at_once() {
    let model = Scale::new(1.0);
    let log = new_log();
    // `let _ =` binds nothing, so the handle is dropped at the end of this line.
    let _ = model.hooks.register_forward(tracer(&log, "gone"));
    assert_drop_removes();
    assert!(model.hooks.is_empty(), "the handle is gone, so its hook must be gone");
    assert_eq!(fired(&model, &log), Vec::<String>::new());
}

#[test]
fn removing_some_hooks_keeps_the_rest_in_registration_order() {
    let model = Scale::new(1.0);
    let log = new_log();
    let a = model.hooks.register_forward(tracer(&log, "a"));
    let b = model.hooks.register_forward(tracer(&log, "b"));
    let c = model.hooks.register_forward(tracer(&log, "c"));
    let d = model.hooks.register_forward(tracer(&log, "d"));
    assert_drop_removes();
    assert_eq!(fired(&model, &log), ["a", "b", "c", "d"]);
    assert!(b.remove());
    drop(d);
    assert_eq!(fired(&model, &log), ["a", "c"]);
    let e = model.hooks.register_forward(tracer(&log, "e"));
    assert_eq!(fired(&model, &log), ["a", "c", "e"], "a new hook runs after the older ones");
    drop((a, c, e));
    assert!(model.hooks.is_empty());
}

#[test]
fn many_hooks_run_in_registration_order() {
    let model = Scale::new(1.0);
    let log = new_log();
    let names: Vec<String> = (0..25).map(|i| format!("h{i}")).collect();
    let handles: Vec<HookHandle> = names
        .iter()
        .map(|n| model.hooks.register_forward(tracer(&log, n)))
        .collect();
    assert_eq!(fired(&model, &log), names, "hooks must run in the order they were added");
    drop(handles);
}

#[test]
fn ids_are_never_reused_after_a_removal() {
    let model = Scale::new(1.0);
    let log = new_log();
    let a = model.hooks.register_forward(tracer(&log, "a"));
    let b = model.hooks.register_forward(tracer(&log, "b"));
    assert!(a.remove());
    let c = model.hooks.register_forward(tracer(&log, "c"));
    assert_drop_removes();
    assert_ne!(b.id(), c.id(), "a new hook got the id of a live one");
    assert_eq!(fired(&model, &log), ["b", "c"], "registering `c` must not overwrite `b`");
    drop(b);
    assert_eq!(fired(&model, &log), ["c"], "dropping `b`'s handle must not remove `c`");
    drop(c);
}

#[test]
fn a_handle_only_touches_its_own_module() {
    let first = Scale::new(1.0);
    let second = Scale::new(1.0);
    let log = new_log();
    let on_first = first.hooks.register_forward(tracer(&log, "first"));
    let on_second = second.hooks.register_forward(tracer(&log, "second"));
    assert_drop_removes();
    drop(on_first);
    assert_eq!(fired(&second, &log), ["second"], "removing a hook of `first` hit `second`");
    assert_eq!(fired(&first, &log), Vec::<String>::new(), "the dropped handle's hook must be gone");
    drop(on_second);
}

#[test]
fn a_handle_that_outlives_its_module_is_harmless() {
    let log = new_log();
    let model = Scale::new(1.0);
    let kept = model.hooks.register_forward(tracer(&log, "x"));
    let dropped = model.hooks.register_forward(tracer(&log, "y"));
    drop(model);
    assert!(!kept.remove(), "the module is gone, so there was nothing to remove");
    drop(dropped); // must not panic
}

#[test]
fn a_handle_does_not_keep_the_hooks_alive() {
    let log = new_log();
    let model = Scale::new(1.0);
    let handle = model.hooks.register_forward(tracer(&log, "x"));
    assert_eq!(Rc::strong_count(&log), 2, "the log is held by the test and by the hook");
    drop(model);
    assert_eq!(
        Rc::strong_count(&log),
        1,
        "the module is gone, so its hook must be gone too: a handle holds a `Weak`, not an `Rc`"
    );
    drop(handle);
}

#[test]
fn keep_leaves_the_hook_registered_for_good() {
    let model = Scale::new(1.0);
    let log = new_log();
    model.hooks.register_forward(tracer(&log, "forever")).keep();
    let temporary = model.hooks.register_forward(tracer(&log, "temporary"));
    assert_eq!(
        fired(&model, &log),
        ["forever", "temporary"],
        "a kept hook stays registered after `keep` returns"
    );
    assert_drop_removes();
    drop(temporary);
    assert_eq!(fired(&model, &log), ["forever"], "dropping the other handle removes only its hook");
    assert_eq!(model.hooks.len(), 1, "only the kept hook is left");
}
