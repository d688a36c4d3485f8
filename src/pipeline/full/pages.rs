//! Every markdown page of a build, on the thread pool: rendered to its file
//! and handed on, or — when the previous build made it from the same inputs
//! and its file is as that build wrote it — taken from the memo unrendered.

use super::super::deps::{Inputs, SiteParts};
use super::super::inputs::SiteInputs;
use super::super::memo::PageMemo;
use super::super::page::{render_markdown, PageParts, RenderedPage};
use super::super::renderer::Renderer;
use super::super::unit::Unit;
use super::given::Given;
use crate::content::{PageId, Site};
use crate::diag::{Diagnostic, Kept};
use crate::highlight::Highlighter;
use crate::markdown::LinkRef;
use crate::progress::Progress;
use crate::quiz::Question;
use crate::search::{self, IndexedPage, TermCache};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// What is kept of a page once its file is written.
pub(super) struct PageLeft {
    pub(super) unit: Unit,
    /// The page's record entry.
    pub(super) entry: Inputs,
    key: u64,
    pub(super) fingerprint: u64,
    pub(super) quiz_fingerprint: u64,
    minutes: u32,
    pub(super) anchors: HashSet<String>,
    pub(super) links: Vec<LinkRef>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// What the search index keeps of the page.
    pub(super) indexed: Option<Arc<IndexedPage>>,
    /// The page's entries in the progress page's question index.
    pub(super) question_index: String,
    /// Taken from the previous build's memo unchanged.
    remembered: bool,
}

impl PageLeft {
    /// What the next build reads of the page.
    pub(super) fn into_memo(self) -> (std::path::PathBuf, PageMemo) {
        let mut anchors: Vec<String> = self.anchors.into_iter().collect();
        anchors.sort();
        let path = match self.unit {
            Unit::Page(p) => p,
            _ => unreachable!("a page's unit is a page"),
        };
        let memo = PageMemo {
            key: self.key,
            fingerprint: self.fingerprint,
            quiz_fingerprint: self.quiz_fingerprint,
            minutes: self.minutes,
            anchors,
            links: self.links,
            diagnostics: Kept::all(&self.diagnostics),
            question_index: self.question_index,
            indexed: self.indexed,
            kept: self.remembered,
        };
        (path, memo)
    }

    /// The page as the previous build left it, if everything it kept of it comes back.
    fn remembered(unit: Unit, entry: Inputs, memo: PageMemo) -> Option<PageLeft> {
        Some(PageLeft {
            unit,
            entry,
            key: memo.key,
            fingerprint: memo.fingerprint,
            quiz_fingerprint: memo.quiz_fingerprint,
            minutes: memo.minutes,
            anchors: memo.anchors.into_iter().collect(),
            links: memo.links,
            diagnostics: Kept::restore_all(&memo.diagnostics)?,
            indexed: memo.indexed,
            question_index: memo.question_index,
            remembered: memo.kept,
        })
    }
}

/// What a page's record entry and key are made of, the same for every page.
pub(super) struct PageInputs<'a> {
    pub(super) site: &'a Site,
    pub(super) questions: &'a [Vec<Question>],
    pub(super) inputs: &'a SiteInputs,
    pub(super) renderer: &'a Renderer<'a>,
    pub(super) parts: &'a SiteParts,
    pub(super) highlighter: &'a Highlighter,
    /// Every page's key ([`page_key`]), in order.
    pub(super) keys: &'a [u64],
}

/// Renders every page on the thread pool that the previous build did not
/// make from the same inputs, gives its file to `given` (unless nothing will
/// be written), indexes it for search, and keeps what the checks across
/// pages need.
pub(super) fn make_pages(
    with: &PageInputs<'_>,
    memos: Vec<Option<PageMemo>>,
    given: Option<&Given<'_>>,
) -> Vec<PageLeft> {
    let progress = Progress::start("Rendering pages", with.site.pages.len());
    let pages = memos
        .into_par_iter()
        .enumerate()
        .map_init(TermCache::default, |cache, (i, memo)| {
            progress.step();
            make_page(with, PageId(i), memo, given, cache)
        })
        .collect();
    drop(progress);
    pages
}

/// One page: taken from its memo, or rendered and handed on.
fn make_page(
    with: &PageInputs<'_>,
    i: PageId,
    memo: Option<PageMemo>,
    given: Option<&Given<'_>>,
    cache: &mut TermCache,
) -> PageLeft {
    let page = &with.site.pages[i];
    let unit = Unit::Page(page.content_path.clone());
    let key = with.keys[i.0];
    let entry = |own: u64| with.renderer.page_entry(i, with.inputs, with.parts, own);
    if let Some(memo) = memo.filter(|m| m.key == key) {
        let entry = entry(memo.fingerprint);
        // Its search fragment is not in the memo: it must be in the output.
        let fragment_kept = |g: &Given<'_>| memo.indexed.as_ref().is_none_or(|p| g.has_file(&p.fragment_path()));
        if given.is_none_or(|g| fragment_kept(g) && g.keep(&unit, entry)) {
            if let Some(left) = PageLeft::remembered(unit.clone(), entry, memo) {
                return left;
            }
        }
    }
    let rendered = render_markdown(with.site, &with.inputs.markdown, i, &with.questions[i.0], with.highlighter);
    let entry = entry(rendered.fingerprint);
    // A page whose source changed but renders the same as before needs no new file.
    let written = match given {
        Some(g) if !g.keep(&unit, entry) => {
            g.made();
            with.renderer.page(i, &rendered).and_then(|f| g.give(&unit, f))
        }
        _ => Ok(()),
    };
    let indexed = with.inputs.config.search.enabled.then(|| {
        let doc = search::document(with.site, i, rendered.search_text(), &with.inputs.config);
        Arc::new(search::page(&doc, 0, cache))
    });
    let mut left = leftover(unit, entry, key, rendered, indexed);
    left.diagnostics.extend(written.err());
    left
}

/// Keeps what the checks across pages and the next build need of a rendered page and drops the rest.
fn leftover(unit: Unit, entry: Inputs, key: u64, page: RenderedPage, indexed: Option<Arc<IndexedPage>>) -> PageLeft {
    let (fingerprint, quiz_fingerprint, minutes) = (page.fingerprint, page.quiz_fingerprint, page.minutes);
    let (anchors, links, diagnostics, question_index) = match Arc::try_unwrap(page.0) {
        Ok(PageParts { rendered: r, question_index, .. }) => (r.anchors, r.links, r.diagnostics, question_index),
        Err(shared) => {
            let r = &shared.rendered;
            (r.anchors.clone(), r.links.clone(), r.diagnostics.clone(), shared.question_index.clone())
        }
    };
    PageLeft {
        unit,
        entry,
        key,
        fingerprint,
        quiz_fingerprint,
        minutes,
        anchors,
        links,
        diagnostics,
        indexed,
        question_index,
        remembered: false,
    }
}
