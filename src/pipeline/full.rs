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
//! Given what the previous build remembered ([`Memo`]), a page whose key and
//! record entry are what they were, and whose file is still on disk as it was
//! written, is not rendered at all: what the checks and the index need of it
//! comes from the memo. Every other unit is made as in a clean build, and
//! only files whose bytes differ from the previous build's reach the sink, so
//! the sink sees exactly the files a writer must change; the files it must
//! remove come back in the [`Summary`].
//!
//! Files reach the sink before the cross-page checks have run, so a sink must
//! not publish them until the build returns `Ok` ([`crate::output::Staging`]).

mod given;
mod pages;

use super::catalogue::{self, Facts, Made};
use super::checks::{check_fragments, no_home_page};
use super::deps::{self, Fingerprint, Inputs, Record, SiteParts};
use super::inputs::SiteInputs;
use super::memo::{page_key, Memo, PageMemo, Pages};
use super::renderer::{neighbours, Renderer};
use super::unit::Unit;
use super::{BuildOptions, Laps, Stats};
use crate::config::{QuizConfig, SiteConfig};
use crate::content::load::{self as loader, KnownFronts, LoadOptions};
use crate::content::{PageId, Site};
use crate::diag::{Diagnostic, Diagnostics};
use crate::files::OutputFile;
use crate::highlight::Highlighter;
use crate::quiz::{self, Question};
use crate::render::{self, FactLists};
use crate::search;
use given::Given;
use pages::{make_pages, PageInputs, PageLeft};
use rayon::prelude::*;
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
    /// What the next build needs to know of this one.
    pub memo: Memo,
    /// Files the sink was given: those that are new or whose bytes changed.
    pub written: usize,
    /// Output paths of the previous build that this one no longer makes.
    pub removed: Vec<String>,
    /// Units made (the rest were as the previous build left them).
    pub made: usize,
    /// Why the previous build's pages could not be used, if they could not:
    /// everything was made again.
    pub cache_note: Option<&'static str>,
}

/// Where a build puts each file it makes; called from many threads at once.
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Builds the site, giving every file to `sink` — every file whose bytes
/// differ from what `previous` says the last build wrote. On failure every
/// diagnostic found is returned, and files already given to the sink must be
/// thrown away.
pub fn build(
    opts: &BuildOptions,
    highlighter: &Highlighter,
    sink: &Sink<'_>,
    previous: Option<Memo>,
) -> Result<Summary, Diagnostics> {
    let started = Instant::now();
    let mut laps = Laps::start();
    let mut previous = previous.unwrap_or_default();
    let known = std::mem::take(&mut previous.fronts);
    let Loaded { mut inputs, site, questions, mut diags, fronts } = load(opts, &known, &mut laps)?;
    // The same YAML texts make the same front matter: nothing was parsed.
    let fronts_unchanged =
        !known.is_empty() && fronts.len() == known.len() && fronts.keys().all(|k| known.contains_key(k));
    drop(known);
    let (keys, memos, cache_note) = page_memos(&site, &inputs, &mut previous, &mut laps);
    let read = previous.pages.read.take();
    let view = view_and_lints(&mut inputs, &site, (&questions, &memos), &mut diags, &mut laps);
    let inputs = inputs;
    let parts = SiteParts::of(&view);
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
    laps.lap("site view fingerprints");
    let given = Given::new(&previous, sink, catalogue::last_unit(&inputs).is_some());
    // With errors already known nothing will be published: render the markdown
    // for its diagnostics only.
    let write = !diags.has_errors();
    let with = PageInputs {
        site: &site,
        questions: &questions,
        inputs: &inputs,
        renderer: &renderer,
        parts: &parts,
        highlighter,
        keys: &keys,
    };
    let pages = make_pages(&with, memos, write.then_some(&given));
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
    let shared = shared_entries(&site, &inputs, &parts, &pages);
    make_shared(&site, &inputs, &renderer, &shared, &given)?;
    laps.lap("special pages");
    let counts = (site.pages.len(), questions.iter().map(Vec::len).sum());
    let quiz = quiz::figures::Figures::of(questions.iter().flatten());
    // Let go of before the index is made, so the two are not in memory at
    // once; freed on a thread of its own, beside the index (tens of ms at 10,000 lessons).
    let site = (site, questions, view, neighbours);
    // (A thread that cannot start drops it here.)
    let _ = std::thread::Builder::new().spawn(move || drop(site));
    let search_entry = shared.iter().find(|(u, _)| *u == Unit::SearchIndex).map(|(_, i)| *i);
    if let Some(entry) = search_entry {
        make_search(&pages, entry, &given, &mut laps)?;
    }
    let mut record = Record(shared.into_iter().collect());
    record.0.extend(pages.iter().map(|p| (p.unit.clone(), p.entry)));
    let made = given.finish_last(&inputs).map_err(|d| Diagnostics(vec![d]))?;
    laps.lap("offline worker");
    let (mut memo, written, removed) =
        given.into_memo(Pages { record, pages: Default::default(), read }, fronts, pages, counts);
    memo.fronts_unchanged = fronts_unchanged;
    let stats =
        Stats { pages: counts.0, questions: counts.1, files: memo.outputs.files.len(), elapsed: started.elapsed() };
    Ok(Summary {
        config: inputs.config,
        stats,
        warnings: diags.0,
        quiz,
        timings: laps.laps,
        memo,
        written,
        removed,
        made,
        cache_note,
    })
}

