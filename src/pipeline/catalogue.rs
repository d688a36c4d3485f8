//! The catalogue of outputs: every unit a site has, what each is made from
//! (its entry in the dependency record) and how it is made. `learn build`
//! ([`super::full`]) and the session both list and make units here, so a new
//! kind of output is added in this file alone.
//!
//! Two kinds come from what a driver keeps of each page: markdown pages (a
//! build renders each as it goes, a session keeps them rendered) and the
//! search index (counted page by page). [`make`] hands those back to the
//! driver as [`Made::ByDriver`]; every other unit is made here from the site
//! and its inputs alone, but for the last one ([`last_unit`]): the offline
//! worker and its list, made from every other file once they are all made.

use super::deps::{Fingerprint, Inputs, SiteParts};
use super::inputs::SiteInputs;
pub(super) use super::offline::{is_listed, listed, Listed};
use super::renderer::Renderer;
use super::unit::{Special, Unit};
use crate::content::{AreaId, Asset, PageId, Site, Target};
use crate::diag::Diagnostic;
use crate::files::{Contents, OutputFile};
use crate::render;

/// The units that are not markdown pages: pages with no source, each area's
/// progress data, the theme's static files, the highlighting stylesheet,
/// copied files and the search index.
pub(super) fn shared_units(site: &Site, inputs: &SiteInputs) -> Vec<Unit> {
    let search = inputs.config.search.enabled;
    let mut units: Vec<Unit> =
        Special::ALL.into_iter().filter(|&s| s != Special::Search || search).map(Unit::Special).collect();
    units.extend(site.area_ids().map(|a| Unit::AreaData(site.pages[site.areas[a].page].url.0.clone())));
    units.extend(inputs.theme.statics.keys().map(|name| Unit::Static(name.clone())));
    units.push(Unit::SyntaxCss);
    units.extend(site.assets.iter().map(|a| Unit::Asset(a.content_path.clone())));
    if search {
        units.push(Unit::SearchIndex);
    }
    units
}

/// The result of [`make`].
pub(super) enum Made {
    /// The unit's files.
    Files(Vec<OutputFile>),
    /// A markdown page or the search index: the driver makes it from what it keeps of each page.
    ByDriver,
}

/// Makes the files of one unit from the site and its inputs.
pub(super) fn make(unit: &Unit, site: &Site, inputs: &SiteInputs, renderer: &Renderer<'_>) -> Result<Made, Diagnostic> {
    let bytes = |path: &str, b: &[u8]| OutputFile { path: path.into(), contents: Contents::Bytes(b.to_vec()) };
    let file = match unit {
        Unit::Page(_) | Unit::SearchIndex => return Ok(Made::ByDriver),
        Unit::Offline => unreachable!("the last unit is made by make_last"),
        Unit::Special(s) => renderer.special(*s)?,
        Unit::AreaData(url) => return Ok(Made::Files(area_data(site, renderer, area_at(site, url)))),
        Unit::Static(name) => bytes(name, &inputs.theme.statics[name]),
        Unit::SyntaxCss => bytes("assets/syntax.css", inputs.syntax_css.as_bytes()),
        Unit::Asset(path) => {
            let a = asset(site, path);
            OutputFile { path: a.url.0.clone(), contents: Contents::Copy(a.source.clone()) }
        }
    };
    Ok(Made::Files(vec![file]))
}

/// What the record entries of the units that are not markdown pages are made
/// of, folded over every page by the driver.
pub(super) struct Facts<'a> {
    pub site: &'a Site,
    pub inputs: &'a SiteInputs,
    pub parts: &'a SiteParts,
    /// A page's own fingerprint and its quiz fingerprint: the progress page
    /// and an area's progress data list questions, the search index reads pages.
    pub page: &'a (dyn Fn(PageId) -> (u64, u64) + Sync),
    /// Where links can point: every page's URL, in order (the sitemap lists them).
    pub link_map: u64,
    /// The site's shape: areas, their lessons and the standalone pages, in order.
    pub shape: u64,
    /// A copied file's size and time, by its path under `content/`.
    pub asset_stamp: &'a (dyn Fn(&std::path::Path) -> u64 + Sync),
}

