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

use super::deps::{self, Fingerprint, Inputs, Reason, Record, SiteParts, Unit};
use super::{
    check_fragments, neighbours, render_markdown, template_of, BuildOptions, Contents, Files, Laps, OutputFile,
    RenderedPage, Renderer, SiteInputs, Special,
};
use crate::config::SiteConfig;
use crate::content::load::{self as loader, Found};
use crate::content::model::Unavailable;
use crate::content::{Page, PageKind, Site, Target};
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::quiz::{self, Question};
use crate::render::{self, SiteView};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
#[derive(Debug, Clone, Default)]
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
/// copies nothing.
#[derive(Debug, Clone)]
pub struct SearchJob {
    site: Arc<Site>,
    rendered: Arc<Vec<RenderedPage>>,
    config: SiteConfig,
    inputs: Inputs,
}

/// A search index made by [`SearchJob::run`], to give back to [`Session::finish_search`].
#[derive(Debug)]
pub struct SearchDone {
    files: Vec<OutputFile>,
    inputs: Inputs,
    pub elapsed: Duration,
}

impl SearchJob {
    /// Makes the index. The build's site is copied first and let go of, so the
    /// session that made the job can change its own again without copying it.
    pub fn run(self) -> SearchDone {
        let started = Instant::now();
        let site = Site::clone(&self.site);
        let rendered = Vec::clone(&self.rendered);
        drop((self.site, self.rendered));
        let files = crate::search::index_files(&site, &rendered, &self.config);
        SearchDone { files, inputs: self.inputs, elapsed: started.elapsed() }
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
    unit_files: HashMap<Unit, Vec<String>>,
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
    view: SiteView,
    parts: SiteParts,
    neighbours: Vec<(Option<usize>, Option<usize>)>,
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
            link_map: 0,
            view: None,
            view_given: None,
            view_published: None,
            unpublished: Scope::All,
            search_wanted: None,
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
            diags.push(
                Diagnostic::error("no home page")
                    .in_file("content/_index.md")
                    .with_hint("create `content/_index.md` with a title"),
            );
        }
        for ds in self.quiz_diags.iter().chain(&self.fragment_diags) {
            diags.extend(ds.iter().cloned());
        }
        diags.extend(self.duplicate_diags.iter().cloned());
        for r in self.rendered.iter() {
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
        self.published.record.0.insert(Unit::SearchIndex, done.inputs);
        let mut update = Update { made: vec![(Unit::SearchIndex, Reason::Source)], ..Update::default() };
        self.publish(vec![(Unit::SearchIndex, done.files)], &[], &mut update);
        update.elapsed = done.elapsed;
        Some(update)
    }

    /// Brings `sources` and the asset list up to date with the disk; returns the
    /// markdown files to read again, and whether files appeared or vanished.
    fn refresh_sources(&mut self, changes: &Changes) -> (BTreeSet<PathBuf>, bool) {
        let mut reread = BTreeSet::new();
        let mut rescan = changes.rescan;
        for path in &changes.content {
            if path.iter().any(|c| loader::is_ignored(&c.to_string_lossy())) {
                continue;
            }
            let known = self.sources.contains_key(path) || self.asset_stamps.contains_key(path);
            match std::fs::symlink_metadata(self.content_dir.join(path)) {
                Ok(meta) if meta.is_dir() => rescan = true,
                Ok(_) if self.sources.contains_key(path) => {
                    reread.insert(path.clone());
                }
                Ok(_) if known => {
                    self.asset_stamps.insert(path.clone(), stamp(&self.content_dir.join(path)));
                }
                // A file that is new here: the walk decides what it is.
                Ok(_) => rescan = true,
                Err(_) if known || self.knows_folder(path) => rescan = true,
                // A temporary file that came and went.
                Err(_) => {}
            }
        }
        let mut reshaped = false;
        if rescan {
            let (more, files_changed) = self.walk();
            reread.extend(more);
            reshaped = files_changed;
        }
        (reread, reshaped)
    }

    /// True if a known file lies under `dir`.
    fn knows_folder(&self, dir: &Path) -> bool {
        self.sources.range(dir.to_path_buf()..).next().is_some_and(|(p, _)| p.starts_with(dir) && p != dir)
    }

