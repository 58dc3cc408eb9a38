//! Backward: gradients from the graph, by the chain rule.
//!
//! The graph-building part from the previous exercise is done. Write
//! `topo_order`, `local_grads`, `backward` and `zero_grad` (see the `// TODO`
//! markers) so that after `out.backward()` every node's `grad()` holds
//! d(out)/d(node). A value used twice must receive BOTH contributions.

use std::cell::RefCell;
use std::collections::HashSet;
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
        Self::from_op(data, Op::Leaf, Vec::new())
    }

    /// A node computed by `op` from `parents` (in operand order).
    #[must_use]
    pub fn from_op(data: f64, op: Op, parents: Vec<Value>) -> Self {
        Value(Rc::new(RefCell::new(Node {
            data,
            grad: 0.0,
            op,
            parents,
        })))
    }

    #[must_use]
    pub fn data(&self) -> f64 {
        self.0.borrow().data
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

    /// Every node this value depends on, itself included, each exactly once,
    /// parents before children (so `self` comes last).
    #[must_use]
    pub fn topo_order(&self) -> Vec<Value> {
        // TODO: depth-first search with a stack of your own, not recursion: a
        // chain of 100 000 ops would be 100 000 nested calls, more than a
        // thread's stack holds. Keep `(node, parents_done)` pairs on a Vec,
        // starting with `(self.clone(), false)`. Pop one: if its parents are
        // done, push it to the order; if it is new (a HashSet of
        // `Rc::as_ptr(&v.0)`), push it back as done, then push its parents.
        let _seen: HashSet<*const RefCell<Node>> = HashSet::new();
        todo!()
    }

    /// d(self)/d(parent) for each parent, in parent order, at the current data.
    #[must_use]
    pub fn local_grads(&self) -> Vec<f64> {
        let node = self.0.borrow();
        let x: Vec<f64> = node.parents.iter().map(Value::data).collect();
        // TODO: one local derivative per parent. For a * b that is [b, a].
        match node.op {
            Op::Leaf => Vec::new(),
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Neg => {
                let _ = x;
                todo!()
            }
        }
    }

    /// Fill in `grad` for every node of the graph: d(self)/d(node).
    /// Expects the gradients to start at zero (a fresh graph, or after `zero_grad`).
    pub fn backward(&self) {
        // TODO: seed d(self)/d(self) = 1, then walk `topo_order()` in REVERSE:
        // each parent's grad grows by local * this node's grad.
        todo!()
    }

    /// Set the gradient of every node in this graph back to zero.
    pub fn zero_grad(&self) {
        // TODO: every node, not only the leaves.
        todo!()
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
        let data = self.data() + rhs.data();
        Value::from_op(data, Op::Add, vec![self, rhs])
    }
}

impl Sub for Value {
    type Output = Value;
    fn sub(self, rhs: Value) -> Value {
        let data = self.data() - rhs.data();
        Value::from_op(data, Op::Sub, vec![self, rhs])
    }
}

impl Mul for Value {
    type Output = Value;
    fn mul(self, rhs: Value) -> Value {
        let data = self.data() * rhs.data();
        Value::from_op(data, Op::Mul, vec![self, rhs])
    }
}

impl Div for Value {
    type Output = Value;
    fn div(self, rhs: Value) -> Value {
        let data = self.data() / rhs.data();
        Value::from_op(data, Op::Div, vec![self, rhs])
    }
}

impl Neg for Value {
    type Output = Value;
    fn neg(self) -> Value {
        let data = -self.data();
        Value::from_op(data, Op::Neg, vec![self])
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
