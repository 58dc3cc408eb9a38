use super::*;

fn grid(rows: usize, width: usize) -> Vec<Vec<f32>> {
    (0..rows)
        .map(|r| (0..width).map(|c| (r * 10 + c) as f32).collect())
        .collect()
}

#[test]
fn rows_are_laid_out_one_after_another_in_one_buffer() {
    let rows = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]];
    let batch: Batch = Batch::from_rows(3, &rows).expect("two rows of 3 make a batch");
    assert_eq!(
        batch.values,
        vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "the buffer should hold row 0, then row 1"
    );
    assert_eq!(batch.len(), 2, "two rows");
    let big = grid(1000, 3);
    let batch = Batch::from_rows(3, &big).expect("1 000 rows of 3 make a batch");
    let capacity = batch.values.capacity();
    assert!(
        capacity == 3000,
        "from_rows of 1 000 rows × 3 features left a buffer with room for {capacity} values: it grew while it was filled, one reallocation and copy each time it doubled. The size is known up front: `Vec::with_capacity(rows.len() * width)` allocates once, exactly 3 000"
    );
    assert_eq!(batch.values.len(), 3000, "1 000 rows × 3 features");
    assert_eq!(
        &batch.values[2997..],
        &[9990.0, 9991.0, 9992.0],
        "the last row should be last in the buffer"
    );
    let empty = Batch::from_rows(4, &[]).expect("no rows is an empty batch");
    assert!(empty.is_empty(), "no rows, an empty batch");
}

#[test]
fn a_row_of_the_wrong_length_is_reported_by_its_index() {
    let mut rows = grid(6, 4);
    rows[3].pop();
    rows[5].push(1.0);
    let got: Result<Batch, BatchError> = Batch::from_rows(4, &rows);
    assert_eq!(
        got,
        Err(BatchError::RowLength {
            index: 3,
            len: 3,
            width: 4
        }),
        "row 3 has 3 values where the batch has 4 features (and row 5 has 5): report the FIRST bad row, by its index"
    );
    let zero: Result<Batch, BatchError> = Batch::from_rows(0, &[vec![], vec![]]);
    assert_eq!(
        zero,
        Err(BatchError::ZeroWidth),
        "a batch of width 0 is refused: `chunks_exact(0)` would panic"
    );
}

#[test]
fn from_flat_takes_the_buffer_without_copying() {
    let values: Vec<f32> = (0..12).map(|v| v as f32).collect();
    let address = values.as_ptr();
    let batch: Batch = Batch::from_flat(4, values).expect("12 values are 3 rows of 4");
    assert!(
        std::ptr::eq(batch.values.as_ptr(), address),
        "from_flat copied the buffer it was given (a second allocation of the same 12 values); it owns the Vec: keep it as it is"
    );
    assert_eq!(batch.len(), 3, "12 values of width 4 are 3 rows");
    let ragged: Result<Batch, BatchError> = Batch::from_flat(5, vec![0.0; 12]);
    assert_eq!(
        ragged,
        Err(BatchError::NotWholeRows { len: 12, width: 5 }),
        "12 values are not whole rows of 5"
    );
    let zero: Result<Batch, BatchError> = Batch::from_flat(0, vec![]);
    assert_eq!(zero, Err(BatchError::ZeroWidth), "width 0 is refused");
}

#[test]
fn rows_are_views_into_the_buffer() {
    let batch = Batch::from_rows(3, &grid(4, 3)).expect("4 rows of 3");
    let second: Option<&[f32]> = batch.row(1);
    assert_eq!(
        second,
        Some(&[10.0, 11.0, 12.0][..]),
        "row(1) is the second row"
    );
    let last: Option<&[f32]> = batch.row(3);
    assert_eq!(
        last,
        Some(&[30.0, 31.0, 32.0][..]),
        "row(3) is the last row"
    );
    assert!(
        batch.row(4).is_none(),
        "row(4) of 4 rows should be None, not a panic"
    );
    assert!(
        batch.row(usize::MAX).is_none(),
        "row(usize::MAX) should be None, not a panic or an overflow"
    );
    let rows: Vec<&[f32]> = batch.rows().collect();
    assert_eq!(rows.len(), 4, "rows() should give 4 rows");
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 3, "each row has 3 features");
        assert_eq!(row[0], (r * 10) as f32, "rows() should give rows in order");
    }
    assert!(
        std::ptr::eq(rows[2].as_ptr(), batch.values[6..].as_ptr()),
        "rows() should borrow each row from the buffer, not copy it"
    );
}

#[test]
fn a_column_is_read_in_place_with_a_stride() {
    let batch = Batch::from_rows(3, &grid(4, 3)).expect("4 rows of 3");
    let col: Vec<f32> = batch.column(1).collect();
    assert_eq!(
        col,
        vec![1.0, 11.0, 21.0, 31.0],
        "column 1 is the second value of every row: every 3rd value from index 1"
    );
    let last: Vec<f32> = batch.column(2).collect();
    assert_eq!(last, vec![2.0, 12.0, 22.0, 32.0], "column 2 of each row");
    let outside: Vec<f32> = batch.column(3).collect();
    assert!(
        outside.is_empty(),
        "a batch of width 3 has no column 3: it should be empty, not the next row's first value"
    );
}

#[test]
fn column_stats_give_each_columns_mean_and_population_std() {
    let rows = vec![
        vec![1.0, 10.0, 5.0],
        vec![3.0, 10.0, 5.0],
        vec![5.0, 10.0, 5.0],
        vec![7.0, 10.0, 5.0],
    ];
    let batch = Batch::from_rows(3, &rows).expect("4 rows of 3");
    let stats: Vec<ColumnStats> = batch.column_stats();
    assert_eq!(stats.len(), 3, "one ColumnStats per column");
    assert!(
        (stats[0].mean - 4.0).abs() < 1e-6,
        "column 0 is 1, 3, 5, 7: mean 4, got {}",
        stats[0].mean
    );
    assert!(
        (stats[0].std - 5.0f32.sqrt()).abs() < 1e-5,
        "column 0 is 1, 3, 5, 7: population std is √((9 + 1 + 1 + 9) / 4) = √5 ≈ 2.236 (divide by n, not n − 1), got {}",
        stats[0].std
    );
    assert!(
        (stats[1].mean - 10.0).abs() < 1e-6 && stats[1].std.abs() < 1e-6,
        "column 1 is all 10: mean 10, std 0, got {:?}",
        stats[1]
    );
    assert!(
        (stats[2].mean - 5.0).abs() < 1e-6 && stats[2].std.abs() < 1e-6,
        "column 2 is all 5: mean 5, std 0, got {:?}",
        stats[2]
    );
    // Large values with a small spread: a sum of squares minus the squared
    // mean loses every digit of the spread; distances from the mean keep it.
    let offset = vec![
        vec![100_000.0],
        vec![100_001.0],
        vec![100_002.0],
        vec![100_003.0],
    ];
    let stats = Batch::from_rows(1, &offset)
        .expect("4 rows of 1")
        .column_stats();
    assert!(
        (stats[0].std - 1.25f32.sqrt()).abs() < 1e-3,
        "100 000, 100 001, 100 002, 100 003 have population std √1.25 ≈ 1.118, got {}: in f32 a sum of squares minus the squared mean loses the whole spread. Subtract the mean first, then square (and sum in f64)",
        stats[0].std
    );
    let empty = Batch::from_rows(2, &[]).expect("an empty batch");
    assert!(
        empty.column_stats().is_empty(),
        "an empty batch has no column statistics (no NaN from dividing by 0 rows)"
    );
}
