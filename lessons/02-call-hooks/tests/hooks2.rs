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

/// Fails, naming the cause, when `clamp_inputs` clamped the output instead
/// of the input: `got` is what `call` returned, `raw` what the module gives
/// on the unclamped input.
fn assert_not_an_output_clamp(got: &[f32], raw: &[f32], lo: f32, hi: f32) {
    let clamped_output: Vec<f32> = raw.iter().map(|v| v.clamp(lo, hi)).collect();
    assert!(
        got != clamped_output.as_slice(),
        "the clamp was applied to the output: `call` returned {got:?}, the unclamped result {raw:?} clamped; `forward` never saw a clamped input"
    );
}

/// Fails, naming the cause, when `register_pre` or `register_forward` does
/// not keep its hook. The tests of the helpers call it first: a helper
/// cannot work when registering does not, and the message should say so.
fn assert_registration_works(forward_too: bool) {
    let model = identity();
    model.hooks.register_pre(|x| Some(x.iter().map(|v| v + 1.0).collect()));
    assert!(
        model.call(vec![0.0]) == vec![1.0] || model.hooks.len() != 1,
        "register_pre does not store its hook: a pre-hook the test registered never ran"
    );
    if !forward_too {
        return;
    }
    let model = identity();
    model.hooks.register_forward(|_, y| Some(y.iter().map(|v| v * 10.0).collect()));
    assert!(
        model.call(vec![2.0]) == vec![20.0],
        "register_forward does not store its hook: a forward hook the test registered never ran"
    );
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
    assert_eq!(model.call(vec![1.0, 1.0]), vec![-2.0], "a forward hook registered after a call runs on the next call");
    assert_eq!(model.call(vec![0.5, 0.25]), vec![-0.75], "and on every call after that");
}

#[test]
fn count_calls_counts_each_call_and_nothing_else() {
    assert_registration_works(true);
    let model = sum2();
    let calls = count_calls(&model.hooks);
    assert_eq!(calls.get(), 0, "nothing has run yet");
    assert_eq!(model.hooks.len(), 1, "count_calls registers exactly one hook");
    for i in 0..3u8 {
        let v = f32::from(i);
        assert_eq!(model.call(vec![v, v]), vec![2.0 * v], "counting must not change the result");
    }
    assert!(
        calls.get() != 0,
        "the counter count_calls returned never moved in 3 calls: the hook counts into a different Cell"
    );
    assert_eq!(calls.get(), 3, "3 calls, so the count is 3");
    model.forward(vec![1.0, 1.0]);
    assert_eq!(calls.get(), 3, "`forward` skips hooks, so it is not counted");
    let other = sum2();
    let other_calls = count_calls(&other.hooks);
    other.call(vec![0.0, 0.0]);
    assert_eq!((calls.get(), other_calls.get()), (3, 1), "each counter belongs to its own module");
}

#[test]
fn clamp_inputs_limits_what_forward_sees() {
    assert_registration_works(false);
    let model = sum3();
    clamp_inputs(&model.hooks, -1.0, 1.0);
    assert_eq!(model.hooks.len(), 1, "clamp_inputs registers exactly one hook");
    let y: Vec<f32> = model.call(vec![-5.0, 0.5, 9.0]);
    assert_not_an_output_clamp(&y, &[4.5], -1.0, 1.0);
    assert_eq!(y, vec![0.5], "-1 + 0.5 + 1");
    assert_eq!(model.call(vec![0.0, 0.0, 0.0]), vec![0.0]);

    let shifted = sum3();
    clamp_inputs(&shifted.hooks, 2.0, 3.0);
    assert_eq!(shifted.call(vec![0.0, 2.5, 100.0]), vec![7.5], "2 + 2.5 + 3");
}

