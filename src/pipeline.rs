//! The build pipeline: config → content model → quizzes → markdown → pages, all
//! in memory. Writing files is `output.rs`'s job; `check` stops before it.
//!
//! One engine serves `learn build`, `learn serve` and `learn watch`: a
//! [`Session`] keeps what a build computed, and [`Session::update`] re-does only
//! what a change touches, decided by the dependency record in [`deps`]. `build`
//! is a session's first build, with the session thrown away after it.
//!
//! The stages below are plain functions of their inputs; the session decides
//! which to call again.

mod deps;
mod full;
mod session;

pub use deps::{Plan, Reason, Unit};
pub use full::{build, Sink, Summary};
pub use session::{Changes, SearchDone, SearchJob, Session, Update};

use crate::config::SiteConfig;
use crate::content::{self, PageKind, Site};
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::markdown::{self, LinkRef, RenderCtx, Rendered};
use crate::quiz::Question;
use crate::render::{self, Crumb, FaqView, NavLink, PageContext, SiteView, Templates};
use crate::theme::Theme;
use deps::{Fingerprint, Reads};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// Bytes made by the build, or a source file copied as it is.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Bytes kept by the search index between builds, handed out without a copy.
    Shared(Arc<[u8]>),
    Copy(PathBuf),
}

impl PartialEq for Contents {
    fn eq(&self, other: &Contents) -> bool {
        match (self, other) {
            (Contents::Copy(a), Contents::Copy(b)) => a == b,
            // Shared bytes are mostly the very same bytes: no need to read them.
            (Contents::Shared(a), Contents::Shared(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.bytes().is_some() && self.bytes() == other.bytes(),
        }
    }
}

impl Contents {
    /// The bytes, unless this is a file to copy.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Contents::Bytes(b) => Some(b),
            Contents::Shared(b) => Some(b),
            Contents::Copy(_) => None,
        }
    }
}

/// The files of a build by output path, shared: a new build copies the map
/// (its keys and values are reference-counted), never the files. Hashed, not
/// ordered: a save at 10,000 lessons looks up some 20,000 paths.
pub type Files = HashMap<Arc<str>, Arc<Contents>>;

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

/// Reads `site.toml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostic> {
    read_config(root, base_url).map(|(config, _)| config)
}

/// The config and the text it came from (the text is what a rebuild compares).
fn read_config(root: &Path, base_url: Option<&str>) -> Result<(SiteConfig, String), Diagnostic> {
    let path = root.join("site.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(format!("cannot read site.toml: {e}"))
            .in_file(&path)
            .with_hint("run learn in the site's folder, or pass --root DIR")
    })?;
    let text = content::load::normalise_text(text);
    let mut config = SiteConfig::parse(&text, Path::new("site.toml"))?;
    if let Some(url) = base_url {
        config.set_base_url(url);
    }
    Ok((config, text))
}

