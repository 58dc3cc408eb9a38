//! The pinned dependency sets exercises compile against.
//!
//! Each set is one manifest and one lockfile kept in the repository (`deps/<set>/`)
//! and built into one target directory in the user's cache, shared by every
//! exercise of that set. Keeping the manifest, the package name and the features
//! identical across exercises is what lets cargo build each crate once per machine.

use std::fmt;

/// A pinned dependency set. Ordered from lightest to heaviest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DepSet {
    /// No crates: the standard library only. Builds in well under a second.
    Std,
    /// Small crates for configuration and secrets; seconds to build.
    Light,
    /// tokio, tokio-util and futures on top of the light set; under a minute
    /// to build cold.
    Async,
    /// candle, tract and prost on top of the async set; minutes to build cold.
    Ml,
}

impl DepSet {
    /// Every set, lightest first.
    pub const ALL: [DepSet; 4] = [DepSet::Std, DepSet::Light, DepSet::Async, DepSet::Ml];

    /// The set's name as used in directory names and messages.
    pub fn name(self) -> &'static str {
        match self {
            DepSet::Std => "std",
            DepSet::Light => "light",
            DepSet::Async => "async",
            DepSet::Ml => "ml",
        }
    }

    /// The crates an exercise of this set may use.
    pub fn crates(self) -> &'static [&'static str] {
        match self {
            DepSet::Std => &[],
            DepSet::Light => LIGHT,
            DepSet::Async => ASYNC,
            DepSet::Ml => ML,
        }
    }

    /// The set's `Cargo.toml`, as kept in `deps/<set>/`.
    pub fn manifest(self) -> &'static str {
        match self {
            DepSet::Std => include_str!("../../../deps/std/Cargo.toml"),
            DepSet::Light => include_str!("../../../deps/light/Cargo.toml"),
            DepSet::Async => include_str!("../../../deps/async/Cargo.toml"),
            DepSet::Ml => include_str!("../../../deps/ml/Cargo.toml"),
        }
    }

    /// The set's `Cargo.lock`, as kept in `deps/<set>/`.
    pub fn lockfile(self) -> &'static str {
        match self {
            DepSet::Std => include_str!("../../../deps/std/Cargo.lock"),
            DepSet::Light => include_str!("../../../deps/light/Cargo.lock"),
            DepSet::Async => include_str!("../../../deps/async/Cargo.lock"),
            DepSet::Ml => include_str!("../../../deps/ml/Cargo.lock"),
        }
    }

    /// How many crates the set builds: the packages in its lockfile, less
    /// the exercise crate itself.
    pub fn crate_count(self) -> usize {
        self.lockfile()
            .matches("[[package]]")
            .count()
            .saturating_sub(1)
    }

    /// The lightest set that provides every crate named, or the first unknown crate.
    pub fn for_crates<S: AsRef<str>>(crates: &[S]) -> Result<DepSet, String> {
        let mut needed = DepSet::Std;
        for krate in crates {
            let krate = krate.as_ref();
            let set = DepSet::ALL
                .into_iter()
                .find(|set| set.crates().contains(&krate))
                .ok_or_else(|| krate.to_owned())?;
            needed = needed.max(set);
        }
        Ok(needed)
    }

    /// Every crate any set provides, for error messages.
    pub fn known_crates() -> &'static [&'static str] {
        ML
    }
}

impl fmt::Display for DepSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

const LIGHT: &[&str] = &[
    "dotenvy",
    "secrecy",
    "thiserror",
    "tempfile",
    "ignore",
    "anyhow",
    "rayon",
    "proptest",
];
const ASYNC: &[&str] = &[
    "dotenvy",
    "secrecy",
    "thiserror",
    "tempfile",
    "ignore",
    "anyhow",
    "rayon",
    "proptest",
    "tokio",
    "tokio-util",
    "futures",
];
const ML: &[&str] = &[
    "dotenvy",
    "secrecy",
    "thiserror",
    "tempfile",
    "ignore",
    "anyhow",
    "rayon",
    "proptest",
    "tokio",
    "tokio-util",
    "futures",
    "candle-core",
    "candle-nn",
    "tract-onnx",
    "prost",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_crates_needs_only_std() {
        assert_eq!(DepSet::for_crates::<&str>(&[]), Ok(DepSet::Std));
    }

    #[test]
    fn the_heaviest_crate_decides_the_set() {
        assert_eq!(DepSet::for_crates(&["dotenvy"]), Ok(DepSet::Light));
        assert_eq!(
            DepSet::for_crates(&["dotenvy", "candle-core"]),
            Ok(DepSet::Ml)
        );
    }

    #[test]
    fn tokio_needs_the_async_set_and_not_the_ml_one() {
        assert_eq!(
            DepSet::for_crates(&["tokio", "thiserror"]),
            Ok(DepSet::Async)
        );
        assert_eq!(DepSet::for_crates(&["futures", "prost"]), Ok(DepSet::Ml));
    }

    #[test]
    fn an_unknown_crate_is_named() {
        assert_eq!(DepSet::for_crates(&["reqwest"]), Err("reqwest".to_owned()));
    }

    #[test]
    fn every_set_holds_every_crate_of_the_lighter_ones() {
        // `for_crates` takes the heaviest set an exercise's crates need, so a
        // heavier set must provide everything a lighter one does.
        for pair in DepSet::ALL.windows(2) {
            for krate in pair[0].crates() {
                assert!(
                    pair[1].crates().contains(krate),
                    "{krate} is in {} but not in {}",
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn what_the_async_set_adds_is_pinned_as_in_the_ml_set() {
        // The learner's editor reads the ml lockfile for every exercise: an
        // async exercise must build the tokio (and everything under it) that
        // the editor shows.
        let packages = |set: DepSet| -> Vec<(String, String)> {
            let lock: toml::Table = set.lockfile().parse().expect("lockfile parses");
            lock["package"]
                .as_array()
                .expect("a [[package]] list")
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_owned(),
                        p["version"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        };
        let light = packages(DepSet::Light);
        let ml = packages(DepSet::Ml);
        let added: Vec<_> = packages(DepSet::Async)
            .into_iter()
            .filter(|(name, _)| !light.iter().any(|(n, _)| n == name))
            .collect();
        assert!(added.iter().any(|(name, _)| name == "tokio"), "{added:?}");
        for (name, version) in added {
            assert!(
                ml.contains(&(name.clone(), version.clone())),
                "deps/async/Cargo.lock pins {name} {version}; deps/ml/Cargo.lock pins another"
            );
        }
    }

    #[test]
    fn every_manifest_lists_exactly_its_crates() {
        for set in DepSet::ALL {
            let manifest: toml::Table = set.manifest().parse().expect("manifest parses");
            let mut listed: Vec<&str> = manifest["dependencies"]
                .as_table()
                .expect("a [dependencies] table")
                .keys()
                .map(String::as_str)
                .collect();
            listed.sort_unstable();
            let mut expected = set.crates().to_vec();
            expected.sort_unstable();
            assert_eq!(listed, expected, "deps/{set}/Cargo.toml");
        }
    }
}
