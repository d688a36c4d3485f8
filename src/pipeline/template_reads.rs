//! What each template reads of `site` and `area`, found by scanning its
//! source: a small lexer over tera's expressions and tags. It errs on the
//! side of reading more, so a custom theme with a lesson list in a sidebar
//! gets every lesson page rebuilt when a title changes, as it should.

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
const SITE_CONFIG_FIELDS: [&str; 10] = [
    "title",
    "description",
    "language",
    "base_path",
    "base_url",
    "storage_key",
    "search",
    "offline",
    "answers_without_js",
    "shuffle",
];

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
