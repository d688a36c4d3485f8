//! A chapter's anchors as mdBook names them and as learn will: links carry
//! mdBook's `#fragment`s, which are turned into learn's ids when the two
//! rules differ (learn lowercases every letter, keeps the page layout's ids
//! free, and gives the title heading its own id).

use crate::markdown::{heading_id, unique_id, LAYOUT_IDS};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// mdBook's fragment → learn's, and every id a link may use on the page.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    renamed: HashMap<String, String>,
    known: HashSet<String>,
}

impl Anchors {
    /// The id learn gives what `fragment` pointed at in the book, if the page has it.
    pub fn translate(&self, fragment: &str) -> Option<String> {
        let fragment = crate::html::decode(fragment);
        if let Some(new) = self.renamed.get(fragment.as_ref()) {
            return Some(new.clone());
        }
        self.known.contains(fragment.as_ref()).then(|| fragment.into_owned())
    }
}

/// The markdown options the import parses chapters with (mdBook's set).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

/// mdBook's id rule: letters, digits, `_` and `-` kept (ASCII lowercased), whitespace to `-`.
fn mdbook_id(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// The anchors of a page whose body is `body`, titled `title`. When the
/// body's first heading was taken out to become the title, `title_was_h1`
/// says so: mdBook gave that heading the first id of the page.
pub fn anchors(body: &str, title: &str, title_was_h1: bool, moved: &[(String, String)]) -> Anchors {
    let (headings, html_ids) = headings(body);
    let mut used: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    used.extend(html_ids.iter().cloned());
    used.extend(headings.iter().filter_map(|(explicit, _)| explicit.clone()));
    // learn names the title before the body's headings, as mdBook's first heading was.
    let title_id = unique_id(heading_id(title), &mut used);
    let mut mdbook_counts: HashMap<String, usize> = HashMap::new();
    let mut mdbook_unique = |text: &str| {
        let base = mdbook_id(text);
        let n = mdbook_counts.entry(base.clone()).or_insert(0);
        let id = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        id
    };
    let mut a = Anchors::default();
    if title_was_h1 {
        a.renamed.insert(mdbook_unique(title), title_id.clone());
    }
    a.known.insert(title_id);
    a.known.extend(html_ids);
    for (explicit, text) in headings {
        let ours = match &explicit {
            Some(id) => id.clone(),
            None => unique_id(heading_id(&text), &mut used),
        };
        let theirs = explicit.unwrap_or_else(|| mdbook_unique(&text));
        if theirs != ours {
            a.renamed.insert(theirs, ours.clone());
        }
        a.known.insert(ours);
    }
    for (from, to) in moved {
        a.renamed.insert(from.clone(), to.clone());
    }
    a
}

/// Explicit heading ids (`{#main}`) that learn would refuse, since the page
/// layout has them or the page has them already, get a free one (`main-1`).
/// Returns the body and, for the layout's ids, where links to them now go
/// (a repeated id's links meant its first heading, which keeps it).
pub fn free_explicit_ids(body: &str) -> (String, Vec<(String, String)>) {
    let events: Vec<_> = Parser::new_ext(body, options()).into_offset_iter().collect();
    let mut used: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    let explicit: Vec<(String, std::ops::Range<usize>)> = events
        .iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some((id.to_string(), r.clone())),
            _ => None,
        })
        .collect();
    used.extend(explicit.iter().map(|(id, _)| id.clone()));
    let (mut out, mut last, mut seen, mut moved) = (String::new(), 0, HashSet::new(), Vec::new());
    for (id, range) in explicit {
        let layout = LAYOUT_IDS.contains(&id.as_str());
        let Some(at) = body[range.clone()].rfind(&format!("#{id}")).map(|i| range.start + i + 1) else { continue };
        if (layout || !seen.insert(id.clone())) && at >= last {
            let new = unique_id(id.clone(), &mut used);
            out.push_str(&body[last..at]);
            out.push_str(&new);
            last = at + id.len();
            if layout {
                moved.push((id, new));
            }
        }
    }
    out.push_str(&body[last..]);
    (out, moved)
}

