//! What builds and test runs see: their environment variables and the paths
//! the sandbox lets them use.
//!
//! Neither gets anything of the user's environment but what cargo needs to
//! find the toolchain: no API key, no token, no home directory. Test runs get
//! a made-up environment that names only their own run directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::RunnerConfig;
use super::sandbox::{Budget, Phase, Policy};

/// System directories every build needs: compilers, linkers, libraries.
const SYSTEM_EXEC: &[&str] = &["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/opt"];
/// System files the linker and compilers read; and the memory settings
/// rustc's allocator reads when it starts (refused them, jemalloc assumes no
/// overcommit and hands memory back to the system page by page: a fifth of a
/// small crate's compile).
const SYSTEM_READ: &[&str] = &[
    "/etc/alternatives",
    "/etc/gcc",
    "/etc/os-release",
    "/proc/sys/vm/overcommit_memory",
    "/sys/kernel/mm/transparent_hugepage",
];
/// Libraries a test binary loads (only readable; the dynamic loader is the
/// one program beside the test itself that may be executed).
const TEST_LIBS: &[&str] = &["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/lib32"];

/// The Rust toolchain as cargo finds it.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The cargo program: `TENSORLINGS_CARGO`, else `cargo` from PATH.
    pub cargo: OsString,
    /// Where that program is, when it exists.
    pub cargo_path: Option<PathBuf>,
    cargo_home: Option<PathBuf>,
    rustup_home: Option<PathBuf>,
    selected: Option<OsString>,
    /// The user's `PATH`, where programs are found.
    search_path: Option<OsString>,
    /// The proxy and certificate settings `cargo fetch` needs.
    fetch: Vec<(String, OsString)>,
    /// Directories programs are looked up in: the cargo program's own and
    /// the standard system ones.
    path: Vec<PathBuf>,
}

impl Toolchain {
    /// The toolchain `config` selects.
    pub fn new(config: &RunnerConfig) -> Toolchain {
        let home = dirs::home_dir();
        let from = |set: &Option<PathBuf>, default: &str| {
            set.clone()
                .or_else(|| home.as_ref().map(|h| h.join(default)))
                .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        };
        let cargo = config.cargo.clone();
        let mut path = Vec::new();
        let cargo_path = find_program(&cargo, config.path.as_ref()).filter(|p| p.is_file());
        if let Some(dir) = cargo_path.as_deref().and_then(Path::parent) {
            path.push(dir.to_path_buf());
        }
        for dir in ["/usr/local/bin", "/usr/bin", "/bin"] {
            path.push(PathBuf::from(dir));
        }
        Toolchain {
            cargo,
            cargo_path,
            cargo_home: from(&config.cargo_home, ".cargo"),
            rustup_home: from(&config.rustup_home, ".rustup"),
            selected: config.rustup_toolchain.clone(),
            path,
            search_path: config.path.clone(),
            fetch: config.fetch_env.clone(),
        }
    }

