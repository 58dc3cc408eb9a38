//! Closures are modules too, and containers call their children through `call`.
//!
//! Fill in the blanket `impl<F: Fn(Vec<f32>) -> Vec<f32>> Module for F`, so any
//! closure or `fn` can stand in for a model. Then `Sequential::forward`: feed the
//! input through each child in turn. Children's hooks must fire, so use `call`
//! on them, never `forward`.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

// ---------- given: the hook machinery from the previous exercise ----------

/// Runs before `forward`. Gets the input; `Some(new)` replaces it, `None` keeps it.
pub type PreHook = Box<dyn Fn(&[f32]) -> Option<Vec<f32>>>;
/// Runs after `forward`. Gets (input, output); `Some(new)` replaces the output.
pub type ForwardHook = Box<dyn Fn(&[f32], &[f32]) -> Option<Vec<f32>>>;

pub enum Hook {
    Pre(PreHook),
    Forward(ForwardHook),
}

/// id -> hook; ids only grow, so id order is registration order.
type Slots = RefCell<BTreeMap<u64, Hook>>;

#[derive(Default)]
pub struct Hooks {
    next_id: Cell<u64>,
    slots: Rc<Slots>,
}

impl Hooks {
    fn insert(&self, hook: Hook) -> HookHandle {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.slots.borrow_mut().insert(id, hook);
        HookHandle {
            id,
            slots: Rc::downgrade(&self.slots),
        }
    }

    pub fn register_pre<F>(&self, hook: F) -> HookHandle
    where
        F: Fn(&[f32]) -> Option<Vec<f32>> + 'static,
    {
        self.insert(Hook::Pre(Box::new(hook)))
    }

    pub fn register_forward<F>(&self, hook: F) -> HookHandle
    where
        F: Fn(&[f32], &[f32]) -> Option<Vec<f32>> + 'static,
    {
        self.insert(Hook::Forward(Box::new(hook)))
    }

    /// How many hooks (both kinds) are registered.
    pub fn len(&self) -> usize {
        self.slots.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hooks must not register or remove hooks while they run: the map is borrowed.
    fn run_pre(&self, mut x: Vec<f32>) -> Vec<f32> {
        for hook in self.slots.borrow().values() {
            if let Hook::Pre(hook) = hook
                && let Some(replaced) = hook(&x)
            {
                x = replaced;
            }
        }
        x
    }

    fn run_forward(&self, x: &[f32], mut y: Vec<f32>) -> Vec<f32> {
        for hook in self.slots.borrow().values() {
            if let Hook::Forward(hook) = hook
                && let Some(replaced) = hook(x, &y)
            {
                y = replaced;
            }
        }
        y
    }
}

/// Owns one registration. Dropping it removes the hook.
#[must_use = "dropping a HookHandle removes its hook at once; keep it in a variable or call `.keep()`"]
pub struct HookHandle {
    id: u64,
    slots: Weak<Slots>,
}

impl HookHandle {
    /// The id the hook is stored under.
    #[must_use]
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Remove the hook now; `false` if its module was already gone.
    #[allow(clippy::must_use_candidate)] // ignoring the answer is fine
    pub fn remove(mut self) -> bool {
        self.detach()
    }

    /// Leave the hook registered for the life of its module.
    pub fn keep(mut self) {
        self.slots = Weak::new();
    }

    fn detach(&mut self) -> bool {
        let Some(slots) = std::mem::take(&mut self.slots).upgrade() else {
            return false;
        };
        slots.borrow_mut().remove(&self.id).is_some()
    }
}

impl Drop for HookHandle {
    fn drop(&mut self) {
        self.detach();
    }
}

// ---------- end of the given machinery ----------

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

/// Any closure or function from `Vec<f32>` to `Vec<f32>` is a module (without hooks).
impl<F> Module for F
where
    F: Fn(Vec<f32>) -> Vec<f32>,
{
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        // TODO: a closure's `forward` is the closure itself. Call it.
        todo!()
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

/// Children run one after another; the output of one is the input of the next.
#[derive(Default)]
pub struct Sequential {
    children: Vec<Box<dyn Module>>,
    pub hooks: Hooks,
}

impl Sequential {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a child (builder style).
    #[must_use]
    pub fn push<M: Module + 'static>(mut self, child: M) -> Self {
        self.children.push(Box::new(child));
        self
    }

    #[must_use]
    pub fn children(&self) -> &[Box<dyn Module>] {
        &self.children
    }
}

impl Module for Sequential {
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        // TODO: pass `x` through every child in order. Which method of the
        // child runs the child's hooks?
        todo!()
    }

    fn hooks(&self) -> Option<&Hooks> {
        Some(&self.hooks)
    }
}
