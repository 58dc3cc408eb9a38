//! A hook you can't take back is a leak. Registering now returns a `HookHandle`.
//!
//! Hooks live in a map keyed by a never-reused id, shared through `Rc`; the handle
//! holds the id and a `Weak` to that map. Write `Hooks::insert`, `HookHandle::remove`
//! (explicit removal), `HookHandle::keep` (make it permanent) and `Drop` (a dropped
//! handle removes its hook). A handle must never keep its module's hooks alive.
//!
//! Removal on drop is this course's choice, not PyTorch's: a dropped
//! `RemovableHandle` leaves its hook registered until `remove()` is called.
//! Here forgetting a handle cleans up, and keeping a hook takes `.keep()`.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

/// Runs before `forward`. Gets the input; `Some(new)` replaces it, `None` keeps it.
pub type PreHook = Box<dyn Fn(&[f32]) -> Option<Vec<f32>>>;
/// Runs after `forward`. Gets (input, output); `Some(new)` replaces the output.
pub type ForwardHook = Box<dyn Fn(&[f32], &[f32]) -> Option<Vec<f32>>>;

pub enum Hook {
    Pre(PreHook),
    Forward(ForwardHook),
}

/// id -> hook. A `BTreeMap` iterates in id order, and ids only grow,
/// so iterating it is registration order.
type Slots = RefCell<BTreeMap<u64, Hook>>;

#[derive(Default)]
pub struct Hooks {
    next_id: Cell<u64>,
    slots: Rc<Slots>,
}

impl Hooks {
    /// Store `hook` under a fresh id and return the handle that removes it.
    fn insert(&self, hook: Hook) -> HookHandle {
        // TODO: take the next id from `self.next_id` and bump it (ids are never
        // reused, even after a removal), put the hook in the map under that id,
        // and return a handle with the id and a *weak* pointer to `self.slots`.
        todo!()
    }

    // ---- given: no need to change anything below in this impl ----

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

    /// Remove the hook now. Returns `true` if it was still registered,
    /// `false` if its module is already gone.
    pub fn remove(self) -> bool {
        // TODO: take the hook out of the map if the map still exists
        // (`Weak::upgrade`). Make sure `drop` won't try again afterwards.
        todo!()
    }

    /// Leave the hook registered for the life of its module.
    pub fn keep(self) {
        // TODO: `self` is dropped when this returns. Stop that drop from removing
        // the hook (hint: a handle whose `Weak` points nowhere removes nothing).
        todo!()
    }
}

impl Drop for HookHandle {
    fn drop(&mut self) {
        // TODO: remove the hook, like `remove` does. Never panic here if the
        // module is already gone.
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
