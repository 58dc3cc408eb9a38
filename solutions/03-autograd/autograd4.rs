//! Nonlinear operations: tanh, relu, exp, powf.
//!
//! Each new operation needs two things: a forward method that records the
//! node, and an arm in `local_grads` with its derivative. `backward` itself
//! does not change: that is the point of the design.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::rc::Rc;

/// The operation that produced a node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// A value created directly, not computed from others.
    Leaf,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    Tanh,
    Relu,
    Exp,
    /// Raise to a constant power; the exponent is not a node.
    Powf(f64),
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

    /// Hyperbolic tangent.
    #[must_use]
    pub fn tanh(&self) -> Value {
        Value::from_op(self.data().tanh(), Op::Tanh, vec![self.clone()])
    }

    /// `max(0, x)`.
    #[must_use]
    pub fn relu(&self) -> Value {
        Value::from_op(self.data().max(0.0), Op::Relu, vec![self.clone()])
    }

    /// `e^x`.
    #[must_use]
    pub fn exp(&self) -> Value {
        Value::from_op(self.data().exp(), Op::Exp, vec![self.clone()])
    }

    /// `x^p` for a constant exponent `p`.
    #[must_use]
    pub fn powf(&self, p: f64) -> Value {
        Value::from_op(self.data().powf(p), Op::Powf(p), vec![self.clone()])
    }

    /// Every node this value depends on, itself included, each exactly once,
    /// parents before children (so `self` comes last).
    #[must_use]
    pub fn topo_order(&self) -> Vec<Value> {
        // Depth-first, with a stack of our own rather than recursion: a chain
        // of 100 000 ops would be 100 000 nested calls, more than a thread's
        // stack holds. `true` marks a node whose parents are all in `order`.
        let mut seen: HashSet<*const RefCell<Node>> = HashSet::new();
        let mut order = Vec::new();
        let mut stack = vec![(self.clone(), false)];
        while let Some((v, parents_done)) = stack.pop() {
            if parents_done {
                order.push(v);
            } else if seen.insert(Rc::as_ptr(&v.0)) {
                let parents = v.parents();
                stack.push((v, true));
                stack.extend(parents.into_iter().map(|p| (p, false)));
            }
        }
        order
    }

    /// d(self)/d(parent) for each parent, in parent order, at the current data.
    #[must_use]
    pub fn local_grads(&self) -> Vec<f64> {
        let node = self.0.borrow();
        let x: Vec<f64> = node.parents.iter().map(Value::data).collect();
        match node.op {
            Op::Leaf => Vec::new(),
            Op::Add => vec![1.0, 1.0],
            Op::Sub => vec![1.0, -1.0],
            Op::Mul => vec![x[1], x[0]],
            Op::Div => vec![1.0 / x[1], -x[0] / (x[1] * x[1])],
            Op::Neg => vec![-1.0],
            Op::Tanh => vec![1.0 - node.data * node.data],
            Op::Relu => vec![if x[0] > 0.0 { 1.0 } else { 0.0 }],
            Op::Exp => vec![node.data],
            Op::Powf(p) => vec![p * x[0].powf(p - 1.0)],
        }
    }

    /// Fill in `grad` for every node of the graph: d(self)/d(node).
    /// Expects the gradients to start at zero (a fresh graph, or after `zero_grad`).
    pub fn backward(&self) {
        let order = self.topo_order();
        self.0.borrow_mut().grad = 1.0;
        for node in order.iter().rev() {
            let upstream = node.grad();
            for (parent, local) in node.parents().iter().zip(node.local_grads()) {
                parent.0.borrow_mut().grad += local * upstream;
            }
        }
    }

    /// Set the gradient of every node in this graph back to zero.
    pub fn zero_grad(&self) {
        for node in self.topo_order() {
            node.0.borrow_mut().grad = 0.0;
        }
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
