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
//! everything it extends or includes ([`scan_templates`]); the scan errs on the
//! side of reading more, so a custom theme with a lesson list in a sidebar gets
//! every lesson page rebuilt when a title changes, as it should.
//!
//! This module computes no HTML and touches no files.

pub use super::unit::Unit;
use crate::render::SiteView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher as _};
use xxhash_rust::xxh3::Xxh3Default;

/// Fingerprints of what one unit was made from, in four parts so a rebuild can say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
#[derive(Debug, Clone, Default, PartialEq)]
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

/// What a template reads of `site` and `area`, the two values shared between pages.
/// Fields of `site` that come from `site.toml` are not listed: a config change
/// rebuilds everything anyway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// `site` as a whole, or a field this scan does not know.
    pub site_all: bool,
    /// Every area card, with its lessons (`site.areas`).
    pub site_areas: bool,
    /// Only how many areas there are (`site.areas | length`).
    pub site_area_count: bool,
    /// The standalone pages' links (`site.pages`).
    pub site_pages: bool,
    /// `site.total_questions`.
    pub site_total_questions: bool,
    /// Title, URL, summary and number of the page's area.
    pub area_header: bool,
    /// The whole card of the page's area, with its lessons.
    pub area_card: bool,
}

impl Reads {
    /// Everything, for templates that cannot be scanned.
    pub const ALL: Reads = Reads {
        site_all: true,
        site_areas: true,
        site_area_count: true,
        site_pages: true,
        site_total_questions: true,
        area_header: true,
        area_card: true,
    };

    fn union(self, o: Reads) -> Reads {
        Reads {
            site_all: self.site_all || o.site_all,
            site_areas: self.site_areas || o.site_areas,
            site_area_count: self.site_area_count || o.site_area_count,
            site_pages: self.site_pages || o.site_pages,
            site_total_questions: self.site_total_questions || o.site_total_questions,
            area_header: self.area_header || o.area_header,
            area_card: self.area_card || o.area_card,
        }
    }
}

/// `SiteView` fields filled from `site.toml` (covered by the theme fingerprint).
const SITE_CONFIG_FIELDS: [&str; 8] =
    ["title", "description", "language", "base_path", "base_url", "storage_key", "search", "answers_without_js"];

/// What each template reads, following `extends` and `include`. A theme that
/// defines components gets their reads added to every template, since a
/// component may take values from its caller's scope implicitly.
pub fn scan_templates(templates: &BTreeMap<String, String>) -> HashMap<String, Reads> {
    let direct: HashMap<&str, Scan> = templates.iter().map(|(name, src)| (name.as_str(), scan_source(src))).collect();
    let components =
        direct.values().filter(|s| s.defines_components).fold(Reads::default(), |acc, s| acc.union(s.reads));
    let mut out = HashMap::new();
    for name in templates.keys() {
        let mut reads = components;
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.as_str()];
        while let Some(n) = todo.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let Some(scan) = direct.get(n) {
                reads = reads.union(scan.reads);
                todo.extend(scan.refs.iter().map(String::as_str));
            }
        }
        out.insert(name.clone(), reads);
    }
    out
}

/// What one template's source reads directly, and the templates it names.
#[derive(Debug, Default)]
struct Scan {
    reads: Reads,
    refs: Vec<String>,
    defines_components: bool,
}

/// Scans the expressions and tags of a template (comments and `raw` blocks are skipped).
fn scan_source(src: &str) -> Scan {
    let mut scan = Scan::default();
    let mut rest = src;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body_start = start + 2;
        let Some(len) = rest[body_start..].find(close) else { break };
        let body = &rest[body_start..body_start + len];
        rest = &rest[body_start + len + 2..];
        if close == "#}" {
            continue;
        }
        let words: Vec<&str> = body.trim_matches(|c: char| c == '-' || c.is_whitespace()).split_whitespace().collect();
        match words.first().copied() {
            Some("raw") if close == "%}" => {
                // Skip to `{% endraw %}`: nothing inside is code.
                rest = rest.find("endraw").map_or("", |i| &rest[i..]);
                rest = rest.find("%}").map_or("", |i| &rest[i + 2..]);
                continue;
            }
            Some("include" | "extends" | "import") if close == "%}" => scan.refs.extend(string_literals(body)),
            Some("component") if close == "%}" => scan.defines_components = true,
            _ => {}
        }
        scan.reads = scan.reads.union(expression_reads(body));
    }
    scan
}

