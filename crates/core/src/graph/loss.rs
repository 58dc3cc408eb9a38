//! Training losses a test prints, one line a step, for the loss chart:
//!
//! ```text
//! tensorlings:loss <step> <value>
//! ```

use super::reader::Reader;

/// Reads `loss` lines; one that does not parse is left out.
#[derive(Debug, Default)]
pub struct LossReader {
    series: Vec<(u64, f64)>,
}

impl Reader for LossReader {
    const WORDS: &'static [&'static str] = &["loss"];
    type Output = Vec<(u64, f64)>;

    fn line(&mut self, _word: &str, rest: &str) {
        let point = rest
            .split_once(' ')
            .and_then(|(step, value)| Some((step.parse().ok()?, value.trim().parse().ok()?)));
        self.series.extend(point);
    }

    fn finish(self) -> Vec<(u64, f64)> {
        self.series
    }
}

#[cfg(test)]
mod tests {
    use super::super::reader::read_only;
    use super::LossReader;

    #[test]
    fn steps_and_values_in_order_and_junk_left_out() {
        let losses = read_only::<LossReader>(
            "tensorlings:loss 0 2.5\ntensorlings:loss x 1\ntensorlings:loss 1\n\
             tensorlings:loss 2   0.25\ntensorlings:loss 3 NaN\n",
        );
        assert_eq!(losses[..2], [(0, 2.5), (2, 0.25)]);
        assert!(losses[2].1.is_nan() && losses.len() == 3);
    }
}