    /// Walks `content/` again: forgets what is gone, returns what is new or has
    /// changed, and whether any file appeared or vanished (or the walk's own
    /// findings changed).
    fn walk(&mut self) -> (BTreeSet<PathBuf>, bool) {
        let before: (Vec<PathBuf>, Vec<PathBuf>, usize) = (
            self.sources.keys().cloned().collect(),
            self.site.assets.iter().map(|a| a.content_path.clone()).collect(),
            self.walk_diags.len(),
        );
        let mut walk_diags = Diagnostics::default();
        let mut reread = BTreeSet::new();
        let (found, assets) = if self.content_dir.is_dir() {
            loader::discover(&self.content_dir, &mut walk_diags)
        } else {
            walk_diags.push(
                Diagnostic::error(format!("no content folder at {}", self.content_dir.display()))
                    .with_hint("create `content/` with an `_index.md`, or run `learn init`"),
            );
            (Vec::new(), Vec::new())
        };
        let mut sources = BTreeMap::new();
        for f in found {
            let st = stamp(&self.content_dir.join(&f.content_path));
            let path = f.content_path.clone();
            match self.sources.remove(&path) {
                Some(old) if old.found == f && old.stamp == st && st.is_some() => {
                    sources.insert(path, old);
                }
                _ => {
                    reread.insert(path.clone());
                    sources.insert(path, Source { found: f, stamp: st, status: Status::InSite });
                }
            }
        }
        self.sources = sources;
        self.asset_stamps = assets.iter().map(|a| (a.content_path.clone(), stamp(&a.source))).collect();
        let after: (Vec<PathBuf>, Vec<PathBuf>, usize) = (
            self.sources.keys().cloned().collect(),
            assets.iter().map(|a| a.content_path.clone()).collect(),
            walk_diags.0.len(),
        );
        // A first walk always assembles the site.
        let reshaped = before != after || self.site.pages.is_empty();
        Arc::make_mut(&mut self.site).assets = assets;
        self.walk_diags = walk_diags.0;
        (reread, reshaped)
    }

    /// True when a file read again leaves the site's shape as it is: it was in
    /// the site and stays there (or its errors keep its last good version), and
    /// it sorts among its siblings where it did.
    fn fits_in_place(&self, path: &Path, read: &Result<Page, Vec<Diagnostic>>) -> bool {
        let Some(Target::Page(i)) = self.site.targets.get(path).copied() else { return false };
        let in_site = matches!(self.sources[path].status, Status::InSite | Status::Broken { kept: true, .. });
        match read {
            Err(_) => in_site,
            Ok(page) if page.front.draft && !self.opts.drafts => false,
            Ok(page) => in_site && page.url == self.site.pages[i].url && self.keeps_order(i, page),
        }
    }

    /// True if `page`, replacing page `i`, sorts where page `i` does among its siblings.
    fn keeps_order(&self, i: usize, page: &Page) -> bool {
        let site = &*self.site;
        let old = &site.pages[i];
        let siblings: Vec<usize> = match old.kind {
            PageKind::Home => return true,
            PageKind::Lesson => match old.area {
                Some(a) => site.areas[a].lessons.clone(),
                None => return false,
            },
            PageKind::Area => site.areas.iter().map(|a| a.page).collect(),
            PageKind::Standalone => site.standalone.clone(),
        };
        let key = loader::order_key(page);
        if key == loader::order_key(old) {
            return true;
        }
        // Siblings are sorted by (order key, position in path order), stably.
        let Some(at) = siblings.iter().position(|&s| s == i) else { return false };
        let place = |s: usize| (loader::order_key(&site.pages[s]), s);
        let me = (key, i);
        at.checked_sub(1).is_none_or(|p| place(siblings[p]) < me) && siblings.get(at + 1).is_none_or(|&n| me < place(n))
    }

    /// Puts pages read again where their old versions were: nothing else moves.
    fn replace_in_place(&mut self, fresh: HashMap<PathBuf, Read>) -> Scope {
        let mut changed = Vec::new();
        let mut ids_changed = false;
        for (path, (st, result)) in fresh {
            let Some(Target::Page(i)) = self.site.targets.get(&path).copied() else { continue };
            let source = self.sources.get_mut(&path).expect("a page read again is a known source");
            source.stamp = st;
            match result {
                Ok(mut page) => {
                    source.status = Status::InSite;
                    // Assembling is what gives a page its area; here it keeps the old one's.
                    page.area = self.site.pages[i].area;
                    let (qs, ds) = quiz::validate(&page);
                    let ids = |qs: &[Question]| qs.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
                    ids_changed |= ids(&qs) != ids(&self.questions[i]);
                    Arc::make_mut(&mut self.site).pages[i] = page;
                    self.questions[i] = qs;
                    self.quiz_diags[i] = ds;
                    changed.push(i);
                }
                Err(errors) => source.status = Status::Broken { errors, kept: true },
            }
        }
        let render = |&i: &usize| (i, render_markdown(&self.site, i, &self.questions[i], &self.highlighter));
        // One page, the usual save, is rendered here rather than handed to the pool.
        let made: Vec<(usize, RenderedPage)> = match changed.len() {
            0 | 1 => changed.iter().map(render).collect(),
            _ => changed.par_iter().map(render).collect(),
        };
        let rendered = Arc::make_mut(&mut self.rendered);
        let mut anchors_changed = false;
        for (i, r) in made {
            anchors_changed |= r.anchors_fingerprint != rendered[i].anchors_fingerprint;
            rendered[i] = r;
        }
        Scope::Pages { pages: changed, anchors_changed, ids_changed }
    }

