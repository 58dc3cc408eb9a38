//! A cache in front of a model: same input, same answer, no second run.
//!
//! `Cached<M>` keys its results by the input. `f32` has no `Eq` or `Hash` (NaN is
//! not equal to itself), so key by the exact bits: `cache_key`. Write `cache_key`,
//! `Cached::forward` (a hit returns the stored output; a miss runs the inner module
//! with `call` and stores what it returned) and `clear`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::{Rc, Weak};

// ---------- given: hooks, Module and Scale from the previous exercises ----------

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
        self(x)
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

// ---------- end of the given modules ----------

/// The key of an input: the bits of every element, in order. Two inputs get the
/// same key only if they are the same bit for bit.
#[must_use]
pub fn cache_key(x: &[f32]) -> Vec<u32> {
    x.iter().map(|v| v.to_bits()).collect()
}

/// Remembers the inner module's output for every input it has seen.
pub struct Cached<M> {
    inner: M,
    cache: RefCell<HashMap<Vec<u32>, Vec<f32>>>,
    hits: Cell<usize>,
    misses: Cell<usize>,
}

impl<M> Cached<M> {
    #[must_use]
    pub fn new(inner: M) -> Self {
        Self {
            inner,
            cache: RefCell::new(HashMap::new()),
            hits: Cell::new(0),
            misses: Cell::new(0),
        }
    }

    #[must_use]
    pub fn inner(&self) -> &M {
        &self.inner
    }

    /// Runs answered from the cache.
    #[must_use]
    pub fn hits(&self) -> usize {
        self.hits.get()
    }

    /// Runs that had to run the inner module.
    #[must_use]
    pub fn misses(&self) -> usize {
        self.misses.get()
    }

    /// How many inputs are stored.
    #[must_use]
    pub fn len(&self) -> usize {
        self.cache.borrow().len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forget every stored result (the counters stay). Do this whenever the
    /// inner module changes, or the cache answers for the old model.
    pub fn clear(&self) {
        self.cache.borrow_mut().clear();
    }
}

impl<M: Module> Module for Cached<M> {
    fn forward(&self, x: Vec<f32>) -> Vec<f32> {
        let key = cache_key(&x);
        if let Some(y) = self.cache.borrow().get(&key) {
            self.hits.set(self.hits.get() + 1);
            return y.clone();
        }
        self.misses.set(self.misses.get() + 1);
        let y = self.inner.call(x);
        self.cache.borrow_mut().insert(key, y.clone());
        y
    }
}
