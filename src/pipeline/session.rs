//! A build that can be brought up to date: the session keeps what the last
//! build computed (pages read, quizzes validated, markdown rendered, files
//! made) and, told what changed on disk, re-does only what that touches.
//!
//! 1. `site.toml` or the theme changed: load them again.
//! 2. Re-read the markdown files that changed; walk `content/` again only when
//!    files or folders appeared or vanished. A file that fails to load keeps
//!    its last good version in the site, so a bad save reports its error
//!    without reshaping navigation.
//! 3. A page read again that keeps its place (same file, same position among
//!    its siblings) replaces the old one in place; anything else assembles the
//!    site again. Markdown is rendered again for pages read, or for every page
//!    when the link map (which files exist, and their URLs) changed.
//! 4. Check everything a full build checks; any error fails the update and
//!    leaves the published files as they were.
//! 5. Compute the dependency record ([`super::deps`]) and make exactly the
//!    outputs whose fingerprints differ from the published build's.
//!
//! Published files change only when an update succeeds as a whole. With
//! [`Session::defer_search`], the search index (by far the costliest output)
//! is left to a [`SearchJob`] that can run on another thread, so a save is
//! served without waiting for it.

mod outputs;
mod sources;
#[cfg(test)]
mod tests;

use super::catalogue::{self, Made};
use super::checks::{check_fragments, no_home_page};
use super::deps::{self, Fingerprint, Inputs, Reason, Record, SiteParts};
use super::inputs::SiteInputs;
use super::page::{render_markdown, RenderedPage};
use super::renderer::{neighbours, template_of, Renderer};
use super::unit::{Special, Unit};
use super::{BuildOptions, Laps};
use crate::config::SiteConfig;
use crate::content::load::{self as loader, Found};
use crate::content::model::Unavailable;
use crate::content::{Page, PageKind, Site, Target};
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::{Files, OutputFile};
use crate::highlight::Highlighter;
use crate::progress::Progress;
use crate::quiz::{self, Question};
use crate::render::{self, SiteView};
use crate::search;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// What changed on disk since the last update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml` changed.
    pub config: bool,
    /// A file of the theme folder changed (templates or static files).
    pub theme: bool,
    /// Paths under `content/`, relative to it, that were created, changed, renamed or removed.
    pub content: BTreeSet<PathBuf>,
    /// Walk `content/` again: folders appeared or vanished, or the watcher lost events.
    pub rescan: bool,
}

impl Changes {
    /// Everything, as for a first build.
    pub fn everything() -> Self {
        Changes { config: true, theme: true, content: BTreeSet::new(), rescan: true }
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && !self.rescan && self.content.is_empty()
    }

    /// Adds another set of changes to this one.
    pub fn merge(&mut self, other: &Changes) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.rescan |= other.rescan;
        self.content.extend(other.content.iter().cloned());
    }
}

/// What one successful update did.
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths made anew or with different contents, sorted.
    pub changed: Vec<String>,
    /// Output paths that are gone, sorted.
    pub removed: Vec<String>,
    /// The units made, each with the first reason found.
    pub made: Vec<(Unit, Reason)>,
    /// Every warning of the site as it is now.
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub questions: usize,
    pub elapsed: Duration,
    /// How long each step took, for `LEARN_TIMINGS=1` and the benchmark.
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index to make, when the session defers it.
    pub search: Option<SearchJob>,
}

/// The search index of one build, to be made off the session's thread. It
/// holds the build's site and pages by reference count, so handing it over
/// copies nothing, and takes the session's index along to bring up to date.
#[derive(Debug)]
pub struct SearchJob {
    site: Arc<Site>,
    rendered: Arc<Vec<RenderedPage>>,
    config: SiteConfig,
    inputs: Inputs,
    index: search::Index,
}

/// A search index made by [`SearchJob::run`], to give back to [`Session::finish_search`].
#[derive(Debug)]
pub struct SearchDone {
    files: Vec<OutputFile>,
    inputs: Inputs,
    index: search::Index,
    pub elapsed: Duration,
}

/// Saves that change at most this many pages' search documents bring the
/// index up to date before the update returns; bigger changes are deferred.
const SEARCH_IN_LINE: usize = 64;

