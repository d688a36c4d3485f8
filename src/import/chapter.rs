//! One chapter to one page, in two steps. `prepare` reads the file, expands
//! its directives, drops hidden code lines, takes the first H1 as the title
//! and the first paragraph as the summary, and converts its quizzes; once
//! every page's place and anchors are known, `finish` rewrites the links and
//! writes the front matter.

use super::anchors::options;
use super::includes::{self, Ctx};
use super::links::{self, From, Targets};
use super::quiz::{self, Question};
use super::report::{Kind, Place, Report};
use super::yaml::{self, Front};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A chapter read and expanded, waiting for its links to be rewritten.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The chapter, relative to `src/`.
    pub src: PathBuf,
    /// Its path relative to the book folder, as the report shows it.
    pub shown: PathBuf,
    /// The file as written.
    pub original: String,
    pub title: String,
    /// The title was the body's first heading (mdBook gave it the page's first id).
    pub title_was_h1: bool,
    pub summary: Option<String>,
    /// The markdown after expansion, without the title heading.
    pub body: String,
    pub quiz: Vec<Question>,
    /// Files the chapter included or took quizzes from.
    pub used: Vec<PathBuf>,
    /// Explicit heading ids the page layout has, and the ids they became.
    pub moved_ids: Vec<(String, String)>,
    /// The quiz files among them: converted, so not copied.
    pub quiz_files: Vec<PathBuf>,
}

/// What preparing needs from the book.
pub struct Book<'a> {
    pub dir: &'a Path,
    pub src: &'a Path,
    pub hidelines: &'a BTreeMap<String, String>,
}

/// Reads and expands a chapter; `fallback_title` is its SUMMARY.md text.
/// `ids` are the quiz ids used so far in the book.
pub fn prepare(
    book: &Book<'_>,
    src: &Path,
    fallback_title: &str,
    ids: &mut HashSet<String>,
    report: &mut Report,
) -> Prepared {
    let file = book.src.join(src);
    let ctx = Ctx { book: book.dir };
    let shown = ctx.shown(&file);
    let original = std::fs::read(&file).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let original = crate::content::load::normalise_text(original);
    let expansion = includes::expand(&ctx, &file, &original, report);
    let text = super::hidden::drop_hidden(&expansion.text, book.hidelines);
    let (h1, body) = take_title(&text);
    let (body, moved_ids) = super::anchors::free_explicit_ids(&body);
    for (from, to) in &moved_ids {
        let message = format!("heading id `{from}` belongs to learn's page layout; the heading's id is now `{to}`");
        report.add(Kind::Structure, Place::file(&shown), message, "links to it were changed to match");
    }
    let stem = src.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let title = [h1.clone(), expansion.title.clone(), Some(fallback_title.to_string()), Some(stem)]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Untitled".into());
    let mut quiz = Vec::new();
    let mut used = expansion.included.clone();
    for path in &expansion.quizzes {
        let quiz_shown = ctx.shown(path);
        match std::fs::read_to_string(path) {
            Ok(t) => quiz.extend(quiz::convert(&quiz_shown, &t, ids, report)),
            Err(e) => report.add(
                Kind::Quiz,
                Place::file(&shown),
                format!("the quiz file `{}` cannot be read ({e})", quiz_shown.display()),
                "the quiz was skipped",
            ),
        }
        used.push(path.clone());
    }
    if expansion.quiz_mid_page {
        let at = match original.find("{{#quiz") {
            Some(i) => Place::offset(&shown, &original, i),
            None => Place::file(&shown),
        };
        report.add(
            Kind::Quiz,
            at,
            "a quiz in the middle of the page now comes after its text",
            "learn shows a page's questions at its end; check that the text around it still reads well",
        );
    }
    Prepared {
        src: src.to_path_buf(),
        shown,
        original,
        title: crate::text::shorten(&title, 160),
        title_was_h1: h1.is_some(),
        summary: first_paragraph(&body),
        body,
        quiz,
        used,
        moved_ids,
        quiz_files: expansion.quizzes.clone(),
    }
}

