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
fn pre_hook_replaces_the_input_that_forward_sees() {
    let mut m = Scale::new(2.0);
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v + 1.0).collect())));
    assert_eq!(
        m.call(vec![1.0, 4.0]),
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
    assert_eq!(m.call(vec![0.5, 2.0]), vec![5.0, 20.0]);
    assert_eq!(*seen.borrow(), vec![vec![0.5, 2.0]], "the hook must run once and see the input");
}

#[test]
fn forward_hook_replaces_the_output() {
    let (mut m, calls) = offset(1.0);
    m.hooks.forward.push(Box::new(|_x, y| Some(y.iter().map(|v| v.max(0.0)).collect())));
    assert_eq!(m.call(vec![-5.0, 2.0]), vec![0.0, 3.0], "the forward hook clips the output at zero");
    assert_eq!(calls.get(), 1);
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
    assert_eq!(m.call(vec![1.0]), vec![20.0]);
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
    assert_eq!(*order.borrow(), ["pre-a", "pre-b", "pre-c", "fwd-a", "fwd-b"]);
}

#[test]
fn each_hook_sees_what_the_previous_hook_returned() {
    let mut m = Scale::new(1.0);
    // order matters: (x + 1) * 10 is not x * 10 + 1
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v + 1.0).collect())));
    m.hooks.pre.push(Box::new(|x| Some(x.iter().map(|v| v * 10.0).collect())));
    m.hooks.forward.push(Box::new(|_, y| Some(y.iter().map(|v| v - 3.0).collect())));
    m.hooks.forward.push(Box::new(|_, y| Some(y.iter().map(|v| v * 2.0).collect())));
    assert_eq!(m.call(vec![2.0, 0.0]), vec![54.0, 14.0], "((x + 1) * 10 - 3) * 2");
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
    let out = predict_batch(&m, vec![vec![-1.0], vec![2.0, -3.0], vec![]]);
    assert_eq!(out, vec![vec![2.0], vec![4.0, 6.0], vec![]], "the pre-hook's abs() must apply to every row");
    assert_eq!(count.get(), 3, "one forward hook run per row: use `call`, not `forward`");
}

#[test]
fn predict_batch_works_on_any_module_and_an_empty_batch() {
    let (o, calls) = offset(0.5);
    let dynamic: &dyn Module = &o;
    assert_eq!(predict_batch(dynamic, vec![]), Vec::<Vec<f32>>::new());
    assert_eq!(calls.get(), 0);
    assert_eq!(
        predict_batch(dynamic, vec![vec![1.0], vec![2.0], vec![3.0]]),
        vec![vec![1.5], vec![2.5], vec![3.5]],
        "rows come back in the order they went in"
    );
    assert_eq!(calls.get(), 3);
}
