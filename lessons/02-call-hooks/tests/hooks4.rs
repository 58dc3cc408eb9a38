use super::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type Log = Rc<RefCell<Vec<String>>>;

fn new_log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn pre_tracer(log: &Log, name: &'static str) -> impl Fn(&[f32]) -> Option<Vec<f32>> + 'static {
    let log = Rc::clone(log);
    move |_| {
        log.borrow_mut().push(format!("{name}:pre"));
        None
    }
}

fn fwd_tracer(log: &Log, name: &'static str) -> impl Fn(&[f32], &[f32]) -> Option<Vec<f32>> + 'static {
    let log = Rc::clone(log);
    move |_, _| {
        log.borrow_mut().push(format!("{name}:fwd"));
        None
    }
}

fn relu(x: Vec<f32>) -> Vec<f32> {
    x.into_iter().map(|v| v.max(0.0)).collect()
}

#[test]
fn a_closure_is_a_module_without_hooks() {
    let add_one = |x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v + 1.0).collect() };
    assert_eq!(add_one.forward(vec![1.0, -1.0]), vec![2.0, 0.0]);
    // `add_one.call(..)` would also name the unstable `Fn::call`; say which one you mean
    assert_eq!(Module::call(&add_one, vec![0.5]), vec![1.5]);
    assert!(add_one.hooks().is_none());

    let offset = 4.0;
    let shift = move |x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v - offset).collect() };
    let as_trait_object: &dyn Module = &shift;
    assert_eq!(as_trait_object.call(vec![4.0, 5.0]), vec![0.0, 1.0], "captured state is used");
}

#[test]
fn a_plain_function_is_a_module() {
    assert_eq!(Module::call(&relu, vec![-2.0, 3.0, 0.0]), vec![0.0, 3.0, 0.0]);
    assert_eq!(Module::call(&relu, vec![]), Vec::<f32>::new());
}

/// What a `Sequential` of these steps gives when it does not chain them
/// the way it should: the reasons a chain test fails, in the learner's words.
fn chain_mistake(got: &[f32], reversed: &[f32], unchained: &[f32]) -> Option<&'static str> {
    if got == reversed {
        Some("the children ran last to first: iterate `self.children` in order, not `.rev()`")
    } else if got == unchained {
        Some("each child got the Sequential's own input, not the previous child's output, and only the last child's answer came out")
    } else {
        None
    }
}

#[test]
fn sequential_feeds_each_output_into_the_next_child() {
    let forward_order = Sequential::new()
        .push(Scale::new(2.0))
        .push(|x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v + 1.0).collect() })
        .push(Scale::new(3.0));
    let got = forward_order.call(vec![1.0, -2.0]);
    // Reversed: ((x * 3) + 1) * 2; unchained: the last child alone, x * 3.
    if let Some(why) = chain_mistake(&got, &[8.0, -10.0], &[3.0, -6.0]) {
        panic!("((x * 2) + 1) * 3 of [1, -2] is [9, -9], got {got:?}: {why}");
    }
    assert_eq!(got, vec![9.0, -9.0], "((x * 2) + 1) * 3");

    let other_order = Sequential::new()
        .push(|x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v + 1.0).collect() })
        .push(relu)
        .push(Scale::new(2.0));
    assert_eq!(other_order.call(vec![1.0, -2.0]), vec![4.0, 0.0], "relu(x + 1) * 2");
    assert_eq!(other_order.children().len(), 3);
}

#[test]
fn an_empty_sequential_returns_its_input() {
    let empty = Sequential::new();
    assert_eq!(empty.call(vec![1.0, 2.0, 3.0]), vec![1.0, 2.0, 3.0]);
    assert_eq!(empty.call(vec![]), Vec::<f32>::new());
}

// One child per Sequential: this test is about a child's hooks firing, so
// it does not depend on how children are chained (the test above is).
#[test]
fn children_hooks_fire_inside_a_sequential() {
    let log = new_log();
    let first = Scale::new(2.0);
    let _a = first.hooks.register_forward(fwd_tracer(&log, "first"));
    let model = Sequential::new().push(first);
    assert_eq!(model.call(vec![1.0]), vec![2.0], "one child scaling by 2");
    assert_eq!(*log.borrow(), ["first:fwd"], "the child's forward hook must fire: call the child's `call`");
    let second = Scale::new(10.0);
    let _b = second.hooks.register_pre(|x| Some(x.iter().map(|v| v + 1.0).collect()));
    let model = Sequential::new().push(second);
    assert_eq!(
        model.call(vec![1.0]),
        vec![20.0],
        "the child's pre-hook adds 1 before its scale, (1 + 1) * 10: call the child's `call`"
    );
}