impl SearchJob {
    /// Makes the index. The build's site is copied first and let go of, so the
    /// session that made the job can change its own again without copying it.
    pub fn run(self) -> SearchDone {
        let started = Instant::now();
        let site = Site::clone(&self.site);
        let rendered = Vec::clone(&self.rendered);
        drop((self.site, self.rendered));
        let mut index = self.index;
        let keys = search::keys(&site, |i| rendered[i].fingerprint, &self.config);
        search::refresh(&mut index, &keys, &site, &self.config, |i| rendered[i].search_text());
        let files = index.files();
        SearchDone { files, inputs: self.inputs, index, elapsed: started.elapsed() }
    }
}

/// A file's size and modification time, to tell whether a walk found it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp { len: meta.len(), modified: meta.modified().ok() })
}

/// A markdown file read again: its stamp taken just before, and the page or its errors.
type Read = (Option<Stamp>, Result<Page, Vec<Diagnostic>>);

/// One markdown file under `content/`.
#[derive(Debug)]
struct Source {
    found: Found,
    stamp: Option<Stamp>,
    status: Status,
}

/// Whether a markdown file is part of the site.
#[derive(Debug, Clone)]
enum Status {
    InSite,
    /// `draft: true`, and drafts are not built.
    Draft,
    /// It failed to load. `kept` means its last good version stays in the site meanwhile.
    Broken {
        errors: Vec<Diagnostic>,
        kept: bool,
    },
}

/// The files of the last successful update and the record they were made from.
#[derive(Debug, Default)]
struct Published {
    record: Record,
    files: Arc<Files>,
    /// Each unit's output paths, shared with the keys of `files`.
    unit_files: HashMap<Unit, Vec<Arc<str>>>,
}

/// How far an update's changes reach, for the checks and the record.
#[derive(Debug)]
enum Scope {
    /// The site was assembled again, or the theme or config changed: check and fingerprint everything.
    All,
    /// Only these pages were replaced, in place; nothing else of the site moved.
    Pages {
        pages: Vec<usize>,
        /// Some replaced page has different anchors, so links to it need checking again.
        anchors_changed: bool,
        /// Some replaced page has different question ids.
        ids_changed: bool,
    },
}

impl Scope {
    fn none() -> Self {
        Scope::Pages { pages: Vec::new(), anchors_changed: false, ids_changed: false }
    }

    /// What two updates together reach.
    fn merge(&mut self, other: &Scope) {
        match (&mut *self, other) {
            (Scope::All, _) => {}
            (_, Scope::All) => *self = Scope::All,
            (
                Scope::Pages { pages, anchors_changed, ids_changed },
                Scope::Pages { pages: more, anchors_changed: a, ids_changed: q },
            ) => {
                pages.extend(more.iter().copied().filter(|i| !pages.contains(i)).collect::<Vec<_>>());
                *anchors_changed |= *a;
                *ids_changed |= *q;
            }
        }
    }
}

