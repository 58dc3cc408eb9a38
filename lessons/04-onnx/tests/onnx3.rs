use super::*;
#[allow(unused_imports)]
use prost::Message as _;

/// Small deterministic numbers in [-1, 1).
fn values(seed: u32, n: usize) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(7);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            #[allow(clippy::cast_precision_loss)]
            let v = (s >> 8) as f32 / (1u32 << 24) as f32;
            v * 2.0 - 1.0
        })
        .collect()
}

fn layer(seed: u32, in_features: usize, out_features: usize) -> Linear {
    Linear {
        in_features,
        out_features,
        weight: values(seed, in_features * out_features),
        bias: values(seed + 100, out_features),
    }
}

fn bytes_of(layer: &Linear, batch: usize) -> Vec<u8> {
    linear_model(layer, batch).encode_to_vec()
}

#[test]
fn a_model_loaded_from_bytes_matches_the_rust_layer_to_1e_5() {
    for (seed, batch, i, o) in [(1, 1, 3, 2), (2, 4, 5, 3), (3, 2, 8, 8)] {
        let l = layer(seed, i, o);
        let plan = load_bytes(&bytes_of(&l, batch)).expect("a valid model loads");
        let x = values(seed + 50, batch * i);
        let got = run(&plan, &x, batch, i).expect("the model runs");
        let want = l.forward(&x);
        assert_eq!(
            got.len(),
            batch * o,
            "run returns batch x out values, flattened"
        );
        let diff = max_abs_diff(&got, &want);
        assert!(
            diff <= 1e-5,
            "tract {got:?} vs Rust {want:?}: max diff {diff}"
        );
    }
}

#[test]
fn a_plan_can_be_run_many_times() {
    let l = layer(4, 3, 3);
    let plan = load_bytes(&bytes_of(&l, 1)).expect("loads");
    for seed in 10..14 {
        let x = values(seed, 3);
        let got = run(&plan, &x, 1, 3).expect("runs");
        assert!(
            max_abs_diff(&got, &l.forward(&x)) <= 1e-5,
            "run {seed} differs"
        );
    }
}

#[test]
fn a_saved_file_loads_back_and_gives_the_same_answers() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("linear.onnx");
    let l = layer(5, 4, 2);
    save_model(&linear_model(&l, 2), &path).expect("save the model");
    let on_disk = std::fs::read(&path).expect("the file exists");
    assert_eq!(
        on_disk,
        bytes_of(&l, 2),
        "the file holds exactly the encoded model"
    );
    let plan = load_file(&path).expect("the file loads");
    let x = values(55, 8);
    let got = run(&plan, &x, 2, 4).expect("runs");
    assert!(
        max_abs_diff(&got, &l.forward(&x)) <= 1e-5,
        "file-loaded model differs"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("a temp dir");
    assert!(
        load_file(&dir.path().join("nope.onnx")).is_err(),
        "no file, no model"
    );
}

#[test]
fn garbage_and_truncated_bytes_are_errors_not_panics() {
    assert!(load_bytes(b"").is_err(), "empty bytes hold no graph");
    assert!(
        load_bytes(b"\x80\x04\x95 definitely not protobuf").is_err(),
        "garbage bytes"
    );
    let good = bytes_of(&layer(6, 3, 2), 1);
    assert!(
        load_bytes(&good[..good.len() / 2]).is_err(),
        "half a model is not a model"
    );
}

#[test]
fn wrong_input_sizes_are_errors_not_panics() {
    let plan = load_bytes(&bytes_of(&layer(7, 3, 2), 1)).expect("loads");
    assert!(
        run(&plan, &[1.0, 2.0], 1, 3).is_err(),
        "2 values cannot fill a 1x3 input"
    );
    assert!(
        run(&plan, &[1.0; 4], 1, 4).is_err(),
        "the model wants 3 features, not 4"
    );
    assert!(
        run(&plan, &[1.0; 6], 2, 3).is_err(),
        "this model was exported for batch 1"
    );
}

#[test]
fn max_abs_diff_measures_the_worst_element() {
    assert!(
        max_abs_diff(&[], &[]).abs() < f32::EPSILON,
        "nothing to compare, no difference"
    );
    let d = max_abs_diff(&[1.0, 2.0, 3.0], &[1.0, 2.5, 2.0]);
    assert!((d - 1.0).abs() < 1e-6, "worst is |3 - 2| = 1, got {d}");
    let d = max_abs_diff(&[-1.0], &[1.0]);
    assert!(
        (d - 2.0).abs() < 1e-6,
        "use the absolute difference, got {d}"
    );
}

#[test]
fn max_abs_diff_never_hides_nan_or_a_length_mismatch() {
    assert_eq!(
        max_abs_diff(&[1.0, f32::NAN], &[1.0, 1.0]),
        f32::INFINITY,
        "a NaN output is a mismatch"
    );
    assert_eq!(
        max_abs_diff(&[f32::NAN, 1.0], &[1.0, 1.0]),
        f32::INFINITY,
        "NaN first, then a match"
    );
    assert_eq!(
        max_abs_diff(&[1.0, 2.0], &[1.0]),
        f32::INFINITY,
        "missing outputs are a mismatch"
    );
}

#[test]
fn parity_catches_a_model_exported_from_different_weights() {
    let exported = layer(8, 4, 3);
    let mut changed = exported.clone();
    changed.weight[5] += 0.01;
    let plan = load_bytes(&bytes_of(&exported, 1)).expect("loads");
    let x = vec![1.0; 4];
    let got = run(&plan, &x, 1, 4).expect("runs");
    assert!(
        max_abs_diff(&got, &changed.forward(&x)) > 1e-3,
        "a 0.01 change in one weight must show up in the parity check"
    );
}