    /// The real `rustc` of the toolchain cargo would use, past rustup's proxy
    /// (which costs a few milliseconds a call). Found once with `rustc --print
    /// sysroot` and remembered in `cache`, keyed by what selects a toolchain:
    /// the program found on PATH, `RUSTUP_TOOLCHAIN` and rustup's settings.
    pub fn rustc(&self, cache: &Path) -> Option<PathBuf> {
        let proxy = find_program(&OsString::from("rustc"), self.search_path.as_ref())?;
        let stamp = |path: &Path| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos())
        };
        let settings = self.rustup_home.as_ref().map(|h| h.join("settings.toml"));
        let key = format!(
            "{}|{}|{:?}|{}",
            proxy.display(),
            stamp(&proxy),
            self.selected,
            settings.as_deref().map_or(0, stamp)
        );
        let remembered = cache.join("rustc-path");
        if let Ok(text) = std::fs::read_to_string(&remembered)
            && let Some((old_key, path)) = text.split_once('\n')
            && old_key == key
            && Path::new(path.trim_end()).is_file()
        {
            return Some(PathBuf::from(path.trim_end()));
        }
        let mut cmd = Command::new(&proxy);
        self.build_env(&mut cmd, cache, cache);
        let out = cmd.args(["--print", "sysroot"]).output().ok()?;
        let sysroot = String::from_utf8(out.stdout).ok()?;
        let rustc = Path::new(sysroot.trim()).join("bin").join("rustc");
        if !out.status.success() || !rustc.is_file() {
            return None;
        }
        let _ = std::fs::write(&remembered, format!("{key}\n{}", rustc.display()));
        Some(rustc)
    }

    /// Gives `cmd` the build environment and nothing else of the user's.
    pub fn build_env(&self, cmd: &mut Command, target: &Path, tmp: &Path) {
        cmd.env_clear()
            .env("PATH", std::env::join_paths(&self.path).unwrap_or_default())
            .env("HOME", tmp)
            .env("TMPDIR", tmp)
            .env("LANG", "C.UTF-8")
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_TERM_COLOR", "never");
        if let Some(home) = &self.cargo_home {
            cmd.env("CARGO_HOME", home);
        }
        if let Some(home) = &self.rustup_home {
            cmd.env("RUSTUP_HOME", home);
        }
        if let Some(toolchain) = &self.selected {
            cmd.env("RUSTUP_TOOLCHAIN", toolchain);
        }
    }

    /// A cargo home for builds, under `cache`: the user's registry and git
    /// checkouts reached by links, and a configuration that keeps only what
    /// finding the pinned crates needs (source replacement and registry
    /// indexes). No tokens, credentials, proxies or passwords: learner code
    /// runs while cargo builds (`include_str!`, `env!`), and the real
    /// `CARGO_HOME` is never a path it can name.
    pub fn build_home(&self, cache: &Path) -> Option<PathBuf> {
        let real = self.cargo_home.as_ref()?;
        // One build home per real one: two environments sharing a cache (a
        // test with its own HOME beside a `verify`) never relink each
        // other's registry mid-build.
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            real.hash(&mut hasher);
            hasher.finish()
        };
        let home = cache.join(format!("cargo-home-{key:016x}"));
        std::fs::create_dir_all(&home).ok()?;
        for part in ["registry", "git"] {
            let link = home.join(part);
            let target = real.join(part);
            if std::fs::read_link(&link).ok().as_deref() != Some(target.as_path()) {
                let _ = std::fs::remove_file(&link);
                #[cfg(unix)]
                let _ = std::os::unix::fs::symlink(&target, &link);
            }
        }
        let config = ["config.toml", "config"]
            .iter()
            .find_map(|name| std::fs::read_to_string(real.join(name)).ok())
            .map(|text| sanitized_config(&text))
            .unwrap_or_default();
        let path = home.join("config.toml");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(config.as_str()) {
            std::fs::write(&path, config).ok()?;
        }
        Some(home)
    }

    /// Adds the proxy and certificate settings `cargo fetch` needs.
    pub fn fetch_env(&self, cmd: &mut Command) {
        for (key, value) in &self.fetch {
            cmd.env(key, value);
        }
    }

    /// What a build may touch: read the crate, the pinned crates and the
    /// toolchain; write the target directory and its own scratch directory.
    /// Never the rest of the user's home, the course, or the network.
    pub fn build_policy(
        &self,
        krate: &Path,
        target: &Path,
        tmp: &Path,
        build_home: Option<&Path>,
        budget: Budget,
    ) -> Policy {
        let mut read: Vec<PathBuf> = SYSTEM_READ.iter().map(PathBuf::from).collect();
        read.push(krate.to_path_buf());
        let mut exec: Vec<PathBuf> = SYSTEM_EXEC.iter().map(PathBuf::from).collect();
        exec.extend(self.path.iter().cloned());
        if let Some(home) = &self.cargo_home {
            // The registry's sources and index (reached through the build
            // home's links); not the user's settings or credentials.
            for part in ["registry", "git"] {
                read.push(home.join(part));
            }
            exec.push(home.join("bin"));
        }
        read.extend(build_home.map(Path::to_path_buf));
        if let Some(home) = &self.rustup_home {
            exec.push(home.clone());
        }
        Policy {
            read,
            exec: {
                // Build scripts of the pinned crates run from the target directory.
                exec.push(target.to_path_buf());
                exec
            },
            write: vec![tmp.to_path_buf(), target.to_path_buf()],
            phase: Phase::Build,
            budget,
            off: Vec::new(),
            wait_for_input: false,
        }
    }
}