/// The site view of the last update, kept while nothing it is made of changes.
struct View {
    /// Fingerprint of everything `render::site_view` reads.
    key: u64,
    /// Fingerprint of the config, the theme and the site's shape.
    base: u64,
    /// Each page's card fingerprint.
    cards: Vec<u64>,
    /// When this view was patched from another: that view's key and the areas made again.
    patched: Option<(u64, Vec<usize>)>,
    view: SiteView,
    parts: SiteParts,
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

/// What every update reads of each rendered page, in one dense list: reading
/// it from 10,000 separately allocated pages costs a cache miss per page, on
/// each of the several passes an update makes.
#[derive(Debug, Clone, Copy)]
struct Summary {
    fingerprint: u64,
    card: u64,
    quiz: u64,
    minutes: u32,
    diagnostics: bool,
}

impl Summary {
    fn of(r: &RenderedPage) -> Summary {
        Summary {
            fingerprint: r.fingerprint,
            card: r.card_fingerprint,
            quiz: r.quiz_fingerprint,
            minutes: r.minutes,
            diagnostics: !r.rendered.diagnostics.is_empty(),
        }
    }
}

/// A build kept in memory and brought up to date by [`Session::update`].
pub struct Session {
    opts: BuildOptions,
    highlighter: Highlighter,
    content_dir: PathBuf,
    defer_search: bool,
    /// Changes not yet applied (an update that stopped at a broken `site.toml` keeps them).
    pending: Changes,
    inputs: Option<SiteInputs>,
    /// Why `site.toml` or the theme cannot be loaded, until they are fixed.
    input_error: Option<Diagnostic>,
    /// Every markdown file under `content/`, by its path under `content/`.
    sources: BTreeMap<PathBuf, Source>,
    /// What the last walk of `content/` reported about the layout itself.
    walk_diags: Vec<Diagnostic>,
    asset_stamps: HashMap<PathBuf, Option<Stamp>>,
    site: Arc<Site>,
    /// What assembling the site reported (URL clashes, areas without `_index.md`).
    assemble_diags: Vec<Diagnostic>,
    /// Fingerprint of the site's shape: areas, their lessons and the standalone pages, in order.
    shape: u64,
    /// Per page, in the order of `site.pages`.
    questions: Vec<Vec<Question>>,
    quiz_diags: Vec<Vec<Diagnostic>>,
    /// Per page: its links to missing anchors.
    fragment_diags: Vec<Vec<Diagnostic>>,
    /// Question ids used twice, over the whole site.
    duplicate_diags: Vec<Diagnostic>,
    rendered: Arc<Vec<RenderedPage>>,
    /// [`Summary`] of each of `rendered`, made again by every update.
    summaries: Vec<Summary>,
    /// Fingerprint of where links can point; when it changes, all markdown is rendered again.
    link_map: u64,
    view: Option<View>,
    /// Whether the templates hold the current view.
    view_given: Option<u64>,
    /// The view's key when files were last published.
    view_published: Option<u64>,
    /// What updates since the last published one reached: a failed update's
    /// changes are still to be made by the next one that succeeds.
    unpublished: Scope,
    /// The search index inputs last handed out as a job, until its files come back.
    search_wanted: Option<Inputs>,
    /// The search index as of the last one made; `None` while a job has it.
    search: Mutex<Option<search::Index>>,
    published: Published,
}

impl Session {
    /// A session that has built nothing yet; the first [`Session::update`] builds everything.
    pub fn new(opts: BuildOptions, highlighter: Highlighter) -> Self {
        Session {
            content_dir: opts.root.join("content"),
            opts,
            highlighter,
            defer_search: false,
            pending: Changes::everything(),
            inputs: None,
            input_error: None,
            sources: BTreeMap::new(),
            walk_diags: Vec::new(),
            asset_stamps: HashMap::new(),
            site: Arc::new(Site::default()),
            assemble_diags: Vec::new(),
            shape: 0,
            questions: Vec::new(),
            quiz_diags: Vec::new(),
            fragment_diags: Vec::new(),
            duplicate_diags: Vec::new(),
            rendered: Arc::new(Vec::new()),
            summaries: Vec::new(),
            link_map: 0,
            view: None,
            view_given: None,
            view_published: None,
            unpublished: Scope::All,
            search_wanted: None,
            search: Mutex::new(Some(search::Index::default())),
            published: Published::default(),
        }
    }

    /// A new session with the same options, that will build everything again.
    pub fn restart(&self) -> Session {
        let fresh = Session::new(self.opts.clone(), self.highlighter.clone());
        Session { defer_search: self.defer_search, ..fresh }
    }

    /// Leaves the search index to the [`SearchJob`] each update returns,
    /// instead of making it before the update returns.
    pub fn defer_search(mut self) -> Self {
        self.defer_search = true;
        self
    }

    /// The config of the last loaded `site.toml`, if one ever loaded.
    pub fn config(&self) -> Option<&SiteConfig> {
        self.inputs.as_ref().map(|i| &i.config)
    }

    /// The files of the last successful update, by output path.
    pub fn files(&self) -> &Arc<Files> {
        &self.published.files
    }

    /// Applies `changes` and rebuilds what they touch. On errors, every
    /// diagnostic is returned and the published files stay as they were; the
    /// next update starts from what this one read.
    pub fn update(&mut self, changes: &Changes) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        let mut laps = Laps::start();
        self.pending.merge(changes);
        let mut scope = Scope::none();
        if self.pending.config || self.pending.theme || self.inputs.is_none() || self.input_error.is_some() {
            match SiteInputs::load(&self.opts) {
                Ok(inputs) => {
                    self.inputs = Some(inputs);
                    self.input_error = None;
                    self.view = None;
                    self.view_given = None;
                    scope = Scope::All;
                }
                Err(d) => self.input_error = Some(d),
            }
        }
        if let Some(d) = &self.input_error {
            return Err(Diagnostics(vec![d.clone()]));
        }
        let changes = std::mem::take(&mut self.pending);
        laps.lap("config and theme");

