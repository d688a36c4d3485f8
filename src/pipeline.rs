//! The build pipeline: config → content model → render → output files, all in
//! memory. Writing them is `output.rs`'s job; `check` stops before it.

use crate::config::SiteConfig;
use crate::content::{self, PageKind, Site};
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::markdown::{self, RenderCtx, Rendered};
use crate::quiz::{self, Question};
use crate::render::{self, FaqView, NavLink, PageContext, SiteView, Templates};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
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
    Copy(PathBuf),
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

/// Reads `site.toml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostic> {
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
    Ok(config)
}

/// Runs the whole pipeline in memory. On failure, every diagnostic found is returned.
pub fn build(opts: &BuildOptions, highlighter: &Highlighter) -> Result<Built, Diagnostics> {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let config = load_config(&opts.root, opts.base_url.as_deref()).map_err(one)?;
    let theme = crate::theme::load(&opts.root, &config.theme).map_err(one)?;
    let mut templates = Templates::new(&theme).map_err(one)?;
    let syntax_css = crate::highlight::stylesheet(&config.highlight.light, &config.highlight.dark)
        .map_err(|m| one(Diagnostic::error(m).in_file("site.toml")))?;

    let (site, load_diags) = content::load(&opts.root, content::LoadOptions { drafts: opts.drafts });
    diags.extend(load_diags.0);
    if site.home.is_none() && !diags.has_errors() {
        diags.push(Diagnostic::error("no home page").in_file("content/_index.md").with_hint("create `content/_index.md` with a title"));
    }

    // Quizzes, then markdown, page by page in parallel.
    let validated: Vec<(Vec<Question>, Vec<Diagnostic>)> = site.pages.par_iter().map(quiz::validate).collect();
    let mut questions = Vec::with_capacity(validated.len());
    for (qs, ds) in validated {
        diags.extend(ds);
        questions.push(qs);
    }
    let all = site.pages.iter().zip(&questions).flat_map(|(p, qs)| qs.iter().map(move |q| (p, q)));
    diags.extend(quiz::duplicate_ids(all));

    let view = render::site_view(&config, &site, &questions);
    templates.set_site(&view);
    let pages: Vec<RenderedPage> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| render_markdown(&site, i, &questions[i], highlighter))
        .collect();
    for p in &pages {
        diags.extend(p.rendered.diagnostics.iter().cloned());
    }
    diags.extend(check_fragments(&site, &pages));
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }

    let html: Vec<Result<OutputFile, Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| render_page(&templates, &view, &site, &pages, i, opts.live_reload))
        .collect();
    let mut files = Vec::with_capacity(site.pages.len() + site.assets.len() + 16);
    for f in html {
        match f {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    let extra = special_pages(&templates, &view, &site, &pages, &config, opts.live_reload);
    match extra {
        Ok(extra) => files.extend(extra),
        Err(d) => diags.push(d),
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    for (name, bytes) in &theme.statics {
        files.push(OutputFile { path: name.clone(), contents: Contents::Bytes(bytes.clone()) });
    }
    files.push(OutputFile { path: "assets/syntax.css".into(), contents: Contents::Bytes(syntax_css.into_bytes()) });
    for a in &site.assets {
        files.push(OutputFile { path: a.url.0.clone(), contents: Contents::Copy(a.source.clone()) });
    }
    if config.search.enabled {
        files.extend(crate::search::index_files(&site, &pages, &config));
    }
    let stats = Stats {
        pages: site.pages.len(),
        questions: questions.iter().map(Vec::len).sum(),
        files: files.len(),
        elapsed: started.elapsed(),
    };
    diags.sort();
    Ok(Built { config, files, stats, warnings: diags.0 })
}

/// A page's markdown, quiz and FAQ rendered to HTML fragments.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub rendered: Rendered,
    pub quiz: Vec<render::QuestionView>,
    pub quiz_json: String,
    pub faq: Vec<FaqView>,
    pub questions: Vec<Question>,
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
        faq.push(FaqView { id, question: crate::html::escape(&entry.q), answer });
    }
    for q in questions {
        rendered.anchors.insert(format!("q-{}", q.id.0));
    }
    RenderedPage { quiz_json: render::quiz_json(questions), rendered, quiz, faq, questions: questions.to_vec() }
}

