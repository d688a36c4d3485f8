//! `SUMMARY.md`, parsed with pulldown-cmark the way mdBook reads it: an
//! optional `# Summary` title, prefix chapters (links before the first list or
//! part), numbered chapters (nested lists) under optional part titles
//! (`# Part`), suffix chapters (links after them), `---` separators, and
//! drafts (`[Title]()`).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

/// One chapter as listed: its title, file (none for a draft), line and sub-chapters.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub title: String,
    /// The link as written, relative to `src/`; `None` for a draft.
    pub path: Option<String>,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
    pub children: Vec<Chapter>,
}

/// A part title or a top-level numbered chapter, in SUMMARY order.
#[derive(Debug, Clone, PartialEq)]
pub enum Numbered {
    Part { title: String, line: usize },
    Chapter(Chapter),
}

/// The table of contents of a book.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub prefix: Vec<Chapter>,
    pub numbered: Vec<Numbered>,
    pub suffix: Vec<Chapter>,
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses SUMMARY.md's text; it never fails: what it cannot read is skipped.
pub fn parse(text: &str) -> Summary {
    let events: Events<'_> = Parser::new(text).into_offset_iter().collect();
    let line = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut summary = Summary::default();
    let mut seen_anything = false;
    let mut i = 0;
    while i < events.len() {
        let start = events[i].1.start;
        let end = skip_block(&events, i);
        match &events[i].0 {
            Event::Start(Tag::Heading { .. }) => {
                let title = text_between(&events[i + 1..end]);
                // The first heading, before anything else, is the `# Summary` title.
                if seen_anything {
                    summary.numbered.push(Numbered::Part { title, line: line(start) });
                }
            }
            Event::Start(Tag::Paragraph) => {
                let links = links_in(&events[i..end], &line);
                if summary.numbered.is_empty() {
                    summary.prefix.extend(links);
                } else {
                    summary.suffix.extend(links);
                }
            }
            Event::Start(Tag::List(_)) => {
                let chapters = list(&events[i..end], &line);
                summary.numbered.extend(chapters.into_iter().map(Numbered::Chapter));
            }
            _ => {}
        }
        seen_anything = true;
        i = end;
    }
    summary
}

/// The index just past the block starting at `i` (or `i + 1` for a lone event).
fn skip_block(events: &[(Event<'_>, Range<usize>)], i: usize) -> usize {
    if !matches!(events[i].0, Event::Start(_)) {
        return i + 1;
    }
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(i) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    events.len()
}

fn text_between(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Every link of a paragraph of prefix or suffix chapters.
fn links_in(events: &[(Event<'_>, Range<usize>)], line: &dyn Fn(usize) -> usize) -> Vec<Chapter> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Link { dest_url, .. }) = &events[i].0 {
            let end = skip_block(events, i);
            out.push(Chapter {
                title: text_between(&events[i + 1..end]),
                path: Some(dest_url.to_string()).filter(|d| !d.is_empty()),
                line: line(events[i].1.start),
                children: Vec::new(),
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The chapters of a list (`events` spans it, start to end).
fn list(events: &[(Event<'_>, Range<usize>)], line: &dyn Fn(usize) -> usize) -> Vec<Chapter> {
    let mut chapters = Vec::new();
    let mut i = 1;
    while i + 1 < events.len() {
        let end = skip_block(events, i);
        if matches!(events[i].0, Event::Start(Tag::Item)) {
            chapters.extend(item(&events[i..end], line));
        }
        i = end;
    }
    chapters
}

/// One list item: its first link is the chapter, a nested list its sub-chapters.
/// An item without a link is not a chapter (mdBook rejects it); it is skipped.
fn item(events: &[(Event<'_>, Range<usize>)], line: &dyn Fn(usize) -> usize) -> Option<Chapter> {
    let mut chapter: Option<Chapter> = None;
    let mut i = 1;
    while i + 1 < events.len() {
        let end = skip_block(events, i);
        match &events[i].0 {
            Event::Start(Tag::Link { dest_url, .. }) if chapter.is_none() => {
                chapter = Some(Chapter {
                    title: text_between(&events[i + 1..end]),
                    path: Some(dest_url.to_string()).filter(|d| !d.is_empty()),
                    line: line(events[i].1.start),
                    children: Vec::new(),
                });
            }
            Event::Start(Tag::List(_)) => {
                if let Some(c) = chapter.as_mut() {
                    c.children.extend(list(&events[i..end], line));
                }
            }
            // A loose list wraps the link in a paragraph: look inside it.
            Event::Start(Tag::Paragraph) if chapter.is_none() => {
                chapter = links_in(&events[i..end], line).into_iter().next();
            }
            _ => {}
        }
        i = end;
        if matches!(events.get(i).map(|e| &e.0), Some(Event::End(TagEnd::Item))) {
            break;
        }
    }
    chapter
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# Summary

[Introduction](README.md)

# User guide

- [Installation](guide/installation.md)
- [Reading `books`](guide/reading.md)
    - [Draft]()
    - [Deep](guide/deep.md)
        - [Deeper](guide/deeper.md)

---

# Reference

1. [CLI](cli/README.md)

-----------

[Contributors](misc/contributors.md)
[Thanks](thanks.md)
";

    fn ch(title: &str, path: Option<&str>, line: usize, children: Vec<Chapter>) -> Chapter {
        Chapter { title: title.into(), path: path.map(str::to_string), line, children }
    }

    #[test]
    fn prefix_parts_numbered_drafts_and_suffix() {
        let s = parse(TEXT);
        assert_eq!(s.prefix, vec![ch("Introduction", Some("README.md"), 3, vec![])]);
        assert_eq!(
            s.suffix.iter().map(|c| (c.title.as_str(), c.line)).collect::<Vec<_>>(),
            [("Contributors", 21), ("Thanks", 22)]
        );
        let deeper = ch("Deeper", Some("guide/deeper.md"), 11, vec![]);
        let expected = vec![
            Numbered::Part { title: "User guide".into(), line: 5 },
            Numbered::Chapter(ch("Installation", Some("guide/installation.md"), 7, vec![])),
            Numbered::Chapter(ch(
                "Reading books",
                Some("guide/reading.md"),
                8,
                vec![ch("Draft", None, 9, vec![]), ch("Deep", Some("guide/deep.md"), 10, vec![deeper])],
            )),
            Numbered::Part { title: "Reference".into(), line: 15 },
            Numbered::Chapter(ch("CLI", Some("cli/README.md"), 17, vec![])),
        ];
        assert_eq!(s.numbered, expected);
    }

    #[test]
    fn a_summary_without_title_or_parts() {
        let s = parse("- [One](one.md)\n- [Two](./two.md)\n");
        assert!(s.prefix.is_empty());
        assert_eq!(s.numbered.len(), 2);
    }

    #[test]
    fn loose_lists_and_items_without_links() {
        let s = parse("# Summary\n\n- [One](one.md)\n\n- not a chapter\n\n- [Two](two.md)\n");
        let titles: Vec<_> = s
            .numbered
            .iter()
            .filter_map(|n| match n {
                Numbered::Chapter(c) => Some(c.title.clone()),
                Numbered::Part { .. } => None,
            })
            .collect();
        assert_eq!(titles, ["One", "Two"]);
    }
}
