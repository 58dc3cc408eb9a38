use super::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A module defined here, so `call` has to work for any module, not only `Scale`.
struct Offset {
    by: f32,
    hooks: Hooks,
    forward_calls: Rc<Cell<usize>>,
}

impl Module for Offset {
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        self.forward_calls.set(self.forward_calls.get() + 1);
        x.into_iter().map(|v| v + self.by).collect()
    }

    fn hooks(&self) -> Option<&Hooks> {
        Some(&self.hooks)
    }
}

/// Fails, naming the cause, when a hook that `call` should have run never ran.
fn assert_fired(runs: &Cell<usize>, kind: &str) {
    assert!(
        runs.get() > 0,
        "call skipped the hooks: the module has a {kind} hook and it never ran"
    );
}

/// A pre-hook and a forward hook that change nothing and count their runs.
fn add_counting_hooks(hooks: &mut Hooks) -> (Rc<Cell<usize>>, Rc<Cell<usize>>) {
    let (pre, fwd) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let p = Rc::clone(&pre);
    hooks.pre.push(Box::new(move |_| {
        p.set(p.get() + 1);
        None
    }));
    let f = Rc::clone(&fwd);
    hooks.forward.push(Box::new(move |_, _| {
        f.set(f.get() + 1);
        None
    }));
    (pre, fwd)
}

fn offset(by: f32) -> (Offset, Rc<Cell<usize>>) {
    let calls = Rc::new(Cell::new(0));
    let m = Offset {
        by,
        hooks: Hooks::default(),
        forward_calls: Rc::clone(&calls),
    };
    (m, calls)
}

#[test]
fn call_without_hooks_gives_the_same_result_as_forward() {
    let m = Scale::new(3.0);
    assert_eq!(m.call(vec![1.0, -2.0, 0.5]), vec![3.0, -6.0, 1.5]);
    assert_eq!(m.call(vec![]), Vec::<f32>::new(), "an empty input is a valid input");
    let (o, calls) = offset(1.0);
    assert_eq!(o.call(vec![2.0]), vec![3.0]);
    assert_eq!(calls.get(), 1, "`call` must run `forward` exactly once");
}

#[test]
fn call_runs_every_hook_once_and_forward_once() {
    let (mut o, calls) = offset(1.0);
    let (pre, fwd) = add_counting_hooks(&mut o.hooks);
    let (pre2, fwd2) = add_counting_hooks(&mut o.hooks);
    let y: Vec<f32> = o.call(vec![1.0, 2.0]);
    assert_fired(&pre, "pre-forward");
    assert_fired(&fwd, "forward");
    assert_eq!(
        (pre.get(), pre2.get(), fwd.get(), fwd2.get()),
        (1, 1, 1, 1),
        "each hook runs exactly once per call (pre-hooks, then forward hooks)"
    );
    assert_eq!(calls.get(), 1, "`call` must run `forward` exactly once");
    assert_eq!(y, vec![2.0, 3.0], "hooks that return `None` change nothing");
}

#[test]
fn pre_hook_replaces_the_input_that_forward_sees() {
    let mut m = Scale::new(2.0);
    let runs = Rc::new(Cell::new(0));
    let r = Rc::clone(&runs);
    m.hooks.pre.push(Box::new(move |x| {
        r.set(r.get() + 1);
        Some(x.iter().map(|v| v + 1.0).collect())
    }));
    let y: Vec<f32> = m.call(vec![1.0, 4.0]);
    assert_fired(&runs, "pre-forward");
    assert_eq!(
        y,
        vec![4.0, 10.0],
        "the pre-forward hook adds 1 before scaling by 2: (x + 1) * 2"
    );
}

#[test]
fn pre_hook_returning_none_keeps_the_input() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut m = Scale::new(10.0);
    let log = Rc::clone(&seen);
    m.hooks.pre.push(Box::new(move |x| {
        log.borrow_mut().push(x.to_vec());
        None
    }));
    let y: Vec<f32> = m.call(vec![0.5, 2.0]);
    assert!(
        !seen.borrow().is_empty(),
        "call skipped the hooks: the module has a pre-forward hook and it never ran"
    );
    assert_eq!(y, vec![5.0, 20.0], "a pre-hook that returns `None` leaves the input alone");
    assert_eq!(*seen.borrow(), vec![vec![0.5, 2.0]], "the hook must run once and see the input");
}

