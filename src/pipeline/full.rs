//! `learn build` and `learn check`: the whole pipeline once, handing each file
//! to a sink as soon as it is made.
//!
//! A [`super::Session`] keeps every rendered page and output file so that it
//! can be brought up to date; a one-off build has no use for them, and at
//! 10,000 lessons they are over a gigabyte. Here each page is rendered from
//! markdown to its finished HTML file in one step on the thread pool, handed to
//! the sink, and dropped: what outlives a page is what the checks across pages
//! and the search index need (its anchors, links, diagnostics and search
//! document). The stages are the same functions the session calls, so both
//! make the same files (`tests` below compare them).
//!
//! Files reach the sink before the cross-page checks have run, so a sink must
//! not publish them until the build returns `Ok` ([`crate::output::Staging`]).

use super::catalogue::{self, Made};
use super::checks::{check_fragments, no_home_page};
use super::inputs::SiteInputs;
use super::page::{render_markdown, PageParts, RenderedPage};
use super::renderer::{neighbours, Renderer};
use super::{BuildOptions, Laps, Stats};
use crate::config::SiteConfig;
use crate::content::load::{self as loader, LoadOptions};
use crate::content::{PageId, Site};
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::OutputFile;
use crate::highlight::Highlighter;
use crate::markdown::LinkRef;
use crate::progress::Progress;
use crate::quiz::{self, Question};
use crate::render::{self, FactLists};
use crate::search::{self, IndexedPage, TermCache};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a build that wrote its files reports.
#[derive(Debug)]
pub struct Summary {
    pub config: SiteConfig,
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
    /// The figures of the site's quizzes, for `learn check`'s report.
    pub quiz: quiz::figures::Figures,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Where a build puts each file it makes; called from many threads at once.
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// What is kept of a page once its file is written.
struct PageLeft {
    anchors: HashSet<String>,
    links: Vec<LinkRef>,
    diagnostics: Vec<Diagnostic>,
    /// What the search index keeps of the page.
    indexed: Option<IndexedPage>,
    /// The page's entries in the progress page's question index.
    question_index: String,
}

/// Builds the site, giving every file to `sink`. On failure every diagnostic
/// found is returned, and files already given to the sink must be thrown away.
pub fn build(opts: &BuildOptions, highlighter: &Highlighter, sink: &Sink<'_>) -> Result<Summary, Diagnostics> {
    let started = Instant::now();
    let mut laps = Laps::start();
    let Loaded { mut inputs, site, questions, mut diags } = load(opts, &mut laps)?;
    let minutes: Vec<u32> = site.pages.par_iter().map(render::page_minutes).collect();
    let view = render::site_view(&inputs.config, &site, &FactLists { questions: &questions, minutes: &minutes });
    inputs.templates.set_site(&view);
    let inputs = inputs;
    let neighbours = neighbours(&site, &view.lesson_order);
    let renderer = Renderer {
        templates: &inputs.templates,
        view: &view,
        site: &site,
        // Filled in for the special pages, once every page is made.
        question_index: &[],
        neighbours: &neighbours,
        live_reload: opts.live_reload,
    };
    laps.lap("site view");
    let files = AtomicUsize::new(0);
    // What the last unit lists of every other file, kept as each is given.
    let last = catalogue::last_unit(&inputs);
    let listed = Mutex::new(Vec::new());
    let give = |f: OutputFile| {
        files.fetch_add(1, Ordering::Relaxed);
        if last.is_some() && catalogue::is_listed(&f.path) {
            let entry = (f.path.clone(), catalogue::listed(&f.contents));
            listed.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
        }
        sink(f)
    };
    // With errors already known nothing will be published: render the markdown
    // for its diagnostics only.
    let write = (!diags.has_errors()).then_some(&give as &Sink<'_>);
    let pages = make_pages(&site, &questions, &inputs, &renderer, highlighter, write);
    laps.lap("pages");
    for (i, p) in site.page_ids().zip(&pages) {
        diags.extend(p.diagnostics.iter().cloned());
        diags.extend(check_fragments(&site, i, &inputs.config.links, &p.links, |j| &pages[j.0].anchors));
    }
    laps.lap("checks");
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }

    let question_index: Vec<&str> = pages.iter().map(|p| p.question_index.as_str()).collect();
    let renderer = Renderer { question_index: &question_index, ..renderer };
    make_shared(&site, &inputs, &renderer, &give)?;
    laps.lap("special pages");
    // The sources are no longer needed; the index is the biggest thing a build holds.
    let (pages_count, questions_count) = (site.pages.len(), questions.iter().map(Vec::len).sum());
    let quiz = quiz::figures::Figures::of(questions.iter().flatten());
    drop((site, questions, view, neighbours));
    if inputs.config.search.enabled {
        let index = search::Index::of_pages(pages.into_iter().filter_map(|p| p.indexed).collect());
        let files = index.files();
        laps.lap("search index");
        files.into_par_iter().try_for_each(give).map_err(|d| Diagnostics(vec![d]))?;
        laps.lap("search files");
    }
    if last.is_some() {
        let listed = std::mem::take(&mut *listed.lock().unwrap_or_else(|e| e.into_inner()));
        let made = catalogue::make_last(&inputs, listed.iter().map(|(p, l)| (p.as_str(), *l)).collect());
        made.into_iter().try_for_each(give).map_err(|d| Diagnostics(vec![d]))?;
        laps.lap("offline worker");
    }
    let stats =
        Stats { pages: pages_count, questions: questions_count, files: files.into_inner(), elapsed: started.elapsed() };
    Ok(Summary { config: inputs.config, stats, warnings: diags.0, quiz, timings: laps.laps })
}

/// The inputs, the site and every page's validated questions, with what
/// loading and validating found.
struct Loaded {
    inputs: SiteInputs,
    site: Site,
    questions: Vec<Vec<Question>>,
    diags: Diagnostics,
}

/// Loads the inputs and the content and validates every quiz.
fn load(opts: &BuildOptions, laps: &mut Laps) -> Result<Loaded, Diagnostics> {
    let inputs = SiteInputs::load(opts).map_err(|d| Diagnostics(vec![d]))?;
    laps.lap("config and theme");
    let (site, mut diags) = loader::load(&opts.root, LoadOptions { drafts: opts.drafts });
    laps.lap("content");
    let checked: Vec<(Vec<Question>, Vec<Diagnostic>)> = site.pages.par_iter().map(quiz::validate).collect();
    let (questions, quiz_diags): (Vec<Vec<Question>>, Vec<Vec<Diagnostic>>) = checked.into_iter().unzip();
    diags.extend(quiz_diags.into_iter().flatten());
    let all: Vec<_> = site.pages.iter().zip(&questions).flat_map(|(p, qs)| qs.iter().map(move |q| (p, q))).collect();
    diags.extend(quiz::duplicate_ids(all.iter().copied()));
    diags.extend(quiz::lints::lint(&all, &inputs.config.quiz));
    if site.home.is_none() && !diags.has_errors() {
        diags.push(no_home_page());
    }
    laps.lap("quizzes");
    Ok(Loaded { inputs, site, questions, diags })
}

/// Renders every page on the thread pool, gives its file to `write` (unless
/// nothing will be written), indexes it for search, and keeps what the
/// checks across pages need.
fn make_pages(
    site: &Site,
    questions: &[Vec<Question>],
    inputs: &SiteInputs,
    renderer: &Renderer<'_>,
    highlighter: &Highlighter,
    write: Option<&Sink<'_>>,
) -> Vec<PageLeft> {
    let search = inputs.config.search.enabled;
    let progress = Progress::start("Rendering pages", site.pages.len());
    let pages = (0..site.pages.len())
        .into_par_iter()
        .map_init(TermCache::default, |cache, i| {
            progress.step();
            let page = render_markdown(site, &inputs.markdown, PageId(i), &questions[i], highlighter);
            let i = PageId(i);
            let written = match write {
                Some(give) => renderer.page(i, &page).and_then(give),
                None => Ok(()),
            };
            let indexed =
                search.then(|| search::page(&search::document(site, i, page.search_text(), &inputs.config), 0, cache));
            let mut left = leftover(page, indexed);
            left.diagnostics.extend(written.err());
            left
        })
        .collect();
    drop(progress);
    pages
}

/// Makes and gives every unit but the pages, made as they were rendered, and
/// the search index, made last once the site is let go of.
fn make_shared(site: &Site, inputs: &SiteInputs, renderer: &Renderer<'_>, give: &Sink<'_>) -> Result<(), Diagnostics> {
    catalogue::shared_units(site, inputs)
        .par_iter()
        .try_for_each(|unit| match catalogue::make(unit, site, inputs, renderer)? {
            Made::Files(files) => files.into_iter().try_for_each(give),
            Made::ByDriver => Ok(()),
        })
        .map_err(|d| Diagnostics(vec![d]))
}

/// Keeps what the checks across pages need of a rendered page and drops the rest.
fn leftover(page: RenderedPage, indexed: Option<IndexedPage>) -> PageLeft {
    match std::sync::Arc::try_unwrap(page.0) {
        Ok(PageParts { rendered: r, question_index, .. }) => {
            PageLeft { anchors: r.anchors, links: r.links, diagnostics: r.diagnostics, indexed, question_index }
        }
        Err(shared) => {
            let r = &shared.rendered;
            let (anchors, links, diagnostics) = (r.anchors.clone(), r.links.clone(), r.diagnostics.clone());
            PageLeft { anchors, links, diagnostics, indexed, question_index: shared.question_index.clone() }
        }
    }
}
