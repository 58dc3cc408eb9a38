//! `tensorlings prepare`: download and build the pinned crates once, so
//! checks are fast and work offline.

use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Result;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};

use crate::deps::DepSet;
use crate::runner::{Milestone, Runner};

/// Arguments of `prepare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these dependency sets (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub set: Vec<SetArg>,
}

/// A dependency set named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetArg {
    /// No crates.
    Std,
    /// dotenvy, secrecy, thiserror, tempfile, ignore, anyhow, rayon, proptest.
    Light,
    /// tokio, tokio-util and futures, plus the light crates.
    Async,
    /// candle, tract and prost, plus the async crates.
    Ml,
}

impl From<SetArg> for DepSet {
    fn from(arg: SetArg) -> Self {
        match arg {
            SetArg::Std => DepSet::Std,
            SetArg::Light => DepSet::Light,
            SetArg::Async => DepSet::Async,
            SetArg::Ml => DepSet::Ml,
        }
    }
}

/// Fetches and builds every dependency set once, with a progress bar.
pub fn run(args: &Args) -> Result<ExitCode> {
    let sets: Vec<DepSet> = if args.set.is_empty() {
        DepSet::ALL.to_vec()
    } else {
        args.set.iter().map(|&s| s.into()).collect()
    };
    let runner = Runner::new()?;
    let style = ProgressStyle::with_template("{prefix:>6} [{bar:30}] {pos}/{len} crates  {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    for &set in &sets {
        let started = Instant::now();
        let total = u64::try_from(set.crate_count()).unwrap_or(0);
        let bar = ProgressBar::new(total)
            .with_style(style.clone())
            .with_prefix(set.name());
        let (mut built_now, mut reused) = (0_usize, 0_usize);
        let mut on_event = |event: Milestone| match event {
            Milestone::Fetching(_) => bar.set_message("downloading…"),
            Milestone::Compiled { name, fresh, .. } => {
                bar.inc(1);
                if fresh {
                    reused += 1;
                } else {
                    built_now += 1;
                }
                bar.set_message(name);
            }
            Milestone::Testing => {}
        };
        runner.prepare(set, &AtomicBool::new(false), &mut on_event)?;
        bar.finish_and_clear();
        let what = if set.crate_count() == 0 {
            "no crates needed".to_owned()
        } else if built_now + reused == 0 {
            "already built".to_owned()
        } else {
            format!("{built_now} compiled now, {reused} reused")
        };
        outln!(
            "{:>6}: ready ({what}, {:.0}s)",
            set.name(),
            started.elapsed().as_secs_f64()
        );
    }
    let used = dir_size(runner.cache().root());
    #[allow(clippy::cast_precision_loss)]
    let megabytes = used as f64 / 1e6;
    outln!(
        "Built crates use {megabytes:.0} MB in {}; checks now work offline.",
        runner.cache().root().display()
    );
    Ok(ExitCode::SUCCESS)
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => dir_size(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}