/// Builds the site into memory (for tests and tools; `learn build` streams
/// its files to disk with [`build`]). On failure, every diagnostic found is returned.
pub fn build_in_memory(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Built, Diagnostics> {
    let files = std::sync::Mutex::new(Vec::new());
    let keep = |f: OutputFile| {
        files.lock().expect("no panics while holding the list").push(f);
        Ok(())
    };
    let summary = build(opts, highlighter, &keep)?;
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

/// Prints the steps' times to stderr when `LEARN_TIMINGS` is set.
pub fn print_timings(timings: &[(&'static str, Duration)]) {
    if std::env::var_os("LEARN_TIMINGS").is_some() {
        for (step, took) in timings {
            eprintln!("  {step:>24}: {:>8.2} ms", took.as_secs_f64() * 1000.0);
        }
    }
}

/// The site-wide inputs: `site.toml` and the theme, loaded and compiled.
struct SiteInputs {
    config: SiteConfig,
    theme: Theme,
    templates: Templates,
    syntax_css: String,
    /// What each template reads of `site` and `area`.
    reads: HashMap<String, Reads>,
    /// Fingerprint of the config text, the templates and the build options.
    fingerprint: u64,
}

impl SiteInputs {
    fn load(opts: &BuildOptions) -> Result<Self, Diagnostic> {
        let (config, text) = read_config(&opts.root, opts.base_url.as_deref())?;
        let theme = crate::theme::load(&opts.root, &config.theme)?;
        let templates = Templates::new(&theme)?;
        let syntax_css = crate::highlight::stylesheet(&config.highlight.light, &config.highlight.dark)
            .map_err(|m| Diagnostic::error(m).in_file("site.toml"))?;
        let reads = deps::scan_templates(&theme.templates);
        let fingerprint = Fingerprint::default()
            .add(&text)
            .add(&opts.base_url)
            .add(&opts.drafts)
            .add(&opts.live_reload)
            .add(&theme.templates)
            .finish();
        Ok(SiteInputs { config, theme, templates, syntax_css, reads, fingerprint })
    }

    /// What `template` reads; a template this theme does not have reads everything.
    fn reads_of(&self, template: &str) -> Reads {
        self.reads.get(template).copied().unwrap_or(Reads::ALL)
    }
}

/// A page's markdown, quiz and FAQ rendered to HTML fragments. Its parts are
/// shared, so a copy costs nothing: a search index can be made from one
/// build's pages on another thread while the next build goes on.
#[derive(Debug, Clone)]
pub struct RenderedPage(Arc<PageParts>);

impl std::ops::Deref for RenderedPage {
    type Target = PageParts;

    fn deref(&self) -> &PageParts {
        &self.0
    }
}

/// What [`RenderedPage`] holds.
#[derive(Debug)]
pub struct PageParts {
    pub rendered: Rendered,
    pub quiz: Vec<render::QuestionView>,
    pub quiz_json: String,
    pub faq: Vec<FaqView>,
    pub questions: Vec<Question>,
    /// The page's entries in the progress page's question index.
    pub question_index: String,
    /// Reading time in minutes, as shown on the page and its cards.
    pub minutes: u32,
    /// Fingerprint of everything above that reaches a template.
    pub fingerprint: u64,
    /// Fingerprint of the quiz views alone (the progress page lists every question).
    pub quiz_fingerprint: u64,
    /// Fingerprint of what the site view shows of this page: title, summary, URL, time, question ids.
    pub card_fingerprint: u64,
    /// Fingerprint of the ids links may point at (`rendered.anchors`).
    pub anchors_fingerprint: u64,
}

fn render_markdown(site: &Site, i: usize, questions: &[Question], highlighter: &Highlighter) -> RenderedPage {
    let page = &site.pages[i];
    let root = render::root_prefix(&page.url.0);
    let ctx = RenderCtx { site, page: i, highlighter, root: &root };
    let mut rendered = markdown::render_body(&ctx, page.body(), page.body_start);
    let quiz = render::question_views(&ctx, questions, &mut rendered);
    let mut faq = Vec::new();
    let fm_offset = 0;
    for entry in &page.front.faq {
        let id = unique_faq_id(&entry.q, &rendered.anchors);
        rendered.anchors.insert(id.clone());
        let answer = markdown::render_snippet(&ctx, &entry.a, fm_offset, &mut rendered);
        faq.push(FaqView { id, question: entry.q.clone(), answer });
    }
    for q in questions {
        rendered.anchors.insert(format!("q-{}", q.id.0));
    }
    let quiz_json = render::quiz_json(questions);
    let question_index = render::question_index_entries(page, questions);
    let minutes = render::page_minutes(page);
    let quiz_fingerprint = Fingerprint::default().json(&quiz).add(&quiz_json).add(&question_index).finish();
    let fingerprint = Fingerprint::default()
        .add(&page.text)
        .add(&rendered.html)
        .json(&rendered.headings)
        .json(&faq)
        .add(&quiz_fingerprint)
        .add(&minutes)
        .finish();
    let ids: Vec<&str> = questions.iter().map(|q| q.id.0.as_str()).collect();
    let card_fingerprint = Fingerprint::default()
        .add(&page.title)
        .add(&page.front.summary)
        .add(&page.url.0)
        .add(&minutes)
        .add(&ids)
        .finish();
    let mut anchors: Vec<&String> = rendered.anchors.iter().collect();
    anchors.sort();
    let anchors_fingerprint = Fingerprint::default().add(&anchors).finish();
    RenderedPage(Arc::new(PageParts {
        anchors_fingerprint,
        card_fingerprint,
        quiz_json,
        rendered,
        quiz,
        faq,
        questions: questions.to_vec(),
        question_index,
        minutes,
        fingerprint,
        quiz_fingerprint,
    }))
}

fn unique_faq_id(question: &str, taken: &HashSet<String>) -> String {
    let base = format!("faq-{}", markdown::heading_id(question));
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Reports links of page `i` whose `#fragment` names no heading or id on the
/// target page; `anchors(j)` gives the ids of page `j`.
fn check_fragments<'a>(
    site: &Site,
    i: usize,
    links: &[LinkRef],
    anchors: impl Fn(usize) -> &'a HashSet<String>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let page = &site.pages[i];
    for link in links {
        let Some(fragment) = &link.fragment else { continue };
        let decoded = crate::html::decode(fragment);
        let anchors = anchors(link.target);
        if !anchors.contains(fragment) && !anchors.contains(decoded.as_ref()) {
            let target = &site.pages[link.target];
            let mut known: Vec<&String> = anchors.iter().collect();
            known.sort();
            let hint = match crate::diag::closest(&decoded, known.iter().map(|a| a.as_str())) {
                Some(close) => format!("did you mean `#{close}`?"),
                None if known.is_empty() => format!("{} has no headings or ids", target.source.display()),
                None => format!(
                    "{} has: {}",
                    target.source.display(),
                    known.iter().take(8).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(format!("link `{}` points at a missing anchor `#{decoded}`", link.written))
                    .in_file(&page.source)
                    .at_offset(&page.text, link.file_offset)
                    .with_hint(hint),
            );
        }
    }
    diags
}

/// The template a page of this kind is rendered with.
fn template_of(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home.html",
        PageKind::Area => "area.html",
        PageKind::Lesson => "lesson.html",
        PageKind::Standalone => "page.html",
    }
}

/// The pages with no markdown source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Search,
    Progress,
    NotFound,
    Sitemap,
    Robots,
    NoJekyll,
}

impl Special {
    const ALL: [Special; 6] =
        [Special::Search, Special::Progress, Special::NotFound, Special::Sitemap, Special::Robots, Special::NoJekyll];

    fn path(self) -> &'static str {
        match self {
            Special::Search => "search/index.html",
            Special::Progress => "progress/index.html",
            Special::NotFound => "404.html",
            Special::Sitemap => "sitemap.xml",
            Special::Robots => "robots.txt",
            Special::NoJekyll => ".nojekyll",
        }
    }

    fn template(self) -> Option<&'static str> {
        match self {
            Special::Search => Some("search.html"),
            Special::Progress => Some("progress.html"),
            Special::NotFound => Some("404.html"),
            Special::Sitemap => Some("sitemap.xml"),
            Special::Robots | Special::NoJekyll => None,
        }
    }
}

/// Where the progress page's question index goes (`quiz_json` in its template).
const QUESTION_INDEX_SLOT: &str = "\u{0}learn-question-index\u{0}";

/// The links a page shows to other pages.
#[derive(Debug, Clone, Default)]
struct PageNav {
    breadcrumbs: Vec<Crumb>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
}

/// Everything page templates are filled from, borrowed for one build.
struct Renderer<'a> {
    templates: &'a Templates,
    view: &'a SiteView,
    site: &'a Site,
    /// Each page's entries in the progress page's question index, by page index.
    question_index: &'a [&'a str],
    /// Previous and next lesson of each page, by page index.
    neighbours: &'a [(Option<usize>, Option<usize>)],
    live_reload: bool,
}