/// The record entries of the units that are not markdown pages.
pub(super) fn shared_entries(facts: &Facts<'_>) -> Vec<(Unit, Inputs)> {
    let inputs = facts.inputs;
    let theme = inputs.fingerprint;
    let fold = |pages: &mut dyn Iterator<Item = PageId>, part: fn((u64, u64)) -> u64| {
        let mut h = Fingerprint::default();
        for i in pages {
            h.add(&part((facts.page)(i)));
        }
        h.finish()
    };
    let own: fn((u64, u64)) -> u64 = |p| p.0;
    let quiz: fn((u64, u64)) -> u64 = |p| p.1;
    let questions = fold(&mut facts.site.page_ids(), quiz);
    let pages = Fingerprint::default()
        .add(&fold(&mut facts.site.page_ids(), own))
        .add(&facts.link_map)
        .add(&facts.shape)
        .finish();
    let area_questions = |a: AreaId| fold(&mut facts.site.areas[a].lessons.iter().copied(), quiz);
    let entry = |unit: Unit| {
        let inputs = match &unit {
            Unit::Special(s) => {
                let own = match s {
                    Special::Progress => questions,
                    Special::Sitemap => facts.link_map,
                    _ => 0,
                };
                let site = s.template().map_or(0, |t| facts.parts.seen(&inputs.reads_of(t), None));
                Inputs { theme, own, nav: 0, site }
            }
            Unit::Static(name) => {
                Inputs { own: xxhash_rust::xxh3::xxh3_64(&inputs.theme.statics[name]), ..Inputs::default() }
            }
            Unit::SyntaxCss => {
                Inputs { own: xxhash_rust::xxh3::xxh3_64(inputs.syntax_css.as_bytes()), ..Inputs::default() }
            }
            Unit::Asset(path) => {
                let a = asset(facts.site, path);
                let own = Fingerprint::default().add(&a.source).add(&a.url.0).add(&(facts.asset_stamp)(path)).finish();
                Inputs { own, ..Inputs::default() }
            }
            Unit::SearchIndex => Inputs { theme, own: pages, ..Inputs::default() },
            // What area_data writes: the area's card (its title, URL and every
            // lesson's title, URL, time and ids) and its lessons' questions.
            // Neither the theme nor site.toml reaches it.
            Unit::AreaData(url) => {
                let a = area_at(facts.site, url);
                let own = Fingerprint::default().add(&facts.parts.card(a)).add(&area_questions(a)).finish();
                Inputs { own, ..Inputs::default() }
            }
            Unit::Page(_) | Unit::Offline => unreachable!("shared units are neither markdown pages nor the last unit"),
        };
        (unit, inputs)
    };
    shared_units(facts.site, inputs).into_iter().map(entry).collect()
}

/// The unit made last, from every other file of the build (those
/// [`is_listed`], with what [`listed`] says of each), when `[offline]` is on:
/// the offline worker and its list. It has no record entry: a driver makes
/// it again whenever any other file changed.
pub(super) fn last_unit(inputs: &SiteInputs) -> Option<Unit> {
    inputs.config.offline.enabled.then_some(Unit::Offline)
}

/// Makes the last unit from every listed file of the build, in any order.
pub(super) fn make_last(inputs: &SiteInputs, files: Vec<(&str, Listed)>) -> Vec<OutputFile> {
    super::offline::make(&inputs.config, files)
}

/// An area's progress data: its lessons file and its questions file.
fn area_data(site: &Site, renderer: &Renderer<'_>, a: AreaId) -> Vec<OutputFile> {
    let card = &renderer.view.areas[a.0];
    let entries = site.areas[a].lessons.iter().map(|&l| renderer.question_index[l.0]);
    let file =
        |path: &str, text: String| OutputFile { path: path.into(), contents: Contents::Bytes(text.into_bytes()) };
    vec![
        file(&card.lessons_json, render::area_lessons_json(card)),
        file(&card.questions_json, render::question_index_json(entries)),
    ]
}

/// The area an area-data unit names.
fn area_at(site: &Site, url: &str) -> AreaId {
    site.area_ids()
        .find(|&a| site.pages[site.areas[a].page].url.0 == url)
        .expect("every area-data unit is an area of the site")
}

/// The copied file an asset unit names.
pub(super) fn asset<'a>(site: &'a Site, path: &std::path::Path) -> &'a Asset {
    match site.targets.get(path) {
        Some(Target::Asset(i)) => &site.assets[*i],
        _ => unreachable!("every asset unit is an asset of the site"),
    }
}