    /// Assembles the site from the pages kept and the pages just read, carrying
    /// each kept page's quiz and rendered markdown over to its new position.
    fn reassemble(&mut self, mut fresh: HashMap<PathBuf, Read>, laps: &mut Laps) {
        let mut site = std::mem::take(Arc::make_mut(&mut self.site));
        let mut rendered = std::mem::take(Arc::make_mut(&mut self.rendered)).into_iter();
        let mut kept_pages = HashMap::with_capacity(site.pages.len());
        let mut kept_state = HashMap::with_capacity(site.pages.len());
        let mut questions = std::mem::take(&mut self.questions).into_iter();
        let mut quiz_diags = std::mem::take(&mut self.quiz_diags).into_iter();
        for page in std::mem::take(&mut site.pages) {
            let state = (questions.next().unwrap_or_default(), quiz_diags.next().unwrap_or_default(), rendered.next());
            kept_state.insert(page.content_path.clone(), state);
            kept_pages.insert(page.content_path.clone(), page);
        }

        let mut site_pages = Vec::with_capacity(self.sources.len());
        for (path, source) in &mut self.sources {
            let Some((st, result)) = fresh.remove(path) else {
                // Not read again: it stays as it was (in the site, or left out).
                site_pages.extend(kept_pages.remove(path));
                continue;
            };
            source.stamp = st;
            match result {
                Ok(page) => {
                    kept_state.remove(path);
                    source.status = if page.front.draft && !self.opts.drafts { Status::Draft } else { Status::InSite };
                    if matches!(source.status, Status::InSite) {
                        site_pages.push(page);
                    }
                }
                // A bad save: keep the last good version in the site while the errors stand.
                Err(errors) => match kept_pages.remove(path) {
                    Some(page) => {
                        source.status = Status::Broken { errors, kept: true };
                        site_pages.push(page);
                    }
                    None => source.status = Status::Broken { errors, kept: false },
                },
            }
        }

        let mut diags = Diagnostics::default();
        let mut site = loader::assemble(site_pages, std::mem::take(&mut site.assets), &mut diags);
        site.unavailable = self
            .sources
            .iter()
            .filter_map(|(p, s)| match s.status {
                Status::Draft => Some((p.clone(), Unavailable::Draft)),
                Status::Broken { kept: false, .. } => Some((p.clone(), Unavailable::Broken)),
                _ => None,
            })
            .collect();
        self.assemble_diags = diags.0;
        self.shape = shape_fingerprint(&site);
        laps.lap("assemble");

        let link_map = link_map_fingerprint(&site);
        let all_stale = link_map != self.link_map;
        self.link_map = link_map;

        let mut slots: Vec<Option<RenderedPage>> = Vec::with_capacity(site.pages.len());
        for page in &site.pages {
            match kept_state.remove(&page.content_path) {
                Some((qs, ds, r)) => {
                    self.questions.push(qs);
                    self.quiz_diags.push(ds);
                    slots.push(if all_stale { None } else { r });
                }
                None => {
                    let (qs, ds) = quiz::validate(page);
                    self.questions.push(qs);
                    self.quiz_diags.push(ds);
                    slots.push(None);
                }
            }
        }
        let questions = &self.questions;
        let highlighter = &self.highlighter;
        let rendered: Vec<RenderedPage> = slots
            .into_par_iter()
            .enumerate()
            .map(|(i, slot)| slot.unwrap_or_else(|| render_markdown(&site, i, &questions[i], highlighter)))
            .collect();
        self.site = Arc::new(site);
        self.rendered = Arc::new(rendered);
    }

    /// The site view, made again only when something it shows changed.
    fn refresh_view(&mut self, laps: &mut Laps) {
        let inputs = self.inputs.as_mut().expect("inputs are loaded before outputs are made");
        let mut key = Fingerprint::default();
        key.add(&inputs.fingerprint).add(&self.shape);
        for r in self.rendered.iter() {
            key.add(&r.card_fingerprint);
        }
        let key = key.finish();
        if self.view.as_ref().is_some_and(|v| v.key == key) {
            return;
        }
        let minutes: Vec<u32> = self.rendered.iter().map(|r| r.minutes).collect();
        let view = render::site_view(&inputs.config, &self.site, &self.questions, &minutes);
        let parts = SiteParts::of(&view);
        let neighbours = neighbours(&self.site, &view.lesson_order);
        laps.lap("site view");
        if self.view_given != Some(parts.fingerprint()) {
            inputs.templates.set_site(&view);
            self.view_given = Some(parts.fingerprint());
            laps.lap("site view to templates");
        }
        self.view = Some(View { key, view, parts, neighbours });
    }

    /// Computes the dependency record, makes what differs from the published
    /// build, and publishes the result.
    fn make_outputs(&mut self, laps: &mut Laps) -> Result<Update, Diagnostics> {
        self.refresh_view(laps);
        let inputs = self.inputs.as_ref().expect("loaded");
        let view = self.view.as_ref().expect("refreshed");
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view.view,
            site: &self.site,
            questions: &self.questions,
            neighbours: &view.neighbours,
            live_reload: self.opts.live_reload,
        };
        // Pages replaced in place with the view unchanged (no title, order or
        // question changed) cannot change what other pages show: only their
        // own entries, and those folding over every page, are computed again.
        let view_changed = self.view_published != Some(view.key);
        let (record, mut plan) = match &self.unpublished {
            Scope::Pages { pages, .. } if !view_changed => {
                let mut entries = self.record_shared(inputs, &view.parts);
                entries.extend(pages.iter().map(|&i| self.page_entry(i, inputs, &renderer, &view.parts)));
                let plan = deps::plan_some(&self.published.record, entries.iter().map(|(u, i)| (u, *i)));
                (Err(entries), plan)
            }
            _ => {
                let record = self.record(inputs, &renderer, &view.parts);
                let plan = deps::plan(&self.published.record, &record);
                (Ok(record), plan)
            }
        };
        laps.lap("record and plan");
        let search_entry = match &record {
            Ok(r) => r.0.get(&Unit::SearchIndex).copied(),
            Err(entries) => entries.iter().find(|(u, _)| *u == Unit::SearchIndex).map(|(_, i)| *i),
        };

