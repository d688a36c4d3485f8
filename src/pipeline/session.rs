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
use super::renderer::{neighbours, template_of, Neighbours, Renderer};
use super::unit::Unit;
use super::{BuildOptions, Laps};
use crate::config::{QuizConfig, SiteConfig};
use crate::content::load::{self as loader, Found};
use crate::content::model::Unavailable;
use crate::content::{AreaId, Page, PageId, PageKind, Site, Target};
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::{Contents, Files, InMemory, OutputFile, Store};
use crate::highlight::Highlighter;
use crate::markdown;
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
    /// The site was checked again, so its warnings (`Session::warnings`) may differ.
    pub checked: bool,
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
    rendered: Vec<RenderedPage>,
    questions: Vec<Arc<[Question]>>,
    config: SiteConfig,
    inputs: Inputs,
    index: search::Index,
    store: Arc<dyn Store>,
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
        let site = searched_part(&self.site);
        let rendered = self.rendered;
        drop(self.site);
        let mut index = self.index;
        let keys = search::keys(&site, |i| rendered[i.0].fingerprint, &self.config);
        let questions = self.questions;
        search::refresh(&mut index, &keys, &site, &self.config, |i| rendered[i.0].search_text_with(&questions[i.0]));
        // Kept here, off the session's thread; a file the store cannot take stays in memory.
        let store = &*self.store;
        let files: Vec<OutputFile> =
            index.files().into_par_iter().map(|f| keep(store, f).unwrap_or_else(|(f, _)| f)).collect();
        let_go_if_kept(&mut index, &files);
        SearchDone { files, inputs: self.inputs, index, elapsed: started.elapsed() }
    }
}

/// Lets `index` go of the bytes of its files once a store holds every one
/// of them (`files`, as kept): in `serve`, memory then holds their names only.
fn let_go_if_kept(index: &mut search::Index, files: &[OutputFile]) {
    if files.iter().all(|f| matches!(f.contents, Contents::Stored(_))) {
        index.let_go_of_bytes();
    }
}

/// A copy of what the search index reads of a site: its pages and areas, but
/// not the pages' sources and raw quizzes (most of a site's size), which it
/// reads from the rendered pages instead.
fn searched_part(site: &Site) -> Site {
    let pages = site
        .pages
        .iter()
        .map(|p| {
            let front = crate::content::front_matter::FrontMatter { quiz: Vec::new(), ..(*p.front).clone() };
            Page { text: String::new(), body_start: 0, front: std::sync::Arc::new(front), ..p.clone() }
        })
        .collect();
    Site { pages, areas: site.areas.clone(), home: site.home, standalone: site.standalone.clone(), ..Site::default() }
}

/// A file's size and modification time, to tell whether a walk found it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// Source files by their path under the site's root, each with its stamp (`None` if unreadable).
pub type Stamps = BTreeMap<PathBuf, Option<Stamp>>;

/// `site.toml` and every file under `themes/`, stamped: what loading the inputs may read.
fn input_stamps(root: &Path) -> Stamps {
    let mut out = Stamps::new();
    out.insert(PathBuf::from("site.toml"), stamp(&root.join("site.toml")));
    for entry in walkdir::WalkDir::new(root.join("themes")).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_dir() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            out.insert(rel, stamp(entry.path()));
        }
    }
    out
}

/// Every source file of the site in `root` as it is on disk now, stamped: the
/// same files, by the same names, as [`Session::sources_read`] gives.
pub fn source_stamps(root: &Path) -> Stamps {
    let mut out = input_stamps(root);
    let content = root.join("content");
    let (found, assets) = loader::discover(&content, &mut Diagnostics::default());
    for f in found {
        out.insert(Path::new("content").join(&f.content_path), stamp(&content.join(&f.content_path)));
    }
    for a in assets {
        out.insert(Path::new("content").join(&a.content_path), stamp(&a.source));
    }
    out
}

