//! Associated types and consts: a trait that states its own shapes.

/// A predictor says what it reads and what it returns, as types.
pub trait Predictor {
    /// What one prediction reads: a feature array, a score, a token...
    type Input;
    /// What one prediction returns: a number, a label...
    type Output;
    /// The model family, known from the type alone (no instance needed).
    const NAME: &'static str;

    fn predict(&self, input: &Self::Input) -> Self::Output;

    /// One output per input, in order.
    fn predict_all(&self, inputs: &[Self::Input]) -> Vec<Self::Output> {
        inputs.iter().map(|input| self.predict(input)).collect()
    }
}

/// y = weights · x + bias, over exactly `N` features. A row with the wrong
/// number of features is a type error, not a run-time surprise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearRegressor<const N: usize> {
    pub weights: [f64; N],
    pub bias: f64,
}

/// Turns a score into a yes/no decision: yes when score >= threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdClassifier {
    pub threshold: f64,
}

/// Two predictors in a row: the first one's output is the second one's input.
/// `B: Predictor<Input = A::Output>` makes a chain whose types do not fit a
/// compile error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chain<A, B> {
    pub first: A,
    pub second: B,
}

impl<const N: usize> Predictor for LinearRegressor<N> {
    type Input = [f64; N];
    type Output = f64;
    const NAME: &'static str = "linear";

    fn predict(&self, input: &[f64; N]) -> f64 {
        self.weights.iter().zip(input).map(|(w, x)| w * x).sum::<f64>() + self.bias
    }
}

impl Predictor for ThresholdClassifier {
    type Input = f64;
    type Output = bool;
    const NAME: &'static str = "threshold";

    fn predict(&self, score: &f64) -> bool {
        *score >= self.threshold
    }
}

impl<A, B> Predictor for Chain<A, B>
where
    A: Predictor,
    B: Predictor<Input = A::Output>,
{
    type Input = A::Input;
    type Output = B::Output;
    const NAME: &'static str = "chain";

    fn predict(&self, input: &A::Input) -> B::Output {
        self.second.predict(&self.first.predict(input))
    }
}

/// The key a metric is logged under: `"<NAME>/<metric>"`, e.g.
/// `metric_key::<ThresholdClassifier>("accuracy")` is `"threshold/accuracy"`.
#[must_use]
pub fn metric_key<P: Predictor>(metric: &str) -> String {
    format!("{}/{metric}", P::NAME)
}

/// The fraction of inputs whose prediction equals the expected output.
///
/// `None` when there are no inputs, or when `inputs` and `expected` differ
/// in length.
#[must_use]
pub fn accuracy<P>(model: &P, inputs: &[P::Input], expected: &[P::Output]) -> Option<f64>
where
    P: Predictor,
    P::Output: PartialEq,
{
    if inputs.is_empty() || inputs.len() != expected.len() {
        return None;
    }
    let correct = inputs
        .iter()
        .zip(expected)
        .filter(|(input, want)| model.predict(input) == **want)
        .count();
    #[allow(clippy::cast_precision_loss)]
    Some(correct as f64 / inputs.len() as f64)
}
