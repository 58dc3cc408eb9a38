use super::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How long a row may wait for another before the test calls it a hang. It is
/// a guard against waiting forever, never the outcome: in a parallel map the
/// row waited for starts on another thread within microseconds.
const GUARD: Duration = Duration::from_secs(3);

/// Runs `work` on a rayon pool of 4 threads, whatever the machine has: the
/// tests below need a second thread to be free while one row waits.
/// A panic on one of the pool's threads fails the test with its own message.
fn on_four_threads<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("a rayon pool of 4 threads");
    match catch_unwind(AssertUnwindSafe(|| pool.install(work))) {
        Ok(value) => value,
        Err(payload) => panic!("{}", panic_text(payload.as_ref())),
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// One row waits at the gate until another row opens it. This forces the
/// order in which rows finish: the waiting row finishes last.
struct Gate {
    opened: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn new() -> Gate {
        Gate {
            opened: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    fn open(&self) {
        *self.opened.lock().unwrap() = true;
        self.changed.notify_all();
    }

    fn wait(&self, hang: &str) {
        let opened = self.opened.lock().unwrap();
        let (opened, _) = self
            .changed
            .wait_timeout_while(opened, GUARD, |opened| !*opened)
            .unwrap();
        assert!(*opened, "{hang}");
    }
}

const SEQUENTIAL: &str = "row 0 waited for the last row, which never started: the rows ran one after the other, not in parallel";

fn close(got: &[f32], want: &[f32]) -> bool {
    got.len() == want.len() && got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-4)
}

#[test]
fn outputs_keep_input_order_when_later_rows_finish_first() {
    let items: Vec<u32> = (0..8).collect();
    let gate = Gate::new();
    let got: Result<Vec<u32>, Vec<(usize, String)>> = on_four_threads(|| {
        par_try_map(&items, |&i| {
            if i == 7 {
                gate.open();
            } else if i == 0 {
                gate.wait(SEQUENTIAL);
            }
            Ok(i * 10)
        })
    });
    let want: Vec<u32> = (0..8).map(|i| i * 10).collect();
    assert_eq!(
        got,
        Ok(want),
        "every output should come back in input order, though row 0 finished last"
    );
}

#[test]
fn every_bad_row_is_reported_by_its_index_in_index_order() {
    let items: Vec<u32> = (0..8).collect();
    let gate = Gate::new();
    // Every odd row fails, and row 1 fails last: it waits until row 7 started.
    let got: Result<Vec<u32>, Vec<(usize, String)>> = on_four_threads(|| {
        par_try_map(&items, |&i| {
            if i == 7 {
                gate.open();
            } else if i == 1 {
                gate.wait(
                    "row 1 waited for row 7, which never started: the rows ran one after the other, or the map stopped at the first error",
                );
            }
            if i % 2 == 1 {
                Err(format!("row {i} is odd"))
            } else {
                Ok(i)
            }
        })
    });
    let want: Vec<(usize, String)> = [1, 3, 5, 7]
        .into_iter()
        .map(|i| (i, format!("row {i} is odd")))
        .collect();
    match got {
        Ok(outputs) => panic!(
            "4 of 8 rows failed, yet the batch succeeded with {} outputs",
            outputs.len()
        ),
        Err(errors) => {
            let indices: Vec<usize> = errors.iter().map(|(index, _)| *index).collect();
            assert!(
                errors.len() == want.len(),
                "4 rows failed and every bad row should be reported; got indices {indices:?}"
            );
            let mut sorted = indices.clone();
            sorted.sort_unstable();
            assert!(
                sorted == [1, 3, 5, 7],
                "rows 1, 3, 5 and 7 failed, and each error should carry the index of its own row; got indices {indices:?}"
            );
            assert!(
                indices == [1, 3, 5, 7],
                "the bad rows should be reported in index order, whichever failed first in time; got indices {indices:?}"
            );
            assert_eq!(errors, want, "each index should carry its own row's error");
        }
    }
}

#[test]
fn f_runs_once_per_row_and_an_empty_batch_is_ok() {
    let items: Vec<usize> = (0..1000).collect();
    let calls: Vec<AtomicUsize> = items.iter().map(|_| AtomicUsize::new(0)).collect();
    let got: Result<Vec<usize>, Vec<(usize, ())>> = on_four_threads(|| {
        par_try_map(&items, |&i| {
            calls[i].fetch_add(1, Ordering::Relaxed);
            Ok(i + 1)
        })
    });
    let ran: Vec<usize> = calls.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    let wrong: Vec<(usize, usize)> = ran
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n != 1)
        .map(|(i, &n)| (i, n))
        .take(5)
        .collect();
    assert!(
        wrong.is_empty(),
        "f should be called exactly once per row; (row, calls) for the first rows that were not: {wrong:?}"
    );
    let want: Vec<usize> = (1..=1000).collect();
    assert!(got == Ok(want), "1000 good rows should give 1000 outputs, in input order");

    let none: &[u8] = &[];
    let empty: Result<Vec<u8>, Vec<(usize, ())>> = par_try_map(none, |&b| Ok(b));
    assert_eq!(empty, Ok(Vec::new()), "an empty batch is Ok with no outputs");
}

#[test]
fn prepare_batch_tokenises_every_text_and_names_each_bad_one() {
    let vocab = Vocab::new(&["the", "cat", "sat", "on", "mat"]);
    let good: Vec<String> = ["The cat sat", "  on the   mat ", "the dog"]
        .map(String::from)
        .to_vec();
    let got: Result<Vec<Vec<u32>>, Vec<(usize, RowError)>> = prepare_batch(&good, &vocab, 4);
    assert_eq!(
        got,
        Ok(vec![vec![1, 2, 3], vec![4, 1, 5], vec![1, UNKNOWN]]),
        "each text's tokens, in the order of the texts"
    );

    let mixed: Vec<String> = ["the cat", "   ", "the cat sat on the mat", "mat", ""]
        .map(String::from)
        .to_vec();
    let got: Result<Vec<Vec<u32>>, Vec<(usize, RowError)>> = prepare_batch(&mixed, &vocab, 4);
    assert_eq!(
        got,
        Err(vec![
            (1, RowError::Empty),
            (2, RowError::TooLong { tokens: 6, max: 4 }),
            (4, RowError::Empty),
        ]),
        "prepare_batch should report every bad text with its index, in index order"
    );
}

#[test]
fn normalise_rows_gives_each_row_mean_zero_and_std_one_by_its_own_numbers() {
    let mut rows = vec![
        vec![1.0, 2.0, 3.0],
        vec![100.0, 200.0, 300.0],
        vec![-1.0, 1.0],
        vec![2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
    ];
    normalise_rows(&mut rows);
    let s = 1.5_f32.sqrt();
    assert!(
        close(&rows[0], &[-s, 0.0, s]) && close(&rows[1], &[-s, 0.0, s]),
        "[1, 2, 3] and [100, 200, 300] both become [-1.2247, 0, 1.2247] (each row by its own mean and population std, divided by n, not n - 1): got {:?} and {:?}",
        rows[0],
        rows[1]
    );
    assert!(close(&rows[2], &[-1.0, 1.0]), "[-1, 1] stays [-1, 1]: got {:?}", rows[2]);
    // mean 5, population std 2
    let want = [-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0];
    assert!(
        close(&rows[3], &want),
        "[2, 4, 4, 4, 5, 5, 7, 9] has mean 5 and population std 2, so it becomes {want:?}: got {:?}",
        rows[3]
    );
}

/// Whether every value of `row` is 0.0 (a NaN or a ±1 is not).
fn zeros(row: &[f32]) -> bool {
    row.iter().all(|&x| x == 0.0)
}

#[test]
fn a_constant_row_becomes_zeros_and_an_empty_row_stays_empty() {
    // Seven times 0.3 in f32 has a mean a hair off 0.3, so in f32 its
    // variance is about 1e-15, not 0: `== 0.0` on an f32 std misses it.
    let mut rows = vec![vec![3.5; 4], vec![0.3; 7]];
    normalise_rows(&mut rows);
    assert!(
        rows.iter().all(|row| zeros(row)),
        "a constant row has no spread: it should become all zeros, not NaN or noise; got {:?} and {:?}",
        rows[0],
        rows[1]
    );
    // Its mean is 0, so a threshold relative to the mean is 0 too: only
    // `std <= ..` counts a std of exactly 0 as constant (`<` divides 0 by 0).
    let mut rows = vec![vec![0.0_f32; 3]];
    normalise_rows(&mut rows);
    assert!(
        zeros(&rows[0]),
        "a row of zeros is constant too (its std is 0 and so is its mean): got {:?}",
        rows[0]
    );
    // Summed in f32, the mean of a constant row is off by about |x| * 2^-24
    // per addition, so its std grows with the values and the row's length,
    // far past a fixed 1e-6. Run through the old reference (f32 sums, `std <
    // 1e-6`), the first three rows and 16.02 and 123.456 came out as rows of
    // -1 (6.55 did not, on x86-64); f32 sums with a relative bound of 1e-6
    // still failed on 1000 times 0.1. Summed in f64, n equal
    // f32 values add exactly, so the variance is exactly 0. scikit-learn's
    // `_is_constant_feature` (sklearn/preprocessing/_data.py) does both: f64
    // accumulators and a bound relative to the mean.
    let big = [
        vec![1000.1_f32; 7],
        vec![1_000_000.1; 3],
        vec![12345.678; 10],
        vec![6.55; 15],
        vec![16.02; 6],
        vec![123.456; 101],
        vec![0.1; 1000],
        vec![-2.7e7; 33],
    ];
    let mut rows = big.to_vec();
    normalise_rows(&mut rows);
    for (row, given) in rows.iter().zip(&big) {
        assert!(
            zeros(row),
            "a constant row of large values or many values is constant too: {} times {} became {:?}",
            given.len(),
            given[0],
            &row[..row.len().min(4)]
        );
    }
    let mut rows = vec![Vec::new(), vec![0.0, 2.0]];
    normalise_rows(&mut rows);
    assert!(rows[0].is_empty(), "an empty row should stay empty: got {:?}", rows[0]);
    assert!(close(&rows[1], &[-1.0, 1.0]), "[0, 2] becomes [-1, 1]: got {:?}", rows[1]);
}

// Mutation testing: `std <= REL_STD * mean.abs()` turned into `std <=
// REL_STD / mean.abs()` or `REL_STD + mean.abs()` is caught by the rows of
// tiny values below; a row whose std sits exactly on the bound is equivalent.
#[test]
fn a_row_of_tiny_values_is_not_constant() {
    // Their spread is half their size: only a fixed threshold (1e-6) calls it
    // constant, and every embedding of small numbers would become zeros.
    let mut rows = vec![vec![1e-7_f32, 3e-7], vec![2e-9, 4e-9, 6e-9]];
    normalise_rows(&mut rows);
    let s = 1.5_f32.sqrt();
    assert!(
        close(&rows[0], &[-1.0, 1.0]) && close(&rows[1], &[-s, 0.0, s]),
        "a row of tiny values that differ by their own size is not constant: [1e-7, 3e-7] becomes [-1, 1] and [2e-9, 4e-9, 6e-9] becomes [-1.2247, 0, 1.2247]; got {:?} and {:?}",
        rows[0],
        rows[1]
    );
}

#[test]
fn normalise_rows_changes_every_row_of_a_large_batch() {
    let mut rows: Vec<Vec<f32>> = (0..2000u16)
        .map(|r| (0..16u16).map(|c| f32::from(r % 7 + c * (r % 5 + 1))).collect())
        .collect();
    normalise_rows(&mut rows);
    for (r, row) in rows.iter().enumerate() {
        let mean = row.iter().sum::<f32>() / 16.0;
        let std = (row.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / 16.0).sqrt();
        assert!(
            mean.abs() < 1e-4 && (std - 1.0).abs() < 1e-4,
            "row {r} of 2000 should have mean 0 and std 1 afterwards: mean {mean}, std {std}"
        );
    }
}
