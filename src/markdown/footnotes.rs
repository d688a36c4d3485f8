//! Footnotes numbered in the order they are first referred to, with ids of
//! their own (`fn-1`, and `fnref-1` for the reference) that a heading cannot
//! take, and a link from each note back to where it was referred to.
//! pulldown-cmark would name both after the label (`[^note]` gives `id="note"`),
//! which a heading called "Note" also gets.

use super::Spanned;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;

/// Replaces footnote references and definitions with numbered HTML.
pub(super) fn number(events: &mut Vec<Spanned<'_>>) {
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut uses: HashMap<usize, usize> = HashMap::new();
    let number_of = |label: &str, numbers: &mut HashMap<String, usize>| {
        let next = numbers.len() + 1;
        *numbers.entry(label.to_string()).or_insert(next)
    };
    for (event, _) in events.iter_mut() {
        if let Event::FootnoteReference(label) = event {
            let n = number_of(label, &mut numbers);
            let seen = uses.entry(n).or_insert(0);
            *seen += 1;
            let id = if *seen == 1 { format!("fnref-{n}") } else { format!("fnref-{n}-{seen}") };
            *event = Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{n}\">{n}</a></sup>"
            )));
        }
    }
    let mut i = 0;
    let mut open: Vec<usize> = Vec::new();
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = number_of(label, &mut numbers);
                open.push(n);
                events[i].0 = Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                )));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                let n = open.pop().unwrap_or(0);
                events[i].0 = Event::Html(CowStr::from("</div>\n"));
                // A note that is referred to links back, inside its last paragraph when it ends with one.
                if uses.contains_key(&n) {
                    let back = format!(
                        " <a href=\"#fnref-{n}\" class=\"footnote-backref\" aria-label=\"Back to reference {n}\">↩</a>"
                    );
                    let at = if matches!(events[i - 1].0, Event::End(TagEnd::Paragraph)) { i - 1 } else { i };
                    events.insert(at, (Event::InlineHtml(CowStr::from(back)), 0..0));
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
}
