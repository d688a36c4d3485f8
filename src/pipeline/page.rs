//! One page's markdown, quiz and FAQ rendered to HTML fragments, with the
//! fingerprints the dependency record reads of it.

use super::deps::Fingerprint;
use crate::content::{PageId, Site};
use crate::highlight::Highlighter;
use crate::markdown::{self, RenderCtx, Rendered};
use crate::quiz::Question;
use crate::render::{self, FaqView};
use crate::search;
use std::collections::HashSet;
use std::sync::Arc;

/// A page's markdown, quiz and FAQ rendered to HTML fragments. Its parts are
/// shared, so a copy costs nothing: a search index can be made from one
/// build's pages on another thread while the next build goes on.
#[derive(Debug, Clone)]
pub struct RenderedPage(pub(super) Arc<PageParts>);

impl std::ops::Deref for RenderedPage {
    type Target = PageParts;

    fn deref(&self) -> &PageParts {
        &self.0
    }
}

/// What [`RenderedPage`] holds.
#[derive(Debug)]
pub struct PageParts {
    /// Everything markdown made but the body's HTML, which is in `body`.
    pub rendered: Rendered,
    pub body: Body,
    /// `rendered.sections` (the text search reads), LZ4-packed while a
    /// session keeps the page: some 54 MB at 10,000 lessons, read again only
    /// by search jobs and for pages a save changed.
    sections_packed: Option<Vec<u8>>,
    pub quiz: Vec<render::QuestionView>,
    pub quiz_json: String,
    pub faq: Vec<FaqView>,
    /// The anchor of each FAQ entry (the ids in `faq`), as search reads them.
    pub faq_ids: Vec<String>,
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

/// A page body's HTML: as made, or packed (LZ4) while a session keeps it
/// only to fill the page's template again. At 10,000 lessons it is some
/// 260 MB, packed about a fifth of that.
#[derive(Debug, Clone)]
pub enum Body {
    Plain(String),
    Packed(Vec<u8>),
}

impl Body {
    /// The HTML.
    pub fn html(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Body::Plain(s) => s.into(),
            Body::Packed(b) => {
                let bytes = lz4_flex::decompress_size_prepended(b).expect("packed by this process");
                String::from_utf8(bytes).expect("packed from a string").into()
            }
        }
    }
}

impl RenderedPage {
    /// The same page as a session keeps it: its body packed, and without its
    /// questions, which the session keeps beside it (read them from there).
    pub(super) fn kept(self) -> RenderedPage {
        match Arc::try_unwrap(self.0) {
            Ok(mut parts) => {
                if let Body::Plain(html) = &parts.body {
                    parts.body = Body::Packed(lz4_flex::compress_prepend_size(html.as_bytes()));
                }
                if parts.sections_packed.is_none() {
                    let sections = std::mem::take(&mut parts.rendered.sections);
                    let bytes = postcard::to_stdvec(&sections).expect("sections serialise");
                    parts.sections_packed = Some(lz4_flex::compress_prepend_size(&bytes));
                }
                parts.questions = Vec::new();
                RenderedPage(Arc::new(parts))
            }
            Err(shared) => RenderedPage(shared),
        }
    }
}

impl PageParts {
    /// What the search index reads of this page.
    pub fn search_text(&self) -> search::PageText<'_> {
        self.search_text_with(&self.questions)
    }

    /// What the search index reads of this page, with its questions kept elsewhere.
    pub fn search_text_with<'a>(&'a self, questions: &'a [Question]) -> search::PageText<'a> {
        let sections = match &self.sections_packed {
            None => std::borrow::Cow::Borrowed(&self.rendered.sections[..]),
            Some(packed) => {
                let bytes = lz4_flex::decompress_size_prepended(packed).expect("packed by this process");
                std::borrow::Cow::Owned(postcard::from_bytes(&bytes).expect("packed by this process"))
            }
        };
        search::PageText { sections, faq_ids: &self.faq_ids, questions }
    }
}

/// Renders page `i`'s markdown, quiz and FAQ.
pub(super) fn render_markdown(
    site: &Site,
    settings: &markdown::Settings,
    i: PageId,
    questions: &[Question],
    highlighter: &Highlighter,
) -> RenderedPage {
    let page = &site.pages[i];
    let root = render::root_prefix(&page.url.0);
    let ctx = RenderCtx { site, settings, page: i, highlighter, root: &root };
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
    let faq_ids = faq.iter().map(|f| f.id.clone()).collect();
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
    let body = Body::Plain(std::mem::take(&mut rendered.html));
    RenderedPage(Arc::new(PageParts {
        body,
        sections_packed: None,
        anchors_fingerprint,
        card_fingerprint,
        quiz_json,
        rendered,
        quiz,
        faq,
        faq_ids,
        questions: questions.to_vec(),
        question_index,
        minutes,
        fingerprint,
        quiz_fingerprint,
    }))
}

pub(super) fn unique_faq_id(question: &str, taken: &HashSet<String>) -> String {
    let base = format!("faq-{}", markdown::heading_id(question));
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}
