//! Go through `call`, never straight to `forward`.
//!
//! `forward` is the maths of a module. `call` is what the rest of the program
//! uses: it runs the pre-forward hooks (each may replace the input), then
//! `forward`, then the forward hooks (each may replace the output).
//! Fill in the default method `Module::call`, then `predict_batch`.

/// Runs before `forward`. Gets the input; `Some(new)` replaces it, `None` keeps it.
pub type PreHook = Box<dyn Fn(&[f32]) -> Option<Vec<f32>>>;
/// Runs after `forward`. Gets (input, output); `Some(new)` replaces the output.
pub type ForwardHook = Box<dyn Fn(&[f32], &[f32]) -> Option<Vec<f32>>>;

/// The hooks of one module, in registration order.
#[derive(Default)]
pub struct Hooks {
    pub pre: Vec<PreHook>,
    pub forward: Vec<ForwardHook>,
}

pub trait Module {
    /// The computation itself. Implement it; don't call it from outside.
    fn forward(&self, x: Vec<f32>) -> Vec<f32>;

    /// The module's hooks, if it has any.
    fn hooks(&self) -> Option<&Hooks> {
        None
    }

    /// Run the module: pre-forward hooks, `forward`, forward hooks.
    fn call(&self, x: Vec<f32>) -> Vec<f32> {
        let Some(hooks) = self.hooks() else {
            return self.forward(x);
        };
        let mut x = x;
        for hook in &hooks.pre {
            if let Some(replaced) = hook(&x) {
                x = replaced;
            }
        }
        let mut y = self.forward(x.clone());
        for hook in &hooks.forward {
            if let Some(replaced) = hook(&x, &y) {
                y = replaced;
            }
        }
        y
    }
}

/// Multiplies every element by `factor`.
pub struct Scale {
    pub factor: f32,
    pub hooks: Hooks,
}

impl Scale {
    #[must_use]
    pub fn new(factor: f32) -> Self {
        Self {
            factor,
            hooks: Hooks::default(),
        }
    }
}

impl Module for Scale {
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        x.into_iter().map(|v| v * self.factor).collect()
    }

    fn hooks(&self) -> Option<&Hooks> {
        Some(&self.hooks)
    }
}

/// Run `model` on every row of `batch`, in order, as the rest of the program would.
pub fn predict_batch<M: Module + ?Sized>(model: &M, batch: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    batch.into_iter().map(|row| model.call(row)).collect()
}