/// Every page's key, and what the previous build remembered of it if it was
/// made from the same key, once its pages are decoded (with why they could
/// not be, if they could not).
fn page_memos(
    site: &Site,
    inputs: &SiteInputs,
    previous: &mut Memo,
    laps: &mut Laps,
) -> (Vec<u64>, Vec<Option<PageMemo>>, Option<&'static str>) {
    let note = previous.settle();
    laps.lap("cache pages decoded");
    let link_map = deps::link_map_fingerprint(site);
    let keys: Vec<u64> = site.pages.par_iter().map(|p| page_key(inputs.fingerprint, link_map, p)).collect();
    let memos = site
        .pages
        .iter()
        .zip(&keys)
        .map(|(p, key)| previous.pages.pages.remove(&p.content_path).filter(|m| m.key == *key))
        .collect();
    (keys, memos, note)
}

/// The site view, handed to the templates, made beside the site-wide quiz
/// lints (which read the same settled site), whose findings go to `diags`.
fn view_and_lints(
    inputs: &mut SiteInputs,
    site: &Site,
    (questions, memos): (&[Vec<Question>], &[Option<PageMemo>]),
    diags: &mut Diagnostics,
    laps: &mut Laps,
) -> render::SiteView {
    let quiz_config = inputs.config.quiz.clone();
    let (lints, view) =
        rayon::join(|| site_lints(site, questions, &quiz_config), || site_view(inputs, site, (questions, memos), laps));
    diags.extend(lints);
    if site.home.is_none() && !diags.has_errors() {
        diags.push(no_home_page());
    }
    view
}

/// The site view, handed to the templates.
fn site_view(
    inputs: &mut SiteInputs,
    site: &Site,
    (questions, memos): (&[Vec<Question>], &[Option<PageMemo>]),
    laps: &mut Laps,
) -> render::SiteView {
    let minutes: Vec<u32> = site
        .pages
        .par_iter()
        .zip(memos)
        .map(|(p, memo)| memo.as_ref().map_or_else(|| render::page_minutes(p), |m| m.minutes))
        .collect();
    laps.lap("reading times");
    let view = render::site_view(&inputs.config, site, &FactLists { questions, minutes: &minutes });
    laps.lap("site view");
    inputs.templates.set_site(&view);
    laps.lap("site view to templates");
    view
}

