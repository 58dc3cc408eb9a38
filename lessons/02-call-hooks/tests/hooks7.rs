use super::*;
use std::cell::Cell;
use std::rc::Rc;

fn add(c: f32) -> Layer {
    Layer::new("add", move |x| x.into_iter().map(|v| v + c).collect())
}

fn ln() -> Layer {
    Layer::new("ln", |x| x.into_iter().map(f32::ln).collect())
}

fn reciprocal() -> Layer {
    Layer::new("reciprocal", |x| x.into_iter().map(|v| 1.0 / v).collect())
}

fn hook_counts(model: &Sequential) -> Vec<Option<usize>> {
    model.children().iter().map(|c| c.hooks().map(Hooks::len)).collect()
}

/// `layer_outputs`, failing with the cause when it recorded nothing at all.
fn recorded(model: &Sequential, x: Vec<f32>) -> Vec<(usize, Vec<f32>)> {
    let got: Vec<(usize, Vec<f32>)> = layer_outputs(model, x);
    assert!(
        !got.is_empty(),
        "layer_outputs recorded no outputs at all, though the model has children with hooks"
    );
    got
}

/// Fails, naming the cause, when the hook counts after a run differ from before.
fn assert_hooks_as_before(model: &Sequential, before: &[Option<usize>]) {
    let after = hook_counts(model);
    for (i, (was, now)) in before.iter().zip(&after).enumerate() {
        assert!(
            now >= was,
            "child {i} had {was:?} hooks and now has {now:?}: a hook you did not add was removed"
        );
        assert!(
            now <= was,
            "child {i} had {was:?} hooks and now has {now:?}: every hook you add must be removed before returning"
        );
    }
}

#[test]
fn layer_outputs_gives_each_childs_output_in_order() {
    let model = Sequential::new().push(Scale::new(2.0)).push(add(1.0)).push(Scale::new(-1.0));
    assert_eq!(
        recorded(&model, vec![1.0, 3.0]),
        vec![(0, vec![2.0, 6.0]), (1, vec![3.0, 7.0]), (2, vec![-3.0, -7.0])]
    );
    assert_eq!(
        layer_outputs(&model, vec![0.0]),
        vec![(0, vec![0.0]), (1, vec![1.0]), (2, vec![-1.0])]
    );
}

#[test]
fn children_without_hooks_are_skipped_but_keep_their_index() {
    let double = |x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v * 2.0).collect() };
    let model = Sequential::new().push(double).push(add(1.0)).push(double).push(add(0.5));
    let got = recorded(&model, vec![1.0]);
    let indexes: Vec<usize> = got.iter().map(|(i, _)| *i).collect();
    assert_eq!(
        indexes,
        [1, 3],
        "the indexes must be positions among ALL children (closures included), not a count of the watched ones"
    );
    assert_eq!(
        got,
        vec![(1, vec![3.0]), (3, vec![6.5])],
        "closures have no hooks; the indexes are positions among all children"
    );
}

#[test]
fn an_empty_model_has_no_outputs_and_nothing_non_finite() {
    let model = Sequential::new();
    assert_eq!(
        layer_outputs(&model, vec![f32::NAN]),
        Vec::<(usize, Vec<f32>)>::new(),
        "a model with no layers records no layer outputs"
    );
    assert_eq!(
        first_non_finite(&model, vec![1.0]),
        None,
        "a model with no layers has no layer that produced a non-finite value"
    );
}

#[test]
fn the_models_own_hooks_still_apply() {
    let model = Sequential::new().push(add(1.0)).push(Scale::new(10.0));
    let _normalise = model
        .hooks
        .register_pre(|x| Some(x.iter().map(|v| v / 100.0).collect()));
    let got = recorded(&model, vec![100.0, 300.0]);
    assert!(
        got.first().is_none_or(|(_, y)| y != &vec![101.0, 301.0]),
        "the model's own pre-hook did not run: child 0 saw 100 and 300, not 1 and 3"
    );
    assert_eq!(
        got,
        vec![(0, vec![2.0, 4.0]), (1, vec![20.0, 40.0])],
        "the model's pre-hook divides by 100 first: run the whole model with `call`"
    );
}

