use super::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `[a, b] -> [a + b]`
fn sum2() -> Linear {
    Linear::new(vec![vec![1.0, 1.0]], vec![0.0])
}

/// `[a, b, c] -> [a + b + c]`
fn sum3() -> Linear {
    Linear::new(vec![vec![1.0, 1.0, 1.0]], vec![0.0])
}

/// `[a] -> [a]`
fn identity() -> Linear {
    Linear::new(vec![vec![1.0]], vec![0.0])
}

#[test]
fn hooks_register_through_a_shared_reference_and_fire_on_call() {
    let model = sum2();
    let registrar = &model;
    let user = &model;
    registrar
        .hooks
        .register_forward(|_, y| Some(y.iter().map(|v| v * 10.0).collect()));
    registrar.hooks.register_pre(|x| Some(x.iter().map(|v| v + 1.0).collect()));
    assert_eq!(model.hooks.len(), 2, "both hooks must be stored");
    assert_eq!(user.call(vec![1.0, 2.0]), vec![50.0], "((1+1) + (2+1)) * 10");
    assert_eq!(user.forward(vec![1.0, 2.0]), vec![3.0], "`forward` alone never runs hooks");
}

#[test]
fn hooks_run_in_the_order_they_were_registered() {
    let model = identity();
    for digit in 1..=6u8 {
        let d = f32::from(digit);
        model.hooks.register_pre(move |x| Some(vec![x[0] * 10.0 + d]));
    }
    for digit in 7..=8u8 {
        let d = f32::from(digit);
        model.hooks.register_forward(move |_, y| Some(vec![y[0] * 10.0 + d]));
    }
    assert_eq!(
        model.call(vec![0.0]),
        vec![12_345_678.0],
        "each hook appends its digit, so the digits spell the order the hooks ran in"
    );
}

#[test]
fn a_hook_added_between_calls_changes_only_later_calls() {
    let model = sum2();
    assert_eq!(model.call(vec![1.0, 1.0]), vec![2.0]);
    model.hooks.register_forward(|_, y| Some(y.iter().map(|v| -v).collect()));
    assert_eq!(model.call(vec![1.0, 1.0]), vec![-2.0]);
    assert_eq!(model.call(vec![0.5, 0.25]), vec![-0.75]);
}

#[test]
fn count_calls_counts_each_call_and_nothing_else() {
    let model = sum2();
    let calls = count_calls(&model.hooks);
    assert_eq!(calls.get(), 0, "nothing has run yet");
    for i in 0..3u8 {
        let v = f32::from(i);
        assert_eq!(model.call(vec![v, v]), vec![2.0 * v], "counting must not change the result");
    }
    assert_eq!(calls.get(), 3);
    model.forward(vec![1.0, 1.0]);
    assert_eq!(calls.get(), 3, "`forward` skips hooks, so it is not counted");
    let other = sum2();
    let other_calls = count_calls(&other.hooks);
    other.call(vec![0.0, 0.0]);
    assert_eq!((calls.get(), other_calls.get()), (3, 1), "each counter belongs to its own module");
}

#[test]
fn clamp_inputs_limits_what_forward_sees() {
    let model = sum3();
    clamp_inputs(&model.hooks, -1.0, 1.0);
    assert_eq!(model.call(vec![-5.0, 0.5, 9.0]), vec![0.5], "-1 + 0.5 + 1");
    assert_eq!(model.call(vec![0.0, 0.0, 0.0]), vec![0.0]);

    let shifted = sum3();
    clamp_inputs(&shifted.hooks, 2.0, 3.0);
    assert_eq!(shifted.call(vec![0.0, 2.5, 100.0]), vec![7.5], "2 + 2.5 + 3");
}

#[test]
fn record_outputs_keeps_every_output_in_call_order_and_changes_nothing() {
    let model = Linear::new(vec![vec![1.0, 0.0], vec![0.0, 2.0]], vec![0.5, -1.0]);
    let seen = record_outputs(&model.hooks);
    assert!(seen.borrow().is_empty());
    assert_eq!(model.call(vec![1.0, 1.0]), vec![1.5, 1.0]);
    assert_eq!(model.call(vec![-1.0, 3.0]), vec![-0.5, 5.0]);
    assert_eq!(*seen.borrow(), vec![vec![1.5, 1.0], vec![-0.5, 5.0]]);
}

#[test]
fn recorder_after_a_clamp_sees_the_clamped_result() {
    let model = sum2();
    clamp_inputs(&model.hooks, 0.0, 1.0);
    let seen = record_outputs(&model.hooks);
    let calls = count_calls(&model.hooks);
    assert_eq!(model.hooks.len(), 3);
    assert_eq!(model.call(vec![4.0, -4.0]), vec![1.0]);
    assert_eq!(model.call(vec![0.25, 0.5]), vec![0.75]);
    assert_eq!(*seen.borrow(), vec![vec![1.0], vec![0.75]]);
    assert_eq!(calls.get(), 2);
}

#[test]
fn two_recorders_are_independent_and_both_see_every_call() {
    let model = identity();
    let first = record_outputs(&model.hooks);
    model.call(vec![1.0]);
    let second = record_outputs(&model.hooks);
    model.call(vec![2.0]);
    model.call(vec![3.0]);
    assert_eq!(*first.borrow(), vec![vec![1.0], vec![2.0], vec![3.0]]);
    assert_eq!(
        *second.borrow(),
        vec![vec![2.0], vec![3.0]],
        "a hook only sees calls made after it was registered"
    );
    assert!(!Rc::ptr_eq(&first, &second), "each recorder gets its own storage");
}

#[test]
fn hooks_can_capture_any_owned_state() {
    let model = identity();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let flag = Rc::new(Cell::new(false));
    let (l, f) = (Rc::clone(&log), Rc::clone(&flag));
    model.hooks.register_forward(move |x, y| {
        l.borrow_mut().push(format!("{x:?} -> {y:?}"));
        f.set(true);
        None
    });
    model.call(vec![4.0]);
    assert!(flag.get());
    assert_eq!(*log.borrow(), ["[4.0] -> [4.0]"]);
}
