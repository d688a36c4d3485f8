//! Block-level passes: fenced code to highlighted HTML, GFM alerts to labelled
//! notes, tables wrapped so they scroll on phones, task-list boxes labelled.

use super::Spanned;
use crate::highlight::Highlighter;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, Tag, TagEnd};
use std::collections::HashSet;

/// The language of a fence is the first word of its info string (`rust,ignore` is Rust).
pub fn fence_language(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("")
}

/// Replaces each code block (start, text…, end) with one HTML event.
pub(super) fn highlight_code(events: &mut Vec<Spanned<'_>>, highlighter: &Highlighter) {
    let mut i = 0;
    while i < events.len() {
        let lang = match &events[i].0 {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => fence_language(info).to_string(),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => String::new(),
            _ => {
                i += 1;
                continue;
            }
        };
        let end = (i..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::CodeBlock)))
            .unwrap_or(events.len() - 1);
        let mut code = String::new();
        for (e, _) in &events[i + 1..end] {
            if let Event::Text(t) = e {
                code.push_str(t);
            }
        }
        let html = highlighter.block(&lang, &code);
        let range = events[i].1.clone();
        events.splice(i..=end, [(Event::Html(html.to_string().into()), range)]);
        i += 1;
    }
}

fn alert_label(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// GFM alerts become `<aside>`s with a visible label; tables get a scrolling
/// wrapper that keyboard users can focus; task-list boxes get a label.
/// `table_labels` holds the table names the page has already used (its body
/// and every snippet from its front matter are one page).
pub(super) fn alerts_tables_tasks(events: &mut Vec<Spanned<'_>>, table_labels: &mut HashSet<String>) {
    let mut open_alerts = Vec::new();
    for (event, _) in events.iter_mut() {
        let replacement = match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert_label(*kind);
                open_alerts.push(true);
                format!("<aside class=\"alert alert-{class}\" aria-label=\"{label}\"><p class=\"alert-title\">{label}</p>\n")
            }
            Event::Start(Tag::BlockQuote(None)) => {
                open_alerts.push(false);
                continue;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                if open_alerts.pop() == Some(true) {
                    "</aside>\n".to_string()
                } else {
                    continue;
                }
            }
            Event::TaskListMarker(done) => {
                let (checked, label) = if *done { (" checked", "done") } else { ("", "to do") };
                format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
            }
            _ => continue,
        };
        *event = Event::Html(replacement.into());
    }
    wrap_tables(events, table_labels);
}

/// Wraps each table in a region that scrolls sideways on narrow screens. The
/// region is focusable so keyboard users can scroll it, and so it needs a name;
/// names must differ between landmarks of a page, so each is made from the
/// table's header cells, numbered when two tables share the same headers.
fn wrap_tables(events: &mut Vec<Spanned<'_>>, used: &mut HashSet<String>) {
    let mut i = 0;
    while i < events.len() {
        match events[i].0 {
            Event::Start(Tag::Table(_)) => {
                let label = unique_label(table_label(&events[i..]), used);
                let open = format!(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                    crate::html::escape(&label)
                );
                events.insert(i, (Event::Html(open.into()), 0..0));
                i += 2;
            }
            Event::End(TagEnd::Table) => {
                events.insert(i + 1, (Event::Html("</div>\n".into()), 0..0));
                i += 2;
            }
            _ => i += 1,
        }
    }
}

/// `Table: Metric, Target` from the header row of the table that starts `events`.
fn table_label(events: &[Spanned<'_>]) -> String {
    let mut cells: Vec<String> = Vec::new();
    for (e, _) in events {
        match e {
            Event::Start(Tag::TableCell) => cells.push(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cells.last_mut() {
                    c.push_str(t);
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::Table) => break,
            _ => {}
        }
    }
    let named: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if named.is_empty() {
        "Table".into()
    } else {
        format!("Table: {}", named.join(", "))
    }
}

fn unique_label(label: String, used: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = label.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{label} ({n})");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_is_the_first_word() {
        assert_eq!(fence_language("rust,ignore"), "rust");
        assert_eq!(fence_language("python title=x"), "python");
        assert_eq!(fence_language(""), "");
    }

    fn rendered(md: &str) -> String {
        let mut events: Vec<Spanned<'_>> =
            pulldown_cmark::Parser::new_ext(md, super::super::options()).into_offset_iter().collect();
        alerts_tables_tasks(&mut events, &mut HashSet::new());
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    /// axe's landmark-unique rule: every table's scrolling region used to be
    /// called "Table (scrolls sideways)", so pages with two tables failed.
    #[test]
    fn table_regions_are_named_after_their_headers_and_never_twice_alike() {
        let html = rendered(
            "| A | `b` |\n|---|---|\n| 1 | 2 |\n\n| A | `b` |\n|---|---|\n| 3 | 4 |\n\n| | |\n|---|---|\n| 5 | 6 |\n",
        );
        assert!(html.contains("aria-label=\"Table: A, b\""), "{html}");
        assert!(html.contains("aria-label=\"Table: A, b (2)\""), "{html}");
        assert!(html.contains("aria-label=\"Table\""), "{html}");
    }

    #[test]
    fn table_labels_are_escaped() {
        let html = rendered("| \"x\" &lt;y&gt; |\n|---|\n| 1 |\n");
        assert!(html.contains("aria-label=\"Table: &quot;x&quot; &lt;y&gt;\""), "{html}");
    }
}