/// What of a cargo configuration a build of the pinned crates needs: where
/// crates come from (`[source]` replacement, a registry's `index`). Anything
/// else (tokens, proxies with passwords, aliases, build settings) is left out.
pub fn sanitized_config(text: &str) -> String {
    let Ok(table) = text.parse::<toml::Table>() else {
        return String::new();
    };
    let mut kept = toml::Table::new();
    if let Some(toml::Value::Table(sources)) = table.get("source") {
        let mut clean = toml::Table::new();
        for (name, source) in sources {
            if let toml::Value::Table(source) = source {
                let fields: toml::Table = source
                    .iter()
                    .filter(|(key, _)| {
                        matches!(
                            key.as_str(),
                            "replace-with" | "registry" | "local-registry" | "directory"
                        )
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                clean.insert(name.clone(), toml::Value::Table(fields));
            }
        }
        kept.insert("source".to_owned(), toml::Value::Table(clean));
    }
    if let Some(toml::Value::Table(registries)) = table.get("registries") {
        let mut clean = toml::Table::new();
        for (name, registry) in registries {
            if let Some(index) = registry.get("index") {
                let mut fields = toml::Table::new();
                fields.insert("index".to_owned(), index.clone());
                clean.insert(name.clone(), toml::Value::Table(fields));
            }
        }
        kept.insert("registries".to_owned(), toml::Value::Table(clean));
    }
    toml::to_string(&kept).unwrap_or_default()
}

/// Gives a test run a made-up environment: its run directory as home and
/// temp, a plain PATH, no backtraces.
pub fn test_env(cmd: &mut Command, work: &Path) {
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", work)
        .env("TMPDIR", work)
        .env("LANG", "C.UTF-8")
        .env("RUST_BACKTRACE", "0")
        .current_dir(work);
}

/// What a test run may touch: execute its binary (or, for a run set up
/// before the binary exists, what the directory `binary` names holds), read
/// system libraries, write its work directory. Nothing else.
pub fn test_policy(binary: &Path, work: &Path, timeout: Duration) -> Policy {
    let mut exec = vec![binary.to_path_buf()];
    // The dynamic loader is executed by the kernel on the binary's behalf.
    exec.extend(
        [
            "/lib64/ld-linux-x86-64.so.2",
            "/lib/ld-linux-aarch64.so.1",
            "/lib/ld-linux-x86-64.so.2",
        ]
        .iter()
        .map(PathBuf::from),
    );
    Policy {
        read: TEST_LIBS.iter().map(PathBuf::from).collect(),
        exec,
        write: vec![work.to_path_buf()],
        phase: Phase::Test,
        budget: Budget {
            memory: TEST_MEMORY,
            process_memory: TEST_MEMORY,
            processes: 64,
            cpu: (timeout * 2).max(Duration::from_secs(10)),
            file_size: 64 << 20,
            disk: Some(256 << 20),
        },
        off: Vec::new(),
        wait_for_input: false,
    }
}

/// The most memory a test run may hold (all its processes together), and
/// the most address space any one of them may map.
pub const TEST_MEMORY: u64 = 4 << 30;

/// Budgets for compiling the learner's code once the pinned crates are built.
pub fn learner_build_budget() -> Budget {
    Budget {
        memory: 4 << 30,
        process_memory: 16 << 30,
        processes: 64,
        cpu: Duration::from_secs(120),
        file_size: 2 << 30,
        disk: None,
    }
}

/// Budgets for the first build of a dependency set (candle, tract …).
pub fn deps_build_budget() -> Budget {
    Budget {
        memory: 8 << 30,
        process_memory: 16 << 30,
        processes: 512,
        cpu: Duration::from_secs(4 * 60 * 60),
        file_size: 4 << 30,
        disk: None,
    }
}

/// Where `program` is found: itself when it has a slash, else the first
/// match on `path` (the user's PATH).
fn find_program(program: &OsString, path: Option<&OsString>) -> Option<PathBuf> {
    let as_path = Path::new(program);
    if as_path.components().count() > 1 {
        return Some(std::fs::canonicalize(as_path).unwrap_or_else(|_| as_path.to_path_buf()));
    }
    std::env::split_paths(path?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_keeps_where_crates_come_from_and_nothing_else() {
        let user = r#"
            [registry]
            token = "cio-secret-token"
            [registries.company]
            index = "sparse+https://crates.example/index/"
            token = "company-token"
            [http]
            proxy = "http://user:proxy-password@proxy.example:3128"
            [source.crates-io]
            replace-with = "vendored"
            [source.vendored]
            directory = "/srv/vendor"
            [alias]
            b = "build"
        "#;
        let kept = sanitized_config(user);
        for secret in [
            "cio-secret-token",
            "company-token",
            "proxy-password",
            "alias",
        ] {
            assert!(!kept.contains(secret), "{secret} kept: {kept}");
        }
        for needed in [
            "replace-with",
            "vendored",
            "/srv/vendor",
            "crates.example/index",
        ] {
            assert!(kept.contains(needed), "{needed} lost: {kept}");
        }
        assert_eq!(sanitized_config("not [ toml"), "");
    }
}
