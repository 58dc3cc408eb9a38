//! What a runner takes from the environment, read once when it is made
//! ([`RunnerConfig::from_env`] in [`super::Runner::new`]), never again on a
//! check. The sandbox's hidden steps read only what their parent hands them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// Variables `cargo fetch` also needs to reach the registry through a proxy or
/// with a custom certificate store. Only the download step sees them; no
/// learner code runs during it.
pub const FETCH_ENV: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NIX_SSL_CERT_FILE",
    "CARGO_HTTP_CAINFO",
    "CARGO_HTTP_PROXY",
    "CARGO_HTTP_TIMEOUT",
    "CARGO_NET_RETRY",
    "CARGO_NET_GIT_FETCH_WITH_CLI",
    "CARGO_REGISTRIES_CRATES_IO_PROTOCOL",
];

/// How long compiling the learner's code may take once the set is built,
/// unless `TENSORLINGS_COMPILE_TIMEOUT_SECS` says otherwise (a slow machine).
pub const LEARNER_BUILD_LIMIT: Duration = Duration::from_secs(60);

/// A runner's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerConfig {
    /// Where built crates are kept (`TENSORLINGS_CACHE_DIR`); `None`: the
    /// user's cache directory.
    pub cache_dir: Option<PathBuf>,
    /// The cargo program (`TENSORLINGS_CARGO`, else `cargo` from the path).
    pub cargo: OsString,
    /// The directories programs are looked up in (`PATH`).
    pub path: Option<OsString>,
    /// `CARGO_HOME`, when set.
    pub cargo_home: Option<PathBuf>,
    /// `RUSTUP_HOME`, when set.
    pub rustup_home: Option<PathBuf>,
    /// The toolchain rustup is told to use (`RUSTUP_TOOLCHAIN`).
    pub rustup_toolchain: Option<OsString>,
    /// The proxy and certificate settings `cargo fetch` needs (the
    /// variables of [`FETCH_ENV`] that are set).
    pub fetch_env: Vec<(String, OsString)>,
    /// How long compiling the learner's code may take
    /// (`TENSORLINGS_COMPILE_TIMEOUT_SECS`, else [`LEARNER_BUILD_LIMIT`]).
    pub compile_timeout: Duration,
}

impl RunnerConfig {
    /// The settings of this process's environment.
    pub fn from_env() -> RunnerConfig {
        RunnerConfig::from_vars(|key| std::env::var_os(key))
    }

    /// The settings `var` gives (a variable's value, if set).
    pub fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> RunnerConfig {
        let set = |key: &str| var(key).filter(|v| !v.is_empty());
        RunnerConfig {
            cache_dir: set("TENSORLINGS_CACHE_DIR").map(PathBuf::from),
            cargo: set("TENSORLINGS_CARGO").unwrap_or_else(|| "cargo".into()),
            path: var("PATH"),
            cargo_home: set("CARGO_HOME").map(PathBuf::from),
            rustup_home: set("RUSTUP_HOME").map(PathBuf::from),
            rustup_toolchain: var("RUSTUP_TOOLCHAIN"),
            fetch_env: FETCH_ENV
                .iter()
                .filter_map(|key| var(key).map(|value| ((*key).to_owned(), value)))
                .collect(),
            compile_timeout: set("TENSORLINGS_COMPILE_TIMEOUT_SECS")
                .and_then(|v| v.to_str()?.trim().parse().ok())
                .filter(|&secs: &u64| secs > 0)
                .map_or(LEARNER_BUILD_LIMIT, Duration::from_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(vars: &[(&str, &str)]) -> RunnerConfig {
        RunnerConfig::from_vars(|key| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn settings_come_from_the_variables_given() {
        let config = of(&[
            ("TENSORLINGS_CACHE_DIR", "/cache"),
            ("TENSORLINGS_CARGO", "/bin/my-cargo"),
            ("TENSORLINGS_COMPILE_TIMEOUT_SECS", "300"),
            ("HTTPS_PROXY", "http://proxy:8080"),
            ("API_KEY", "secret"),
        ]);
        assert_eq!(config.cache_dir, Some(PathBuf::from("/cache")));
        assert_eq!(config.cargo, "/bin/my-cargo");
        assert_eq!(config.compile_timeout, Duration::from_secs(300));
        assert_eq!(
            config.fetch_env,
            [(
                "HTTPS_PROXY".to_owned(),
                OsString::from("http://proxy:8080")
            )]
        );
    }

    #[test]
    fn unset_empty_or_nonsense_values_fall_back_to_the_defaults() {
        let config = of(&[
            ("TENSORLINGS_CACHE_DIR", ""),
            ("TENSORLINGS_COMPILE_TIMEOUT_SECS", "0"),
        ]);
        assert_eq!(config.cache_dir, None);
        assert_eq!(config.cargo, "cargo");
        assert_eq!(config.compile_timeout, LEARNER_BUILD_LIMIT);
        assert!(config.fetch_env.is_empty());
        let config = of(&[("TENSORLINGS_COMPILE_TIMEOUT_SECS", "soon")]);
        assert_eq!(config.compile_timeout, LEARNER_BUILD_LIMIT);
    }
}
