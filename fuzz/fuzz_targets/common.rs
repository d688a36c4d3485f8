//! Shared by the fuzz targets: a page and a small site built in memory, the way
//! `content::load` builds them from disk, and checks every diagnostic must pass.

use learn::content::front_matter::{self, FrontMatter};
use learn::content::{AreaId, Asset, Page, PageId, PageKind, Site, Target, UrlPath};
use learn::diag::Diagnostic;
use std::path::PathBuf;

/// A page read from `content/<content_path>` with `text` as its file.
pub fn page(kind: PageKind, content_path: &str, url: &str, text: String, front: FrontMatter) -> Page {
    let split =
        front_matter::split(&text).unwrap_or(front_matter::Split { yaml: "", yaml_first_line: 1, body_start: 0 });
    let (body_start, yaml_first_line) = (split.body_start, split.yaml_first_line);
    Page {
        kind,
        source: PathBuf::from("content").join(content_path),
        content_path: PathBuf::from(content_path),
        title: front.title.clone().unwrap_or_else(|| "Untitled".into()),
        title_from_body: false,
        text,
        body_start,
        yaml_first_line,
        front: front.into(),
        url: UrlPath(url.into()),
        area: matches!(kind, PageKind::Area | PageKind::Lesson).then_some(AreaId(0)),
        prefix: None,
    }
}

/// Home, one area with two lessons, an FAQ page and an image; `lesson` is the
/// first lesson (index 2), the page the fuzzer's input becomes.
pub fn site(lesson: Page) -> Site {
    let plain = |kind, path: &str, url: &str, title: &str| {
        let text = format!("---\ntitle: {title}\n---\n# {title}\n\n## Known heading\n\n<div id=\"raw-id\"></div>\n");
        let front = FrontMatter { title: Some(title.into()), ..FrontMatter::default() };
        page(kind, path, url, text, front)
    };
    let pages = vec![
        plain(PageKind::Home, "_index.md", "", "Home"),
        plain(PageKind::Area, "01-area/_index.md", "area/", "Area"),
        lesson,
        plain(PageKind::Lesson, "01-area/02-other.md", "area/other/", "Other"),
        plain(PageKind::Standalone, "faq.md", "faq/", "FAQ"),
    ];
    let mut site = Site { pages, ..Site::default() };
    site.home = Some(PageId(0));
    site.areas = vec![learn::content::Area { page: PageId(1), lessons: vec![PageId(2), PageId(3)] }];
    site.standalone = vec![PageId(4)];
    site.assets = vec![Asset {
        source: PathBuf::from("/nonexistent/content/01-area/img/chart one.svg"),
        url: UrlPath("area/img/chart one.svg".into()),
        content_path: PathBuf::from("01-area/img/chart one.svg"),
    }];
    for (i, p) in site.pages.iter().enumerate() {
        site.targets.insert(p.content_path.clone(), Target::Page(PageId(i)));
    }
    site.targets.insert(PathBuf::from("01-area/img/chart one.svg"), Target::Asset(0));
    site
}

/// A diagnostic must render, and point at a line that exists in `text`.
pub fn check_diagnostic(d: &Diagnostic, text: &str) {
    let shown = d.to_string();
    let label = format!("{}[{}]: ", if d.is_error() { "error" } else { "warning" }, d.code);
    assert!(shown.starts_with(&label), "{shown}");
    if let Some(pos) = d.pos {
        let lines = text.split('\n').count();
        assert!(pos.line >= 1 && pos.line <= lines, "line {} of {lines}: {shown}", pos.line);
        assert!(pos.col >= 1, "{shown}");
    }
}
