//! What a build remembers for the next one: the dependency record, what each
//! page's rendering gave that later steps read (anchors and links for the
//! checks, its search document, its progress entries, its fingerprints), and
//! every output file's size, hash and stamp. `learn build` keeps it in its
//! cache folder; the next build re-renders only the pages whose source or
//! surroundings changed and hands on only files whose bytes changed.
//!
//! A memo is only ever used with the same learn, the same options and the
//! same output folder (the cache checks that before handing it over); within
//! that, everything a page's rendering depends on is in its key
//! ([`page_key`]), so a page whose key is the same renders the same.

use super::deps::{Fingerprint, Inputs, Record};
use super::offline::Listed;
use super::unit::Unit;
use crate::content::load::KnownFronts;
use crate::content::Page;
use crate::diag::Kept;
use crate::markdown::LinkRef;
use crate::search::IndexedPage;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

mod stored;

/// What a build remembers for the next, in two parts: what a build with
/// nothing to do reads, and the rest.
#[derive(Debug, Default)]
pub struct Memo {
    pub outputs: Outputs,
    pub pages: Pages,
    /// Every page's front matter, by a hash of its YAML text: parsing YAML is
    /// most of reading a site, and most of it is the same as last time.
    pub fronts: KnownFronts,
    /// The front matter is what the previous build's memo held (no YAML was
    /// parsed): its file in the cache need not be written again.
    pub fronts_unchanged: bool,
    /// `pages` while they are still being decoded: a build reads sources and
    /// validates quizzes meanwhile, and needs them only after.
    pub pending: Option<PendingPages>,
}

/// Pages being decoded on a thread of their own, or why they could not be.
pub type PendingPages = std::thread::JoinHandle<Result<Pages, &'static str>>;

/// The output files of a build and what it printed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Outputs {
    /// Per output path: what the file holds and, once written, its stamp.
    pub files: HashMap<String, FileMemo>,
    /// Each unit's output paths.
    pub(super) unit_files: HashMap<Unit, Vec<String>>,
    /// The warnings as the build printed them, for a build that finds nothing
    /// to do to print again (filled in by the command, which prints them).
    pub warnings: String,
    /// Pages and questions, for the summary line of such a build.
    pub counts: (usize, usize),
    /// Every folder of the output and its modification time once the build
    /// was in place (`i128::MIN` when too recent to trust), so that the next
    /// build lists only folders whose entries changed.
    pub folders: HashMap<String, i128>,
}

/// The dependency record and what later builds read of each page.
#[derive(Debug, Default)]
pub struct Pages {
    pub(super) record: Record,
    /// Per page, by its path under `content/`.
    pub(super) pages: HashMap<PathBuf, PageMemo>,
    /// The cache these pages were read from, if they were.
    pub(super) read: Option<Arc<stored::Read>>,
}

/// What later builds read of one rendered page.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PageMemo {
    /// Everything the page's rendering depends on ([`page_key`]).
    pub(super) key: u64,
    pub(super) fingerprint: u64,
    pub(super) quiz_fingerprint: u64,
    /// Reading time: counting every page's words again is a tenth of a rebuild.
    pub(super) minutes: u32,
    pub(super) anchors: Vec<String>,
    pub(super) links: Vec<LinkRef>,
    pub(super) diagnostics: Vec<Kept>,
    pub(super) question_index: String,
    /// Kept apart, its terms once per bucket ([`crate::search::StoredPages`]).
    #[serde(skip)]
    pub(super) indexed: Option<Arc<IndexedPage>>,
    /// Read from the cache and used as it was: its bytes there can be written again.
    #[serde(skip)]
    pub(super) kept: bool,
}

/// One output file: its size and hash, and the stamp it had once written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMemo {
    pub(super) listed: Listed,
    /// Size and modification time on disk after the build wrote it; `None`
    /// until the writer has stamped it.
    pub stamp: Option<(u64, i128)>,
}

impl Outputs {
    /// Forgets output files that are not on disk as the build left them (a
    /// hand edit, a deletion): their units are made again.
    pub fn forget_files(&mut self, damaged: &HashSet<String>) {
        self.files.retain(|path, _| !damaged.contains(path));
    }

    /// True if every file the unit made last time is still as it was written.
    pub(super) fn intact(&self, unit: &Unit) -> bool {
        self.unit_files.get(unit).is_some_and(|paths| paths.iter().all(|p| self.files.contains_key(p)))
    }
}

impl Memo {
    /// Waits for the pages still being decoded. Pages that cannot be are
    /// none (every unit is made again) and the reason is returned.
    pub(super) fn settle(&mut self) -> Option<&'static str> {
        let pending = self.pending.take()?;
        match pending.join() {
            Ok(Ok(pages)) => {
                self.pages = pages;
                None
            }
            Ok(Err(why)) => Some(why),
            Err(_) => Some("the build cache could not be read"),
        }
    }

    /// The record entry the previous build had for `unit`.
    pub(super) fn entry(&self, unit: &Unit) -> Option<Inputs> {
        self.pages.record.0.get(unit).copied()
    }

    /// True if every file the unit made last time is still as it was written.
    pub(super) fn intact(&self, unit: &Unit) -> bool {
        self.outputs.intact(unit)
    }
}

/// Everything page `page`'s rendering depends on but the theme, config and
/// options (`theme`) and where links can point (`link_map`): its text, where
/// it is and where it goes.
pub(super) fn page_key(theme: u64, link_map: u64, page: &Page) -> u64 {
    Fingerprint::default()
        .add(&theme)
        .add(&link_map)
        .add(&page.text)
        .add(&page.source)
        .add(&page.content_path)
        .add(&page.url.0)
        .add(&page.title)
        .add(&format!("{:?}", page.kind))
        .finish()
}