#[test]
fn forward_hook_replaces_the_output() {
    let (mut m, calls) = offset(1.0);
    let runs = Rc::new(Cell::new(0));
    let r = Rc::clone(&runs);
    m.hooks.forward.push(Box::new(move |_x, y| {
        r.set(r.get() + 1);
        Some(y.iter().map(|v| v.max(0.0)).collect())
    }));
    let y: Vec<f32> = m.call(vec![-5.0, 2.0]);
    assert_fired(&runs, "forward");
    assert_eq!(y, vec![0.0, 3.0], "the forward hook clips the output at zero");
    assert_eq!(calls.get(), 1, "`call` must run `forward` exactly once");
}

#[test]
fn forward_hook_gets_the_input_after_pre_hooks_and_the_output() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut m = Scale::new(2.0);
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v * 10.0).collect())));
    let log = Rc::clone(&seen);
    m.hooks.forward.push(Box::new(move |x, y| {
        log.borrow_mut().push((x.to_vec(), y.to_vec()));
        None
    }));
    let y: Vec<f32> = m.call(vec![1.0]);
    assert!(
        !seen.borrow().is_empty(),
        "call skipped the hooks: the module has a forward hook and it never ran"
    );
    assert_eq!(y, vec![20.0], "the pre-hook multiplies by 10, then forward by 2");
    assert_eq!(
        *seen.borrow(),
        vec![(vec![10.0], vec![20.0])],
        "a forward hook sees the input `forward` really got (after the pre-hooks) and its output"
    );
}

#[test]
fn hooks_run_in_registration_order_pre_before_forward() {
    let order = Rc::new(RefCell::new(Vec::<String>::new()));
    let (mut m, _) = offset(0.0);
    for name in ["pre-a", "pre-b", "pre-c"] {
        let log = Rc::clone(&order);
        m.hooks.pre.push(Box::new(move |_| {
            log.borrow_mut().push(name.to_string());
            None
        }));
    }
    for name in ["fwd-a", "fwd-b"] {
        let log = Rc::clone(&order);
        m.hooks.forward.push(Box::new(move |_, _| {
            log.borrow_mut().push(name.to_string());
            None
        }));
    }
    m.call(vec![1.0]);
    let ran = order.borrow().len();
    assert!(
        ran >= 5,
        "call skipped the hooks: five hooks are registered and {ran} of them ran"
    );
    assert_eq!(
        *order.borrow(),
        ["pre-a", "pre-b", "pre-c", "fwd-a", "fwd-b"],
        "every hook once, in registration order, the pre-forward hooks first"
    );
}

#[test]
fn each_hook_sees_what_the_previous_hook_returned() {
    let mut m = Scale::new(1.0);
    // order matters: (x + 1) * 10 is not x * 10 + 1
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v + 1.0).collect())));
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v * 10.0).collect())));
    m.hooks.forward.push(Box::new(|_, y| Some(y.iter().map(|v| v - 3.0).collect())));
    m.hooks.forward.push(Box::new(|_, y| Some(y.iter().map(|v| v * 2.0).collect())));
    let (pre, fwd) = add_counting_hooks(&mut m.hooks);
    let y: Vec<f32> = m.call(vec![2.0, 0.0]);
    assert_fired(&pre, "pre-forward");
    assert_fired(&fwd, "forward");
    assert_eq!(y, vec![54.0, 14.0], "((x + 1) * 10 - 3) * 2");
}

#[test]
fn predict_batch_runs_the_hooks_for_every_row() {
    let count = Rc::new(Cell::new(0));
    let mut m = Scale::new(2.0);
    let c = Rc::clone(&count);
    m.hooks.forward.push(Box::new(move |_, _| {
        c.set(c.get() + 1);
        None
    }));
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v.abs()).collect())));
    let out: Vec<Vec<f32>> = predict_batch(&m, vec![vec![-1.0], vec![2.0, -3.0], vec![]]);
    if count.get() == 0 {
        let _: Vec<f32> = m.call(vec![1.0]);
        assert_fired(&count, "forward");
        panic!("predict_batch skipped the hooks: `call` runs them, but no row went through `call`");
    }
    assert_eq!(out, vec![vec![2.0], vec![4.0, 6.0], vec![]], "the pre-hook's abs() must apply to every row");
    assert_eq!(count.get(), 3, "one forward hook run per row: use `call`, not `forward`");
}

#[test]
fn predict_batch_works_on_any_module_and_an_empty_batch() {
    let (o, calls) = offset(0.5);
    let dynamic: &dyn Module = &o;
    assert_eq!(predict_batch(dynamic, vec![]), Vec::<Vec<f32>>::new());
    assert_eq!(calls.get(), 0, "an empty batch runs nothing");
    assert_eq!(
        predict_batch(dynamic, vec![vec![1.0], vec![2.0], vec![3.0]]),
        vec![vec![1.5], vec![2.5], vec![3.5]],
        "rows come back in the order they went in"
    );
    assert_eq!(calls.get(), 3, "`forward` must run exactly once per row");
}
