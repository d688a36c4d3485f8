//! The build pipeline: config → content model → quizzes → markdown → pages, all
//! in memory. Writing files is `output.rs`'s job; `check` stops before it.
//!
//! The stages are plain functions of their inputs, one file each: [`inputs`]
//! (`site.toml` and the theme), [`page`] (one page's markdown, quiz and FAQ),
//! [`checks`] (what looks across pages), [`renderer`] (templates filled) and
//! [`catalogue`] (every output a site has, and how each is made). Two drivers
//! call them: [`full::build`] runs every stage once for `learn build` and
//! `check`, streaming each file to a sink; a [`Session`] keeps what a build
//! computed for `serve` and `watch`, and [`Session::update`] re-does only what
//! a change touches, decided by the dependency record in [`deps`].

mod catalogue;
mod checks;
mod deps;
mod full;
mod inputs;
mod memo;
mod offline;
mod page;
mod renderer;
mod session;
mod template_reads;
mod unit;

pub use crate::files::{Contents, Files, InMemory, OutputFile, Store, Stored};
pub use deps::{Plan, Reason};
pub use full::{build, Sink, Summary};
pub use inputs::load_config;
pub use memo::{FileMemo, Memo, Outputs, Pages, PendingPages};
pub use page::{PageParts, RenderedPage};
pub use session::{source_stamps, Changes, SearchDone, SearchJob, Session, Stamp, Stamps, Update};
pub use unit::{Special, Unit};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Adds the live-reload script (only `learn serve` sets this).
    pub live_reload: bool,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    pub questions: usize,
    pub files: usize,
    pub elapsed: Duration,
}

/// A successful build: its files, counts and any warnings.
#[derive(Debug)]
pub struct Built {
    pub config: SiteConfig,
    pub files: Vec<OutputFile>,
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site into memory (for tests and tools; `learn build` streams
/// its files to disk with [`build`]). On failure, every diagnostic found is returned.
pub fn build_in_memory(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Built, Diagnostics> {
    let files = std::sync::Mutex::new(Vec::new());
    let keep = |f: OutputFile| {
        files.lock().expect("no panics while holding the list").push(f);
        Ok(())
    };
    let summary = build(opts, highlighter, &keep, None)?;
    let mut files = files.into_inner().expect("no panics while holding the list");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built { config: summary.config, files, stats: summary.stats, warnings: summary.warnings })
}

/// Measures the steps of a build or an update (`LEARN_TIMINGS=1` prints them).
struct Laps {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn start() -> Self {
        Laps { last: Instant::now(), laps: Vec::new() }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
