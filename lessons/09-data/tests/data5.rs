use super::*;

// The numbers are small integers and halves, exact in f32, so sums compare
// exactly whatever order they are added in.

fn lcg(state: &mut u64) -> usize {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (*state >> 33) as usize
}

#[test]
fn triplets_in_any_order_become_rows_in_order() {
    // 3 × 4:
    // [0 2 0 1]
    // [0 0 0 0]
    // [5 0 3 0]
    let triplets = [(2, 2, 3.0), (0, 3, 1.0), (2, 0, 5.0), (0, 1, 2.0)];
    let m: Csr = Csr::from_triplets(3, 4, &triplets).expect("every triplet is inside 3 × 4");
    assert_eq!(
        m.row_starts,
        vec![0, 2, 2, 4],
        "row_starts should be [0, 2, 2, 4]: row 0 holds entries 0..2, row 1 none (2..2), row 2 entries 2..4"
    );
    assert_eq!(
        m.cols,
        vec![1, 3, 0, 2],
        "cols should list row 0's columns (1, 3), then row 2's (0, 2), ascending within each row"
    );
    assert_eq!(
        m.values,
        vec![2.0, 1.0, 5.0, 3.0],
        "values should follow cols: row 0's 2 and 1, then row 2's 5 and 3"
    );
    let nnz: usize = m.nnz();
    assert_eq!(nnz, 4, "4 entries are stored");
    assert_eq!(m.get(2, 0), 5.0, "get(2, 0) is 5");
    assert_eq!(m.get(0, 3), 1.0, "get(0, 3) is 1");
    assert_eq!(m.get(1, 1), 0.0, "get(1, 1) is not stored: 0");
    assert_eq!(m.get(0, 2), 0.0, "get(0, 2) is not stored: 0");
    assert_eq!(
        m.get(3, 0),
        0.0,
        "get(3, 0) of a matrix of 3 rows (0..3) is outside it: 0, not a panic"
    );
    assert_eq!(m.get(7, 0), 0.0, "get outside the matrix is 0, not a panic");
}

#[test]
fn duplicates_are_summed_into_one_entry() {
    let triplets = [
        (1, 1, 1.5),
        (0, 0, 1.0),
        (1, 1, 2.0),
        (1, 0, 4.0),
        (1, 1, -0.5),
    ];
    let m = Csr::from_triplets(2, 2, &triplets).expect("inside 2 × 2");
    assert_eq!(
        m.get(1, 1),
        3.0,
        "three triplets for (1, 1): 1.5 + 2 − 0.5 = 3"
    );
    assert_eq!(
        m.nnz(),
        3,
        "cells (0, 0), (1, 0) and (1, 1): the three triplets for (1, 1) become one entry"
    );
    assert_eq!(
        (m.row_starts.clone(), m.cols.clone()),
        (vec![0, 1, 3], vec![0, 0, 1]),
        "row 0 holds column 0, row 1 columns 0 and 1, each once"
    );
}

#[test]
fn mul_vec_agrees_with_the_dense_product() {
    let (rows, cols) = (50, 40);
    let mut state = 7;
    let mut dense = vec![vec![0.0f32; cols]; rows];
    let mut triplets = Vec::new();
    for _ in 0..300 {
        let r = lcg(&mut state) % rows;
        let c = lcg(&mut state) % cols;
        let v = (lcg(&mut state) % 9) as f32 - 4.0;
        dense[r][c] += v;
        triplets.push((r, c, v));
    }
    let x: Vec<f32> = (0..cols).map(|i| (i % 5) as f32 * 0.5).collect();
    let expected: Vec<f32> = dense
        .iter()
        .map(|row| row.iter().zip(&x).map(|(a, b)| a * b).sum())
        .collect();
    let m = Csr::from_triplets(rows, cols, &triplets).expect("inside 50 × 40");
    let got: Result<Vec<f32>, SparseError> = m.mul_vec(&x);
    assert_eq!(
        got,
        Ok(expected),
        "the product of 300 random triplets (duplicates included) with x should match the dense product"
    );
    let ones = vec![1.0; cols];
    let sums = m.mul_vec(&ones).expect("x has 40 values");
    let total: f32 = sums.iter().sum();
    let given: f32 = triplets.iter().map(|t| t.2).sum();
    assert_eq!(
        total, given,
        "multiplying by ones sums every stored value: it should equal the sum of all triplets"
    );
}

#[test]
fn memory_grows_with_the_non_zeros_not_the_shape() {
    let (rows, cols) = (100_000, 1_000_000);
    let triplets: Vec<(usize, usize, f32)> = (0..30)
        .map(|i| (i * 3331 % rows, i * 33_331 % cols, 1.0 + i as f32))
        .collect();
    let m = Csr::from_triplets(rows, cols, &triplets).expect("inside the shape");
    assert_eq!(m.nnz(), 30, "30 distinct cells, 30 entries");
    assert_eq!(
        m.row_starts.len(),
        rows + 1,
        "row_starts holds one offset per row, plus one: 100 001"
    );
    let held = m.cols.capacity() + m.values.capacity();
    assert!(
        held <= 2 * triplets.len(),
        "a 100 000 × 1 000 000 matrix of 30 entries holds room for {held} columns and values; it needs 30 of each"
    );
    assert_eq!(
        m.get(3331, 33_331),
        2.0,
        "the entry given as (3331, 33331, 2.0) should be found"
    );
    let x = vec![1.0; cols];
    let y = m.mul_vec(&x).expect("x has one value per column");
    assert_eq!(y.len(), rows, "the product has one value per row");
    assert_eq!(y[3331], 2.0, "row 3331 holds one entry, 2.0");
}

#[test]
fn a_triplet_outside_the_shape_is_refused_with_its_position() {
    let triplets = [(0, 0, 1.0), (1, 2, 1.0), (3, 0, 1.0), (0, 9, 1.0)];
    let got: Result<Csr, SparseError> = Csr::from_triplets(3, 3, &triplets);
    assert_eq!(
        got,
        Err(SparseError::OutOfRange {
            index: 2,
            row: 3,
            col: 0
        }),
        "in a 3 × 3 matrix, triplet 2 names row 3 (rows are 0..3) and triplet 3 column 9: report the FIRST, by its index in the input"
    );
    let col: Result<Csr, SparseError> = Csr::from_triplets(3, 3, &[(0, 3, 1.0)]);
    assert_eq!(
        col,
        Err(SparseError::OutOfRange {
            index: 0,
            row: 0,
            col: 3
        }),
        "column 3 is outside a matrix of 3 columns (0..3)"
    );
}

#[test]
fn a_vector_of_the_wrong_length_is_refused() {
    let m = Csr::from_triplets(2, 3, &[(0, 0, 1.0)]).expect("inside 2 × 3");
    let short: Result<Vec<f32>, SparseError> = m.mul_vec(&[1.0, 2.0]);
    assert_eq!(
        short,
        Err(SparseError::WrongLength { len: 2, cols: 3 }),
        "a matrix of 3 columns times a vector of 2 values is refused, not a panic"
    );
    let long: Result<Vec<f32>, SparseError> = m.mul_vec(&[1.0; 4]);
    assert_eq!(
        long,
        Err(SparseError::WrongLength { len: 4, cols: 3 }),
        "a vector of 4 values does not fit 3 columns either"
    );
    let empty = Csr::from_triplets(0, 0, &[]).expect("an empty matrix");
    assert_eq!(
        empty.mul_vec(&[]),
        Ok(vec![]),
        "a 0 × 0 matrix times an empty vector is an empty vector"
    );
}
