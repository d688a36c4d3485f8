//! Heading ids (GitHub style, unique per page, `{#explicit}` kept), anchor
//! links beside each heading, and the page's text split into sections.

use super::{Section, Spanned};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashSet;

/// A heading for the table of contents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// GitHub's rule: lowercase, letters, digits, `-` and `_` kept, spaces become `-`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.push(c);
        } else if c == ' ' {
            id.push('-');
        }
    }
    if id.is_empty() {
        "section".into()
    } else {
        id
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Ids the default theme gives elements of the pages that carry markdown
/// (`<main id="main">`, the quiz section, the header's search box...). A heading
/// must not take one: the page would have two elements with the same id, and
/// links to either would land on the first.
pub const LAYOUT_IDS: [&str; 19] = [
    "main",
    "search-input",
    "search-popup",
    "areas",
    "lessons",
    "objectives-title",
    "quiz",
    "quiz-title",
    "site-nav-list",
    "home-next",
    "review-count",
    "lesson-index",
    "home-offline",
    "home-offline-title",
    "home-offline-ask",
    "home-offline-save",
    "home-offline-cancel",
    "home-offline-status",
    "home-introduction",
];

/// An explicit heading id (`{#id}`) that another element of the page already has.
#[derive(Debug, Clone, PartialEq)]
pub struct IdClash {
    pub id: String,
    /// Byte range of the heading in the rendered source.
    pub range: std::ops::Range<usize>,
    /// True when the page layout has the id, false when the page's own markdown does.
    pub layout: bool,
}

/// What `assign_ids` finds.
pub(super) struct Ids {
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    /// Every id a `#fragment` may point at.
    pub anchors: HashSet<String>,
    /// Explicit ids used twice.
    pub clashes: Vec<IdClash>,
    /// The id of the page's title heading (the layout's `<h1>`).
    pub title_id: String,
}

/// Ids no generated one may take: the layout's, those in raw HTML, and
/// explicit heading ids; an explicit id the page already has is reported,
/// since both cannot be reached.
fn reserved_ids(events: &[Spanned<'_>]) -> (HashSet<String>, Vec<IdClash>) {
    let mut used: HashSet<String> = LAYOUT_IDS.iter().map(|s| s.to_string()).collect();
    let mut clashes = Vec::new();
    for (e, _) in events.iter() {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            collect_html_ids(h, &mut used);
        }
    }
    for (e, range) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            if !used.insert(id.to_string()) {
                let layout = LAYOUT_IDS.contains(&id.as_ref());
                clashes.push(IdClash { id: id.to_string(), range: range.clone(), layout });
            }
        }
    }
    (used, clashes)
}

/// Gives the page's title (`title_id`: an explicit one, else from `title`)
/// and every heading a unique id, and returns the headings, sections and all
/// anchor ids. The title comes first, so a heading that repeats it gets `-1`.
pub(super) fn assign_ids(events: &mut Vec<Spanned<'_>>, title: &str, title_id: Option<String>) -> Ids {
    let mut headings = Vec::new();
    let mut sections = vec![Section::default()];
    let (mut used, clashes) = reserved_ids(events);
    let title_id = title_id.unwrap_or_else(|| unique_id(heading_id(title), &mut used));
    used.insert(title_id.clone());
    let mut i = 0;
    let mut in_code = false;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = level_number(*level);
                let explicit = id.clone();
                let end = (i..events.len())
                    .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
                    .unwrap_or(events.len() - 1);
                let text = text_of(&events[i + 1..end]);
                let id = match explicit {
                    Some(id) => id.to_string(),
                    None => unique_id(heading_id(&text), &mut used),
                };
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                    *slot = Some(CowStr::from(id.clone()));
                }
                let anchor = format!(
                    "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                    crate::html::escape(&id)
                );
                events.insert(end, (Event::InlineHtml(anchor.into()), 0..0));
                headings.push(Heading { level, id: id.clone(), text: text.clone() });
                sections.push(Section { id: Some(id), heading: text, level, text: String::new() });
                i = end + 2;
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) if !in_code => {
                let s = sections.last_mut().expect("there is always a section");
                if !s.text.is_empty() && !s.text.ends_with(' ') {
                    s.text.push(' ');
                }
                s.text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                let s = sections.last_mut().expect("there is always a section");
                if !s.text.ends_with(' ') && !s.text.is_empty() {
                    s.text.push(' ');
                }
            }
            _ => {}
        }
        i += 1;
    }
    for s in &mut sections {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if sections[0].text.is_empty() && sections.len() > 1 {
        sections.remove(0);
    }
    for id in LAYOUT_IDS {
        used.remove(id);
    }
    Ids { headings, sections, anchors: used, clashes, title_id }
}

