//! The background build of dependency sets: planned at start, followed as
//! it goes, and the checks waiting on it released. Part of `App::update`.

use crate::deps::DepSet;
use crate::tui::app::App;
use crate::tui::checks::DepState;
use crate::tui::event::{Event, PrepEvent};
use crate::tui::state::Level;

impl App {
    /// Which dependency sets the course needs built in the background (those
    /// not built yet, lightest first); the app learns which are ready through
    /// its `update`, like everything else.
    pub fn plan_deps(&mut self, is_built: impl Fn(DepSet) -> bool) -> Vec<DepSet> {
        let mut sets: Vec<DepSet> = self
            .course()
            .exercises()
            .map(|e| e.deps)
            .filter(|s| *s != DepSet::Std)
            .collect();
        sets.sort_unstable();
        sets.dedup();
        let plan: Vec<(DepSet, bool)> = sets.iter().map(|&set| (set, is_built(set))).collect();
        self.update(Event::Prep(PrepEvent::Planned(plan)));
        sets.into_iter().filter(|&set| !is_built(set)).collect()
    }

    /// The background build moved on: update its gauge; start checks it held back.
    pub(in crate::tui::app) fn on_prep(&mut self, event: PrepEvent) {
        match event {
            PrepEvent::Planned(plan) => {
                self.checks.deps = plan
                    .into_iter()
                    .map(|(set, built)| (set, planned(built)))
                    .collect();
            }
            PrepEvent::Started { set, total } => {
                if let Some(state) = self.checks.state_mut(set) {
                    *state = DepState::Building {
                        done: 0,
                        total,
                        last: String::new(),
                    };
                }
            }
            PrepEvent::Fetching(set) => {
                if let Some(state) = self.checks.state_mut(set) {
                    *state = DepState::Fetching;
                }
            }
            PrepEvent::Compiled { set, name } => {
                let total = set.crate_count();
                if let Some(state) = self.checks.state_mut(set) {
                    let done = match state {
                        DepState::Building { done, .. } => *done + 1,
                        _ => 1,
                    };
                    *state = DepState::Building {
                        done,
                        total,
                        last: name,
                    };
                }
            }
            PrepEvent::Done { set, error } => {
                if error.is_some() {
                    self.say(
                        Level::Warn,
                        format!("building the {set} crates failed; checks of {set} exercises will try again"),
                    );
                } else {
                    self.say(
                        Level::Good,
                        format!(
                            "the {set} crates are built; this machine will not build them again"
                        ),
                    );
                }
                if let Some(state) = self.checks.state_mut(set) {
                    *state = error.map_or(DepState::Ready, DepState::Failed);
                }
                self.start_next();
            }
        }
    }
}

/// A set's state before the background build starts.
fn planned(built: bool) -> DepState {
    if built {
        DepState::Ready
    } else {
        DepState::Queued
    }
}