/// Previous and next lesson of every page, from the curriculum order.
fn neighbours(site: &Site, order: &[usize]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = vec![(None, None); site.pages.len()];
    for (pos, &i) in order.iter().enumerate() {
        out[i] = (pos.checked_sub(1).map(|p| order[p]), order.get(pos + 1).copied());
    }
    out
}

impl Renderer<'_> {
    fn link(&self, i: usize) -> NavLink {
        let p = &self.site.pages[i];
        NavLink { title: p.title.clone(), url: p.url.0.clone() }
    }

    /// The links page `i` shows to other pages: its breadcrumbs, previous and next.
    fn nav(&self, i: usize) -> PageNav {
        let (prev, next) = self.neighbours[i];
        PageNav {
            breadcrumbs: render::breadcrumbs(self.site, i),
            prev: prev.map(|p| self.link(p)),
            next: next.map(|n| self.link(n)),
        }
    }

    /// Fingerprint of what [`Renderer::nav`] shows, from the pages it is made
    /// of (its own, its area's, its neighbours'), without building it: every
    /// page's is needed on every rebuild.
    fn nav_fingerprint(&self, i: usize) -> u64 {
        let link = |j: Option<usize>| {
            j.map(|j| {
                let p = &self.site.pages[j];
                (p.title.as_str(), p.url.0.as_str())
            })
        };
        let page = &self.site.pages[i];
        let area = match page.kind {
            PageKind::Lesson => page.area.map(|a| self.site.areas[a].page),
            _ => None,
        };
        let (prev, next) = self.neighbours[i];
        Fingerprint::default().add(&link(Some(i))).add(&link(area)).add(&link(prev)).add(&link(next)).finish()
    }

    fn context(&self, i: usize, r: &PageParts) -> PageContext {
        let page = &self.site.pages[i];
        let nav = self.nav(i);
        let url = page.url.0.clone();
        PageContext {
            root: render::root_prefix(&url),
            kind: match page.kind {
                PageKind::Home => "home",
                PageKind::Area => "area",
                PageKind::Lesson => "lesson",
                PageKind::Standalone => "page",
            },
            canonical: format!("{}{}", self.view.base_url, url),
            url,
            title: page.title.clone(),
            summary: page.front.summary.clone(),
            objectives: page.front.objectives.clone(),
            minutes: r.minutes,
            tags: page.front.tags.clone(),
            breadcrumbs: nav.breadcrumbs,
            toc: r.rendered.headings.clone(),
            content: r.rendered.html.clone(),
            quiz: r.quiz.clone(),
            quiz_json: r.quiz_json.clone(),
            faq: r.faq.clone(),
            prev: nav.prev,
            next: nav.next,
            area: page.area,
            live_reload: self.live_reload,
        }
    }

    /// Renders page `i`'s HTML file from its rendered markdown `r`.
    fn page(&self, i: usize, r: &PageParts) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[i];
        let html = self
            .templates
            .render_page(template_of(page.kind), &self.context(i, r))
            .map_err(|d| d.in_file(&page.source))?;
        Ok(OutputFile { path: page.url.output_file(), contents: Contents::Bytes(html.into_bytes()) })
    }

    /// A context for a page with no markdown source.
    fn blank(&self, title: &str, url: &str, kind: &'static str) -> PageContext {
        PageContext {
            root: render::root_prefix(url),
            kind,
            url: url.into(),
            canonical: format!("{}{}", self.view.base_url, url),
            title: title.into(),
            summary: None,
            objectives: Vec::new(),
            minutes: 0,
            tags: Vec::new(),
            breadcrumbs: vec![
                Crumb { title: "Home".into(), url: String::new() },
                Crumb { title: title.into(), url: url.into() },
            ],
            toc: Vec::new(),
            content: String::new(),
            quiz: Vec::new(),
            quiz_json: "[]".into(),
            faq: Vec::new(),
            prev: None,
            next: None,
            area: None,
            live_reload: self.live_reload,
        }
    }

    /// Renders a page with no markdown source.
    fn special(&self, which: Special) -> Result<OutputFile, Diagnostic> {
        let view = self.view;
        let bytes = match which {
            Special::Search => self.html(which, &self.blank("Search", "search/", "search"))?,
            Special::Progress => {
                let mut progress = self.blank("Your progress", "progress/", "progress");
                let order = self.site.lesson_order().into_iter().chain(self.site.standalone.iter().copied());
                let index = render::question_index_json(order.map(|i| self.question_index[i]));
                // The index is megabytes at 10,000 lessons: put it in after the
                // template has run rather than through the template engine.
                progress.quiz_json = QUESTION_INDEX_SLOT.into();
                let html = String::from_utf8(self.html(which, &progress)?).expect("templates make text");
                match html.split_once(QUESTION_INDEX_SLOT) {
                    Some((head, tail)) => [head, &index, tail].concat().into_bytes(),
                    None => html.into_bytes(),
                }
            }
            Special::NotFound => {
                // The 404 page is served at any depth, so its links start from the base path.
                let mut not_found = self.blank("Page not found", "404.html", "404");
                not_found.root = view.base_path.clone();
                not_found.breadcrumbs.clear();
                self.html(which, &not_found)?
            }
            Special::Sitemap => {
                let mut urls: Vec<&str> = self.site.pages.iter().map(|p| p.url.0.as_str()).collect();
                urls.sort();
                let ctx = serde_json::json!({ "base_url": view.base_url, "urls": urls });
                self.templates.render("sitemap.xml", &ctx)?.into_bytes()
            }
            Special::Robots => format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", view.base_url).into_bytes(),
            Special::NoJekyll => Vec::new(),
        };
        Ok(OutputFile { path: which.path().into(), contents: Contents::Bytes(bytes) })
    }

    fn html(&self, which: Special, ctx: &PageContext) -> Result<Vec<u8>, Diagnostic> {
        let template = which.template().expect("an HTML special page has a template");
        Ok(self.templates.render_page(template, ctx)?.into_bytes())
    }
}
