use super::*;

/// Builds a file by hand, so the tests can lie in the header.
fn raw(magic: &[u8; 4], version: u32, rows: u32, cols: u32, values: &[f32]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&cols.to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

const ROOMY: usize = 1 << 20;

#[test]
fn a_well_formed_file_parses_into_the_right_matrix() {
    let values = [1.0, -2.5, 3.25, 0.0, 1e-3, -7.0];
    let w = parse_weights(&raw(&MAGIC, VERSION, 2, 3, &values), ROOMY).expect("valid file");
    assert_eq!(
        (w.rows, w.cols),
        (2, 3),
        "rows and cols come from the header"
    );
    assert_eq!(
        w.data,
        values.to_vec(),
        "values are little-endian f32, row after row"
    );

    let w = parse_weights(&raw(&MAGIC, VERSION, 3, 1, &[4.0, 5.0, 6.0]), ROOMY).expect("valid");
    assert_eq!((w.rows, w.cols, w.data), (3, 1, vec![4.0, 5.0, 6.0]));
}

#[test]
fn encode_then_parse_gives_back_the_same_weights() {
    for (rows, cols) in [(1, 1), (4, 5), (17, 3)] {
        #[allow(clippy::cast_precision_loss)]
        let data = (0..rows * cols).map(|i| i as f32 * 0.5 - 3.0).collect();
        let w = Weights { rows, cols, data };
        assert_eq!(parse_weights(&encode_weights(&w), ROOMY).as_ref(), Ok(&w));
    }
}

#[test]
fn short_files_are_a_truncated_header_not_a_panic() {
    let good = raw(&MAGIC, VERSION, 1, 1, &[1.0]);
    for len in [0, 1, 3, 4, 8, 15] {
        assert_eq!(
            parse_weights(&good[..len], ROOMY),
            Err(WeightsError::TruncatedHeader { got: len }),
            "a {len}-byte file cannot hold a {HEADER_LEN}-byte header"
        );
    }
}

#[test]
fn wrong_magic_and_unknown_version_are_rejected() {
    let pickle_like = raw(b"\x80\x04\x95\x00", VERSION, 1, 1, &[1.0]);
    assert_eq!(
        parse_weights(&pickle_like, ROOMY),
        Err(WeightsError::BadMagic(*b"\x80\x04\x95\x00"))
    );
    for version in [0, 2, u32::MAX] {
        assert_eq!(
            parse_weights(&raw(&MAGIC, version, 1, 1, &[1.0]), ROOMY),
            Err(WeightsError::UnsupportedVersion(version)),
            "only version {VERSION} is understood"
        );
    }
}

#[test]
fn zero_rows_or_cols_is_an_empty_shape() {
    for (rows, cols) in [(0, 3), (3, 0), (0, 0)] {
        assert_eq!(
            parse_weights(&raw(&MAGIC, VERSION, rows, cols, &[]), ROOMY),
            Err(WeightsError::EmptyShape { rows, cols })
        );
    }
}

#[test]
fn shapes_over_the_limit_are_too_large_before_reading_data() {
    // 1000 x 1000 declared, limit 999_999 elements, and no data at all.
    assert_eq!(
        parse_weights(&raw(&MAGIC, VERSION, 1000, 1000, &[]), 999_999),
        Err(WeightsError::TooLarge {
            rows: 1000,
            cols: 1000,
            limit: 999_999
        }),
        "the limit is checked before the data length"
    );
    // Exactly at the limit is fine.
    let ok = raw(&MAGIC, VERSION, 2, 2, &[1.0, 2.0, 3.0, 4.0]);
    assert!(
        parse_weights(&ok, 4).is_ok(),
        "rows * cols == limit is allowed"
    );
    assert_eq!(
        parse_weights(&ok, 3),
        Err(WeightsError::TooLarge {
            rows: 2,
            cols: 2,
            limit: 3
        })
    );
}

#[test]
fn huge_declared_sizes_with_no_data_do_not_allocate() {
    // 2^30 x 2^30 f32 would be 4 EiB. Allocating first would abort the process.
    let hostile = raw(&MAGIC, VERSION, 1 << 30, 1 << 30, &[1.0, 2.0]);
    assert_eq!(
        parse_weights(&hostile, usize::MAX),
        Err(WeightsError::TruncatedData {
            expected: 1 << 62,
            got: 8
        }),
        "compare the promised length with the bytes you have before allocating"
    );
}

#[test]
fn byte_counts_that_overflow_usize_are_too_large_not_a_panic() {
    // u32::MAX * u32::MAX elements fits in a u64, but * 4 bytes does not.
    let hostile = raw(&MAGIC, VERSION, u32::MAX, u32::MAX, &[]);
    assert_eq!(
        parse_weights(&hostile, usize::MAX),
        Err(WeightsError::TooLarge {
            rows: u32::MAX,
            cols: u32::MAX,
            limit: usize::MAX
        }),
        "use checked_mul: a wrapped byte count could match a tiny file"
    );
    // 2^31 x 2^31 * 4 wraps to exactly 0: a wrapping loader would accept an empty body.
    let wraps_to_zero = raw(&MAGIC, VERSION, 1 << 31, 1 << 31, &[]);
    assert!(
        matches!(
            parse_weights(&wraps_to_zero, usize::MAX),
            Err(WeightsError::TooLarge { .. })
        ),
        "a byte count that wraps around must be rejected"
    );
}

#[test]
fn a_short_data_section_is_truncated_data() {
    let mut bytes = raw(&MAGIC, VERSION, 2, 2, &[1.0, 2.0, 3.0, 4.0]);
    bytes.truncate(bytes.len() - 1);
    assert_eq!(
        parse_weights(&bytes, ROOMY),
        Err(WeightsError::TruncatedData {
            expected: 16,
            got: 15
        })
    );
    assert_eq!(
        parse_weights(&raw(&MAGIC, VERSION, 3, 2, &[1.0]), ROOMY),
        Err(WeightsError::TruncatedData {
            expected: 24,
            got: 4
        })
    );
}

#[test]
fn bytes_after_the_data_are_trailing_garbage() {
    let mut bytes = raw(&MAGIC, VERSION, 1, 2, &[1.0, 2.0]);
    bytes.extend_from_slice(b"rm -rf /");
    assert_eq!(
        parse_weights(&bytes, ROOMY),
        Err(WeightsError::TrailingBytes { extra: 8 })
    );
    bytes.truncate(HEADER_LEN + 8 + 1);
    assert_eq!(
        parse_weights(&bytes, ROOMY),
        Err(WeightsError::TrailingBytes { extra: 1 })
    );
}

#[test]
fn nan_and_infinity_are_rejected_with_their_index() {
    let bytes = raw(&MAGIC, VERSION, 2, 2, &[1.0, 2.0, f32::NAN, 4.0]);
    let got: Result<Weights, WeightsError> = parse_weights(&bytes, ROOMY);
    assert_eq!(
        got,
        Err(WeightsError::NonFinite { index: 2 }),
        "a NaN at element 2 is NonFinite {{ index: 2 }}"
    );
    for (bad, name) in [(f32::NEG_INFINITY, "-inf"), (f32::INFINITY, "+inf")] {
        let bytes = raw(&MAGIC, VERSION, 1, 3, &[bad, 0.0, 0.0]);
        let got: Result<Weights, WeightsError> = parse_weights(&bytes, ROOMY);
        if matches!(got, Ok(_)) {
            panic!("an infinity ({name}) at element 0 was accepted: infinities are not finite either");
        }
        assert_eq!(
            got,
            Err(WeightsError::NonFinite { index: 0 }),
            "{name} at element 0 is NonFinite {{ index: 0 }}"
        );
    }
}

#[test]
fn every_prefix_of_a_valid_file_is_an_error_not_a_panic() {
    let good = raw(&MAGIC, VERSION, 3, 3, &[0.5; 9]);
    for len in 0..good.len() {
        let got = std::panic::catch_unwind(|| parse_weights(&good[..len], ROOMY));
        assert!(
            matches!(got, Ok(Err(_))),
            "a {len}-byte prefix must give Err, got {got:?}"
        );
    }
}