        let (reread, reshaped) = self.refresh_sources(&changes);
        laps.lap("sources");
        if reshaped || !reread.is_empty() {
            let fresh: HashMap<PathBuf, Read> = reread
                .par_iter()
                .map(|p| {
                    let st = stamp(&self.content_dir.join(p));
                    (p.clone(), (st, loader::read_page(&self.opts.root, &self.content_dir, &self.sources[p].found)))
                })
                .collect();
            laps.lap("read");
            if !reshaped && fresh.iter().all(|(p, (_, r))| self.fits_in_place(p, r)) {
                let replaced = self.replace_in_place(fresh);
                if !matches!(scope, Scope::All) {
                    scope = replaced;
                }
            } else {
                self.reassemble(fresh, &mut laps);
                scope = Scope::All;
            }
            laps.lap("quizzes and markdown");
        }
        self.summaries = self.rendered.iter().map(Summary::of).collect();
        self.check(&scope);
        self.unpublished.merge(&scope);

        let mut diags = Diagnostics::default();
        diags.extend(self.walk_diags.iter().cloned());
        for s in self.sources.values() {
            if let Status::Broken { errors, .. } = &s.status {
                diags.extend(errors.iter().cloned());
            }
        }
        diags.extend(self.assemble_diags.iter().cloned());
        if self.site.home.is_none() && !diags.has_errors() {
            diags.push(no_home_page());
        }
        for ds in self.quiz_diags.iter().chain(&self.fragment_diags) {
            diags.extend(ds.iter().cloned());
        }
        diags.extend(self.duplicate_diags.iter().cloned());
        for (r, _) in self.rendered.iter().zip(&self.summaries).filter(|(_, s)| s.diagnostics) {
            diags.extend(r.rendered.diagnostics.iter().cloned());
        }
        laps.lap("checks");
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }
        let mut update = self.make_outputs(&mut laps)?;
        diags.sort();
        update.warnings = diags.0;
        update.pages = self.site.pages.len();
        update.questions = self.questions.iter().map(Vec::len).sum();
        update.elapsed = started.elapsed();
        update.timings = laps.laps;
        Ok(update)
    }

    /// The checks that look across pages (duplicate question ids, links to
    /// anchors), again as far as `scope` reaches.
    fn check(&mut self, scope: &Scope) {
        let (all_ids, all_links, pages) = match scope {
            Scope::All => (true, true, &[][..]),
            Scope::Pages { pages, anchors_changed, ids_changed } => (*ids_changed, *anchors_changed, &pages[..]),
        };
        if all_ids {
            let all = self.site.pages.iter().zip(&self.questions).flat_map(|(p, qs)| qs.iter().map(move |q| (p, q)));
            self.duplicate_diags = quiz::duplicate_ids(all);
        }
        let (site, rendered) = (&*self.site, &*self.rendered);
        if all_links || self.fragment_diags.len() != site.pages.len() {
            self.fragment_diags =
                (0..site.pages.len()).into_par_iter().map(|i| fragments_of(site, rendered, i)).collect();
        } else {
            for &i in pages {
                self.fragment_diags[i] = fragments_of(site, rendered, i);
            }
        }
    }

    /// Installs a search index made from a job of this session, unless a later
    /// update has asked for another one meanwhile. Returns what changed.
    pub fn finish_search(&mut self, done: SearchDone) -> Option<Update> {
        if self.search_wanted != Some(done.inputs) {
            return None;
        }
        self.search_wanted = None;
        *self.search.get_mut().unwrap_or_else(|e| e.into_inner()) = Some(done.index);
        self.published.record.0.insert(Unit::SearchIndex, done.inputs);
        let mut update = Update { made: vec![(Unit::SearchIndex, Reason::Source)], ..Update::default() };
        self.publish(vec![(Unit::SearchIndex, done.files)], &[], &mut update);
        update.elapsed = done.elapsed;
        Some(update)
    }
}

/// The links of page `i` to missing anchors.
fn fragments_of(site: &Site, rendered: &[RenderedPage], i: usize) -> Vec<Diagnostic> {
    check_fragments(site, i, &rendered[i].rendered.links, |j| &rendered[j].rendered.anchors)
}
