//! A build that can be brought up to date: the session keeps what the last
//! build computed (pages read, quizzes validated, markdown rendered, files
//! made) and, told what changed on disk, re-does only what that touches.
//!
//! 1. `site.toml` or the theme changed: load them again.
//! 2. Re-read the markdown files that changed; walk `content/` again only when
//!    files or folders appeared or vanished. A file that fails to load keeps
//!    its last good version in the site, so a bad save reports its error
//!    without reshaping navigation.
//! 3. Assemble the site from the pages kept and the pages read. Markdown is
//!    rendered again for pages read, or for every page when the link map
//!    (which files exist and their URLs) changed.
//! 4. Check everything a full build checks; any error fails the update and
//!    leaves the published files as they were.
//! 5. Compute the dependency record ([`super::deps`]) and make exactly the
//!    outputs whose fingerprints differ from the published build's.
//!
//! Published files change only when an update succeeds as a whole.

use super::deps::{self, Fingerprint, Inputs, Reason, Record, SiteParts, Unit};
use super::{
    check_fragments, neighbours, render_markdown, template_of, BuildOptions, Built, Contents, OutputFile, RenderedPage,
    Renderer, SiteInputs, Special, Stats,
};
use crate::content::load::{self as loader, Found};
use crate::content::model::Unavailable;
use crate::content::{Page, Site, Target};
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::quiz::{self, Question};
use crate::render::{self, SiteView};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
}

/// Measures the steps of an update.
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
    files: BTreeMap<String, Arc<Contents>>,
    unit_files: HashMap<Unit, Vec<String>>,
}

/// A build kept in memory and brought up to date by [`Session::update`].
pub struct Session {
    opts: BuildOptions,
    highlighter: Highlighter,
    content_dir: PathBuf,
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
    site: Site,
    /// What assembling the site reported (URL clashes, areas without `_index.md`).
    assemble_diags: Vec<Diagnostic>,
    /// Per page, in the order of `site.pages`.
    questions: Vec<Vec<Question>>,
    quiz_diags: Vec<Vec<Diagnostic>>,
    rendered: Vec<RenderedPage>,
    /// Fingerprint of where links can point; when it changes, all markdown is rendered again.
    link_map: u64,
    /// Fingerprint of the site view the templates were last given.
    view_given: Option<u64>,
    view: Option<SiteView>,
    published: Published,
}