/// Removes a heading at the very top of a page body that repeats the page's
/// title (the layout shows the title already); returns its byte range and its
/// explicit id, if it had one.
pub(super) fn drop_repeated_title(
    events: &mut Vec<Spanned<'_>>,
    title: &str,
) -> Option<(std::ops::Range<usize>, Option<String>)> {
    let (Event::Start(Tag::Heading { level: HeadingLevel::H1, id, .. }), range) = events.first()? else { return None };
    let end = events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))?;
    let same = |a: &str| a.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if same(&text_of(&events[1..end])) != same(title) {
        return None;
    }
    let found = (range.clone(), id.as_ref().map(|i| i.to_string()));
    events.drain(..=end);
    Some(found)
}

fn text_of(events: &[Spanned<'_>]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        if let Event::Text(t) | Event::Code(t) | Event::InlineMath(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

/// `base`, or `base-1`, `base-2`... the first that is not in `used`, which it joins.
pub fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// Finds `id="..."` and `name="..."` attributes in raw HTML.
fn collect_html_ids(html: &str, out: &mut HashSet<String>) {
    for attr in [" id=", " name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            if let Some(end) = rest[1..].find(quote) {
                out.insert(rest[1..1 + end].to_string());
                rest = &rest[1 + end..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_github() {
        assert_eq!(heading_id("Sample size & power"), "sample-size--power");
        assert_eq!(heading_id("What is RICE?"), "what-is-rice");
        assert_eq!(heading_id("Über"), "über");
    }

    fn ids_of(md: &str) -> (Vec<String>, Vec<IdClash>) {
        let mut events: Vec<Spanned<'_>> =
            pulldown_cmark::Parser::new_ext(md, super::super::options()).into_offset_iter().collect();
        let Ids { headings, clashes, .. } = assign_ids(&mut events, "Page", None);
        (headings.into_iter().map(|h| h.id).collect(), clashes)
    }

    /// Found by fuzzing (markdown_render): two headings with the same `{#id}`
    /// gave the page two elements with one id, and the second could never be linked.
    #[test]
    fn explicit_ids_used_twice_are_reported() {
        let (ids, clashes) = ids_of("## A {#plan}\n\n## B {#plan}\n\n<div id=\"box\"></div>\n\n## C {#box}\n");
        assert_eq!(ids, ["plan", "plan", "box"]);
        let found: Vec<(&str, bool)> = clashes.iter().map(|c| (c.id.as_str(), c.layout)).collect();
        assert_eq!(found, [("plan", false), ("box", false)]);
        assert_eq!(clashes[0].range.start, 14);
    }

    /// A lesson heading "Quiz" used to get `id="quiz"`, the id of the quiz
    /// section below it: invalid HTML, and its table-of-contents link went to the quiz.
    #[test]
    fn generated_ids_avoid_the_layout_and_explicit_ones_are_reported() {
        let (ids, clashes) = ids_of("## Quiz\n\n## Main\n\n## Lessons {#lessons}\n");
        assert_eq!(ids, ["quiz-1", "main-1", "lessons"]);
        assert_eq!(clashes.len(), 1);
        assert!(clashes[0].layout);
    }

    #[test]
    fn html_ids_are_anchors() {
        let mut set = HashSet::new();
        collect_html_ids("<div id=\"box\"><a name='old'></a></div>", &mut set);
        assert!(set.contains("box") && set.contains("old"));
    }
}
