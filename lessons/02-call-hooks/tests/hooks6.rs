use super::*;
use std::cell::Cell;
use std::rc::Rc;

/// `[a, b, c, ...] -> [a*1 + b*10 + c*100 + ...]`: order and every element matter.
/// Counts how often it really ran.
fn weighted(calls: &Rc<Cell<usize>>) -> impl Fn(Vec<f32>) -> Vec<f32> + 'static {
    let calls = Rc::clone(calls);
    move |x: Vec<f32>| {
        calls.set(calls.get() + 1);
        let mut weight = 1.0;
        let mut total = 0.0;
        for v in x {
            total += v * weight;
            weight *= 10.0;
        }
        vec![total]
    }
}

fn counter() -> Rc<Cell<usize>> {
    Rc::new(Cell::new(0))
}

#[test]
fn cache_key_is_the_exact_bits_of_every_element() {
    assert_eq!(cache_key(&[]), Vec::<u32>::new());
    assert_eq!(cache_key(&[1.0, -2.5]), vec![1.0f32.to_bits(), (-2.5f32).to_bits()]);
    assert_ne!(cache_key(&[0.0]), cache_key(&[-0.0]), "0.0 and -0.0 have different bits");
    assert_ne!(cache_key(&[0.0]), cache_key(&[0.0, 0.0]), "the length is part of the key");
    assert_eq!(cache_key(&[f32::NAN]), cache_key(&[f32::NAN]), "the same NaN has the same bits");
}

#[test]
fn the_same_input_twice_runs_the_inner_module_once() {
    let calls = counter();
    let model = Cached::new(weighted(&calls));
    assert_eq!(model.call(vec![1.0, 2.0]), vec![21.0]);
    assert_eq!(model.call(vec![1.0, 2.0]), vec![21.0]);
    assert_eq!(model.call(vec![1.0, 2.0]), vec![21.0]);
    assert_eq!(calls.get(), 1, "a repeated input must come from the cache");
    assert_eq!((model.hits(), model.misses(), model.len()), (2, 1, 1));
}

#[test]
fn inputs_with_the_same_sum_length_or_first_element_get_their_own_results() {
    let calls = counter();
    let model = Cached::new(weighted(&calls));
    let cases = [
        (vec![1.0, 2.0], 21.0),
        (vec![2.0, 1.0], 12.0),
        (vec![1.5, 1.5], 16.5),
        (vec![1.0, 3.0], 31.0),
        (vec![3.0], 3.0),
        (vec![0.0, 0.0, 3.0], 300.0),
    ];
    for (input, expected) in &cases {
        assert_eq!(model.call(input.clone()), vec![*expected], "stale result for {input:?}");
    }
    for (input, expected) in &cases {
        assert_eq!(model.call(input.clone()), vec![*expected], "wrong cached result for {input:?}");
    }
    assert_eq!(calls.get(), cases.len(), "each distinct input runs the model once");
    assert_eq!((model.hits(), model.misses()), (cases.len(), cases.len()));
}

#[test]
fn inputs_one_bit_apart_are_different_inputs() {
    let calls = counter();
    let model = Cached::new(weighted(&calls));
    let one = 1.0f32;
    let next = f32::from_bits(one.to_bits() + 1);
    assert_eq!(model.call(vec![one]), vec![one]);
    assert_eq!(model.call(vec![next]), vec![next], "rounding the key makes these collide");
    assert_eq!(model.call(vec![1.0001]), vec![1.0001]);
    assert_eq!(calls.get(), 3);
}

#[test]
fn zero_and_negative_zero_are_cached_apart() {
    let calls = Rc::new(Cell::new(0));
    let c = Rc::clone(&calls);
    let reciprocal = move |x: Vec<f32>| -> Vec<f32> {
        c.set(c.get() + 1);
        x.into_iter().map(|v| 1.0 / v).collect()
    };
    let model = Cached::new(reciprocal);
    assert_eq!(model.call(vec![0.0]), vec![f32::INFINITY]);
    assert_eq!(
        model.call(vec![-0.0]),
        vec![f32::NEG_INFINITY],
        "0.0 == -0.0 with `==`, but 1/x tells them apart: compare bits, not values"
    );
    assert_eq!(model.call(vec![0.0]), vec![f32::INFINITY]);
    assert_eq!(calls.get(), 2, "two distinct inputs, so the inner module runs twice");
}

#[test]
fn a_miss_runs_the_inner_hooks_and_a_hit_does_not() {
    let fired = counter();
    let scale = Scale::new(2.0);
    let f = Rc::clone(&fired);
    let _h = scale.hooks.register_forward(move |_, _| {
        f.set(f.get() + 1);
        None
    });
    let _relu = scale.hooks.register_forward(|_, y| Some(y.iter().map(|v| v.max(0.0)).collect()));
    let model = Cached::new(scale);
    let y: Vec<f32> = model.call(vec![-1.0, 3.0]);
    assert!(
        fired.get() != 0,
        "on a miss the inner hooks never fired: the miss ran the inner module with `forward`"
    );
    assert_eq!(y, vec![0.0, 6.0], "a miss must go through `call`: the relu hook applies");
    assert_eq!(fired.get(), 1, "one miss, one run of the inner module");
    assert_eq!(model.call(vec![-1.0, 3.0]), vec![0.0, 6.0], "the hit returns what the hooks produced");
    assert_eq!(
        fired.get(),
        1,
        "on a hit the inner hooks fired again: a hit must not run the inner module at all"
    );
    model.call(vec![5.0]);
    assert_eq!(fired.get(), 2, "a new input is a miss and runs the inner module");
}

#[test]
fn clear_forgets_results_made_before_the_model_changed() {
    let model = Cached::new(Scale::new(2.0));
    assert_eq!(model.call(vec![1.0]), vec![2.0]);
    let _negate = model
        .inner()
        .hooks
        .register_pre(|x| Some(x.iter().map(|v| -v).collect()));
    assert_eq!(model.call(vec![1.0]), vec![2.0], "the cache still answers for the old model");
    model.clear();
    assert!(model.is_empty());
    assert_eq!(model.call(vec![1.0]), vec![-2.0], "after `clear` the new model runs");
    assert_eq!((model.hits(), model.misses()), (1, 2), "clearing keeps the counters");
}

#[test]
fn many_inputs_each_miss_once_then_hit() {
    let calls = counter();
    let model = Cached::new(weighted(&calls));
    let inputs: Vec<Vec<f32>> = (0..40u8)
        .map(|i| {
            let v = f32::from(i);
            vec![v * 0.25, -v]
        })
        .collect();
    let first: Vec<Vec<f32>> = inputs.iter().map(|x| model.call(x.clone())).collect();
    let second: Vec<Vec<f32>> = inputs.iter().map(|x| model.call(x.clone())).collect();
    assert_eq!(first, second, "cached results must equal fresh ones");
    assert_eq!(calls.get(), 40, "40 distinct inputs, so the inner module runs 40 times");
    assert_eq!(
        (model.hits(), model.misses(), model.len()),
        (40, 40, 40),
        "(hits, misses, entries) after 40 misses and 40 hits"
    );
}
