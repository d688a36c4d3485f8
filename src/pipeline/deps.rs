//! The dependency record: for every output of a build, fingerprints of what it
//! was made from. A rebuild computes the record again, cheaply, and re-makes
//! exactly the outputs whose fingerprints changed ([`plan`]); nothing else in
//! the engine decides what to rebuild.
//!
//! A page's inputs are its own source (the file and its rendered markdown), the
//! links it shows to other pages (previous/next, breadcrumbs), the theme and
//! config, and the parts of the two values every page template may read:
//! `site` (areas, lessons, standalone pages) and `area` (its area's card).
//! Which parts a template reads is found by scanning the template and
//! everything it extends or includes ([`super::template_reads`]); the scan errs on the
//! side of reading more, so a custom theme with a lesson list in a sidebar gets
//! every lesson page rebuilt when a title changes, as it should.
//!
//! This module computes no HTML and touches no files.

pub use super::template_reads::{scan_templates, Reads};
pub use super::unit::Unit;
use crate::content::model::Unavailable;
use crate::content::{AreaId, PageId, Site};
use crate::render::SiteView;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher as _};
use std::path::PathBuf;
use xxhash_rust::xxh3::Xxh3Default;

/// Fingerprints of what one unit was made from, in four parts so a rebuild can say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Inputs {
    /// `site.toml`, the templates and the build options.
    pub theme: u64,
    /// The unit's own source: a page's file and rendered markdown, an asset's size and time.
    pub own: u64,
    /// Links to other pages that the unit shows: previous/next and breadcrumbs.
    pub nav: u64,
    /// The parts of `site` and `area` its template reads.
    pub site: u64,
}

/// Why a unit is made again, for the log line and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// It did not exist in the previous build.
    New,
    /// The theme or `site.toml` changed.
    Theme,
    /// Its own source changed.
    Source,
    /// A previous/next link or a breadcrumb it shows changed.
    Navigation,
    /// Site-wide data its template reads changed (area cards, lesson lists, page links).
    SiteData,
}

impl Reason {
    /// A few words for the log line.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::New => "new",
            Reason::Theme => "theme or config",
            Reason::Source => "source",
            Reason::Navigation => "navigation",
            Reason::SiteData => "site data",
        }
    }
}

/// The fingerprints of every unit of one build.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record(pub HashMap<Unit, Inputs>);

/// What a rebuild does: units to make, with the first reason found, and units to drop.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub make: Vec<(Unit, Reason)>,
    pub remove: Vec<Unit>,
}

/// Compares the record of the published build with the record of the new one.
pub fn plan(old: &Record, new: &Record) -> Plan {
    let mut out = plan_some(old, new.0.iter().map(|(u, i)| (u, *i)));
    out.remove = old.0.keys().filter(|u| !new.0.contains_key(*u)).cloned().collect();
    out.remove.sort();
    out
}

/// Compares some units' new fingerprints with the published record, when the
/// others are known not to have changed.
pub fn plan_some<'a>(old: &Record, new: impl IntoIterator<Item = (&'a Unit, Inputs)>) -> Plan {
    let mut out = Plan::default();
    for (unit, inputs) in new {
        let reason = match old.0.get(unit) {
            None => Some(Reason::New),
            Some(was) if was.theme != inputs.theme => Some(Reason::Theme),
            Some(was) if was.own != inputs.own => Some(Reason::Source),
            Some(was) if was.nav != inputs.nav => Some(Reason::Navigation),
            Some(was) if was.site != inputs.site => Some(Reason::SiteData),
            Some(_) => None,
        };
        if let Some(r) = reason {
            out.make.push((unit.clone(), r));
        }
    }
    out.make.sort();
    out
}

/// A streaming 64-bit fingerprint (xxh3) with helpers for plain and serialisable values.
pub struct Fingerprint(Xxh3Default);

impl Default for Fingerprint {
    fn default() -> Self {
        Self(Xxh3Default::new())
    }
}

impl Fingerprint {
    /// Adds a value with `Hash` (strings, numbers, paths, tuples of them). Takes
    /// and gives back a reference: the hasher's state is large, and folds over
    /// every page of a big site would otherwise spend their time moving it.
    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value through its JSON form, for view types that are only `Serialize`.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        serde_json::to_writer(&mut *self, value).expect("writing to a hasher cannot fail");
        // A separator, so that two values cannot run together into the same bytes.
        self.0.write_u8(0xff);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fingerprints of the parts of the site view that templates read, computed once per build.
#[derive(Debug, Clone, Default)]
pub struct SiteParts {
    areas: u64,
    area_count: u64,
    pages: u64,
    total_questions: u64,
    all: u64,
    area_headers: Vec<u64>,
    area_cards: Vec<u64>,
}

impl SiteParts {
    pub fn of(view: &SiteView) -> Self {
        let area_cards: Vec<u64> = view.areas.iter().map(|a| Fingerprint::default().json(a).finish()).collect();
        Self::with_cards(view, area_cards)
    }