        let mut update = Update::default();
        if self.defer_search {
            if let Some(at) = plan.make.iter().position(|(u, _)| *u == Unit::SearchIndex) {
                plan.make.remove(at);
                let wanted = search_entry.expect("a search index to make has an entry");
                if self.search_wanted != Some(wanted) {
                    self.search_wanted = Some(wanted);
                    update.search = Some(SearchJob {
                        site: self.site.clone(),
                        rendered: self.rendered.clone(),
                        config: inputs.config.clone(),
                        inputs: wanted,
                    });
                }
            }
        }

        let make = |(unit, _): &(Unit, Reason)| self.make(unit, inputs, &renderer);
        let made: Vec<Result<Vec<OutputFile>, Diagnostic>> = match plan.make.len() {
            0 | 1 => plan.make.iter().map(make).collect(),
            _ => plan.make.par_iter().map(make).collect(),
        };
        laps.lap("pages");
        let mut diags = Diagnostics::default();
        let mut outputs = Vec::with_capacity(made.len());
        for (m, (unit, _)) in made.into_iter().zip(&plan.make) {
            match m {
                Ok(files) => outputs.push((unit.clone(), files)),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }

        update.made = plan.make;
        self.publish(outputs, &plan.remove, &mut update);
        // The record published is the new one, but a deferred search index
        // keeps its old entry until its files arrive.
        let old_search = self.published.record.0.get(&Unit::SearchIndex).copied();
        match record {
            Ok(record) => self.published.record = record,
            Err(entries) => self.published.record.0.extend(entries),
        }
        if self.search_wanted.is_some() {
            match old_search {
                Some(old) => self.published.record.0.insert(Unit::SearchIndex, old),
                None => self.published.record.0.remove(&Unit::SearchIndex),
            };
        }
        self.view_published = self.view.as_ref().map(|v| v.key);
        self.unpublished = Scope::none();
        laps.lap("publish");
        Ok(update)
    }

    /// Replaces the published files of the units made, drops those of units gone,
    /// and notes in `update` which output paths changed.
    fn publish(&mut self, made: Vec<(Unit, Vec<OutputFile>)>, gone: &[Unit], update: &mut Update) {
        let published = &mut self.published;
        let mut files = (*published.files).clone();
        let mut removed = BTreeSet::new();
        for unit in gone {
            for path in published.unit_files.remove(unit).unwrap_or_default() {
                files.remove(path.as_str());
                removed.insert(path);
            }
        }
        for (unit, outputs) in made {
            let paths: Vec<String> = outputs.iter().map(|f| f.path.clone()).collect();
            let keep: HashSet<&str> = paths.iter().map(String::as_str).collect();
            for old in published.unit_files.remove(&unit).unwrap_or_default() {
                if !keep.contains(old.as_str()) {
                    files.remove(old.as_str());
                    removed.insert(old);
                }
            }
            // A copied file's bytes are not at hand; a new stamp means new contents.
            let copied = matches!(unit, Unit::Asset(_));
            for f in outputs {
                let same = !copied && files.get(f.path.as_str()).is_some_and(|old| **old == f.contents);
                if !same {
                    removed.remove(&f.path);
                    update.changed.push(f.path.clone());
                    files.insert(f.path.into(), Arc::new(f.contents));
                }
            }
            published.unit_files.insert(unit, paths);
        }
        update.changed.sort();
        update.removed = removed.into_iter().collect();
        published.files = Arc::new(files);
    }

