//! A build set up in its sandbox before its check comes.
//!
//! Starting a sandboxed build costs milliseconds before the compiler runs:
//! the supervisor's and the confine step's starts, the namespaces, the
//! Landlock rules and the seccomp filter. None of it depends on the
//! learner's code, so it can be done ahead: while the command line loads the
//! course, or while the app waits for the next save. The build so set up
//! waits, fully restricted, for a byte of input; the check that comes next
//! uses it only when it would run exactly that build (same set, program,
//! arguments, budget and directories), else it is let go and ends without
//! starting. Which build comes next is a guess: the last one a check of
//! this cache ran.

use std::sync::{Mutex, PoisonError};

use super::Runner;
use super::build::{Invocation, StartedBuild, Step};
use super::direct::Direct;
use crate::deps::DepSet;

/// The file, in the cache, that names the last check's build.
const LAST_BUILD: &str = "last-build";

/// At most one build set up ahead, and those let go that may not have
/// ended yet. A clone of the runner starts without.
#[derive(Default)]
pub(super) struct Warm(Mutex<Slot>);

#[derive(Default)]
struct Slot {
    ahead: Option<StartedBuild>,
    /// Builds let go unstarted: they end by themselves once their input
    /// closed, and are waited for (their scratch directories removed)
    /// later, off a check's way, at the latest when the runner goes.
    gone: Vec<StartedBuild>,
}

impl Clone for Warm {
    fn clone(&self) -> Warm {
        Warm::default()
    }
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never waits: a runner may be printed while a check holds the slot.
        let ready = self.0.try_lock().ok().map(|slot| slot.ahead.is_some());
        f.debug_tuple("Warm").field(&ready).finish()
    }
}

impl Warm {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The build set up ahead, when it runs exactly `invocation` and is
    /// still waiting; any other is let go.
    pub(super) fn take(&self, invocation: &Invocation) -> Option<StartedBuild> {
        let mut slot = self.slot();
        let mut ahead = slot.ahead.take()?;
        if ahead.invocation() == invocation && !ahead.ended() {
            return Some(ahead);
        }
        ahead.abandon();
        slot.gone.push(ahead);
        None
    }

    /// Keeps `build` for the next check, letting any earlier one go, and
    /// waits for those let go before that have ended.
    fn put(&self, build: StartedBuild) {
        let mut slot = self.slot();
        if let Some(mut old) = slot.ahead.replace(build) {
            old.abandon();
            slot.gone.push(old);
        }
        slot.gone.retain_mut(|gone| !gone.ended());
    }
}

impl Runner {
    /// Sets the build the next check will most likely run up in its
    /// sandbox, to wait there for that check: the last check's, when this
    /// cache ran one. Only a sandboxed build can wait so (a plain one would
    /// start at once), and only a learner's check uses it. Failing here
    /// costs nothing: the check then starts its build itself.
    pub fn warm_up(&self) {
        if !self.jail.is_active() || !self.incremental {
            return;
        }
        let Some((set, incremental)) = self.last_build() else {
            return;
        };
        if !self.cache.is_built(set) {
            return;
        }
        let step = self.learner_step(incremental);
        let plan = self.plan_for(set, &step);
        let direct = Direct {
            plan: plan.as_ref(),
            harness: self.harness_library(set, true, plan.as_ref(), false),
        };
        let krate = self.cache.crate_dir(set);
        let Ok(invocation) = self.invocation(set, &krate, &step, &direct) else {
            return;
        };
        if let Ok(build) = self.start_build(invocation, true) {
            self.warm.put(build);
        }
    }

    /// The step of a learner's build (the compile of a check).
    pub(super) fn learner_step(&self, incremental: bool) -> Step<'static> {
        Step {
            subcommand: "build",
            phase: super::Phase::Compiling,
            timeout: self.compile_timeout,
            budget: super::toolchain::learner_build_budget(),
            direct: true,
            incremental,
        }
    }

    /// Notes which build a learner's check ran, for the next
    /// [`Runner::warm_up`].
    pub(super) fn remember_build(&self, set: DepSet, incremental: bool) {
        let line = format!("{} {}", set.name(), u8::from(incremental));
        let file = self.cache.root().join(LAST_BUILD);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(line.as_str()) {
            let _ = std::fs::write(&file, line);
        }
    }

    /// The set and incremental setting of the last learner's build.
    fn last_build(&self) -> Option<(DepSet, bool)> {
        let text = std::fs::read_to_string(self.cache.root().join(LAST_BUILD)).ok()?;
        let (name, incremental) = text.trim().split_once(' ')?;
        let set = DepSet::ALL.into_iter().find(|set| set.name() == name)?;
        Some((set, incremental == "1"))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::runner::RunnerConfig;

    /// A build set up ahead keeps the rules it was given on the directories
    /// it was given (Landlock holds them, not their names): a build crate
    /// made anew since (a cache removed while the app ran), or another
    /// setting, is another invocation, and the build set up ahead goes unused.
    #[test]
    fn a_directory_made_anew_or_another_setting_makes_another_invocation() {
        let cache = tempfile::tempdir().unwrap();
        let mut config = RunnerConfig::from_env();
        config.cache_dir = Some(cache.path().to_path_buf());
        config.cargo = "/bin/sh".into();
        let runner = Runner::with_config(&config).unwrap();
        let set = DepSet::Light;
        let krate = runner.cache.crate_dir(set);
        std::fs::create_dir_all(&krate).unwrap();
        let none = Direct {
            plan: None,
            harness: None,
        };
        let invocation = |incremental| {
            runner
                .invocation(set, &krate, &runner.learner_step(incremental), &none)
                .unwrap()
        };
        let first = invocation(true);
        assert_eq!(first, invocation(true));
        assert_ne!(first, invocation(false));
        // Made anew while the old one still exists (its inode cannot be
        // the new one's).
        let old = cache.path().join("old-crate");
        std::fs::rename(&krate, &old).unwrap();
        std::fs::create_dir_all(&krate).unwrap();
        assert_ne!(first, invocation(true));
    }
}
