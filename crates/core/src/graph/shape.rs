//! Shapes of ONNX tensors: dimensions that are sizes or names, and the
//! shape rules of the operators the runner knows (what `Gemm` of two
//! shapes gives, or why it cannot).

use std::collections::BTreeMap;
use std::fmt;

use super::protocol::clean;

/// One dimension of a tensor's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dim {
    /// A fixed size.
    Size(u64),
    /// A named size (`batch`), fixed only when the model runs.
    Named(String),
}

impl Dim {
    /// A dimension as a test writes it: a number is a size, anything else
    /// a name.
    pub fn parse(text: &str) -> Dim {
        text.parse()
            .map_or_else(|_| Dim::Named(clean(text)), Dim::Size)
    }

    /// Whether two dims can be the same size: equal, or either is named.
    pub fn fits(&self, other: &Dim) -> bool {
        match (self, other) {
            (Dim::Size(a), Dim::Size(b)) => a == b,
            _ => true,
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Size(size) => write!(f, "{size}"),
            Dim::Named(name) => f.write_str(name),
        }
    }
}

/// A tensor's dimensions, outermost first.
pub type Shape = Vec<Dim>;

/// A shape written for people: `batch×4`, or `scalar`.
pub fn shape_text<D: fmt::Display>(shape: &[D]) -> String {
    if shape.is_empty() {
        "scalar".to_owned()
    } else {
        shape
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("×")
    }
}

/// A shape as a test writes it: `batchx3`; `-` or `scalar` for none, `?`
/// (or nothing) for unknown.
pub fn parse_shape(text: &str) -> Option<Shape> {
    match text {
        "" | "?" => None,
        "-" | "scalar" => Some(Vec::new()),
        _ => Some(text.split('x').map(Dim::parse).collect()),
    }
}

/// Whether two shapes can be the same.
pub fn same_shape(a: &[Dim], b: &[Dim]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.fits(y))
}

/// The shape rule of an operator type, for those the runner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The output has the input's shape (`Relu`, `Softmax`, …).
    Same,
    /// A matrix product.
    MatMul,
    /// A matrix product with optional transposes and a bias.
    Gemm,
    /// Elementwise on two inputs that broadcast (`Add`, `Mul`, …).
    Broadcast,
    /// Not checked.
    Unknown,
}

impl Rule {
    fn of(op: &str) -> Rule {
        match op {
            "Relu" | "Sigmoid" | "Tanh" | "Softmax" | "Identity" => Rule::Same,
            "MatMul" => Rule::MatMul,
            "Gemm" => Rule::Gemm,
            "Add" | "Sub" | "Mul" | "Div" => Rule::Broadcast,
            _ => Rule::Unknown,
        }
    }
}

/// The output shape of the operators whose rule the runner knows; an
/// error says why the inputs do not fit.
pub fn infer(
    op: &str,
    inputs: &[Option<&Shape>],
    attrs: &BTreeMap<String, String>,
) -> Result<Option<Shape>, String> {
    match (Rule::of(op), inputs) {
        (Rule::Same, [Some(x)]) => Ok(Some((*x).clone())),
        (Rule::MatMul, [Some(a), Some(b)]) if a.len() == 2 && b.len() == 2 => {
            if a[1].fits(&b[0]) {
                Ok(Some(vec![a[0].clone(), b[1].clone()]))
            } else {
                Err(format!(
                    "MatMul of {} by {}: the inner sizes {} and {} differ",
                    shape_text(a),
                    shape_text(b),
                    a[1],
                    b[0]
                ))
            }
        }
        (Rule::Gemm, [Some(a), Some(b), rest @ ..]) if a.len() == 2 && b.len() == 2 => {
            gemm(a, b, rest, attrs).map(Some)
        }
        (Rule::Broadcast, [Some(a), Some(b)]) => match broadcast(a, b) {
            Some(shape) => Ok(Some(shape)),
            None => Err(format!(
                "{op} of {} and {}: the shapes do not broadcast",
                shape_text(a),
                shape_text(b)
            )),
        },
        _ => Ok(None),
    }
}

/// `Gemm`'s output: `a` by `b`, each transposed if its flag says so, plus
/// a bias that must broadcast to the result.
fn gemm(
    a: &[Dim],
    b: &[Dim],
    bias: &[Option<&Shape>],
    attrs: &BTreeMap<String, String>,
) -> Result<Shape, String> {
    let flag = |name: &str| attrs.get(name).is_some_and(|v| v == "1");
    let (rows, inner_a) = if flag("transA") {
        (&a[1], &a[0])
    } else {
        (&a[0], &a[1])
    };
    let (inner_b, cols) = if flag("transB") {
        (&b[1], &b[0])
    } else {
        (&b[0], &b[1])
    };
    if !inner_a.fits(inner_b) {
        return Err(format!(
            "Gemm of {} by {}{}: the inner sizes {inner_a} and {inner_b} differ",
            shape_text(a),
            shape_text(b),
            if flag("transB") { " (transposed)" } else { "" },
        ));
    }
    let out = vec![rows.clone(), cols.clone()];
    if let [Some(c)] = bias
        && broadcast(c, &out).is_none()
    {
        return Err(format!(
            "Gemm's bias of shape {} does not fit an output of {}",
            shape_text(c),
            shape_text(&out)
        ));
    }
    Ok(out)
}

fn broadcast(a: &[Dim], b: &[Dim]) -> Option<Shape> {
    let len = a.len().max(b.len());
    let one = Dim::Size(1);
    let dim = |s: &[Dim], i: usize| -> Dim {
        (i + s.len())
            .checked_sub(len)
            .map_or_else(|| one.clone(), |j| s[j].clone())
    };
    (0..len)
        .map(|i| {
            let (x, y) = (dim(a, i), dim(b, i));
            if x == one {
                Some(y)
            } else if y == one || x.fits(&y) {
                Some(x)
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dims_are_sizes_or_names() {
        assert_eq!(
            parse_shape("batchx3"),
            Some(vec![Dim::Named("batch".into()), Dim::Size(3)])
        );
        assert_eq!(parse_shape("-"), Some(vec![]));
        assert_eq!(parse_shape("?"), None);
        assert_eq!(shape_text(&parse_shape("batchx3").unwrap()), "batch×3");
        assert_eq!(shape_text::<Dim>(&[]), "scalar");
        assert!(Dim::Named("n".into()).fits(&Dim::Size(4)));
        assert!(!Dim::Size(3).fits(&Dim::Size(4)));
        let (a, b) = (parse_shape("4x1").unwrap(), parse_shape("3").unwrap());
        assert_eq!(broadcast(&a, &b), parse_shape("4x3"));
        assert_eq!(broadcast(&a, &parse_shape("2x3").unwrap()), None);
    }
}
