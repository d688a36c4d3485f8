//! Markdown to HTML: pulldown-cmark's events go through a few small passes
//! (heading ids, links, math, code blocks and alerts) before becoming HTML. Rendering
//! reads only the page's own text and the site's URL map; it never touches the disk.

mod blocks;
mod footnotes;
mod headings;
mod links;
mod math;

use crate::config::{LinksConfig, SiteConfig};
use crate::content::{PageId, Site};
use crate::diag::{Code, Diagnostic};
use crate::highlight::Highlighter;
use pulldown_cmark::{html, Event, Options, Parser};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

pub use headings::{heading_id, unique_id, Heading, LAYOUT_IDS};
pub use links::{missing_target, LinkRef};

/// An event with the byte range of the source it came from.
pub(crate) type Spanned<'a> = (Event<'a>, Range<usize>);

/// What rendering one page's markdown produces.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// h2 and h3 headings, for the table of contents.
    pub headings: Vec<Heading>,
    /// The page's text split at its headings, for search. Inline math is
    /// there as its TeX, which is short and part of a sentence (`where $n$ is
    /// the sample size`); display math is left out, its TeX being markup.
    pub sections: Vec<Section>,
    /// Every id a `#fragment` may point at: headings and ids in raw HTML.
    pub anchors: HashSet<String>,
    /// Links to other pages, checked once every page is rendered.
    pub links: Vec<LinkRef>,
    pub diagnostics: Vec<Diagnostic>,
    pub words: usize,
    /// The id of the page's title heading, so `page.md#title-slug` links resolve.
    pub title_id: String,
    /// The names given to the page's table regions so far: landmarks of a
    /// page must differ, and its body and its quiz's model answers are one page.
    pub table_labels: HashSet<String>,
}

/// Text under one heading (or before the first).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub id: Option<String>,
    pub heading: String,
    pub level: u8,
    pub text: String,
}

/// How a site's markdown is rendered: the pulldown-cmark extensions on, and
/// the link policy of `site.toml`'s `[links]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub options: Options,
    pub links: LinksConfig,
}

impl Settings {
    /// The settings `site.toml` asks for.
    pub fn of(config: &SiteConfig) -> Self {
        let m = &config.markdown;
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_GFM;
        options.set(Options::ENABLE_FOOTNOTES, m.footnotes);
        options.set(Options::ENABLE_DEFINITION_LIST, m.definition_lists);
        options.set(Options::ENABLE_SMART_PUNCTUATION, m.smart_punctuation);
        options.set(Options::ENABLE_MATH, m.math);
        Settings { options, links: config.links.clone() }
    }
}

impl Default for Settings {
    /// What a `site.toml` without `[markdown]` and `[links]` gets.
    fn default() -> Self {
        Settings { options: options(), links: LinksConfig::default() }
    }
}

/// What a render needs to know about the page and the site.
pub struct RenderCtx<'a> {
    pub site: &'a Site,
    pub settings: &'a Settings,
    /// Index of the page being rendered in `site.pages`.
    pub page: PageId,
    pub highlighter: &'a Highlighter,
    /// Prefix that leads from this page's URL to the site root (`../../`, `./`, or `/base/`).
    pub root: &'a str,
}

/// The extensions of a site with the default `[markdown]` settings; plain
/// text for search is read with them whatever the site's settings.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
}