#[test]
fn a_recorded_output_is_what_the_next_child_receives() {
    let first = add(-5.0);
    let _relu = first.hooks.register_forward(|_, y| Some(y.iter().map(|v| v.max(0.0)).collect()));
    let model = Sequential::new().push(first).push(Scale::new(2.0));
    assert_eq!(
        recorded(&model, vec![1.0, 9.0]),
        vec![(0, vec![0.0, 4.0]), (1, vec![0.0, 8.0])],
        "the child's own relu hook runs before yours, so you see its output after relu"
    );
}

#[test]
fn no_hook_is_left_behind_and_existing_hooks_keep_working() {
    let fired = Rc::new(Cell::new(0));
    let watched = add(1.0);
    let f = Rc::clone(&fired);
    let _mine = watched.hooks.register_forward(move |_, _| {
        f.set(f.get() + 1);
        None
    });
    let inner = Sequential::new().push(Scale::new(3.0));
    let model = Sequential::new().push(watched).push(|x: Vec<f32>| x).push(inner).push(ln());
    let before = hook_counts(&model);
    assert_eq!(before, vec![Some(1), None, Some(0), Some(0)]);

    let first = recorded(&model, vec![0.0]);
    assert_hooks_as_before(&model, &before);
    assert_eq!(fired.get(), 1, "the model's existing hook must fire once per run");

    let second = recorded(&model, vec![0.0]);
    assert_eq!(first, second, "a second run must not see extra records from hooks left behind");
    assert_eq!(
        first,
        vec![(0, vec![1.0]), (2, vec![3.0]), (3, vec![3.0f32.ln()])],
        "each record is (child index among all children, that child's output)"
    );
    assert_eq!(first_non_finite(&model, vec![0.0]), None);
    assert_hooks_as_before(&model, &before);
    assert_eq!(fired.get(), 3, "the model's existing hook must fire once per run");
    assert_eq!(model.call(vec![0.0]), vec![3.0f32.ln()], "the model must behave as before");
}

#[test]
fn first_non_finite_names_the_layer_that_made_the_nan() {
    // add(-2) then ln: ln of a negative number is NaN, and NaN spreads to every later layer
    let model = Sequential::new()
        .push(Scale::new(1.0))
        .push(add(-2.0))
        .push(ln())
        .push(Scale::new(3.0))
        .push(add(1.0));
    recorded(&model, vec![1.0, 5.0]);
    assert_eq!(first_non_finite(&model, vec![1.0, 5.0]), Some(2), "ln(-1) is NaN, made by child 2");
    assert_eq!(first_non_finite(&model, vec![3.0, 5.0]), None, "ln(1) and ln(3) are finite");
    assert_eq!(first_non_finite(&model, vec![2.0]), Some(2), "ln(0) is -infinity, which counts too");
    assert_hooks_as_before(&model, &[Some(0); 5]);
}

#[test]
fn first_non_finite_reports_the_child_index_and_catches_infinity() {
    let shift = |x: Vec<f32>| -> Vec<f32> { x.into_iter().map(|v| v - 1.0).collect() };
    let model = Sequential::new().push(shift).push(reciprocal()).push(add(0.0));
    recorded(&model, vec![3.0]);
    let got: Option<usize> = first_non_finite(&model, vec![1.0]);
    assert!(
        got.is_some(),
        "1 / (1 - 1) is infinity, and infinity was not caught: it is not NaN, but it is not finite either"
    );
    assert!(
        got != Some(0),
        "got Some(0), a position in the list of records; child 0 is the closure, and child 1 made the infinity"
    );
    assert_eq!(got, Some(1), "1 / (1 - 1) is infinity, made by child 1");
    assert_eq!(first_non_finite(&model, vec![3.0]), None);
    let at_start = Sequential::new().push(reciprocal()).push(Scale::new(0.0));
    assert_eq!(
        first_non_finite(&at_start, vec![0.0, 1.0]),
        Some(0),
        "child 1 turns inf * 0 into NaN, but child 0 went wrong first"
    );
}
