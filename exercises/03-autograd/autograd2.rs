//! A scalar value that remembers where it came from.
//!
//! `Value` is a shared handle (`Rc<RefCell<Node>>`) to a graph node. Make
//! `a + b`, `a - b`, `a * b`, `a / b` and `-a` build NEW nodes that record
//! their operation and their parents in operand order. No gradients yet:
//! this exercise only builds the graph. Look for the `// TODO` markers.

use std::cell::RefCell;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::rc::Rc;

/// The operation that produced a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A value created directly, not computed from others.
    Leaf,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
}

/// One node of the graph.
pub struct Node {
    data: f64,
    grad: f64,
    op: Op,
    parents: Vec<Value>,
}

/// A cheap, cloneable handle: clones point at the SAME node.
#[derive(Clone)]
pub struct Value(Rc<RefCell<Node>>);

impl Value {
    /// A leaf value with gradient 0.
    #[must_use]
    pub fn new(data: f64) -> Self {
        // TODO: a leaf has no parents.
        let _ = data;
        todo!()
    }

    /// A node computed by `op` from `parents` (in operand order).
    #[must_use]
    pub fn from_op(data: f64, op: Op, parents: Vec<Value>) -> Self {
        // TODO: wrap a fresh Node (grad 0.0) in RefCell, then in Rc.
        let _ = (data, op, parents);
        todo!()
    }

    #[must_use]
    pub fn data(&self) -> f64 {
        // TODO: borrow the node and copy its data out (see `grad` below).
        todo!()
    }

    #[must_use]
    pub fn grad(&self) -> f64 {
        self.0.borrow().grad
    }

    #[must_use]
    pub fn op(&self) -> Op {
        self.0.borrow().op
    }

    /// Handles to the parents, in operand order (`a - b` gives `[a, b]`).
    #[must_use]
    pub fn parents(&self) -> Vec<Value> {
        self.0.borrow().parents.clone()
    }

    /// `true` when both handles point at the same node.
    #[must_use]
    pub fn same_node(&self, other: &Value) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let node = self.0.borrow();
        write!(
            f,
            "Value(data={}, grad={}, op={:?})",
            node.data, node.grad, node.op
        )
    }
}

impl Add for Value {
    type Output = Value;
    fn add(self, rhs: Value) -> Value {
        // TODO: compute the data, then record Op::Add with parents [self, rhs].
        let _ = (self, rhs);
        todo!()
    }
}

impl Sub for Value {
    type Output = Value;
    fn sub(self, rhs: Value) -> Value {
        // TODO: compute the data, then record Op::Sub with parents [self, rhs].
        let _ = (self, rhs);
        todo!()
    }
}

impl Mul for Value {
    type Output = Value;
    fn mul(self, rhs: Value) -> Value {
        // TODO: compute the data, then record Op::Mul with parents [self, rhs].
        let _ = (self, rhs);
        todo!()
    }
}

impl Div for Value {
    type Output = Value;
    fn div(self, rhs: Value) -> Value {
        // TODO: compute the data, then record Op::Div with parents [self, rhs].
        let _ = (self, rhs);
        todo!()
    }
}

impl Neg for Value {
    type Output = Value;
    fn neg(self) -> Value {
        // TODO: one parent this time.
        let _ = self;
        todo!()
    }
}

// Conveniences, already written: `&a + &b`, `&a + b`, `a + &b`, `a + 2.0`,
// `&a + 2.0` (and the same for -, *, /) all forward to the impls above.
macro_rules! forward_binop {
    ($imp:ident, $method:ident) => {
        impl $imp<&Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $imp::$method(self.clone(), rhs.clone())
            }
        }
        impl $imp<Value> for &Value {
            type Output = Value;
            fn $method(self, rhs: Value) -> Value {
                $imp::$method(self.clone(), rhs)
            }
        }
        impl $imp<&Value> for Value {
            type Output = Value;
            fn $method(self, rhs: &Value) -> Value {
                $imp::$method(self, rhs.clone())
            }
        }
        impl $imp<f64> for Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                $imp::$method(self, Value::new(rhs))
            }
        }
        impl $imp<f64> for &Value {
            type Output = Value;
            fn $method(self, rhs: f64) -> Value {
                $imp::$method(self.clone(), Value::new(rhs))
            }
        }
    };
}
forward_binop!(Add, add);
forward_binop!(Sub, sub);
forward_binop!(Mul, mul);
forward_binop!(Div, div);

impl Neg for &Value {
    type Output = Value;
    fn neg(self) -> Value {
        -self.clone()
    }
}