#[test]
fn a_pre_hook_added_after_the_clamp_sees_the_clamped_input() {
    assert_registration_works(false);
    let model = sum3();
    clamp_inputs(&model.hooks, 0.0, 2.0);
    let seen = Rc::new(RefCell::new(Vec::new()));
    let spy = Rc::clone(&seen);
    model.hooks.register_pre(move |x| {
        spy.borrow_mut().push(x.to_vec());
        None
    });
    let y: Vec<f32> = model.call(vec![-3.0, 1.0, 7.0]);
    assert_not_an_output_clamp(&y, &[5.0], 0.0, 2.0);
    assert_eq!(
        *seen.borrow(),
        vec![vec![0.0, 1.0, 2.0]],
        "the clamp must change the input before forward: the next pre-hook sees it clamped"
    );
    assert_eq!(y, vec![3.0], "0 + 1 + 2");
}

#[test]
fn record_outputs_keeps_every_output_in_call_order_and_changes_nothing() {
    assert_registration_works(true);
    let model = Linear::new(vec![vec![1.0, 0.0], vec![0.0, 2.0]], vec![0.5, -1.0]);
    let seen = record_outputs(&model.hooks);
    assert!(seen.borrow().is_empty(), "nothing has run yet");
    assert_eq!(model.hooks.len(), 1, "record_outputs registers exactly one hook");
    assert_eq!(
        model.call(vec![1.0, 1.0]),
        vec![1.5, 1.0],
        "the recorder changed the output: it must return `None`"
    );
    assert_eq!(model.call(vec![-1.0, 3.0]), vec![-0.5, 5.0], "the recorder changed the output");
    let got: Vec<Vec<f32>> = seen.borrow().clone();
    assert!(
        !got.is_empty(),
        "the list record_outputs returned stayed empty after 2 calls: the hook pushes into a different Vec"
    );
    assert!(
        got != vec![vec![1.0, 1.0], vec![-1.0, 3.0]],
        "the recorder stored the inputs [1, 1] and [-1, 3], not the outputs"
    );
    assert_eq!(got, vec![vec![1.5, 1.0], vec![-0.5, 5.0]], "one output per call, in call order");
}

#[test]
fn recorder_after_a_clamp_sees_the_clamped_result() {
    assert_registration_works(true);
    let model = sum2();
    clamp_inputs(&model.hooks, 0.0, 1.0);
    let seen = record_outputs(&model.hooks);
    let calls = count_calls(&model.hooks);
    assert_eq!(model.hooks.len(), 3, "one hook from each helper");
    let y: Vec<f32> = model.call(vec![4.0, -4.0]);
    assert_not_an_output_clamp(&y, &[0.0], 0.0, 1.0);
    assert_eq!(y, vec![1.0], "clamped to [1, 0], then summed");
    assert_eq!(model.call(vec![0.25, 0.5]), vec![0.75]);
    let got: Vec<Vec<f32>> = seen.borrow().clone();
    assert!(
        !got.is_empty(),
        "the list record_outputs returned stayed empty after 2 calls: the hook pushes into a different Vec"
    );
    assert!(
        got != vec![vec![1.0, 0.0], vec![0.25, 0.5]],
        "the recorder stored the (clamped) inputs, not the outputs"
    );
    assert_eq!(got, vec![vec![1.0], vec![0.75]], "the recorder sees each output");
    assert!(
        calls.get() != 0,
        "the counter count_calls returned never moved in 2 calls: the hook counts into a different Cell"
    );
    assert_eq!(calls.get(), 2, "2 calls, so the count is 2");
}

#[test]
fn two_recorders_are_independent_and_both_see_every_call() {
    assert_registration_works(true);
    let model = identity();
    let first = record_outputs(&model.hooks);
    model.call(vec![1.0]);
    let second = record_outputs(&model.hooks);
    model.call(vec![2.0]);
    model.call(vec![3.0]);
    assert!(
        !first.borrow().is_empty(),
        "the list record_outputs returned stayed empty after 3 calls: the hook pushes into a different Vec"
    );
    assert_eq!(*first.borrow(), vec![vec![1.0], vec![2.0], vec![3.0]], "the first recorder sees all 3 calls");
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
    assert!(flag.get(), "a forward hook that captured an Rc<Cell<bool>> should have run and set it");
    assert_eq!(*log.borrow(), ["[4.0] -> [4.0]"]);
}
