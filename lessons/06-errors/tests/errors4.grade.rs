// Run only by `tensorlings grade`, beside errors4.rs (whose helpers, such as
// `ms`, are in scope): the same rules on inputs the learner never saw, so
// code written to the checked numbers alone does not pass.
use super::*;

#[test]
fn an_odd_base_doubles_exactly_up_to_its_cap() {
    let odd = Backoff {
        base: ms(300),
        cap: ms(5_000),
    };
    for (retry, expected) in [
        (0, ms(300)),
        (1, ms(600)),
        (3, ms(2_400)),
        (4, ms(4_800)),
        (5, ms(5_000)),
        (40, ms(5_000)),
    ] {
        let got: Duration = odd.ceiling(retry);
        assert_eq!(
            got, expected,
            "with base 300ms and cap 5s, ceiling({retry}) should be {expected:?}"
        );
    }
}

#[test]
fn a_base_above_the_cap_is_cut_to_the_cap() {
    let odd = Backoff {
        base: Duration::from_secs(20),
        cap: Duration::from_secs(10),
    };
    for retry in [0, 1, 7] {
        let got: Duration = odd.ceiling(retry);
        assert_eq!(
            got,
            Duration::from_secs(10),
            "with base 20s and cap 10s, ceiling({retry}) should be the cap"
        );
        let mut all = Scripted::new(Share::All);
        let got: Duration = odd.full_jitter(retry, &mut all);
        assert!(
            got <= odd.cap,
            "full jitter with base 20s and cap 10s gave {got:?}, past the cap"
        );
    }
}
