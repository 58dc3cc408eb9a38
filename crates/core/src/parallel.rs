//! Running independent checks a few at a time, keeping results in order.

use std::sync::{Mutex, PoisonError};

/// Applies `work` to every item on up to `jobs` threads, calls `on_done` as
/// each result arrives (in completion order), and returns results in item order.
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: &(dyn Fn(&T) -> R + Sync),
    on_done: &(dyn Fn(&R) + Sync),
) -> Vec<R> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut next = next.lock().unwrap_or_else(PoisonError::into_inner);
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(item) = items.get(index) else { break };
                    let result = work(item);
                    on_done(&result);
                    results.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order_whatever_the_finish_order() {
        let items: Vec<u64> = (0..20).collect();
        let seen = Mutex::new(Vec::new());
        let out = map_in_order(
            &items,
            4,
            &|n| {
                std::thread::sleep(std::time::Duration::from_millis((20 - n) % 7));
                n * 2
            },
            &|r| seen.lock().unwrap().push(*r),
        );
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(seen.lock().unwrap().len(), 20);
    }
}
