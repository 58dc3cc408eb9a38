use super::*;
use std::time::{Duration, Instant};

// The batcher never reads the clock: each test makes up its own instants,
// so every outcome is exact.

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn us(n: u64) -> Duration {
    Duration::from_micros(n)
}

#[test]
fn a_batch_goes_out_as_soon_as_it_holds_max_items() {
    let t0 = Instant::now();
    let mut batcher = Batcher::new(3, ms(10));
    let first: Option<Vec<&str>> = batcher.push("a", t0);
    assert_eq!(first, None, "one item of a batch of 3 should wait");
    let second: Option<Vec<&str>> = batcher.push("b", t0);
    assert_eq!(second, None, "two items of a batch of 3 should wait");
    let third: Option<Vec<&str>> = batcher.push("c", t0);
    assert_eq!(
        third.as_ref().map(Vec::len),
        Some(3),
        "the third item fills a batch of 3: push should return all of it at once"
    );
    assert_eq!(
        third,
        Some(vec!["a", "b", "c"]),
        "the batch should hold the items in arrival order"
    );
    let left: usize = batcher.len();
    assert_eq!(left, 0, "a released batch should leave nothing pending");
    let deadline: Option<Instant> = batcher.deadline();
    assert_eq!(
        deadline, None,
        "after a full batch went out nothing waits, so there is no deadline"
    );
}

#[test]
fn items_leave_in_the_order_they_arrived() {
    let t0 = Instant::now();
    let mut batcher = Batcher::new(4, ms(10));
    let mut released: Vec<Vec<u32>> = Vec::new();
    for (n, at) in (1..=6).zip(0..) {
        if let Some(batch) = batcher.push(n, t0 + ms(at)) {
            released.push(batch);
        }
    }
    if let Some(batch) = batcher.poll(t0 + ms(60)) {
        released.push(batch);
    }
    let sizes: Vec<usize> = released.iter().map(Vec::len).collect();
    assert_eq!(
        sizes,
        vec![4, 2],
        "a batch of 4 should go out as its 4th item arrives, and the other 2 at their deadline"
    );
    assert_eq!(
        released,
        vec![vec![1, 2, 3, 4], vec![5, 6]],
        "the batches should hold the items in arrival order"
    );
}

#[test]
fn the_deadline_is_max_wait_after_the_oldest_waiting_item() {
    let t0 = Instant::now();
    let mut batcher = Batcher::new(10, ms(10));
    let none: Option<Instant> = batcher.deadline();
    assert_eq!(none, None, "an empty batcher has no deadline");
    assert_eq!(batcher.push('x', t0), None);
    assert_eq!(
        batcher.deadline(),
        Some(t0 + ms(10)),
        "one item arrived at t0: the deadline is t0 + max_wait"
    );
    for later in [4, 9] {
        assert_eq!(batcher.push('y', t0 + ms(later)), None);
        let got = batcher.deadline();
        assert_ne!(
            got,
            Some(t0 + ms(later + 10)),
            "the deadline moved to max_wait after the newest item (t0 + {later} ms + 10 ms); it belongs to the oldest, or steady traffic postpones it forever"
        );
        assert_eq!(
            got,
            Some(t0 + ms(10)),
            "with items from t0 to t0 + {later} ms waiting, the deadline is still t0 + 10 ms"
        );
    }
}