    /// The fingerprints of everything this build makes.
    fn record(&self, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> Record {
        let pages: Vec<(Unit, Inputs)> =
            (0..self.site.pages.len()).into_par_iter().map(|i| self.page_entry(i, inputs, renderer, parts)).collect();
        Record(pages.into_iter().chain(self.record_shared(inputs, parts)).collect())
    }

    /// The fingerprint of page `i`'s inputs.
    fn page_entry(&self, i: usize, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> (Unit, Inputs) {
        let page = &self.site.pages[i];
        let reads = inputs.reads_of(template_of(page.kind));
        let entry = Inputs {
            theme: inputs.fingerprint,
            own: self.rendered[i].fingerprint,
            nav: renderer.nav_fingerprint(i),
            site: parts.seen(&reads, page.area),
        };
        (Unit::Page(page.content_path.clone()), entry)
    }

    /// The fingerprints of everything but the markdown pages: pages with no
    /// source, static files, copied files and the search index.
    fn record_shared(&self, inputs: &SiteInputs, parts: &SiteParts) -> Vec<(Unit, Inputs)> {
        let theme = inputs.fingerprint;
        let mut record = Vec::new();
        let every_page = |f: &dyn Fn(usize, &mut Fingerprint)| {
            let mut h = Fingerprint::default();
            for i in 0..self.site.pages.len() {
                f(i, &mut h);
            }
            h.finish()
        };
        for s in Special::ALL {
            if s == Special::Search && !inputs.config.search.enabled {
                continue;
            }
            let own = match s {
                Special::Progress => every_page(&|i, h| {
                    h.add(&self.rendered[i].quiz_fingerprint);
                }),
                // Every page's URL, in order: the link map has them.
                Special::Sitemap => self.link_map,
                _ => 0,
            };
            let site = s.template().map_or(0, |t| parts.seen(&inputs.reads_of(t), None));
            record.push((Unit::Special(s.path()), Inputs { theme, own, nav: 0, site }));
        }
        for (name, bytes) in &inputs.theme.statics {
            let own = xxhash_rust::xxh3::xxh3_64(bytes);
            record.push((Unit::Static(name.clone()), Inputs { own, ..Inputs::default() }));
        }
        let own = xxhash_rust::xxh3::xxh3_64(inputs.syntax_css.as_bytes());
        record.push((Unit::SyntaxCss, Inputs { own, ..Inputs::default() }));
        for a in &self.site.assets {
            let st = self.asset_stamps.get(&a.content_path).copied().flatten();
            let own = Fingerprint::default().add(&a.source).add(&a.url.0).add(&st).finish();
            record.push((Unit::Asset(a.content_path.clone()), Inputs { own, ..Inputs::default() }));
        }
        if inputs.config.search.enabled {
            // Each page's own fingerprint, in an order and with areas the link map and shape fix.
            let pages = every_page(&|i, h| {
                h.add(&self.rendered[i].fingerprint);
            });
            let own = Fingerprint::default().add(&pages).add(&self.link_map).add(&self.shape).finish();
            record.push((Unit::SearchIndex, Inputs { theme, own, ..Inputs::default() }));
        }
        record
    }

    /// Makes the files of one unit.
    fn make(&self, unit: &Unit, inputs: &SiteInputs, renderer: &Renderer<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let bytes = |path: &str, b: &[u8]| OutputFile { path: path.into(), contents: Contents::Bytes(b.to_vec()) };
        Ok(match unit {
            Unit::Page(path) => match self.site.targets.get(path) {
                Some(Target::Page(i)) => vec![renderer.page(*i, &self.rendered[*i])?],
                _ => unreachable!("every page unit is a page of the site"),
            },
            Unit::Special(p) => {
                let s = Special::ALL.into_iter().find(|s| s.path() == *p).expect("a known special page");
                vec![renderer.special(s)?]
            }
            Unit::Static(name) => vec![bytes(name, &inputs.theme.statics[name])],
            Unit::SyntaxCss => vec![bytes("assets/syntax.css", inputs.syntax_css.as_bytes())],
            Unit::Asset(path) => match self.site.targets.get(path) {
                Some(Target::Asset(i)) => {
                    let a = &self.site.assets[*i];
                    vec![OutputFile { path: a.url.0.clone(), contents: Contents::Copy(a.source.clone()) }]
                }
                _ => unreachable!("every asset unit is an asset of the site"),
            },
            Unit::SearchIndex => crate::search::index_files(&self.site, &self.rendered, &inputs.config),
        })
    }
}

/// The links of page `i` to missing anchors.
fn fragments_of(site: &Site, rendered: &[RenderedPage], i: usize) -> Vec<Diagnostic> {
    check_fragments(site, i, &rendered[i].rendered.links, |j| &rendered[j].rendered.anchors)
}

/// Fingerprint of where links can point: the pages in order (their positions
/// are what rendered links refer to), their URLs, the assets and the pages left
/// out. Rendered markdown depends on nothing else outside its own page.
fn link_map_fingerprint(site: &Site) -> u64 {
    let mut h = Fingerprint::default();
    for p in &site.pages {
        h.add(&p.content_path).add(&p.url.0);
    }
    for a in &site.assets {
        h.add(&a.content_path).add(&a.url.0);
    }
    let mut left_out: Vec<(&PathBuf, bool)> =
        site.unavailable.iter().map(|(p, u)| (p, *u == Unavailable::Draft)).collect();
    left_out.sort();
    h.add(&left_out).finish()
}

/// Fingerprint of the site's shape: which page is home, the areas and their
/// lessons, the standalone pages, in order.
fn shape_fingerprint(site: &Site) -> u64 {
    let areas: Vec<(usize, &Vec<usize>)> = site.areas.iter().map(|a| (a.page, &a.lessons)).collect();
    Fingerprint::default().add(&site.home).add(&areas).add(&site.standalone).add(&site.pages.len()).finish()
}

#[cfg(test)]
mod tests {
    //! The rebuild plan on a small site: each edit makes exactly the outputs it
    //! should, and the files always equal a fresh build of the same content.
    use super::*;
    use crate::pipeline::deps::Reason;

    struct Site {
        dir: tempfile::TempDir,
        session: Session,
    }

    fn fixture() -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let dest = dir.path().join(entry.path().strip_prefix(&src).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
        let mut session = Session::new(options(dir.path()), Highlighter::default());
        session.update(&Changes::everything()).expect("the fixture builds");
        Site { dir, session }
    }

    fn options(root: &Path) -> BuildOptions {
        BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() }
    }

    impl Site {
        fn path(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }

        fn write(&self, rel: &str, text: &str) {
            std::fs::create_dir_all(self.path(rel).parent().unwrap()).unwrap();
            std::fs::write(self.path(rel), text).unwrap();
        }

        fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
            let text = std::fs::read_to_string(self.path(rel)).unwrap();
            self.write(rel, &f(text));
        }

        /// Updates after changes to these files under `content/`.
        fn saved(&mut self, content: &[&str]) -> Result<Update, Diagnostics> {
            let changes = Changes { content: content.iter().map(PathBuf::from).collect(), ..Changes::default() };
            self.session.update(&changes)
        }

        /// Asserts the published files are byte for byte those of a fresh
        /// `learn build`, which takes the other road through the pipeline.
        fn assert_fresh(&self) {
            assert_same_files(self.session.files(), self.dir.path());
        }
    }