impl Session {
    /// A session that has built nothing yet; the first [`Session::update`] builds everything.
    pub fn new(opts: BuildOptions, highlighter: Highlighter) -> Self {
        Session {
            content_dir: opts.root.join("content"),
            opts,
            highlighter,
            pending: Changes::everything(),
            inputs: None,
            input_error: None,
            sources: BTreeMap::new(),
            walk_diags: Vec::new(),
            asset_stamps: HashMap::new(),
            site: Site::default(),
            assemble_diags: Vec::new(),
            questions: Vec::new(),
            quiz_diags: Vec::new(),
            rendered: Vec::new(),
            link_map: 0,
            view_given: None,
            view: None,
            published: Published::default(),
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The config of the last loaded `site.toml`, if one ever loaded.
    pub fn config(&self) -> Option<&crate::config::SiteConfig> {
        self.inputs.as_ref().map(|i| &i.config)
    }

    /// The files of the last successful update, by output path.
    pub fn files(&self) -> &BTreeMap<String, Arc<Contents>> {
        &self.published.files
    }

    /// Consumes the session into the result `learn build` writes.
    pub fn into_built(self, warnings: Vec<Diagnostic>) -> Built {
        let inputs = self.inputs.expect("a successful update loaded the config");
        let files: Vec<OutputFile> = self
            .published
            .files
            .into_iter()
            .map(|(path, c)| OutputFile { path, contents: Arc::try_unwrap(c).unwrap_or_else(|c| (*c).clone()) })
            .collect();
        let stats = Stats {
            pages: self.site.pages.len(),
            questions: self.questions.iter().map(Vec::len).sum(),
            files: files.len(),
            elapsed: Duration::ZERO,
        };
        Built { config: inputs.config, files, stats, warnings }
    }

    /// Applies `changes` and rebuilds what they touch. On errors, every
    /// diagnostic is returned and the published files stay as they were; the
    /// next update starts from what this one read.
    pub fn update(&mut self, changes: &Changes) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        let mut laps = Laps::start();
        self.pending.merge(changes);
        if self.pending.config || self.pending.theme || self.inputs.is_none() || self.input_error.is_some() {
            match SiteInputs::load(&self.opts) {
                Ok(inputs) => {
                    self.inputs = Some(inputs);
                    self.input_error = None;
                    self.view_given = None;
                }
                Err(d) => self.input_error = Some(d),
            }
        }
        if let Some(d) = &self.input_error {
            return Err(Diagnostics(vec![d.clone()]));
        }
        let changes = std::mem::take(&mut self.pending);
        laps.lap("config and theme");

        let (reread, walked) = self.refresh_sources(&changes);
        laps.lap("sources");
        if walked || !reread.is_empty() {
            let fresh: HashMap<PathBuf, Read> = reread
                .par_iter()
                .map(|p| {
                    let st = stamp(&self.content_dir.join(p));
                    (p.clone(), (st, loader::read_page(&self.opts.root, &self.content_dir, &self.sources[p].found)))
                })
                .collect();
            laps.lap("read");
            self.reassemble(fresh, &mut laps);
        }

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
        for ds in &self.quiz_diags {
            diags.extend(ds.iter().cloned());
        }
        let all = self.site.pages.iter().zip(&self.questions).flat_map(|(p, qs)| qs.iter().map(move |q| (p, q)));
        diags.extend(quiz::duplicate_ids(all));
        for r in &self.rendered {
            diags.extend(r.rendered.diagnostics.iter().cloned());
        }
        diags.extend(check_fragments(&self.site, &self.rendered));
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

    /// Brings `sources` and the asset list up to date with the disk; returns the
    /// markdown files to read again, and whether `content/` was walked.
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
        if rescan {
            reread.extend(self.walk());
        }
        (reread, rescan)
    }

    /// True if a known file lies under `dir`.
    fn knows_folder(&self, dir: &Path) -> bool {
        self.sources.range(dir.to_path_buf()..).next().is_some_and(|(p, _)| p.starts_with(dir) && p != dir)
    }

    /// Walks `content/` again: forgets what is gone, returns what is new or has changed.
    fn walk(&mut self) -> BTreeSet<PathBuf> {
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
        self.site.assets = assets;
        self.walk_diags = walk_diags.0;
        reread
    }

    /// Assembles the site from the pages kept and the pages just read, carrying
    /// each kept page's quiz and rendered markdown over to its new position.
    fn reassemble(&mut self, mut fresh: HashMap<PathBuf, Read>, laps: &mut Laps) {
        let mut kept_pages = HashMap::with_capacity(self.site.pages.len());
        let mut kept_state = HashMap::with_capacity(self.site.pages.len());
        let mut questions = std::mem::take(&mut self.questions).into_iter();
        let mut quiz_diags = std::mem::take(&mut self.quiz_diags).into_iter();
        let mut rendered = std::mem::take(&mut self.rendered).into_iter();
        for page in std::mem::take(&mut self.site.pages) {
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
        let assets = std::mem::take(&mut self.site.assets);
        let mut site = loader::assemble(site_pages, assets, &mut diags);
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
        self.rendered = slots
            .into_par_iter()
            .enumerate()
            .map(|(i, slot)| slot.unwrap_or_else(|| render_markdown(&site, i, &questions[i], highlighter)))
            .collect();
        self.site = site;
        laps.lap("quizzes and markdown");
    }

    /// Computes the dependency record, makes what differs from the published
    /// build, and publishes the result.
    fn make_outputs(&mut self, laps: &mut Laps) -> Result<Update, Diagnostics> {
        let inputs = self.inputs.as_mut().expect("inputs are loaded before outputs are made");
        let minutes: Vec<u32> = self.rendered.iter().map(|r| r.minutes).collect();
        let view = render::site_view(&inputs.config, &self.site, &self.questions, &minutes);
        let parts = SiteParts::of(&view);
        laps.lap("site view");
        if self.view_given != Some(parts.fingerprint()) {
            inputs.templates.set_site(&view);
            self.view_given = Some(parts.fingerprint());
            laps.lap("site view to templates");
        }
        let inputs = self.inputs.as_ref().expect("loaded");
        let neighbours = neighbours(&self.site, &view.lesson_order);
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view,
            site: &self.site,
            pages: &self.rendered,
            neighbours: &neighbours,
            live_reload: self.opts.live_reload,
        };
        let record = self.record(inputs, &renderer, &parts);
        let plan = deps::plan(&self.published.record, &record);
        laps.lap("record and plan");

        // Make every unit of the plan in parallel; the search index, the
        // costliest by far, on its own so its time shows.
        let (search, others): (Vec<&(Unit, Reason)>, Vec<&(Unit, Reason)>) =
            plan.make.iter().partition(|(u, _)| *u == Unit::SearchIndex);
        let mut made: Vec<Result<Vec<OutputFile>, Diagnostic>> =
            others.par_iter().map(|(unit, _)| self.make(unit, inputs, &renderer)).collect();
        laps.lap("pages");
        made.extend(search.iter().map(|(unit, _)| self.make(unit, inputs, &renderer)));
        if !search.is_empty() {
            laps.lap("search index");
        }
        let order: Vec<&(Unit, Reason)> = others.into_iter().chain(search).collect();
        let mut diags = Diagnostics::default();
        let mut outputs = Vec::with_capacity(made.len());
        for (m, (unit, _)) in made.into_iter().zip(order) {
            match m {
                Ok(files) => outputs.push((unit.clone(), files)),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }

        let mut update = Update { made: plan.make.clone(), ..Update::default() };
        let published = &mut self.published;
        let mut files = published.files.clone();
        let mut removed = BTreeSet::new();
        for unit in &plan.remove {
            for path in published.unit_files.remove(unit).unwrap_or_default() {
                files.remove(&path);
                removed.insert(path);
            }
        }
        for (unit, made) in outputs {
            let paths: Vec<String> = made.iter().map(|f| f.path.clone()).collect();
            for old in published.unit_files.remove(&unit).unwrap_or_default() {
                if !paths.contains(&old) {
                    files.remove(&old);
                    removed.insert(old);
                }
            }
            let copied = matches!(unit, Unit::Asset(_));
            for f in made {
                let same = !copied && files.get(&f.path).is_some_and(|old| **old == f.contents);
                if !same {
                    removed.remove(&f.path);
                    update.changed.push(f.path.clone());
                    files.insert(f.path, Arc::new(f.contents));
                }
            }
            published.unit_files.insert(unit, paths);
        }
        update.changed.sort();
        update.removed = removed.into_iter().collect();
        published.files = files;
        published.record = record;
        self.view = Some(view);
        laps.lap("publish");
        Ok(update)
    }

    /// The fingerprints of everything this build makes.
    fn record(&self, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> Record {
        let theme = inputs.fingerprint;
        let pages: Vec<(Unit, Inputs)> = self
            .site
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let reads = inputs.reads_of(template_of(page.kind));
                let inputs = Inputs {
                    theme,
                    own: self.rendered[i].fingerprint,
                    nav: Fingerprint::default().json(&renderer.nav(i)).finish(),
                    site: parts.seen(&reads, page.area),
                };
                (Unit::Page(page.content_path.clone()), inputs)
            })
            .collect();
        let mut record = Record(pages.into_iter().collect());

        let every_page = |f: &dyn Fn(usize, Fingerprint) -> Fingerprint| {
            (0..self.site.pages.len()).fold(Fingerprint::default(), |h, i| f(i, h)).finish()
        };
        for s in Special::ALL {
            if s == Special::Search && !inputs.config.search.enabled {
                continue;
            }
            let own = match s {
                Special::Progress => every_page(&|i, h| h.add(&self.rendered[i].quiz_fingerprint)),
                Special::Sitemap => every_page(&|i, h| h.add(&self.site.pages[i].url.0)),
                _ => 0,
            };
            let site = s.template().map_or(0, |t| parts.seen(&inputs.reads_of(t), None));
            record.0.insert(Unit::Special(s.path()), Inputs { theme, own, nav: 0, site });
        }
        for (name, bytes) in &inputs.theme.statics {
            let own = xxhash_rust::xxh3::xxh3_64(bytes);
            record.0.insert(Unit::Static(name.clone()), Inputs { own, ..Inputs::default() });
        }
        let own = xxhash_rust::xxh3::xxh3_64(inputs.syntax_css.as_bytes());
        record.0.insert(Unit::SyntaxCss, Inputs { own, ..Inputs::default() });
        for a in &self.site.assets {
            let st = self.asset_stamps.get(&a.content_path).copied().flatten();
            let own = Fingerprint::default().add(&a.source).add(&a.url.0).add(&st).finish();
            record.0.insert(Unit::Asset(a.content_path.clone()), Inputs { own, ..Inputs::default() });
        }
        if inputs.config.search.enabled {
            let own = every_page(&|i, h| {
                let p = &self.site.pages[i];
                h.add(&p.content_path).add(&p.area).add(&self.rendered[i].fingerprint)
            });
            record.0.insert(Unit::SearchIndex, Inputs { theme, own, ..Inputs::default() });
        }
        record
    }

    /// Makes the files of one unit.
    fn make(&self, unit: &Unit, inputs: &SiteInputs, renderer: &Renderer<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let bytes = |path: &str, b: &[u8]| OutputFile { path: path.into(), contents: Contents::Bytes(b.to_vec()) };
        Ok(match unit {
            Unit::Page(path) => match self.site.targets.get(path) {
                Some(Target::Page(i)) => vec![renderer.page(*i)?],
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

/// Fingerprint of where links can point: the pages in order (their positions
/// are what rendered links refer to), their URLs, the assets and the pages left
/// out. Rendered markdown depends on nothing else outside its own page.
fn link_map_fingerprint(site: &Site) -> u64 {
    let mut h = Fingerprint::default();
    for p in &site.pages {
        h = h.add(&p.content_path).add(&p.url.0);
    }
    for a in &site.assets {
        h = h.add(&a.content_path).add(&a.url.0);
    }
    let mut left_out: Vec<(&PathBuf, bool)> =
        site.unavailable.iter().map(|(p, u)| (p, *u == Unavailable::Draft)).collect();
    left_out.sort();
    h.add(&left_out).finish()
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

        /// Asserts the published files are byte for byte those of a fresh build.
        fn assert_fresh(&self) {
            let mut fresh = Session::new(options(self.dir.path()), Highlighter::default());
            fresh.update(&Changes::everything()).expect("a fresh build succeeds");
            let (a, b) = (self.session.files(), fresh.files());
            let paths = |m: &BTreeMap<String, Arc<Contents>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(a), paths(b), "same files");
            for (path, contents) in a {
                assert!(**contents == *b[path], "{path} differs from a fresh build");
            }
        }
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
        let before = site.session.files().clone();
        site.edit("content/02-later/zeta.md", |t| t.replace("weight: 1", "weight: [1"));
        let err = site.saved(&["02-later/zeta.md"]).unwrap_err();
        assert!(err.0.iter().any(|d| d.path.as_deref() == Some(Path::new("content/02-later/zeta.md"))), "{err:?}");
        assert!(*site.session.files() == before, "a failed update publishes nothing");
        // Another file saved meanwhile: still failing, still the same published files.
        site.edit("content/02-later/alpha.md", |t| t + "More.\n");
        assert!(site.saved(&["02-later/alpha.md"]).is_err());
        assert!(*site.session.files() == before);

        site.edit("content/02-later/zeta.md", |t| t.replace("weight: [1", "weight: 1"));
        let u = site.saved(&["02-later/zeta.md"]).unwrap();
        assert_eq!(made(&u), set(&["02-later/alpha.md", "search"]), "zeta is as it was; alpha changed meanwhile");
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
