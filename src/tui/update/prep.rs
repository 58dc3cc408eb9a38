//! The background build of dependency sets: planned at start, followed as
//! it goes, and the checks waiting on it released. Part of `App::update`.

use crate::deps::DepSet;
use crate::tui::app::App;
use crate::tui::checks::DepState;
use crate::tui::event::PrepEvent;
use crate::tui::state::Level;

impl App {
    /// Which dependency sets the course needs built in the background (those
    /// not built yet), and marks the rest ready.
    pub fn plan_deps(&mut self, is_built: impl Fn(DepSet) -> bool) -> Vec<DepSet> {
        let mut sets: Vec<DepSet> = self
            .course()
            .exercises()
            .map(|e| e.deps)
            .filter(|s| *s != DepSet::Std)
            .collect();
        sets.sort_unstable();
        sets.dedup();
        self.checks.deps = sets
            .iter()
            .map(|&set| {
                (
                    set,
                    if is_built(set) {
                        DepState::Ready
                    } else {
                        DepState::Queued
                    },
                )
            })
            .collect();
        sets.into_iter().filter(|&set| !is_built(set)).collect()
    }

    /// Asks for a check of `exercise`: now, after the running one, or once its
    /// dependency set is built. A check of the exercise already running is
    /// cancelled, since the file it read is out of date.
    /// The background build moved on: update its gauge; start checks it held back.
    pub(crate) fn on_prep(&mut self, event: PrepEvent) {
        match event {
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