/// The first H1's text, if the body opens with it (after comments or blank
/// HTML), and the body without it.
fn take_title(text: &str) -> (Option<String>, String) {
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    // Comments and blank HTML before the heading do not count: an HTML block
    // is skipped when its first line opens a comment or is blank.
    let mut skipping_block = None;
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::HtmlBlock) => skipping_block = None,
            Event::End(TagEnd::HtmlBlock) => {}
            Event::Html(h)
                if *skipping_block.get_or_insert_with(|| h.trim().is_empty() || h.trim_start().starts_with("<!--")) => {
            }
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => {
                let mut title = String::new();
                for (e, _) in parser.by_ref() {
                    match e {
                        Event::Text(t) | Event::Code(t) => title.push_str(&t),
                        Event::SoftBreak | Event::HardBreak => title.push(' '),
                        Event::End(TagEnd::Heading(_)) => break,
                        _ => {}
                    }
                }
                let title = title.trim().to_string();
                if title.is_empty() {
                    return (None, text.to_string());
                }
                let rest = text[range.end..].trim_start_matches('\n');
                return (Some(title), format!("{}{rest}", &text[..range.start]));
            }
            _ => return (None, text.to_string()),
        }
    }
    (None, text.to_string())
}

/// The plain text of the first paragraph, shortened for a summary.
fn first_paragraph(body: &str) -> Option<String> {
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    let (_, range) = parser.find(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))?;
    let text = crate::markdown::plain_text(&body[range]);
    Some(crate::text::shorten(&text, 160)).filter(|s| !s.trim().is_empty())
}

/// The page's file: front matter and body, links rewritten for its new place.
pub fn finish(p: &Prepared, content: &Path, needs_summary: bool, targets: &Targets, report: &mut Report) -> String {
    let from = From { src: &p.src, content, shown: &p.shown, original: &p.original };
    let body = links::rewrite(&p.body, &from, targets, report);
    super::html_tags::report_unknown(&p.body, &p.shown, &p.original, report);
    let quiz: Vec<Question> = p.quiz.iter().map(|q| rewrite_question(q, &from, targets, report)).collect();
    // Lessons and areas need a summary; the title stands in when there is no paragraph.
    let summary = p.summary.clone().or_else(|| needs_summary.then(|| p.title.clone()));
    let front = yaml::front_matter(&Front { title: &p.title, summary: summary.as_deref(), quiz: &quiz });
    format!("{front}\n{}\n", body.trim())
}

fn rewrite_question(q: &Question, from: &From<'_>, targets: &Targets, report: &mut Report) -> Question {
    let mut q = q.clone();
    q.prompt = links::rewrite(&q.prompt, from, targets, report);
    q.explanation = q.explanation.map(|e| links::rewrite(&e, from, targets, report));
    for c in &mut q.choices {
        c.text = links::rewrite(&c.text, from, targets, report);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_opening_h1_is_the_title() {
        let (t, body) = take_title("<!-- note -->\n# Data `Types`\n\nEvery value.\n\n## More\n");
        assert_eq!(t.as_deref(), Some("Data Types"));
        assert_eq!(body, "<!-- note -->\nEvery value.\n\n## More\n");
        let (t, _) = take_title("<!--\nlicence\n-->\n\n# Title\n");
        assert_eq!(t.as_deref(), Some("Title"));
        let (t, _) = take_title("<div>\nx\n</div>\n\n# Title\n");
        assert_eq!(t, None);
        let (t, body) = take_title("Text first.\n\n# Late\n");
        assert_eq!((t, body.as_str()), (None, "Text first.\n\n# Late\n"));
        let (t, _) = take_title("Setext\n======\n\nbody\n");
        assert_eq!(t.as_deref(), Some("Setext"));
    }

    #[test]
    fn the_first_paragraph_is_the_summary() {
        assert_eq!(
            first_paragraph("## H\n\nSome *emphasis* and [a link](x.md).\n\nMore.").as_deref(),
            Some("Some emphasis and a link.")
        );
        assert_eq!(first_paragraph("```\ncode\n```\n"), None);
    }
}