/// Renders a page body. `file_offset` is where the body starts in the page's file,
/// so diagnostics point at the right line.
pub fn render_body(ctx: &RenderCtx<'_>, body: &str, file_offset: usize) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Spanned<'_>> = Parser::new_ext(body, ctx.settings.options).into_offset_iter().collect();
    let file = &ctx.site.pages[ctx.page];
    footnotes::number(&mut events);
    let repeated = headings::drop_repeated_title(&mut events, &file.title);
    if let (Some((range, _)), false) = (&repeated, file.title_from_body) {
        out.diagnostics.push(
            Diagnostic::warning(Code::ContentDuplicateTitle, "the page opens with a heading that repeats its title")
                .in_file(&file.source)
                .at_offset(&file.text, file_offset + range.start)
                .with_hint("the layout shows the title already; the heading is left out, so remove it"),
        );
    }
    let ids = headings::assign_ids(&mut events, &file.title, repeated.and_then(|(_, id)| id));
    for clash in ids.clashes {
        let (message, hint) = if clash.layout {
            (format!("heading id `{}` is used by the page layout", clash.id), "choose another id")
        } else {
            (format!("heading id `{}` is already used on this page", clash.id), "ids must be unique on a page")
        };
        out.diagnostics.push(
            Diagnostic::error(Code::ContentDuplicateHeadingId, message)
                .in_file(&file.source)
                .at_offset(&file.text, file_offset + clash.range.start)
                .with_hint(hint),
        );
    }
    let mut sink = links::Sink { links: &mut out.links, diagnostics: &mut out.diagnostics };
    links::rewrite(&mut events, ctx, file_offset, &mut sink);
    for bad in math::render(&mut events, body) {
        out.diagnostics.push(bad.diagnostic().in_file(&file.source).at_offset(&file.text, file_offset + bad.at));
    }
    blocks::highlight_code(&mut events, ctx.highlighter);
    blocks::alerts_tables_tasks(&mut events, &mut out.table_labels);
    out.words =
        ids.sections.iter().map(|s| s.text.split_whitespace().count() + s.heading.split_whitespace().count()).sum();
    out.headings = ids.headings.into_iter().filter(|h| (2..=3).contains(&h.level)).collect();
    out.sections = ids.sections;
    out.anchors = ids.anchors;
    out.title_id = ids.title_id;
    html::push_html(&mut out.html, events.into_iter().map(|(e, _)| e));
    out
}

/// Renders a snippet from front matter (a quiz prompt, feedback, an FAQ answer).
/// Links in it are resolved like the page's own; `file_offset` is where to point
/// diagnostics. A single paragraph is unwrapped so the snippet can sit inline.
/// Raw HTML in a snippet is shown as text: unlike a page body, front matter
/// strings end up inside labels, legends and attributes, and are often copied
/// from elsewhere; markup there is escaped, never passed through.
pub fn render_snippet(ctx: &RenderCtx<'_>, md: &str, file_offset: usize, out: &mut Rendered) -> String {
    let mut events: Vec<Spanned<'_>> = Parser::new_ext(md, ctx.settings.options)
        .into_offset_iter()
        .map(|(e, r)| match e {
            Event::Html(h) | Event::InlineHtml(h) => (Event::Text(h), r),
            e => (e, r),
        })
        .collect();
    let mut sink = links::Sink { links: &mut out.links, diagnostics: &mut out.diagnostics };
    links::rewrite_snippet(&mut events, ctx, file_offset, &mut sink);
    let page = &ctx.site.pages[ctx.page];
    let front_matter = page.text.get(..page.body_start).unwrap_or_default();
    for bad in math::render(&mut events, md) {
        let at = md
            .get(bad.range.clone())
            .and_then(|written| math::find_in_front_matter(front_matter, file_offset, written))
            .map_or(file_offset, |start| start + bad.at - bad.range.start);
        out.diagnostics.push(bad.diagnostic().in_file(&page.source).at_offset(&page.text, at));
    }
    blocks::highlight_code(&mut events, ctx.highlighter);
    blocks::alerts_tables_tasks(&mut events, &mut out.table_labels);
    let mut html_out = String::new();
    html::push_html(&mut html_out, events.into_iter().map(|(e, _)| e));
    unwrap_paragraph(html_out)
}

/// Plain text of a markdown snippet, for search and `<title>`-like uses.
pub fn plain_text(md: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

fn unwrap_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    if trimmed.starts_with("<p>") && trimmed.ends_with("</p>") && trimmed.matches("<p>").count() == 1 {
        trimmed[3..trimmed.len() - 4].to_string()
    } else {
        html
    }
}

/// The folder a page's links are relative to, inside `content/`.
pub(crate) fn page_dir(site: &Site, page: PageId) -> &Path {
    site.pages[page].content_path.parent().unwrap_or(Path::new(""))
}
