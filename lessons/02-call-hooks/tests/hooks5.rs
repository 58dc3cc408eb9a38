use super::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

fn new_log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

/// `[a, b, ...] -> [a + b + ...]`, counting how often it ran.
fn summer(calls: &Rc<Cell<usize>>) -> impl Fn(Vec<f32>) -> Vec<f32> + 'static {
    let calls = Rc::clone(calls);
    move |x: Vec<f32>| {
        calls.set(calls.get() + 1);
        vec![x.iter().sum()]
    }
}

fn counting_hook(count: &Rc<Cell<usize>>) -> impl Fn(&[f32], &[f32]) -> Option<Vec<f32>> + 'static {
    let count = Rc::clone(count);
    move |_, _| {
        count.set(count.get() + 1);
        None
    }
}

#[test]
fn timed_returns_the_inner_result_and_records_one_time_per_run() {
    let calls = Rc::new(Cell::new(0));
    let model = Timed::new(summer(&calls));
    assert!(model.times().is_empty(), "nothing ran yet");
    assert_eq!(model.call(vec![1.0, 2.0]), vec![3.0]);
    assert_eq!(model.call(vec![]), vec![0.0]);
    assert_eq!(model.call(vec![-1.0]), vec![-1.0]);
    assert_eq!(calls.get(), 3, "the inner module must run once per call");
    assert_eq!(model.times().len(), 3, "one duration per run");
    assert_eq!(model.total(), model.times().iter().sum::<Duration>());
}

#[test]
fn timed_measures_the_inner_run_itself() {
    let slow = |x: Vec<f32>| {
        std::thread::sleep(Duration::from_millis(5));
        x
    };
    let model = Timed::new(slow);
    assert_eq!(model.call(vec![7.0]), vec![7.0]);
    let times = model.times();
    assert_eq!(times.len(), 1);
    assert!(
        times[0] >= Duration::from_millis(5),
        "the inner module sleeps 5 ms, but {:?} was recorded: stop the clock after the inner call returns",
        times[0]
    );
}

#[test]
fn wrappers_fire_the_inner_modules_hooks_exactly_once() {
    let fired = Rc::new(Cell::new(0));
    let scale = Scale::new(2.0);
    let _h = scale.hooks.register_forward(counting_hook(&fired));
    let _clip = scale.hooks.register_forward(|_, y| Some(y.iter().map(|v| v.min(3.0)).collect()));
    let log = new_log();
    let model = Logged::new("s", Timed::new(scale), &log);
    let y: Vec<f32> = model.call(vec![1.0, 2.0]);
    assert!(
        fired.get() != 0,
        "the inner hook never fired: a wrapper ran its inner module with `forward`"
    );
    assert!(
        fired.get() < 2,
        "the inner hook fired {} times in one call: a wrapper passed the inner hooks up or ran the inner module twice",
        fired.get()
    );
    assert_eq!(y, vec![2.0, 3.0], "the inner forward hook clips at 3");
    assert_eq!(model.inner().times().len(), 1);
    assert!(model.hooks().is_none() && model.inner().hooks().is_none(), "wrappers have no hooks of their own");
}

#[test]
fn logged_writes_a_line_before_and_after_the_inner_run() {
    let log = new_log();
    let inner = Scale::new(1.0);
    let l = Rc::clone(&log);
    let _h = inner.hooks.register_forward(move |_, _| {
        l.borrow_mut().push("inner hook".to_string());
        None
    });
    let model = Logged::new("encoder", inner, &log);
    model.call(vec![1.0, 2.0, 3.0]);
    let got = log.borrow().clone();
    assert!(
        got.iter().filter(|line| *line == "inner hook").count() == 1,
        "the inner module's hook should fire exactly once per call, run it with `self.inner.call(x)`; the log was {got:?}"
    );
    assert_eq!(
        got,
        ["encoder: in 3", "inner hook", "encoder: out 3"],
        "the \"in\" line comes before the inner run, the \"out\" line after it"
    );
}

#[test]
fn logged_reports_the_lengths_going_in_and_coming_out() {
    let log = new_log();
    let calls = Rc::new(Cell::new(0));
    let model = Logged::new("pool", summer(&calls), &log);
    assert_eq!(model.call(vec![1.0, 2.0, 3.0, 4.0]), vec![10.0]);
    assert_eq!(model.call(vec![]), vec![0.0]);
    assert_eq!(*log.borrow(), ["pool: in 4", "pool: out 1", "pool: in 0", "pool: out 1"]);
}

#[test]
fn nested_wrappers_log_from_the_outside_in_and_back_out() {
    let log = new_log();
    let model = Logged::new("outer", Logged::new("inner", Scale::new(3.0), &log), &log);
    assert_eq!(model.call(vec![1.0, 1.0]), vec![3.0, 3.0], "logging changes no value");
    assert_eq!(
        *log.borrow(),
        ["outer: in 2", "inner: in 2", "inner: out 2", "outer: out 2"],
        "each wrapper writes its \"in\" line before running what it wraps and its \"out\" line after, so the lines nest"
    );
}

#[test]
fn wrapped_children_of_a_sequential_share_one_log() {
    let log = new_log();
    let calls = Rc::new(Cell::new(0));
    let model = Sequential::new()
        .push(Logged::new("double", Scale::new(2.0), &log))
        .push(Logged::new("sum", summer(&calls), &log));
    assert_eq!(model.call(vec![1.0, 2.0, 3.0]), vec![12.0]);
    assert_eq!(
        *log.borrow(),
        ["double: in 3", "double: out 3", "sum: in 3", "sum: out 1"]
    );
}

#[test]
fn module_ext_wraps_any_module_including_closures() {
    let log = new_log();
    let calls = Rc::new(Cell::new(0));
    let model = summer(&calls).timed().logged("sum", &log);
    assert_eq!(model.call(vec![2.0, 5.0]), vec![7.0]);
    assert_eq!(model.inner().times().len(), 1, "`.timed()` must wrap in `Timed`");
    assert_eq!(*log.borrow(), ["sum: in 2", "sum: out 1"], "`.logged(name, log)` must wrap in `Logged`");

    let fired = Rc::new(Cell::new(0));
    let scale = Scale::new(-1.0);
    let _h = scale.hooks.register_forward(counting_hook(&fired));
    let timed = scale.timed();
    assert_eq!(timed.call(vec![4.0]), vec![-4.0]);
    assert_eq!(timed.call(vec![0.5]), vec![-0.5]);
    assert!(
        fired.get() != 0,
        "the inner hook never fired: a wrapper ran its inner module with `forward`"
    );
    assert_eq!(
        (fired.get(), timed.times().len()),
        (2, 2),
        "2 calls: the inner hook fires twice and `Timed` records 2 times"
    );
}