    /// The parts of `view`, which differs from the view of `self` only in the areas `changed`.
    pub fn with_changed_areas(&self, view: &SiteView, changed: &[AreaId]) -> Self {
        let mut area_cards = self.area_cards.clone();
        for &a in changed {
            area_cards[a.0] = Fingerprint::default().json(&view.areas[a.0]).finish();
        }
        Self::with_cards(view, area_cards)
    }

    fn with_cards(view: &SiteView, area_cards: Vec<u64>) -> Self {
        let area_headers = view
            .areas
            .iter()
            .map(|a| Fingerprint::default().add(&a.title).add(&a.url).add(&a.summary).add(&a.number).finish())
            .collect();
        let areas = Fingerprint::default().add(&area_cards).finish();
        let pages = Fingerprint::default().json(&view.pages).finish();
        let total_questions = view.total_questions as u64;
        let area_count = view.areas.len() as u64;
        let all = Fingerprint::default().add(&areas).add(&pages).add(&total_questions).finish();
        SiteParts { areas, area_count, pages, total_questions, all, area_headers, area_cards }
    }

    /// Fingerprint of area `a`'s card: everything the view says of the area and its lessons.
    pub fn card(&self, a: AreaId) -> u64 {
        self.area_cards[a.0]
    }

    /// Fingerprint of the whole view, apart from what `site.toml` fills in.
    pub fn fingerprint(&self) -> u64 {
        self.all
    }

    /// The fingerprint of what a template with these reads sees, for a page in `area`.
    pub fn seen(&self, reads: &Reads, area: Option<AreaId>) -> u64 {
        let pick = |on: bool, v: u64| if on { v } else { 0 };
        let area_part = |on: bool, list: &Vec<u64>| match area {
            Some(a) if on => list.get(a.0).copied().unwrap_or(0),
            _ => 0,
        };
        Fingerprint::default()
            .add(&pick(reads.site_all, self.all))
            .add(&pick(reads.site_areas, self.areas))
            .add(&pick(reads.site_area_count, self.area_count))
            .add(&pick(reads.site_pages, self.pages))
            .add(&pick(reads.site_total_questions, self.total_questions))
            .add(&area_part(reads.area_header, &self.area_headers))
            .add(&area_part(reads.area_card, &self.area_cards))
            .finish()
    }
}

/// Fingerprint of where links can point: the pages in order (their positions
/// are what rendered links refer to), their URLs, the assets and the pages left
/// out. Rendered markdown depends on nothing else outside its own page.
pub(super) fn link_map_fingerprint(site: &Site) -> u64 {
    let mut h = Fingerprint::default();
    for p in &site.pages {
        h.add(&p.content_path).add(&p.url.0);
    }
    for a in &site.assets {
        h.add(&a.content_path).add(&a.url.0);
    }
    let mut left_out: Vec<(&PathBuf, bool)> =
        site.unavailable.iter().map(|(p, u)| (p, *u == Unavailable::Draft)).collect();
    left_out.sort();
    h.add(&left_out).finish()
}

/// Fingerprint of the site's shape: which page is home, the areas and their
/// lessons, the standalone pages, in order.
pub(super) fn shape_fingerprint(site: &Site) -> u64 {
    let areas: Vec<(PageId, &Vec<PageId>)> = site.areas.iter().map(|a| (a.page, &a.lessons)).collect();
    Fingerprint::default().add(&site.home).add(&areas).add(&site.standalone).add(&site.pages.len()).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn plan_names_the_first_changed_part() {
        let unit = |s: &str| Unit::Page(PathBuf::from(s));
        let base = Inputs { theme: 1, own: 2, nav: 3, site: 4 };
        let old = Record([(unit("a.md"), base), (unit("b.md"), base), (unit("gone.md"), base)].into_iter().collect());
        let new = Record(
            [(unit("a.md"), base), (unit("b.md"), Inputs { nav: 9, site: 9, ..base }), (unit("c.md"), base)]
                .into_iter()
                .collect(),
        );
        let p = plan(&old, &new);
        assert_eq!(p.make, vec![(unit("b.md"), Reason::Navigation), (unit("c.md"), Reason::New)]);
        assert_eq!(p.remove, vec![unit("gone.md")]);
    }

    #[test]
    fn fingerprints_separate_adjacent_values() {
        let a = Fingerprint::default().json("ab").json("c").finish();
        let b = Fingerprint::default().json("a").json("bc").finish();
        assert_ne!(a, b);
    }
}