/// Each heading's explicit id and text, and the ids of raw HTML elements.
fn headings(body: &str) -> (Vec<(Option<String>, String)>, HashSet<String>) {
    let mut out = Vec::new();
    let mut html_ids = HashSet::new();
    let mut current: Option<(Option<String>, String)> = None;
    for e in Parser::new_ext(body, options()) {
        match e {
            Event::Start(Tag::Heading { id, .. }) => current = Some((id.map(|i| i.to_string()), String::new())),
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => html_ids.extend(attribute_values(&h, &["id", "name"])),
            _ => {}
        }
    }
    (out, html_ids)
}

/// The values of the named attributes in a piece of HTML.
pub fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    attributes(html, names).into_iter().map(|(r, _)| html[r].to_string()).collect()
}

/// Byte ranges of the values of the named attributes (quoted with `"` or `'`), with the name.
pub fn attributes<'n>(html: &str, names: &[&'n str]) -> Vec<(std::ops::Range<usize>, &'n str)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for name in names {
        let pattern = format!("{name}=");
        let mut from = 0;
        while let Some(i) = lower[from..].find(&pattern).map(|i| i + from) {
            from = i + pattern.len();
            let preceded = lower[..i].ends_with(|c: char| c.is_whitespace());
            let Some(quote) = html[from..].chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            let Some(len) = html[from + 1..].find(quote) else { continue };
            if preceded {
                out.push((from + 1..from + 1 + len, *name));
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_follow_the_heading_to_its_learn_id() {
        let body =
            "Intro\n\n## Quiz\n\n## Ünïcode Straße\n\n## Same\n\n## Same\n\n## Custom {#kept}\n\n<a id=\"raw\"></a>\n";
        let a = anchors(body, "Data Types", true, &[]);
        assert_eq!(a.translate("data-types").as_deref(), Some("data-types"));
        // `quiz` is the page layout's: learn's heading takes `quiz-1`.
        assert_eq!(a.translate("quiz").as_deref(), Some("quiz-1"));
        assert_eq!(a.translate("Ünïcode-straße").as_deref(), Some("ünïcode-straße"));
        assert_eq!(a.translate("same-1").as_deref(), Some("same-1"));
        assert_eq!(a.translate("kept").as_deref(), Some("kept"));
        assert_eq!(a.translate("raw").as_deref(), Some("raw"));
        assert_eq!(a.translate("nothing"), None);
    }

    #[test]
    fn a_body_heading_repeating_the_title_is_second() {
        let a = anchors("## Data Types\n", "Data Types", true, &[]);
        assert_eq!(a.translate("data-types-1").as_deref(), Some("data-types-1"));
    }

    #[test]
    fn explicit_ids_learn_would_refuse_are_freed() {
        let (body, moved) = free_explicit_ids("## A {#main}\n\n## B {#x}\n\n## C {#x}\n");
        assert_eq!(body, "## A {#main-1}\n\n## B {#x}\n\n## C {#x-1}\n");
        assert_eq!(moved, [("main".to_string(), "main-1".to_string())]);
        let a = anchors(&body, "T", false, &moved);
        assert_eq!(a.translate("main").as_deref(), Some("main-1"));
        assert_eq!(a.translate("x").as_deref(), Some("x"));
    }

    #[test]
    fn attributes_are_found_with_either_quote() {
        let html = "<img class=\"x\" SRC='a b.png' data-src=\"no\" alt=\"y\"><a href=\"c.md#d\">";
        let found: Vec<_> = attributes(html, &["src", "href"]).into_iter().map(|(r, n)| (&html[r], n)).collect();
        assert_eq!(found, [("a b.png", "src"), ("c.md#d", "href")]);
    }
}