#[test]
fn poll_releases_a_partial_batch_once_its_deadline_has_come() {
    let t0 = Instant::now();
    let mut batcher = Batcher::new(8, ms(10));
    assert_eq!(batcher.push(1, t0), None);
    assert_eq!(batcher.push(2, t0 + ms(3)), None);
    assert_ne!(
        batcher.deadline(),
        Some(t0 + ms(13)),
        "the deadline moved to max_wait after the newest item (t0 + 3 ms + 10 ms); it belongs to the oldest"
    );
    let early: Option<Vec<i32>> = batcher.poll(t0 + ms(10) - us(1));
    assert_eq!(
        early, None,
        "1 µs before the deadline the batch should still wait"
    );
    assert_eq!(batcher.len(), 2, "polling too early should keep both items");
    let due: Option<Vec<i32>> = batcher.poll(t0 + ms(10));
    assert_eq!(
        due.as_ref().map(Vec::len),
        Some(2),
        "at exactly its deadline the batch should go out (now >= deadline)"
    );
    assert_eq!(
        due,
        Some(vec![1, 2]),
        "the batch should hold the items in arrival order"
    );
    let again: Option<Vec<i32>> = batcher.poll(t0 + ms(50));
    assert_eq!(
        again, None,
        "with nothing pending, poll released an empty batch; it should return None"
    );
    assert_eq!(
        batcher.deadline(),
        None,
        "after the batch went out nothing waits, so there is no deadline"
    );
}

#[test]
fn flush_hands_over_what_is_pending_and_never_an_empty_batch() {
    let t0 = Instant::now();
    let mut batcher: Batcher<String> = Batcher::new(5, ms(10));
    let nothing: Option<Vec<String>> = batcher.flush();
    assert_eq!(
        nothing, None,
        "flushing an empty batcher released an empty batch; it should return None"
    );
    assert_eq!(batcher.push("p".to_owned(), t0), None);
    assert_eq!(batcher.push("q".to_owned(), t0), None);
    let flushed: Option<Vec<String>> = batcher.flush();
    assert_eq!(
        flushed,
        Some(vec!["p".to_owned(), "q".to_owned()]),
        "flush should hand over every pending item, before any deadline"
    );
    assert!(batcher.is_empty(), "a flushed batcher should hold nothing");
    assert_eq!(
        batcher.deadline(),
        None,
        "after a flush nothing waits, so there is no deadline"
    );
    assert_eq!(
        batcher.flush(),
        None,
        "a second flush has nothing to hand over and should return None"
    );
}

#[test]
fn every_batch_starts_its_own_clock() {
    let t0 = Instant::now();
    let mut batcher = Batcher::new(2, ms(10));

    // Released by size, then a new item much later.
    assert_eq!(batcher.push(1, t0), None);
    let full = batcher.push(2, t0 + ms(5));
    assert_eq!(
        full.as_ref().map(Vec::len),
        Some(2),
        "the second item fills a batch of 2: push should return all of it at once"
    );
    assert_eq!(
        full,
        Some(vec![1, 2]),
        "the batch should hold the items in arrival order"
    );
    assert_eq!(batcher.push(3, t0 + ms(20)), None);
    assert_eq!(
        batcher.deadline(),
        Some(t0 + ms(30)),
        "item 3 arrived at t0 + 20 ms into an empty batcher, so its batch is due at t0 + 30 ms, not on the previous batch's clock"
    );
    assert_eq!(
        batcher.poll(t0 + ms(25)),
        None,
        "at t0 + 25 ms item 3 has waited only 5 ms of its 10; it was released on the previous batch's clock"
    );

    // Released by deadline, then a new item.
    assert_eq!(
        batcher.poll(t0 + ms(30)),
        Some(vec![3]),
        "at exactly its deadline the batch should go out (now >= deadline)"
    );
    assert_eq!(batcher.push(4, t0 + ms(100)), None);
    assert_eq!(
        batcher.deadline(),
        Some(t0 + ms(110)),
        "after a release by deadline, item 4 (t0 + 100 ms) starts a new clock, due at t0 + 110 ms: not on the previous batch's clock"
    );

    // Released by flush, then a new item.
    assert_eq!(
        batcher.flush(),
        Some(vec![4]),
        "flush should hand over every pending item, before any deadline"
    );
    assert_eq!(batcher.push(5, t0 + ms(200)), None);
    assert_eq!(
        batcher.deadline(),
        Some(t0 + ms(210)),
        "after a flush, item 5 (t0 + 200 ms) starts a new clock, due at t0 + 210 ms: not on the previous batch's clock"
    );
}