fn string_literals(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find(['"', '\'', '`']) {
        let quote = rest[i..].chars().next().expect("found a quote");
        let after = &rest[i + 1..];
        let Some(len) = after.find(quote) else { break };
        out.push(after[..len].to_string());
        rest = &after[len + 1..];
    }
    out
}

/// Finds uses of `site`, `area` and `__tera_context` in one expression or tag.
fn expression_reads(code: &str) -> Reads {
    let mut reads = Reads::default();
    let first = code.trim_start_matches(|c: char| c == '-' || c.is_whitespace()).split_whitespace().next();
    let is_test = matches!(first, Some("if" | "elif"));
    let bytes = code.as_bytes();
    let ident_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let ident_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'"' | b'\'' | b'`') {
            i += code[i + 1..].find(b as char).map_or(bytes.len(), |n| n + 2);
            continue;
        }
        if !ident_start(b) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident_char(bytes[i]) {
            i += 1;
        }
        // A name after a dot is a field of something else, not a variable.
        let after_dot = code[..start].trim_end().ends_with('.');
        if after_dot {
            continue;
        }
        let name = &code[start..i];
        let (field, tail) = field_after(&code[i..]);
        // `{% if area %}` only asks whether there is one, which the page's path decides.
        if field.is_none() && is_test && only_tested(tail) {
            continue;
        }
        match name {
            "__tera_context" => reads = Reads::ALL,
            "site" => match field {
                Some(f) if SITE_CONFIG_FIELDS.contains(&f) => {}
                Some("areas") if only_length(tail) => reads.site_area_count = true,
                Some("areas") => reads.site_areas = true,
                Some("pages") => reads.site_pages = true,
                Some("total_questions") => reads.site_total_questions = true,
                _ => reads.site_all = true,
            },
            "area" => match field {
                Some("title" | "url" | "summary" | "number") => reads.area_header = true,
                _ => reads.area_card = true,
            },
            _ => {}
        }
    }
    reads
}

/// True when nothing is done with a value in a condition but test it.
fn only_tested(tail: &str) -> bool {
    let t = tail.trim_start().trim_start_matches('-').trim_start();
    t.is_empty() || t.starts_with(')') || t.starts_with("and ") || t.starts_with("or ")
}

/// `.field` right after a name, and what follows it.
fn field_after(s: &str) -> (Option<&str>, &str) {
    let Some(rest) = s.trim_start().strip_prefix('.') else { return (None, s) };
    let rest = rest.trim_start();
    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    if len == 0 {
        return (None, s);
    }
    (Some(&rest[..len]), &rest[len..])
}

