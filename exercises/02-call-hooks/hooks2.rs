//! Register hooks while the program runs, as boxed closures.
//!
//! `Hooks` now sits behind `RefCell`, so anyone holding `&model` can add a hook.
//! Write `register_pre` and `register_forward` (box the closure, keep the order),
//! then three hooks people really use: `count_calls`, `clamp_inputs` and
//! `record_outputs`. Their state lives outside the closure, in `Rc`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Runs before `forward`. Gets the input; `Some(new)` replaces it, `None` keeps it.
pub type PreHook = Box<dyn Fn(&[f32]) -> Option<Vec<f32>>>;
/// Runs after `forward`. Gets (input, output); `Some(new)` replaces the output.
pub type ForwardHook = Box<dyn Fn(&[f32], &[f32]) -> Option<Vec<f32>>>;

/// The hooks of one module, in registration order.
#[derive(Default)]
pub struct Hooks {
    pre: RefCell<Vec<PreHook>>,
    forward: RefCell<Vec<ForwardHook>>,
}

impl Hooks {
    /// Add a hook that runs before `forward`, after every hook added earlier.
    ///
    /// `'static`: the box may outlive the caller's stack frame, so the closure
    /// must own what it captures (use `move` and `Rc`).
    pub fn register_pre<F>(&self, hook: F)
    where
        F: Fn(&[f32]) -> Option<Vec<f32>> + 'static,
    {
        // TODO: box the closure and push it at the end of `self.pre`.
        // `borrow_mut()` gives you the Vec inside the RefCell.
        todo!()
    }

    /// Add a hook that runs after `forward`, after every hook added earlier.
    pub fn register_forward<F>(&self, hook: F)
    where
        F: Fn(&[f32], &[f32]) -> Option<Vec<f32>> + 'static,
    {
        // TODO: same as `register_pre`, for `self.forward`.
        todo!()
    }

    // ---- given: no need to change anything below in this impl ----

    /// How many hooks (both kinds) are registered.
    pub fn len(&self) -> usize {
        self.pre.borrow().len() + self.forward.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn run_pre(&self, mut x: Vec<f32>) -> Vec<f32> {
        for hook in self.pre.borrow().iter() {
            if let Some(replaced) = hook(&x) {
                x = replaced;
            }
        }
        x
    }

    fn run_forward(&self, x: &[f32], mut y: Vec<f32>) -> Vec<f32> {
        for hook in self.forward.borrow().iter() {
            if let Some(replaced) = hook(x, &y) {
                y = replaced;
            }
        }
        y
    }
}

pub trait Module {
    fn forward(&self, x: Vec<f32>) -> Vec<f32>;

    fn hooks(&self) -> Option<&Hooks> {
        None
    }

    fn call(&self, x: Vec<f32>) -> Vec<f32> {
        let Some(hooks) = self.hooks() else {
            return self.forward(x);
        };
        let x = hooks.run_pre(x);
        let y = self.forward(x.clone());
        hooks.run_forward(&x, y)
    }
}

/// `y = W x + b`, with `W` given as rows.
pub struct Linear {
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    pub hooks: Hooks,
}

impl Linear {
    /// # Panics
    /// If `weights` and `bias` disagree on the number of outputs.
    #[must_use]
    pub fn new(weights: Vec<Vec<f32>>, bias: Vec<f32>) -> Self {
        assert_eq!(weights.len(), bias.len(), "one bias per output row");
        Self {
            weights,
            bias,
            hooks: Hooks::default(),
        }
    }
}

impl Module for Linear {
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        self.weights
            .iter()
            .zip(&self.bias)
            .map(|(row, b)| {
                assert_eq!(row.len(), x.len(), "input has the wrong length");
                row.iter().zip(&x).map(|(w, v)| w * v).sum::<f32>() + b
            })
            .collect()
    }

    fn hooks(&self) -> Option<&Hooks> {
        Some(&self.hooks)
    }
}

// ---- hooks people really use ----

/// Count how many times the module is run. The count goes up once per `call`.
pub fn count_calls(hooks: &Hooks) -> Rc<Cell<usize>> {
    // TODO: make the counter, give the hook its own `Rc::clone` (a `move`
    // closure), register it, return the counter. The hook changes nothing: `None`.
    todo!()
}

/// Clamp every input element into `lo..=hi` before `forward` sees it.
pub fn clamp_inputs(hooks: &Hooks, lo: f32, hi: f32) {
    // TODO: a pre-hook that returns the clamped input (`f32::clamp`).
    todo!()
}

/// Keep a copy of every output, in call order, without changing it.
pub fn record_outputs(hooks: &Hooks) -> Rc<RefCell<Vec<Vec<f32>>>> {
    // TODO: a forward hook that pushes a copy of the output and returns `None`.
    todo!()
}
