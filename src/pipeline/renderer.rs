//! Filling the page templates: a markdown page's context from its rendered
//! parts and the site view, and the pages with no markdown source.

use super::deps::{Fingerprint, Inputs, SiteParts};
use super::inputs::SiteInputs;
use super::page::PageParts;
use super::unit::Special;
use crate::content::{PageId, PageKind, Site};
use crate::diag::Diagnostic;
use crate::files::{Contents, OutputFile};
use crate::render::{self, Crumb, NavLink, PageContext, SiteView, Templates};

/// The template a page of this kind is rendered with.
pub(super) fn template_of(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home.html",
        PageKind::Area => "area.html",
        PageKind::Lesson => "lesson.html",
        PageKind::Standalone => "page.html",
    }
}

/// Where the progress page's question index goes (`quiz_json` in its template).
pub(super) const QUESTION_INDEX_SLOT: &str = "\u{0}learn-question-index\u{0}";

/// The links a page shows to other pages.
#[derive(Debug, Clone, Default)]
pub(super) struct PageNav {
    pub(super) breadcrumbs: Vec<Crumb>,
    pub(super) prev: Option<NavLink>,
    pub(super) next: Option<NavLink>,
}

/// Everything page templates are filled from, borrowed for one build.
pub(super) struct Renderer<'a> {
    pub(super) templates: &'a Templates,
    pub(super) view: &'a SiteView,
    pub(super) site: &'a Site,
    /// Each page's entries in a question index (the progress page's, an area's), in page order.
    pub(super) question_index: &'a [&'a str],
    /// Previous and next lesson of each page, in page order.
    pub(super) neighbours: &'a [Neighbours],
    pub(super) live_reload: bool,
}

/// A page's previous and next lesson.
pub(super) type Neighbours = (Option<PageId>, Option<PageId>);

/// Previous and next lesson of every page, from the curriculum order.
pub(super) fn neighbours(site: &Site, order: &[PageId]) -> Vec<Neighbours> {
    let mut out = vec![(None, None); site.pages.len()];
    for (pos, &i) in order.iter().enumerate() {
        out[i.0] = (pos.checked_sub(1).map(|p| order[p]), order.get(pos + 1).copied());
    }
    out
}

impl Renderer<'_> {
    pub(super) fn link(&self, i: PageId) -> NavLink {
        let p = &self.site.pages[i];
        NavLink { title: p.title.clone(), url: p.url.0.clone() }
    }

    /// The links page `i` shows to other pages: its breadcrumbs, previous and next.
    pub(super) fn nav(&self, i: PageId) -> PageNav {
        let (prev, next) = self.neighbours[i.0];
        PageNav {
            breadcrumbs: render::breadcrumbs(self.site, i),
            prev: prev.map(|p| self.link(p)),
            next: next.map(|n| self.link(n)),
        }
    }

    /// Fingerprint of what [`Renderer::nav`] shows, from the pages it is made
    /// of (its own, its area's, its neighbours'), without building it: every
    /// page's is needed on every rebuild.
    /// Page `i`'s entry in the dependency record, its own fingerprint being
    /// `own`; both drivers compute it here.
    pub(super) fn page_entry(&self, i: PageId, inputs: &SiteInputs, parts: &SiteParts, own: u64) -> Inputs {
        let page = &self.site.pages[i];
        Inputs {
            theme: inputs.fingerprint,
            own,
            nav: self.nav_fingerprint(i),
            site: parts.seen(&inputs.reads_of(template_of(page.kind)), page.area),
        }
    }

    pub(super) fn nav_fingerprint(&self, i: PageId) -> u64 {
        let link = |j: Option<PageId>| {
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
        let (prev, next) = self.neighbours[i.0];
        Fingerprint::default().add(&link(Some(i))).add(&link(area)).add(&link(prev)).add(&link(next)).finish()
    }

    pub(super) fn context(&self, i: PageId, r: &PageParts) -> PageContext {
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
            title_id: r.rendered.title_id.clone(),
            summary: page.front.summary.clone(),
            objectives: page.front.objectives.clone(),
            minutes: r.minutes,
            tags: page.front.tags.clone(),
            breadcrumbs: nav.breadcrumbs,
            toc: r.rendered.headings.clone(),
            content: r.body.html().into_owned(),
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
    pub(super) fn page(&self, i: PageId, r: &PageParts) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[i];
        let html = self
            .templates
            .render_page(template_of(page.kind), &self.context(i, r))
            .map_err(|d| d.in_file(&page.source))?;
        Ok(OutputFile { path: page.url.output_file(), contents: Contents::Bytes(html.into_bytes()) })
    }

    /// A context for a page with no markdown source.
    pub(super) fn blank(&self, title: &str, url: &str, kind: &'static str) -> PageContext {
        PageContext {
            root: render::root_prefix(url),
            kind,
            url: url.into(),
            canonical: format!("{}{}", self.view.base_url, url),
            title: title.into(),
            title_id: String::new(),
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
    pub(super) fn special(&self, which: Special) -> Result<OutputFile, Diagnostic> {
        let view = self.view;
        let bytes = match which {
            Special::Search => self.html(which, &self.blank("Search", "search/", "search"))?,
            Special::Review => self.html(which, &self.blank("Review", "review/", "review"))?,
            Special::Progress => {
                let mut progress = self.blank("Your progress", "progress/", "progress");
                // Lessons' questions are in their areas' files, fetched when a
                // learner's progress needs them; only standalone pages' stay here.
                let index = render::question_index_json(self.site.standalone.iter().map(|i| self.question_index[i.0]));
                // A site may have many standalone pages with questions: put the
                // index in after the template has run rather than through the template engine.
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

    pub(super) fn html(&self, which: Special, ctx: &PageContext) -> Result<Vec<u8>, Diagnostic> {
        let template = which.template().expect("an HTML special page has a template");
        Ok(self.templates.render_page(template, ctx)?.into_bytes())
    }
}