/// Hands a file made to `store`; the file comes back as what the session keeps
/// of it, or with the reason the store could not take it.
fn keep(store: &dyn Store, file: OutputFile) -> Result<OutputFile, (OutputFile, std::io::Error)> {
    match store.keep(&file.contents) {
        Ok(Some(stored)) => Ok(OutputFile { path: file.path, contents: Contents::Stored(stored) }),
        Ok(None) => Ok(file),
        Err(e) => Err((file, e)),
    }
}

/// [`keep`], with a failure as the diagnostic that fails the update.
fn keep_or_fail(store: &dyn Store, file: OutputFile) -> Result<OutputFile, Diagnostic> {
    keep(store, file).map_err(|(f, e)| {
        Diagnostic::error(crate::diag::Code::IoWrite, format!("cannot keep the output file `{}`: {e}", f.path))
    })
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
    /// What the last unit lists of each listed file, in path order (the
    /// list's), kept until the file changes.
    listed: BTreeMap<Arc<str>, catalogue::Listed>,
    /// Files published since the last unit last listed them.
    unlisted: Vec<Arc<str>>,
}

/// How far an update's changes reach, for the checks and the record.
#[derive(Debug)]
enum Scope {
    /// The site was assembled again, or the theme or config changed: check and fingerprint everything.
    All,
    /// Only these pages were replaced, in place; nothing else of the site moved.
    Pages {
        pages: Vec<PageId>,
        /// Some replaced page has different anchors, so links to it need checking again.
        anchors_changed: bool,
        /// Some replaced page's questions differ (ids, text, positions or what
        /// its own lints found): the checks across questions must run again.
        questions_changed: bool,
    },
}

impl Scope {
    fn none() -> Self {
        Scope::Pages { pages: Vec::new(), anchors_changed: false, questions_changed: false }
    }

