//! Markdown rendering with link rewriting: any body renders, links to pages,
//! anchors and assets are rewritten or reported with a diagnostic that points
//! into the file, and snippets (prompts, FAQ answers) render too. Never a panic.
#![no_main]

use learn::content::front_matter::FrontMatter;
use learn::content::load::normalise_text;
use learn::content::{PageId, PageKind};
use learn::highlight::Highlighter;
use learn::markdown::{render_body, render_snippet, RenderCtx, Rendered};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

#[path = "common.rs"]
#[allow(dead_code)]
mod common;

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::default);

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    // As `content::load` does: CR and CRLF become LF.
    let text = normalise_text(format!("---\ntitle: Fuzz\n---\n{body}"));
    let front = FrontMatter { title: Some("Fuzz".into()), ..FrontMatter::default() };
    let lesson = common::page(PageKind::Lesson, "01-area/01-fuzz.md", "area/fuzz/", text.clone(), front);
    let site = common::site(lesson);
    let page = &site.pages[2];
    let settings = learn::markdown::Settings::default();
    let ctx =
        RenderCtx { site: &site, settings: &settings, page: PageId(2), highlighter: &HIGHLIGHTER, root: "../../" };
    let rendered = render_body(&ctx, page.body(), page.body_start);
    for d in &rendered.diagnostics {
        common::check_diagnostic(d, &text);
    }
    for l in &rendered.links {
        assert!(l.target.0 < site.pages.len());
        assert!(l.file_offset <= text.len(), "{l:?}");
    }
    // Heading ids are unique on the page, or the clash is reported.
    let mut ids = std::collections::HashSet::new();
    let reported = rendered.diagnostics.iter().any(|d| d.message.starts_with("heading id"));
    for h in &rendered.headings {
        assert!(ids.insert(h.id.clone()) || reported, "duplicate heading id {} not reported", h.id);
        assert!(!learn::markdown::LAYOUT_IDS.contains(&h.id.as_str()) || reported, "heading took layout id {}", h.id);
    }
    let mut out = Rendered::default();
    let _ = render_snippet(&ctx, body, 0, &mut out);
    for d in &out.diagnostics {
        common::check_diagnostic(d, &text);
    }
});
