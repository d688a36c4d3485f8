//! Link rewriting: links written relative to the `.md` file (as an editor's
//! preview resolves them) become links to output URLs that work under any base
//! path. A link to a missing file is reported here; missing `#fragments` are
//! checked once every page is rendered (see `LinkRef`).

use super::{page_dir, RenderCtx, Spanned};
use crate::content::model::Unavailable;
use crate::content::{PageId, Site, Target};
use crate::diag::Diagnostic;
use pulldown_cmark::{CowStr, Event, Tag};
use std::path::{Component, Path, PathBuf};

/// A link to a page (or a fragment of one), kept so its `#fragment` can be checked.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    /// Index of the target page.
    pub target: PageId,
    pub fragment: Option<String>,
    /// Byte offset of the link's destination in the source file.
    pub file_offset: usize,
    /// The destination as written, for the diagnostic.
    pub written: String,
}

/// Where rewriting records what it finds.
pub(super) struct Sink<'s> {
    pub links: &'s mut Vec<LinkRef>,
    pub diagnostics: &'s mut Vec<Diagnostic>,
}

/// Pages the build makes that have no markdown source but can be linked to.
const BUILT_IN: [&str; 2] = ["search", "progress"];

/// Rewrites links and images in a page body.
pub(super) fn rewrite(events: &mut [Spanned<'_>], ctx: &RenderCtx<'_>, file_offset: usize, sink: &mut Sink<'_>) {
    let body = ctx.site.pages[ctx.page].body();
    rewrite_with(events, ctx, sink, |range, dest| {
        let local = body.get(range.clone()).and_then(|s| s.rfind(dest)).unwrap_or(0);
        file_offset + range.start + local
    });
}

/// Rewrites links in a front-matter snippet; diagnostics point at the snippet's start.
pub(super) fn rewrite_snippet(
    events: &mut [Spanned<'_>],
    ctx: &RenderCtx<'_>,
    file_offset: usize,
    sink: &mut Sink<'_>,
) {
    rewrite_with(events, ctx, sink, |_, _| file_offset);
}

fn rewrite_with(
    events: &mut [Spanned<'_>],
    ctx: &RenderCtx<'_>,
    sink: &mut Sink<'_>,
    locate: impl Fn(&std::ops::Range<usize>, &str) -> usize,
) {
    let page = &ctx.site.pages[ctx.page];
    for (event, range) in events.iter_mut() {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let written = dest.to_string();
        let offset = locate(range, &written);
        match resolve(ctx.site, ctx.page, &written) {
            Ok(Resolved::External) => {}
            Ok(Resolved::BuiltIn(url)) => *dest = CowStr::from(format!("{}{}", ctx.root, url)),
            Ok(Resolved::Page { index, fragment }) => {
                let target = &ctx.site.pages[index];
                let href = if index == ctx.page && fragment.is_some() {
                    String::new()
                } else {
                    page_href(ctx.root, &target.url.0)
                };
                let href = match &fragment {
                    Some(f) => format!("{href}#{f}"),
                    None => href,
                };
                *dest = CowStr::from(href);
                sink.links.push(LinkRef { target: index, fragment, file_offset: offset, written });
            }
            Ok(Resolved::Asset(index)) => {
                let url = crate::html::encode_path(&ctx.site.assets[index].url.0);
                *dest = CowStr::from(format!("{}{}", ctx.root, url));
            }
            Err(message) => sink.diagnostics.push(
                Diagnostic::error(message)
                    .in_file(&page.source)
                    .at_offset(&page.text, offset)
                    .with_hint("links are relative to the .md file, e.g. `../02-area/01-lesson.md#heading`"),
            ),
        }
    }
}

/// A link from `root` to a page URL; the home page is `./` rather than an empty href.
pub fn page_href(root: &str, url: &str) -> String {
    let href = format!("{root}{}", crate::html::encode_path(url));
    if href.is_empty() {
        "./".into()
    } else {
        href
    }
}

/// What a written link destination points at.
#[derive(Debug, PartialEq)]
enum Resolved {
    External,
    BuiltIn(String),
    Page { index: PageId, fragment: Option<String> },
    Asset(usize),
}

fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A scheme is letters, digits, `+`, `-` or `.` before the first `:`, with no `/` before it.
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn resolve(site: &Site, page: PageId, dest: &str) -> Result<Resolved, String> {
    if dest.is_empty() || is_external(dest) {
        return Ok(Resolved::External);
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.is_empty() {
        return Ok(Resolved::Page { index: page, fragment });
    }
    let decoded = crate::html::decode(path_part);
    let joined = if let Some(abs) = decoded.strip_prefix('/') {
        PathBuf::from(abs)
    } else {
        page_dir(site, page).join(&*decoded)
    };
    let normal = normalise(&joined).ok_or_else(|| format!("link `{dest}` points outside `content/`"))?;
    let as_str = normal.to_string_lossy().replace('\\', "/");
    if let Some(b) = BUILT_IN.iter().find(|b| as_str.trim_end_matches('/') == **b) {
        return Ok(Resolved::BuiltIn(format!("{b}/")));
    }
    let candidates = [normal.clone(), normal.join("_index.md")];
    for c in &candidates {
        match site.targets.get(c) {
            Some(Target::Page(i)) => return Ok(Resolved::Page { index: *i, fragment }),
            Some(Target::Asset(i)) => return Ok(Resolved::Asset(*i)),
            None => {}
        }
    }
    let shown = Path::new("content").join(&normal);
    match site.unavailable.get(&normal) {
        // The target's own errors are reported; a second error here would be noise.
        Some(Unavailable::Broken) => Ok(Resolved::External),
        Some(Unavailable::Draft) => Err(format!("link to `{}`, which is a draft", shown.display())),
        None => Err(format!("link to missing file `{}`", shown.display())),
    }
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs above the root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_external() {
        assert!(is_external("https://example.com"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example.com/x"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#b:c"));
    }

    #[test]
    fn normalise_stays_inside() {
        assert_eq!(normalise(Path::new("a/../b/./c.md")), Some(PathBuf::from("b/c.md")));
        assert_eq!(normalise(Path::new("../x.md")), None);
    }
}