    /// What two updates together reach.
    fn merge(&mut self, other: &Scope) {
        match (&mut *self, other) {
            (Scope::All, _) => {}
            (_, Scope::All) => *self = Scope::All,
            (
                Scope::Pages { pages, anchors_changed, questions_changed },
                Scope::Pages { pages: more, anchors_changed: a, questions_changed: q },
            ) => {
                pages.extend(more.iter().copied().filter(|i| !pages.contains(i)).collect::<Vec<_>>());
                *anchors_changed |= *a;
                *questions_changed |= *q;
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
    patched: Option<(u64, Vec<AreaId>)>,
    view: SiteView,
    parts: SiteParts,
    neighbours: Vec<Neighbours>,
}

/// What every update reads of each rendered page, kept beside it in the
/// page's record: reading it from 10,000 separately allocated pages costs a
/// cache miss per page, on each of the several passes an update makes.
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

/// What the session keeps of one page of the site, in the order of `site.pages`.
#[derive(Debug, Clone)]
struct PageState {
    /// Shared with the search jobs; the rendered page keeps none.
    questions: Arc<[Question]>,
    /// What validating its quiz reported.
    quiz_diags: Vec<Diagnostic>,
    /// Its links to missing anchors.
    fragment_diags: Vec<Diagnostic>,
    rendered: RenderedPage,
    /// What every update reads of `rendered`.
    summary: Summary,
}

impl PageState {
    fn new(questions: Arc<[Question]>, quiz_diags: Vec<Diagnostic>, rendered: RenderedPage) -> Self {
        let summary = Summary::of(&rendered);
        PageState { questions, quiz_diags, fragment_diags: Vec::new(), rendered, summary }
    }

    /// Puts a page rendered again in place of the old one.
    fn set_rendered(&mut self, rendered: RenderedPage) {
        self.summary = Summary::of(&rendered);
        self.rendered = rendered;
    }
}

impl render::PageFacts for [PageState] {
    fn questions(&self, page: PageId) -> &[Question] {
        &self[page.0].questions
    }

    fn minutes(&self, page: PageId) -> u32 {
        self[page.0].summary.minutes
    }
}

crate::content::model::index_by_id!(PageId => PageState);

/// `site.toml` and the theme once they have loaded, with the site view made
/// from them. An update borrows them for its whole run.
struct Loaded {
    inputs: SiteInputs,
    /// The site view of the last update that made outputs with these inputs.
    view: Option<View>,
    /// The fingerprint of the view the templates hold.
    view_given: Option<u64>,
}

/// The search index between updates.
#[derive(Debug)]
struct SearchState {
    /// The index inputs last handed out as a job, until its files come back.
    wanted: Option<Inputs>,
    /// The index as of the last one made; `None` while a job has it.
    index: Mutex<Option<search::Index>>,
}

/// A build kept in memory and brought up to date by [`Session::update`].
pub struct Session {
    opts: BuildOptions,
    highlighter: Highlighter,
    content_dir: PathBuf,
    defer_search: bool,
    /// Where the bytes of made files go; the session keeps what it returns.
    store: Arc<dyn Store>,
    /// Changes not yet applied (an update that stopped at a broken `site.toml` keeps them).
    pending: Changes,
    /// `None` until `site.toml` and the theme first load (and while an update borrows them).
    loaded: Option<Loaded>,
    /// Why `site.toml` or the theme cannot be loaded, until they are fixed.
    input_error: Option<Diagnostic>,
    /// `site.toml` and the theme's files as stamped just before they were last loaded.
    input_stamps: Stamps,
    /// The last update failed: sources were read that the published files do not show.
    failed: bool,
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
    /// Fingerprint of where links can point; when it changes, all markdown is rendered again.
    link_map: u64,
    /// One record per page of `site.pages`.
    pages: Vec<PageState>,
    /// The markdown settings every page in `pages` was rendered with.
    rendered_with: markdown::Settings,
    /// What the checks across every question found: ids used twice, the item-writing lints.
    across_questions: Vec<Diagnostic>,
    /// The view's key when files were last published.
    view_published: Option<u64>,
    /// What updates since the last published one reached: a failed update's
    /// changes are still to be made by the next one that succeeds.
    unpublished: Scope,
    search: SearchState,
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
            store: Arc::new(InMemory),
            pending: Changes::everything(),
            loaded: None,
            input_error: None,
            input_stamps: Stamps::new(),
            failed: false,
            sources: BTreeMap::new(),
            walk_diags: Vec::new(),
            asset_stamps: HashMap::new(),
            site: Arc::new(Site::default()),
            assemble_diags: Vec::new(),
            shape: 0,
            link_map: 0,
            pages: Vec::new(),
            rendered_with: markdown::Settings::default(),
            across_questions: Vec::new(),
            view_published: None,
            unpublished: Scope::All,
            search: SearchState { wanted: None, index: Mutex::new(Some(search::Index::default())) },
            published: Published::default(),
        }
    }

    /// A new session with the same options, that will build everything again.
    pub fn restart(&self) -> Session {
        let fresh = Session::new(self.opts.clone(), self.highlighter.clone());
        Session { defer_search: self.defer_search, store: self.store.clone(), ..fresh }
    }

    /// Hands the bytes of every file made to `store` instead of keeping them.
    pub fn with_store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = store;
        self
    }

    /// Leaves the search index to the [`SearchJob`] each update returns,
    /// instead of making it before the update returns.
    pub fn defer_search(mut self) -> Self {
        self.defer_search = true;
        self
    }

    /// Whether drafts are built.
    pub fn drafts(&self) -> bool {
        self.opts.drafts
    }

    /// The config of the last loaded `site.toml`, if one ever loaded.
    pub fn config(&self) -> Option<&SiteConfig> {
        self.loaded.as_ref().map(|l| &l.inputs.config)
    }

    /// The files of the last successful update, by output path.
    pub fn files(&self) -> &Arc<Files> {
        &self.published.files
    }

    /// Every source file the published files were made from, by its path under
    /// the root (`site.toml`, each file under `themes/` and `content/`), with the
    /// stamp it had just before it was read. `None` while the published files
    /// are not a whole build of them: before a first good build, or while
    /// the search index is out on a job.
    pub fn sources_read(&self) -> Option<Stamps> {
        if self.failed || self.view_published.is_none() || self.search.wanted.is_some() || self.loaded.is_none() {
            return None;
        }
        let mut out = self.input_stamps.clone();
        let content = Path::new("content");
        out.extend(self.sources.iter().map(|(p, s)| (content.join(p), s.stamp)));
        out.extend(self.asset_stamps.iter().map(|(p, s)| (content.join(p), *s)));
        Some(out)
    }

