//! What search knows of a page: the text of each ranking field and the
//! sections shown as results. It is read from the rendered page: h2/h3
//! sections (deeper headings fold into the section above them), FAQ entries
//! and quiz prompts. Quiz choices, answers, hints, feedback and explanations
//! never reach the index, so search cannot give an answer away.

use crate::config::SiteConfig;
use crate::content::{PageId, PageKind, Site};
use crate::markdown::plain_text;
use crate::quiz::Question;
use serde::Serialize;

/// What a section is, for the label a result shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Text = 0,
    Faq = 1,
    Quiz = 2,
}

/// A part of a page a result can link to.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The anchor on the page; `None` for the text before the first heading.
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
    pub kind: SectionKind,
}

impl Serialize for Section {
    /// A section is a short array in the fragment: `[id, heading, text, kind]`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.id, &self.heading, &self.text, self.kind as u8).serialize(s)
    }
}

/// One searchable page.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    /// URL relative to the site root.
    pub url: String,
    /// The competency area a lesson belongs to, shown beside its title.
    pub area: Option<String>,
    pub kind: PageKind,
    pub summary: Option<String>,
    /// Objectives and tags: ranked with the summary, not shown in snippets.
    pub extra_lead: Vec<String>,
    pub sections: Vec<Section>,
}

/// The ranking fields, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title = 0,
    Heading = 1,
    Lead = 2,
    Body = 3,
}

impl Doc {
    /// Every piece of text with the field it counts in.
    pub fn field_texts(&self) -> Vec<(Field, &str)> {
        let mut out = vec![(Field::Title, self.title.as_str())];
        out.extend(self.summary.iter().map(|s| (Field::Lead, s.as_str())));
        out.extend(self.extra_lead.iter().map(|s| (Field::Lead, s.as_str())));
        for s in &self.sections {
            out.push((Field::Heading, s.heading.as_str()));
            out.push((Field::Body, s.text.as_str()));
        }
        out
    }
}

/// What search reads of a rendered page besides its source: the body's
/// sections, the ids given to its FAQ entries and its validated questions.
#[derive(Debug, Clone)]
pub struct PageText<'a> {
    /// Borrowed, or unpacked from a page a session keeps packed.
    pub sections: std::borrow::Cow<'a, [crate::markdown::Section]>,
    /// The anchor of each FAQ entry, in the order of the page's `faq:` list.
    pub faq_ids: &'a [String],
    pub questions: &'a [Question],
}

/// The search document of page `i`, from its rendered text.
pub fn of_page(site: &Site, i: PageId, text: PageText<'_>, config: &SiteConfig) -> Doc {
    doc(site, &site.pages[i], text, config)
}

fn doc(site: &Site, page: &crate::content::Page, text: PageText<'_>, config: &SiteConfig) -> Doc {
    let area = match page.kind {
        PageKind::Lesson => page.area.map(|a| site.pages[site.areas[a].page].title.clone()),
        _ => None,
    };
    let mut extra_lead: Vec<String> = page.front.objectives.iter().map(|o| plain_text(o)).collect();
    extra_lead.extend(page.front.tags.iter().cloned());
    let mut sections = body_sections(&text.sections);
    for (entry, id) in page.front.faq.iter().zip(text.faq_ids) {
        sections.push(Section {
            id: Some(id.clone()),
            heading: entry.q.trim().to_string(),
            text: squash(&plain_text(&entry.a)),
            kind: SectionKind::Faq,
        });
    }
    if config.search.include_quiz_prompts {
        for q in text.questions {
            sections.push(Section {
                id: Some(format!("q-{}", q.id.0)),
                heading: String::new(),
                text: squash(&plain_text(&q.prompt)),
                kind: SectionKind::Quiz,
            });
        }
    }
    Doc {
        title: page.title.clone(),
        url: page.url.0.clone(),
        area,
        kind: page.kind,
        summary: page.front.summary.as_deref().map(|s| squash(&plain_text(s))),
        extra_lead,
        sections,
    }
}

/// h2/h3 sections of the body; a deeper heading and its text join the section above.
fn body_sections(rendered: &[crate::markdown::Section]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for s in rendered {
        match out.last_mut() {
            Some(parent) if s.level >= 4 => {
                for part in [&s.heading, &s.text] {
                    if !part.is_empty() {
                        if !parent.text.is_empty() {
                            parent.text.push(' ');
                        }
                        parent.text.push_str(&tidy(part));
                    }
                }
            }
            _ => out.push(Section {
                id: s.id.clone(),
                heading: s.heading.clone(),
                text: tidy(&s.text),
                kind: SectionKind::Text,
            }),
        }
    }
    out.retain(|s| !s.heading.is_empty() || !s.text.is_empty());
    out
}

fn squash(text: &str) -> String {
    tidy(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Removes the space the markdown text pass leaves before closing punctuation
/// (`**RICE**,` gives `RICE ,`), which would otherwise show in snippets.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && !out.is_empty() && matches!(chars.peek(), Some('.' | ',' | ';' | ':' | '!' | '?' | ')')) {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Section as MdSection;

    fn md(id: Option<&str>, heading: &str, level: u8, text: &str) -> MdSection {
        MdSection { id: id.map(str::to_string), heading: heading.into(), level, text: text.into() }
    }

    #[test]
    fn deep_headings_fold_into_their_section() {
        let sections = body_sections(&[
            md(None, "", 0, "Intro."),
            md(Some("a"), "A", 2, "Text a."),
            md(Some("a1"), "A one", 4, "Deep."),
            md(Some("b"), "B", 3, ""),
        ]);
        let ids: Vec<Option<&str>> = sections.iter().map(|s| s.id.as_deref()).collect();
        assert_eq!(ids, [None, Some("a"), Some("b")]);
        assert_eq!(sections[1].text, "Text a. A one Deep.");
    }

    #[test]
    fn no_space_before_closing_punctuation() {
        assert_eq!(tidy("Use RICE , then (the score ) wins ."), "Use RICE, then (the score) wins.");
        assert_eq!(tidy("Ends ."), "Ends.");
    }

    #[test]
    fn sections_serialise_as_short_arrays() {
        let s = Section { id: Some("faq-x".into()), heading: "Q?".into(), text: "A.".into(), kind: SectionKind::Faq };
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"["faq-x","Q?","A.",1]"#);
    }
}
