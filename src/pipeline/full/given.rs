//! The files a build gives its sink, and the table of every file of the
//! site that the next build reads: a file whose bytes are what the previous
//! build wrote is noted and not given, and a unit the previous build made
//! from the same inputs keeps its files without being made.

use super::super::deps::Inputs;
use super::super::inputs::SiteInputs;
use super::super::memo::{FileMemo, Memo, Outputs, Pages};
use super::super::unit::Unit;
use super::super::{catalogue, offline};
use super::pages::PageLeft;
use super::Sink;
use crate::content::load::KnownFronts;
use crate::diag::{Code, Diagnostic};
use crate::files::{Contents, OutputFile};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The files of this build so far, and what the previous one left.
pub(super) struct Given<'a> {
    previous: &'a Memo,
    sink: &'a Sink<'a>,
    /// Whether the offline worker and its list are made.
    last: bool,
    files: Mutex<HashMap<String, FileMemo>>,
    unit_files: Mutex<HashMap<Unit, Vec<String>>>,
    written: AtomicUsize,
    made: AtomicUsize,
}

impl<'a> Given<'a> {
    pub(super) fn new(previous: &'a Memo, sink: &'a Sink<'a>, last: bool) -> Self {
        Given {
            previous,
            sink,
            last,
            files: Mutex::default(),
            unit_files: Mutex::default(),
            written: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
        }
    }

    /// True if the previous build made `unit` from these inputs and its files
    /// are on disk as it wrote them; they are then kept as this build's.
    pub(super) fn keep(&self, unit: &Unit, entry: Inputs) -> bool {
        let same = self.previous.entry(unit) == Some(entry) && self.previous.intact(unit);
        if same {
            self.carry(unit);
        }
        same
    }

    /// Counts a unit made.
    pub(super) fn made(&self) {
        self.made.fetch_add(1, Ordering::Relaxed);
    }

    /// True if the previous build left a file at `path` as it wrote it.
    pub(super) fn has_file(&self, path: &str) -> bool {
        self.previous.outputs.files.contains_key(path)
    }

    /// Notes the previous build's files of `unit` as this build's.
    fn carry(&self, unit: &Unit) {
        let paths = self.previous.outputs.unit_files.get(unit).cloned().unwrap_or_default();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        for p in &paths {
            files.insert(p.clone(), self.previous.outputs.files[p]);
        }
        drop(files);
        self.unit_files.lock().unwrap_or_else(|e| e.into_inner()).insert(unit.clone(), paths);
    }

    /// Notes a file of `unit`, and gives it to the sink unless the previous
    /// build wrote the same bytes there.
    pub(super) fn give(&self, unit: &Unit, f: OutputFile) -> Result<(), Diagnostic> {
        let previous = self.previous.outputs.files.get(&f.path);
        let (listed, kept) = match &f.contents {
            Contents::Kept => {
                let memo = previous.ok_or_else(|| missing(&f.path))?;
                (memo.listed, Some(*memo))
            }
            contents => {
                let listed = catalogue::listed(contents);
                (listed, previous.filter(|m| m.listed == listed).copied())
            }
        };
        let memo = kept.unwrap_or(FileMemo { listed, stamp: None });
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(f.path.clone(), memo);
        let mut units = self.unit_files.lock().unwrap_or_else(|e| e.into_inner());
        units.entry(unit.clone()).or_default().push(f.path.clone());
        drop(units);
        if kept.is_some() {
            return Ok(());
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        (self.sink)(f)
    }

    /// Makes the offline worker and its list from every other file, when any
    /// file changed or they are not on disk as the previous build left them.
    /// Returns how many units this build made.
    pub(super) fn finish_last(&self, inputs: &SiteInputs) -> Result<usize, Diagnostic> {
        if self.last {
            let files = self.files.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let gone = self.previous.outputs.files.keys().any(|p| !files.contains_key(p) && !is_last(p));
            let changed = self.written.load(Ordering::Relaxed) > 0 || gone;
            if !changed && self.previous.intact(&Unit::Offline) {
                self.carry(&Unit::Offline);
            } else {
                self.made();
                let listed = files.iter().filter(|(p, _)| catalogue::is_listed(p)).map(|(p, m)| (p.as_str(), m.listed));
                for f in catalogue::make_last(inputs, listed.collect()) {
                    self.give(&Unit::Offline, f)?;
                }
            }
        }
        Ok(self.made.load(Ordering::Relaxed))
    }

    /// What the next build needs, with how many files were written and which
    /// of the previous build's are gone.
    pub(super) fn into_memo(
        self,
        mut kept: Pages,
        fronts: KnownFronts,
        pages: Vec<PageLeft>,
        counts: (usize, usize),
    ) -> (Memo, usize, Vec<String>) {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut unit_files = self.unit_files.into_inner().unwrap_or_else(|e| e.into_inner());
        for paths in unit_files.values_mut() {
            paths.sort();
        }
        let was: HashSet<&String> = self.previous.outputs.unit_files.values().flatten().collect();
        let mut removed: Vec<String> = was.into_iter().filter(|p| !files.contains_key(*p)).cloned().collect();
        removed.sort();
        kept.pages = pages.into_iter().map(PageLeft::into_memo).collect();
        let folders = self.previous.outputs.folders.clone();
        let outputs = Outputs { files, unit_files, warnings: String::new(), counts, folders };
        let memo = Memo { outputs, pages: kept, fronts, fronts_unchanged: false, pending: None };
        (memo, self.written.into_inner(), removed)
    }
}

/// A file said to be kept that the previous build did not leave: a page is
/// taken from the memo only when its files are all there, so this is a bug.
fn missing(path: &str) -> Diagnostic {
    Diagnostic::error(
        Code::InternalOutputPath,
        format!("internal: `{path}` was to be kept from the previous build, which did not write it"),
    )
    .with_hint("build again with --no-cache, and please report this")
}

/// True for the files of the last unit, which list every other file.
fn is_last(path: &str) -> bool {
    path == offline::WORKER || path == offline::LIST
}
