use super::*;

fn lcg(state: &mut u64) -> f32 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn new_keeps_the_buffer_and_computes_each_norm_once() {
    let vectors = vec![3.0, 4.0, 0.0, 0.0, 0.0, 1.0];
    let address = vectors.as_ptr();
    let index: Index = Index::new(2, vectors).expect("6 values are 3 rows of 2");
    assert!(
        std::ptr::eq(index.vectors.as_ptr(), address),
        "Index::new copied the embeddings (a second buffer of n × dim values); it owns the Vec: keep it"
    );
    assert_eq!(
        index.vectors,
        vec![3.0, 4.0, 0.0, 0.0, 0.0, 1.0],
        "the embeddings should be kept as given (normalising them in place loses their lengths)"
    );
    assert_eq!(
        index.norms,
        vec![5.0, 0.0, 1.0],
        "norms should hold each row's length: |(3, 4)| = 5, |(0, 0)| = 0, |(0, 1)| = 1"
    );
    let len: usize = index.len();
    assert_eq!(len, 3, "3 rows");
    let ragged: Result<Index, IndexError> = Index::new(4, vec![0.0; 6]);
    assert_eq!(
        ragged.err(),
        Some(IndexError::NotWholeRows { len: 6, dim: 4 }),
        "6 values are not whole rows of 4"
    );
    let zero: Result<Index, IndexError> = Index::new(0, vec![]);
    assert_eq!(zero.err(), Some(IndexError::ZeroDim), "dim 0 is refused");
}

#[test]
fn nearest_ranks_by_cosine_not_by_dot_product() {
    // Row 0 is long but 45° away; row 1 is short but nearly aligned.
    let index = Index::new(2, vec![10.0, 10.0, 1.0, 0.1, 0.0, 5.0]).expect("3 rows of 2");
    let got: Result<Vec<(usize, f32)>, IndexError> = index.nearest(&[2.0, 0.0], 3);
    let got = got.expect("a query of 2 values");
    let rows: Vec<usize> = got.iter().map(|&(row, _)| row).collect();
    assert_eq!(
        rows,
        vec![1, 0, 2],
        "against (2, 0), row 1 (1, 0.1) points almost the same way (cosine 0.995), row 0 (10, 10) is at 45° (0.707) and row 2 (0, 5) at 90° (0): ranked by dot product, the long row 0 would come first"
    );
    assert!(
        close(got[0].1, 1.0 / 1.01f32.sqrt())
            && close(got[1].1, 0.5f32.sqrt())
            && close(got[2].1, 0.0),
        "the similarities should be the cosines 0.995, 0.707 and 0: dot(row, query) / (|row| · |query|), got {got:?}"
    );
}

#[test]
fn nearest_reads_the_norms_computed_by_new() {
    let mut index = Index::new(2, vec![0.0, 2.0, 1.0, 0.0]).expect("2 rows of 2");
    // The test changes the stored norm of row 0 from 2 to 4: a query that
    // reads `self.norms` sees it, one that measures the row again does not.
    index.norms[0] = 4.0;
    let got = index.nearest(&[0.0, 3.0], 1).expect("a query of 2 values");
    assert_eq!(
        got.first().map(|&(row, _)| row),
        Some(0),
        "row 0 (0, 2) points along the query (0, 3); row 1 (1, 0) is at 90°"
    );
    assert!(
        !close(got[0].1, 1.0),
        "nearest measured each row's norm again on this query (row 0 came back with its true cosine, 1, where its stored norm gives 0.5): that is n · dim more multiplications on every query. `new` computed them once; divide by `self.norms[row]`"
    );
    assert!(
        close(got[0].1, 0.5),
        "with row 0's stored norm set to 4, its similarity is dot / (self.norms[0] · |query|) = 6 / (4 · 3) = 0.5, got {}",
        got[0].1
    );
}

#[test]
fn zero_rows_are_skipped_and_bad_queries_refused() {
    let index = Index::new(3, vec![0.0, 0.0, 0.0, 1.0, 2.0, 2.0, -1.0, 0.0, 0.0]).expect("3 rows");
    let got = index.nearest(&[1.0, 0.0, 0.0], 5).expect("a query of 3");
    assert!(
        got.iter().all(|&(_, s)| !s.is_nan()),
        "a row of zeros has no direction: its cosine is 0 / 0 = NaN. Skip rows whose norm is 0; got {got:?}"
    );
    let rows: Vec<usize> = got.iter().map(|&(row, _)| row).collect();
    assert_eq!(
        rows,
        vec![1, 2],
        "row 0 is all zeros and is skipped; row 1 (cosine 1/3) ranks above row 2 (cosine −1)"
    );
    let zero: Result<Vec<(usize, f32)>, IndexError> = index.nearest(&[0.0, 0.0, 0.0], 2);
    assert_eq!(
        zero,
        Err(IndexError::ZeroQuery),
        "a query of zeros has no direction: ZeroQuery, not NaN similarities"
    );
    let short = index.nearest(&[1.0, 0.0], 2);
    assert_eq!(
        short,
        Err(IndexError::WrongDim { len: 2, dim: 3 }),
        "a query of 2 values against rows of 3 is refused"
    );
}

#[test]
fn ties_rank_the_lower_row_first_and_k_limits_the_answer() {
    let index = Index::new(2, vec![1.0, 1.0, 0.0, 1.0, 2.0, 2.0, 1.0, 0.0]).expect("4 rows");
    let got = index.nearest(&[1.0, 1.0], 2).expect("a query of 2");
    let rows: Vec<usize> = got.iter().map(|&(row, _)| row).collect();
    assert_eq!(
        rows,
        vec![0, 2],
        "rows 0 (1, 1) and 2 (2, 2) both point exactly along (1, 1): equal cosines rank the lower row first"
    );
    let all = index.nearest(&[1.0, 1.0], 10).expect("a query of 2");
    assert_eq!(all.len(), 4, "k = 10 with 4 rows gives all 4");
    let none = index.nearest(&[1.0, 1.0], 0).expect("a query of 2");
    assert!(none.is_empty(), "k = 0 gives nothing");
}

#[test]
fn nearest_of_many_matches_a_brute_force_ranking() {
    let (n, dim) = (2000, 8);
    let mut state = 5;
    let vectors: Vec<f32> = (0..n * dim).map(|_| lcg(&mut state)).collect();
    let query: Vec<f32> = (0..dim).map(|_| lcg(&mut state)).collect();
    let qn = query.iter().map(|x| x * x).sum::<f32>().sqrt();
    let mut expected: Vec<(usize, f32)> = vectors
        .chunks_exact(dim)
        .enumerate()
        .map(|(i, row)| {
            let d: f32 = row.iter().zip(&query).map(|(a, b)| a * b).sum();
            let rn = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            (i, d / (rn * qn))
        })
        .collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    expected.truncate(10);
    let index = Index::new(dim, vectors).expect("2 000 rows of 8");
    let got = index.nearest(&query, 10).expect("a query of 8");
    let got_rows: Vec<usize> = got.iter().map(|&(row, _)| row).collect();
    let expected_rows: Vec<usize> = expected.iter().map(|&(row, _)| row).collect();
    assert_eq!(
        got_rows, expected_rows,
        "the 10 nearest of 2 000 rows, best first, should be those a full ranking by cosine puts first"
    );
    for (g, e) in got.iter().zip(&expected) {
        assert!(
            close(g.1, e.1),
            "row {} should have cosine {}, got {}",
            e.0,
            e.1,
            g.1
        );
    }
}