/// The inputs, the site and every page's validated questions, with what
/// loading and validating found.
struct Loaded {
    inputs: SiteInputs,
    site: Site,
    questions: Vec<Vec<Question>>,
    diags: Diagnostics,
    /// Every page's front matter, for the next build.
    fronts: KnownFronts,
}

/// Loads the inputs and the content and validates every quiz on its own.
fn load(opts: &BuildOptions, known: &KnownFronts, laps: &mut Laps) -> Result<Loaded, Diagnostics> {
    let inputs = SiteInputs::load(opts).map_err(|d| Diagnostics(vec![d]))?;
    laps.lap("config and theme");
    let (site, mut diags, fronts) = loader::load_known(&opts.root, LoadOptions { drafts: opts.drafts }, known);
    laps.lap("content");
    let checked: Vec<(Vec<Question>, Vec<Diagnostic>)> = site.pages.par_iter().map(quiz::validate).collect();
    let (questions, quiz_diags): (Vec<Vec<Question>>, Vec<Vec<Diagnostic>>) = checked.into_iter().unzip();
    diags.extend(quiz_diags.into_iter().flatten());
    laps.lap("quiz validation");
    Ok(Loaded { inputs, site, questions, diags, fronts })
}

/// What the checks across every question find: ids used twice, and the item-writing lints.
fn site_lints(site: &Site, questions: &[Vec<Question>], config: &QuizConfig) -> Vec<Diagnostic> {
    let all: Vec<_> = site.pages.iter().zip(questions).flat_map(|(p, qs)| qs.iter().map(move |q| (p, q))).collect();
    quiz::check_across(&all, config)
}

/// The record entries of every unit but the markdown pages, folded over the
/// pages as the session folds them.
fn shared_entries(site: &Site, inputs: &SiteInputs, parts: &SiteParts, pages: &[PageLeft]) -> Vec<(Unit, Inputs)> {
    let stamp = |path: &std::path::Path| {
        let meta = std::fs::metadata(&catalogue::asset(site, path).source).ok();
        Fingerprint::default().add(&meta.map(|m| (m.len(), m.modified().ok()))).finish()
    };
    let page = |i: PageId| (pages[i.0].fingerprint, pages[i.0].quiz_fingerprint);
    catalogue::shared_entries(&Facts {
        site,
        inputs,
        parts,
        page: &page,
        link_map: deps::link_map_fingerprint(site),
        shape: deps::shape_fingerprint(site),
        asset_stamp: &stamp,
    })
}

/// Makes and gives every unit but the pages, made as they were rendered, and
/// the search index, made last once the site is let go of — each unless the
/// previous build made it from the same inputs.
fn make_shared(
    site: &Site,
    inputs: &SiteInputs,
    renderer: &Renderer<'_>,
    entries: &[(Unit, Inputs)],
    given: &Given<'_>,
) -> Result<(), Diagnostics> {
    entries
        .par_iter()
        .filter(|(unit, entry)| *unit == Unit::SearchIndex || !given.keep(unit, *entry))
        .try_for_each(|(unit, _)| match catalogue::make(unit, site, inputs, renderer)? {
            Made::Files(files) => {
                given.made();
                files.into_iter().try_for_each(|f| given.give(unit, f))
            }
            Made::ByDriver => Ok(()),
        })
        .map_err(|d| Diagnostics(vec![d]))
}

/// Makes the search index from every page's document, unless the previous
/// build made it from the same pages.
fn make_search(pages: &[PageLeft], entry: Inputs, given: &Given<'_>, laps: &mut Laps) -> Result<(), Diagnostics> {
    if given.keep(&Unit::SearchIndex, entry) {
        return Ok(());
    }
    given.made();
    let index = search::Index::of_shared(pages.iter().filter_map(|p| p.indexed.clone()).collect());
    let files = index.files();
    drop(index);
    laps.lap("search index");
    files.into_par_iter().try_for_each(|f| given.give(&Unit::SearchIndex, f)).map_err(|d| Diagnostics(vec![d]))?;
    laps.lap("search files");
    Ok(())
}