    fn assert_same_files(session: &Files, root: &Path) {
        let fresh = crate::pipeline::build_in_memory(&options(root), &Highlighter::default()).expect("a fresh build");
        let session: Vec<(&str, &Contents)> = session.iter().map(|(p, c)| (&**p, &**c)).collect();
        let built: Vec<(&str, &Contents)> = fresh.files.iter().map(|f| (f.path.as_str(), &f.contents)).collect();
        let paths = |files: &[(&str, &Contents)]| files.iter().map(|f| f.0.to_string()).collect::<Vec<_>>();
        assert_eq!(paths(&session), paths(&built), "same files");
        for ((path, a), (_, b)) in session.iter().zip(&built) {
            assert!(a == b, "{path} differs from a fresh build");
        }
    }

    #[test]
    fn a_session_makes_the_same_files_as_learn_build() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut session = Session::new(options(root), Highlighter::default());
        session.update(&Changes::everything()).expect("the curriculum builds");
        assert_same_files(session.files(), root);
    }

    /// The units made, as short names: page sources, special paths, `search`.
    fn made(u: &Update) -> BTreeSet<String> {
        u.made
            .iter()
            .map(|(unit, _)| match unit {
                Unit::Page(p) => p.to_string_lossy().into_owned(),
                Unit::Special(p) => p.to_string(),
                Unit::Static(p) => p.clone(),
                Unit::SyntaxCss => "syntax.css".into(),
                Unit::Asset(p) => p.to_string_lossy().into_owned(),
                Unit::SearchIndex => "search".into(),
            })
            .collect()
    }

    /// The HTML pages among output paths (search index files are named by their content).
    fn pages(paths: &[String]) -> Vec<&str> {
        paths.iter().map(String::as_str).filter(|p| p.ends_with(".html")).collect()
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn saving_a_lesson_body_remakes_that_lesson_and_the_search_index() {
        let mut site = fixture();
        site.edit("content/01-basics/02-second.md", |t| t + "\nA new sentence.\n");
        let u = site.saved(&["01-basics/02-second.md"]).unwrap();
        assert_eq!(made(&u), set(&["01-basics/02-second.md", "search"]));
        assert!(u.changed.contains(&"basics/second/index.html".to_string()), "{:?}", u.changed);
        assert!(u.made.iter().all(|(_, r)| *r == Reason::Source), "{:?}", u.made);
        site.assert_fresh();
    }

    #[test]
    fn a_new_title_reaches_the_neighbours_the_area_page_and_home() {
        let mut site = fixture();
        site.edit("content/01-basics/02-second.md", |t| t.replace("title: Second", "title: Second, renamed"));
        let u = site.saved(&["01-basics/02-second.md"]).unwrap();
        assert_eq!(
            made(&u),
            set(&[
                "01-basics/02-second.md",
                // Previous and next lessons link to it by title.
                "01-basics/01-first.md",
                "02-later/zeta.md",
                // Its area lists it; home and progress list every area's lessons.
                "01-basics/_index.md",
                "_index.md",
                "progress/index.html",
                "search",
            ])
        );
        let reason = |p: &str| u.made.iter().find(|(unit, _)| *unit == Unit::Page(p.into())).map(|(_, r)| *r);
        assert_eq!(reason("01-basics/01-first.md"), Some(Reason::Navigation));
        assert_eq!(reason("01-basics/_index.md"), Some(Reason::SiteData));
        site.assert_fresh();
    }

    #[test]
    fn a_new_area_title_reaches_its_lessons_breadcrumbs() {
        let mut site = fixture();
        site.edit("content/02-later/_index.md", |t| t.replace("title: Later", "title: Much later"));
        let u = site.saved(&["02-later/_index.md"]).unwrap();
        let made = made(&u);
        assert!(made.contains("02-later/zeta.md") && made.contains("02-later/alpha.md"), "{made:?}");
        assert!(!made.contains("01-basics/02-second.md"), "{made:?}");
        site.assert_fresh();
    }

    #[test]
    fn a_new_weight_that_reorders_lessons_relinks_them() {
        let mut site = fixture();
        // Alpha (no weight) moves before Zeta (weight 1).
        site.edit("content/02-later/alpha.md", |t| t.replace("title: Alpha\n", "title: Alpha\nweight: 0\n"));
        let u = site.saved(&["02-later/alpha.md"]).unwrap();
        assert!(made(&u).contains("01-basics/02-second.md"), "second's next lesson is now alpha: {:?}", made(&u));
        site.assert_fresh();
    }

    #[test]
    fn a_title_in_a_quiz_lesson_also_remakes_the_progress_page() {
        let mut site = fixture();
        site.edit("content/01-basics/01-first.md", |t| t.replace("title: First lesson", "title: The first lesson"));
        let u = site.saved(&["01-basics/01-first.md"]).unwrap();
        // The progress page lists every question with its lesson's title.
        assert!(made(&u).contains("progress/index.html"), "{:?}", made(&u));
        site.assert_fresh();
    }

    #[test]
    fn a_template_change_remakes_every_page_but_changes_only_those_it_shows_in() {
        let mut site = fixture();
        let page = crate::theme::load(site.dir.path(), "default").unwrap().templates["page.html"].clone();
        site.write(
            "themes/default/templates/page.html",
            &page.replace("{% block main %}", "{% block main %}<p>New</p>"),
        );
        let u = site.session.update(&Changes { theme: true, ..Changes::default() }).unwrap();
        assert!(u.made.iter().filter(|(unit, _)| matches!(unit, Unit::Page(_))).all(|(_, r)| *r == Reason::Theme));
        assert_eq!(u.made.iter().filter(|(unit, _)| matches!(unit, Unit::Page(_))).count(), 8);
        assert_eq!(u.changed, vec!["faq/index.html".to_string()]);
        site.assert_fresh();
    }

    #[test]
    fn a_stylesheet_change_makes_only_the_stylesheet() {
        let mut site = fixture();
        site.write("themes/default/static/assets/style.css", "body { color: red }\n");
        let u = site.session.update(&Changes { theme: true, ..Changes::default() }).unwrap();
        assert_eq!(made(&u), set(&["assets/style.css"]));
        assert_eq!(u.changed, vec!["assets/style.css".to_string()]);
        site.assert_fresh();
    }

    #[test]
    fn a_new_lesson_joins_the_curriculum_order() {
        let mut site = fixture();
        site.write("content/01-basics/03-third.md", "---\ntitle: Third\nsummary: A third lesson.\n---\nText.\n");
        let u = site.saved(&["01-basics/03-third.md"]).unwrap();
        assert_eq!(
            made(&u),
            set(&[
                "01-basics/03-third.md",
                "01-basics/02-second.md",
                "02-later/zeta.md",
                "01-basics/_index.md",
                "_index.md",
                "progress/index.html",
                "sitemap.xml",
                "search",
            ])
        );
        site.assert_fresh();
    }

    #[test]
    fn a_deleted_lesson_is_removed_and_its_neighbour_relinked() {
        let mut site = fixture();
        std::fs::remove_file(site.path("content/02-later/alpha.md")).unwrap();
        let u = site.saved(&["02-later/alpha.md"]).unwrap();
        assert_eq!(pages(&u.removed), vec!["later/alpha/index.html"]);
        assert!(made(&u).contains("02-later/zeta.md"), "zeta loses its next link: {:?}", made(&u));
        site.assert_fresh();
    }

    #[test]
    fn a_renamed_lesson_moves() {
        let mut site = fixture();
        std::fs::rename(site.path("content/02-later/alpha.md"), site.path("content/02-later/beta.md")).unwrap();
        let u = site.saved(&["02-later/alpha.md", "02-later/beta.md"]).unwrap();
        assert_eq!(pages(&u.removed), vec!["later/alpha/index.html"]);
        assert!(u.changed.contains(&"later/beta/index.html".to_string()), "{:?}", u.changed);
        site.assert_fresh();
    }

    #[test]
    fn a_new_folder_is_found_by_walking_it() {
        let mut site = fixture();
        site.write("content/03-new/_index.md", "---\ntitle: New area\nsummary: New.\n---\n");
        site.write("content/03-new/01-one.md", "---\ntitle: One\nsummary: One.\n---\nText.\n");
        // The watcher may report only the folder.
        let u = site.saved(&["03-new"]).unwrap();
        assert!(u.changed.contains(&"new/one/index.html".to_string()), "{:?}", u.changed);
        site.assert_fresh();
    }

    #[test]
    fn a_bad_save_fails_without_touching_the_published_files_and_the_fix_recovers() {
        let mut site = fixture();
        let before = (**site.session.files()).clone();
        site.edit("content/02-later/zeta.md", |t| t.replace("weight: 1", "weight: [1"));
        let err = site.saved(&["02-later/zeta.md"]).unwrap_err();
        assert!(err.0.iter().any(|d| d.path.as_deref() == Some(Path::new("content/02-later/zeta.md"))), "{err:?}");
        assert!(**site.session.files() == before, "a failed update publishes nothing");
        // Another file saved meanwhile: still failing, still the same published files.
        site.edit("content/02-later/alpha.md", |t| t + "More.\n");
        assert!(site.saved(&["02-later/alpha.md"]).is_err());
        assert!(**site.session.files() == before);

        site.edit("content/02-later/zeta.md", |t| t.replace("weight: [1", "weight: 1"));
        let u = site.saved(&["02-later/zeta.md"]).unwrap();
        assert_eq!(made(&u), set(&["02-later/alpha.md", "search"]), "zeta is as it was; alpha changed meanwhile");
        site.assert_fresh();
    }

    #[test]
    fn changes_made_while_the_site_was_broken_are_published_with_the_fix() {
        let mut site = fixture();
        site.edit("content/02-later/zeta.md", |t| t.replace("weight: 1", "weight: [1"));
        assert!(site.saved(&["02-later/zeta.md"]).is_err());
        // Saved while zeta is broken: a new title (reaching neighbours and cards) and a new body.
        site.edit("content/01-basics/02-second.md", |t| t.replace("title: Second", "title: Second, renamed"));
        assert!(site.saved(&["01-basics/02-second.md"]).is_err());
        site.edit("content/02-later/alpha.md", |t| t + "More.\n");
        assert!(site.saved(&["02-later/alpha.md"]).is_err());
        site.edit("content/02-later/zeta.md", |t| t.replace("weight: [1", "weight: 1"));
        let u = site.saved(&["02-later/zeta.md"]).unwrap();
        let made = made(&u);
        for page in ["01-basics/02-second.md", "01-basics/01-first.md", "02-later/alpha.md", "_index.md"] {
            assert!(made.contains(page), "{page} not made: {made:?}");
        }
        site.assert_fresh();
    }

    #[test]
    fn publishing_a_draft_adds_it() {
        let mut site = fixture();
        site.edit("content/02-later/03-draft.md", |t| t.replace("draft: true\n", ""));
        let u = site.saved(&["02-later/03-draft.md"]).unwrap();
        assert!(u.changed.contains(&"later/draft/index.html".to_string()), "{:?}", u.changed);
        site.assert_fresh();
    }

    #[test]
    fn a_broken_site_toml_fails_and_keeps_content_changes_for_later() {
        let mut site = fixture();
        site.edit("site.toml", |t| t + "nonsense = [\n");
        site.edit("content/02-later/alpha.md", |t| t + "More.\n");
        let changes =
            Changes { config: true, content: [PathBuf::from("02-later/alpha.md")].into(), ..Changes::default() };
        let err = site.session.update(&changes).unwrap_err();
        assert!(err.0[0].path.as_deref() == Some(Path::new("site.toml")), "{err:?}");
        site.edit("site.toml", |t| t.replace("nonsense = [\n", ""));
        site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
        site.assert_fresh();
    }

    #[test]
    fn a_deferred_search_index_arrives_later_and_a_stale_one_is_dropped() {
        let mut site = fixture();
        site.session.defer_search = true;
        site.edit("content/02-later/alpha.md", |t| t + "First.\n");
        let first = site.saved(&["02-later/alpha.md"]).unwrap().search.expect("a search job");
        site.edit("content/02-later/alpha.md", |t| t + "Second.\n");
        let second = site.saved(&["02-later/alpha.md"]).unwrap().search.expect("a newer search job");
        assert!(site.session.finish_search(first.run()).is_none(), "an index of an older build is dropped");
        let u = site.session.finish_search(second.run()).expect("the newest index is installed");
        assert!(u.changed.iter().all(|p| p.starts_with("search-index/")), "{:?}", u.changed);
        site.assert_fresh();
        // Nothing changed since: no new job.
        assert!(site.saved(&["02-later/alpha.md"]).unwrap().search.is_none());
    }

    #[test]
    fn a_rescan_that_finds_the_same_files_replaces_changed_pages_in_place() {
        let mut site = fixture();
        site.edit("content/02-later/alpha.md", |t| t + "Found by walking.\n");
        let u = site.session.update(&Changes { rescan: true, ..Changes::default() }).unwrap();
        assert_eq!(made(&u), set(&["02-later/alpha.md", "search"]));
        assert!(!u.timings.iter().any(|(step, _)| *step == "assemble"), "no reassembly: {:?}", u.timings);
        site.assert_fresh();
    }

    #[test]
    fn touching_a_file_without_changing_it_makes_nothing() {
        let mut site = fixture();
        site.edit("content/faq.md", |t| t);
        let u = site.saved(&["faq.md"]).unwrap();
        assert!(u.made.is_empty() && u.changed.is_empty(), "{u:?}");
    }

    #[test]
    fn editor_droppings_are_ignored() {
        let mut site = fixture();
        site.write("content/01-basics/.02-second.md.swp", "junk");
        site.write("content/01-basics/02-second.md~", "junk");
        let u = site.saved(&["01-basics/.02-second.md.swp", "01-basics/02-second.md~"]).unwrap();
        assert!(u.made.is_empty(), "{u:?}");
    }
}