/// True when a value is only measured: `| length` applied first, so whatever
/// follows works on a number.
fn only_length(tail: &str) -> bool {
    let Some(rest) = tail.trim_start().strip_prefix('|') else { return false };
    let Some(rest) = rest.trim_start().strip_prefix("length") else { return false };
    !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
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
    pub fn with_changed_areas(&self, view: &SiteView, changed: &[usize]) -> Self {
        let mut area_cards = self.area_cards.clone();
        for &a in changed {
            area_cards[a] = Fingerprint::default().json(&view.areas[a]).finish();
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

    /// Fingerprint of the whole view, apart from what `site.toml` fills in.
    pub fn fingerprint(&self) -> u64 {
        self.all
    }

    /// The fingerprint of what a template with these reads sees, for a page in `area`.
    pub fn seen(&self, reads: &Reads, area: Option<usize>) -> u64 {
        let pick = |on: bool, v: u64| if on { v } else { 0 };
        let area_part = |on: bool, list: &Vec<u64>| match area {
            Some(a) if on => list.get(a).copied().unwrap_or(0),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn reads(src: &str) -> Reads {
        scan_source(src).reads
    }

    #[test]
    fn config_fields_of_site_are_not_site_data() {
        assert_eq!(reads("<title>{{ site.title }}</title>{% if site.search %}x{% endif %}"), Reads::default());
    }

    #[test]
    fn a_loop_over_areas_reads_every_card() {
        let r = reads("{% for a in site.areas %}{{ a.title }}{% endfor %}");
        assert!(r.site_areas && !r.site_area_count && !r.site_all);
    }

    #[test]
    fn counting_areas_reads_only_the_count() {
        let r = reads("Area {{ area.number }} of {{ site.areas | length }}");
        assert!(r.site_area_count && !r.site_areas, "{r:?}");
        assert!(r.area_header && !r.area_card, "{r:?}");
        // Filters after `length` work on the number; any other filter reads the cards.
        assert!(!reads("{{ site.areas | length > 1 }}").site_areas);
        assert!(reads("{{ site.areas | first }}").site_areas);
        assert!(reads("{{ site.areas | lengthy }}").site_areas);
    }

    #[test]
    fn an_area_lesson_list_reads_the_whole_card() {
        assert!(reads("{% for l in area.lessons %}{{ l.title }}{% endfor %}").area_card);
        assert!(reads("{{ area.question_ids | join(sep=' ') }}").area_card);
        assert!(reads("{% set a = area %}").area_card);
    }

    #[test]
    fn testing_for_an_area_reads_nothing_of_it() {
        assert_eq!(reads("{% if area %}x{% endif %}"), Reads::default());
        assert_eq!(reads("{% if kind == 'lesson' and area %}x{% endif %}"), Reads::default());
        // Comparing it is reading it.
        assert!(reads("{% if area == other %}x{% endif %}").area_card);
    }

    #[test]
    fn site_as_a_whole_or_unknown_fields_read_everything() {
        assert!(reads("{% set s = site %}{{ s.areas }}").site_all);
        assert!(reads("{{ site['areas'] }}").site_all);
        assert!(reads("{{ site.lessons_in_a_future_field }}").site_all);
        assert_eq!(reads("{{ __tera_context }}"), Reads::ALL);
    }

    #[test]
    fn names_in_strings_comments_and_raw_blocks_are_not_reads() {
        assert_eq!(
            reads("{# site.areas #}{{ \"site.areas\" }}{% raw %}{{ site.areas }}{% endraw %}"),
            Reads::default()
        );
        // A field called `site` of something else is not the site.
        assert_eq!(reads("{{ page.site.areas }}"), Reads::default());
    }

    #[test]
    fn reads_follow_extends_and_include() {
        let mut t = BTreeMap::new();
        t.insert(
            "base.html".to_string(),
            "{% for p in site.pages %}{% endfor %}{% block main %}{% endblock main %}".to_string(),
        );
        t.insert(
            "lesson.html".to_string(),
            "{% extends \"base.html\" %}{% block main %}{% include \"partials/nav.html\" %}{% endblock main %}"
                .to_string(),
        );
        t.insert("partials/nav.html".to_string(), "{{ area.title }}".to_string());
        t.insert(
            "home.html".to_string(),
            "{% extends \"base.html\" %}{% for a in site.areas %}{% endfor %}".to_string(),
        );
        let all = scan_templates(&t);
        let lesson = all["lesson.html"];
        assert!(lesson.site_pages && lesson.area_header && !lesson.site_areas && !lesson.area_card, "{lesson:?}");
        assert!(all["home.html"].site_areas);
    }

    #[test]
    fn components_count_for_every_template() {
        let mut t = BTreeMap::new();
        t.insert(
            "components.html".to_string(),
            "{% component Nav(@implicit site) %}{{ site.areas }}{% endcomponent Nav %}".to_string(),
        );
        t.insert("lesson.html".to_string(), "{{ title }}".to_string());
        assert!(scan_templates(&t)["lesson.html"].site_areas);
    }

    #[test]
    fn the_default_theme_scans_as_expected() {
        let theme = crate::theme::load(std::path::Path::new("/nonexistent"), "default").unwrap();
        let all = scan_templates(&theme.templates);
        let lesson = all["lesson.html"];
        // A lesson shows its area's name and the standalone pages, not the whole curriculum.
        assert!(lesson.area_header && lesson.site_pages, "{lesson:?}");
        assert!(!lesson.site_areas && !lesson.area_card && !lesson.site_all, "{lesson:?}");
        assert!(all["home.html"].site_areas);
        assert!(all["area.html"].area_card && all["area.html"].site_area_count && !all["area.html"].site_areas);
    }

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