#[test]
fn hooks_fire_outer_pre_then_children_in_order_then_outer_forward() {
    let log = new_log();
    let a = Scale::new(1.0);
    let b = Scale::new(1.0);
    let handles = vec![
        a.hooks.register_pre(pre_tracer(&log, "a")),
        a.hooks.register_forward(fwd_tracer(&log, "a")),
        b.hooks.register_pre(pre_tracer(&log, "b")),
        b.hooks.register_forward(fwd_tracer(&log, "b")),
    ];
    let model = Sequential::new().push(a).push(relu).push(b);
    let outer = [
        model.hooks.register_forward(fwd_tracer(&log, "seq")),
        model.hooks.register_pre(pre_tracer(&log, "seq")),
    ];
    model.call(vec![1.0]);
    let got = log.borrow().clone();
    let at = |entry: &str| got.iter().position(|e| e == entry);
    assert!(
        ["a:pre", "a:fwd", "b:pre", "b:fwd"].iter().all(|e| at(e).is_some()),
        "every child's hooks must fire: run each child with `child.call(x)`; the log was {got:?}"
    );
    assert!(
        at("a:pre") < at("b:pre"),
        "the children ran last to first: the log was {got:?}"
    );
    assert_eq!(
        got,
        ["seq:pre", "a:pre", "a:fwd", "b:pre", "b:fwd", "seq:fwd"],
        "the Sequential's own pre-hook first, then the children in order, then its own forward hook"
    );
    drop((handles, outer));
}

#[test]
fn a_sequential_runs_its_own_hooks_once_per_call() {
    let count = Rc::new(Cell::new(0));
    // One child: the count and the clip are the point here, not chaining.
    let model = Sequential::new().push(Scale::new(4.0));
    let c = Rc::clone(&count);
    let _h = model.hooks.register_forward(move |_, _| {
        c.set(c.get() + 1);
        None
    });
    let _clip = model
        .hooks
        .register_forward(|_, y| Some(y.iter().map(|v| v.min(5.0)).collect()));
    assert_eq!(model.call(vec![1.0, 2.0]), vec![4.0, 5.0]);
    assert_eq!(model.call(vec![0.0]), vec![0.0]);
    assert_eq!(count.get(), 2);
}

#[test]
fn forward_on_a_sequential_skips_only_its_own_hooks() {
    let log = new_log();
    let child = Scale::new(1.0);
    let _c = child.hooks.register_forward(fwd_tracer(&log, "child"));
    let model = Sequential::new().push(child);
    let _s = model.hooks.register_forward(fwd_tracer(&log, "seq"));
    model.forward(vec![1.0]);
    assert_eq!(
        *log.borrow(),
        ["child:fwd"],
        "`forward` skips the Sequential's own hooks, but it still calls its children with `call`"
    );
}

#[test]
fn hooks_fire_in_nested_sequentials_and_can_be_added_after_building() {
    let log = new_log();
    let inner = Sequential::new().push(Scale::new(2.0)).push(Scale::new(3.0));
    let model = Sequential::new().push(relu).push(inner).push(Scale::new(0.5));
    // reach a grandchild through the tree and hook it after the model was built
    let grandchild = &model.children()[1];
    assert!(grandchild.hooks().is_some(), "a Sequential has hooks");
    let _h = grandchild.hooks().unwrap().register_forward(fwd_tracer(&log, "inner"));
    let _g = model.children()[2].hooks().unwrap().register_pre(pre_tracer(&log, "last"));
    let got = model.call(vec![-1.0, 1.0]);
    let fired = log.borrow().clone();
    assert!(
        fired.len() == 2 && fired.contains(&"inner:fwd".to_owned()) && fired.contains(&"last:pre".to_owned()),
        "the hooks added after building, on a grandchild and on a child, must each fire once: every level runs its children with `call`; the log was {fired:?}"
    );
    assert_eq!(fired, ["inner:fwd", "last:pre"], "the children ran last to first");
    // Unchained, only the last child's answer to the input comes out: x * 0.5.
    // (Reversed happens to give [0, 3] too; the log above catches it.)
    if let Some(why) = chain_mistake(&got, &[f32::NAN], &[-0.5, 0.5]) {
        panic!("relu, then (x * 2) * 3, then x * 0.5, of [-1, 1] is [0, 3], got {got:?}: {why}");
    }
    assert_eq!(got, vec![0.0, 3.0], "relu, then (x * 2) * 3, then x * 0.5, of [-1, 1]");
}