fn unique_faq_id(question: &str, taken: &std::collections::HashSet<String>) -> String {
    let base = format!("faq-{}", markdown::heading_id(question));
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Reports links whose `#fragment` names no heading or id on the target page.
fn check_fragments(site: &Site, pages: &[RenderedPage]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let page = &site.pages[i];
        for link in &p.rendered.links {
            let Some(fragment) = &link.fragment else { continue };
            let decoded = fragment.replace("%20", " ");
            let anchors = &pages[link.target].rendered.anchors;
            if !anchors.contains(fragment) && !anchors.contains(&decoded) {
                let target = &site.pages[link.target];
                let mut known: Vec<&String> = anchors.iter().collect();
                known.sort();
                let hint = match known.iter().find(|a| a.contains(fragment.as_str()) || fragment.contains(a.as_str())) {
                    Some(close) => format!("did you mean `#{close}`?"),
                    None if known.is_empty() => format!("{} has no headings or ids", target.source.display()),
                    None => format!("{} has: {}", target.source.display(), known.iter().take(8).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ")),
                };
                diags.push(
                    Diagnostic::error(format!("link `{}` points at a missing anchor `#{fragment}`", link.written))
                        .in_file(&page.source)
                        .at_offset(&page.text, link.file_offset)
                        .with_hint(hint),
                );
            }
        }
    }
    diags
}

fn base_context(view: &SiteView, site: &Site, i: usize, live_reload: bool) -> PageContext {
    let page = &site.pages[i];
    let url = page.url.0.clone();
    PageContext {
        root: render::root_prefix(&url),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Area => "area",
            PageKind::Lesson => "lesson",
            PageKind::Standalone => "page",
        },
        canonical: format!("{}{}", view.base_url, url),
        url,
        title: page.title.clone(),
        summary: page.front.summary.clone(),
        objectives: page.front.objectives.clone(),
        minutes: page.front.minutes.unwrap_or_else(|| render::reading_minutes(page.body())),
        tags: page.front.tags.clone(),
        breadcrumbs: render::breadcrumbs(site, i),
        toc: Vec::new(),
        content: String::new(),
        quiz: Vec::new(),
        quiz_json: "[]".into(),
        faq: Vec::new(),
        prev: None,
        next: None,
        area: page.area,
        live_reload,
    }
}

/// Renders one page's HTML file. Depends on the page, the site view and the templates only.
pub fn render_page(
    templates: &Templates,
    view: &SiteView,
    site: &Site,
    pages: &[RenderedPage],
    i: usize,
    live_reload: bool,
) -> Result<OutputFile, Diagnostic> {
    let page = &site.pages[i];
    let r = &pages[i];
    let mut ctx = base_context(view, site, i, live_reload);
    ctx.toc = r.rendered.headings.clone();
    ctx.content = r.rendered.html.clone();
    ctx.quiz = r.quiz.clone();
    ctx.quiz_json = r.quiz_json.clone();
    ctx.faq = r.faq.clone();
    if page.kind == PageKind::Lesson {
        let order = &view.lesson_order;
        if let Some(pos) = order.iter().position(|&l| l == i) {
            let link = |j: usize| NavLink { title: site.pages[j].title.clone(), url: site.pages[j].url.0.clone() };
            ctx.prev = pos.checked_sub(1).map(|p| link(order[p]));
            ctx.next = order.get(pos + 1).map(|&n| link(n));
        }
    }
    let template = match page.kind {
        PageKind::Home => "home.html",
        PageKind::Area => "area.html",
        PageKind::Lesson => "lesson.html",
        PageKind::Standalone => "page.html",
    };
    let html = templates.render_page(template, &ctx).map_err(|d| d.in_file(&page.source))?;
    Ok(OutputFile { path: page.url.output_file(), contents: Contents::Bytes(html.into_bytes()) })
}

/// The pages with no markdown source: search, progress, 404, sitemap, robots, `.nojekyll`.
fn special_pages(
    templates: &Templates,
    view: &SiteView,
    site: &Site,
    pages: &[RenderedPage],
    config: &SiteConfig,
    live_reload: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let blank = |title: &str, url: &str, kind: &'static str| PageContext {
        root: render::root_prefix(url),
        kind,
        url: url.into(),
        canonical: format!("{}{}", view.base_url, url),
        title: title.into(),
        summary: None,
        objectives: Vec::new(),
        minutes: 0,
        tags: Vec::new(),
        breadcrumbs: vec![
            render::Crumb { title: "Home".into(), url: String::new() },
            render::Crumb { title: title.into(), url: url.into() },
        ],
        toc: Vec::new(),
        content: String::new(),
        quiz: Vec::new(),
        quiz_json: "[]".into(),
        faq: Vec::new(),
        prev: None,
        next: None,
        area: None,
        live_reload,
    };
    let mut files = Vec::new();
    let mut page = |name: &str, path: &str, ctx: &PageContext| -> Result<(), Diagnostic> {
        let html = templates.render_page(name, ctx)?;
        files.push(OutputFile { path: path.into(), contents: Contents::Bytes(html.into_bytes()) });
        Ok(())
    };
    if config.search.enabled {
        page("search.html", "search/index.html", &blank("Search", "search/", "search"))?;
    }
    let mut progress = blank("Your progress", "progress/", "progress");
    progress.quiz = pages.iter().flat_map(|p| p.quiz.iter().cloned()).collect();
    let all: Vec<Question> = pages.iter().flat_map(|p| p.questions.iter().cloned()).collect();
    progress.quiz_json = render::quiz_json(&all);
    page("progress.html", "progress/index.html", &progress)?;
    // The 404 page is served at any depth, so its links start from the base path.
    let mut not_found = blank("Page not found", "404.html", "404");
    not_found.root = view.base_path.clone();
    not_found.breadcrumbs.clear();
    page("404.html", "404.html", &not_found)?;

    let mut urls: Vec<&str> = site.pages.iter().map(|p| p.url.0.as_str()).collect();
    urls.sort();
    let sitemap = templates.render("sitemap.xml", &serde_json::json!({ "base_url": view.base_url, "urls": urls }))?;
    files.push(OutputFile { path: "sitemap.xml".into(), contents: Contents::Bytes(sitemap.into_bytes()) });
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", view.base_url);
    files.push(OutputFile { path: "robots.txt".into(), contents: Contents::Bytes(robots.into_bytes()) });
    files.push(OutputFile { path: ".nojekyll".into(), contents: Contents::Bytes(Vec::new()) });
    Ok(files)
}