    /// True while the search index of the published files is being made on a job.
    pub fn search_pending(&self) -> bool {
        self.search.wanted.is_some()
    }

    /// Applies `changes` and rebuilds what they touch. On errors, every
    /// diagnostic is returned and the published files stay as they were; the
    /// next update starts from what this one read.
    pub fn update(&mut self, changes: &Changes) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        let mut laps = Laps::start();
        self.pending.merge(changes);
        let mut scope = Scope::none();
        self.failed = true;
        let mut loaded = self.take_inputs(&mut scope).map_err(|d| Diagnostics(vec![d]))?;
        laps.lap("config and theme");
        let result = self.update_with(&mut loaded, scope, &mut laps);
        self.loaded = Some(loaded);
        let mut update = result?;
        self.failed = false;
        update.elapsed = started.elapsed();
        update.timings = laps.laps;
        Ok(update)
    }

    /// `site.toml` and the theme, loaded again when they changed or when the
    /// last try failed, lent to the update that asks: it must put them back.
    fn take_inputs(&mut self, scope: &mut Scope) -> Result<Loaded, Diagnostic> {
        let stale = self.pending.config || self.pending.theme || self.input_error.is_some();
        match self.loaded.take() {
            Some(loaded) if !stale => Ok(loaded),
            kept => match (input_stamps(&self.opts.root), SiteInputs::load(&self.opts)) {
                (stamps, Ok(inputs)) => {
                    self.input_stamps = stamps;
                    self.input_error = None;
                    *scope = Scope::All;
                    Ok(Loaded { inputs, view: None, view_given: None })
                }
                (_, Err(d)) => {
                    self.loaded = kept;
                    self.input_error = Some(d.clone());
                    Err(d)
                }
            },
        }
    }

    /// The update after its inputs are loaded: sources, checks, outputs.
    fn update_with(&mut self, loaded: &mut Loaded, mut scope: Scope, laps: &mut Laps) -> Result<Update, Diagnostics> {
        let changes = std::mem::take(&mut self.pending);
        // New markdown settings render every page again.
        let restyled = self.rendered_with != loaded.inputs.markdown;
        if restyled {
            self.rendered_with = loaded.inputs.markdown.clone();
        }
        let (reread, reshaped) = self.refresh_sources(&changes);
        laps.lap("sources");
        if reshaped || restyled || !reread.is_empty() {
            let fresh: HashMap<PathBuf, Read> = reread
                .par_iter()
                .map(|p| {
                    let st = stamp(&self.content_dir.join(p));
                    (p.clone(), (st, loader::read_page(&self.opts.root, &self.content_dir, &self.sources[p].found)))
                })
                .collect();
            laps.lap("read");
            if !reshaped && !restyled && fresh.iter().all(|(p, (_, r))| self.fits_in_place(p, r)) {
                let replaced = self.replace_in_place(fresh);
                if !matches!(scope, Scope::All) {
                    scope = replaced;
                }
            } else {
                self.reassemble(fresh, restyled, laps);
                scope = Scope::All;
            }
            laps.lap("quizzes and markdown");
        }
        self.check(&scope, &loaded.inputs.config.quiz);
        laps.lap("checks");
        self.unpublished.merge(&scope);
        // The warnings are gathered only when asked for (`warnings`), after
        // the pages have heard of the update: 30,000 of them take a while.
        if self.fails() {
            let mut diags = self.diagnostics();
            diags.sort();
            return Err(diags);
        }
        laps.lap("diagnostics looked at");
        let mut update = self.make_outputs(loaded, laps)?;
        update.checked = true;
        update.pages = self.site.pages.len();
        update.questions = self.pages.iter().map(|p| p.questions.len()).sum();
        Ok(update)
    }

    /// Every warning of the site as it is after a successful update, sorted.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut diags = self.diagnostics();
        diags.sort();
        diags.0
    }

    /// Every diagnostic of the site as it is now, errors and warnings.
    fn diagnostics(&self) -> Diagnostics {
        let mut diags = Diagnostics(self.held_diagnostics().cloned().collect());
        if self.site.home.is_none() && !diags.has_errors() {
            diags.push(no_home_page());
        }
        diags
    }

    /// True if [`Self::diagnostics`] holds an error, found without gathering
    /// them: one of those held, or the missing home page (itself an error).
    fn fails(&self) -> bool {
        self.site.home.is_none() || self.held_diagnostics().any(Diagnostic::is_error)
    }

    /// The diagnostics the session's parts hold, in no particular order.
    fn held_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        let broken = self.sources.values().flat_map(|s| match &s.status {
            Status::Broken { errors, .. } => &errors[..],
            _ => &[],
        });
        let quizzes = self.pages.iter().flat_map(|p| p.quiz_diags.iter().chain(&p.fragment_diags));
        let rendered =
            self.pages.iter().filter(|p| p.summary.diagnostics).flat_map(|p| &p.rendered.rendered.diagnostics);
        self.walk_diags
            .iter()
            .chain(broken)
            .chain(&self.assemble_diags)
            .chain(quizzes)
            .chain(&self.across_questions)
            .chain(rendered)
    }

    /// The checks that look across pages (duplicate question ids, the
    /// item-writing lints, links to anchors), again as far as `scope` reaches.
    fn check(&mut self, scope: &Scope, quiz_config: &QuizConfig) {
        let (all_questions, all_links, changed) = match scope {
            Scope::All => (true, true, &[][..]),
            Scope::Pages { pages, anchors_changed, questions_changed } => {
                (*questions_changed, *anchors_changed, &pages[..])
            }
        };
        // Both checks count over every question, and their diagnostics point
        // at questions: a save that leaves every question as it was (the
        // usual body or title edit) finds what the last one found.
        if all_questions {
            let all: Vec<_> = self
                .site
                .pages
                .iter()
                .zip(&self.pages)
                .flat_map(|(p, s)| s.questions.iter().map(move |q| (p, q)))
                .collect();
            self.across_questions = quiz::check_across(&all, quiz_config);
        }
        let (site, policy) = (&*self.site, &self.rendered_with.links);
        let fragments = |pages: &Vec<PageState>, i: PageId| {
            let links = &pages[i].rendered.rendered.links;
            check_fragments(site, i, policy, links, |j| &pages[j].rendered.rendered.anchors)
        };
        let found: Vec<(PageId, Vec<Diagnostic>)> = match all_links {
            true => {
                (0..self.pages.len()).into_par_iter().map(|i| (PageId(i), fragments(&self.pages, PageId(i)))).collect()
            }
            false => changed.iter().map(|&i| (i, fragments(&self.pages, i))).collect(),
        };
        for (i, diags) in found {
            self.pages[i].fragment_diags = diags;
        }
    }

    /// Installs a search index made from a job of this session, unless a later
    /// update has asked for another one meanwhile. Returns what changed.
    pub fn finish_search(&mut self, done: SearchDone) -> Option<Update> {
        if self.search.wanted != Some(done.inputs) {
            return None;
        }
        self.search.wanted = None;
        *self.search.index.get_mut().unwrap_or_else(|e| e.into_inner()) = Some(done.index);
        self.published.record.0.insert(Unit::SearchIndex, done.inputs);
        let mut update = Update { made: vec![(Unit::SearchIndex, Reason::Source)], ..Update::default() };
        self.publish(vec![(Unit::SearchIndex, done.files)], &[], &mut update);
        if let Some(loaded) = self.loaded.take() {
            self.publish_last(&loaded.inputs, &mut update);
            self.loaded = Some(loaded);
        }
        update.elapsed = done.elapsed;
        Some(update)
    }
}
