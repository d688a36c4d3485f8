//! Link rewriting: links written relative to the `.md` file (as an editor's
//! preview resolves them) become links to output URLs that work under any base
//! path. A link to a missing file is reported here; missing `#fragments` are
//! checked once every page is rendered (see `LinkRef`).

use super::{page_dir, RenderCtx, Spanned};
use crate::config::{LinksConfig, Missing};
use crate::content::model::Unavailable;
use crate::content::{PageId, Site, Target};
use crate::diag::{Code, Diagnostic};
use pulldown_cmark::{CowStr, Event, Tag};
use std::path::{Component, Path, PathBuf};

/// A link to a page (or a fragment of one), kept so its `#fragment` can be checked.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
const BUILT_IN: [&str; 3] = ["search", "progress", "review"];

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
    let policy = &ctx.settings.links;
    for (event, range) in events.iter_mut() {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let written = dest.to_string();
        let offset = locate(range, &written);
        let rewritten = rewrite_rule(policy, &written);
        let target = rewritten.as_ref().map_or(written.as_str(), |(to, _)| to.as_str());
        if policy.ignore.iter().any(|pattern| glob_matches(pattern, target)) {
            *dest = CowStr::from(target.to_string());
            continue;
        }
        match resolve(ctx.site, ctx.page, target) {
            Ok(Resolved::External) => *dest = CowStr::from(target.to_string()),
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
            Err(message) => {
                *dest = CowStr::from(target.to_string());
                let message = match &rewritten {
                    Some((to, from)) => {
                        format!("{message} (`{written}` became `{to}` by the `[links] rewrite` rule for `{from}`)")
                    }
                    None => message,
                };
                let d = missing_target(
                    policy,
                    Code::LinkBroken,
                    message,
                    "links are relative to the .md file, e.g. `../02-area/01-lesson.md#heading`",
                );
                sink.diagnostics.push(d.in_file(&page.source).at_offset(&page.text, offset));
            }
        }
    }
}

/// The diagnostic for a link to a missing target: an error, or a warning that
/// says `[links] missing = "warn"` made it one.
pub fn missing_target(policy: &LinksConfig, code: Code, message: String, hint: &str) -> Diagnostic {
    match policy.missing {
        Missing::Error => Diagnostic::error(code, message).with_hint(hint),
        Missing::Warn => Diagnostic::warning(code, message)
            .with_hint(format!("{hint}; a warning, not an error, because site.toml has `[links] missing = \"warn\"`")),
    }
}

/// The link as `[links] rewrite` turns it, with the prefix that applied (the
/// longest that matches); `None` when no rule applies.
fn rewrite_rule<'p>(policy: &'p LinksConfig, written: &str) -> Option<(String, &'p str)> {
    let (from, to) = policy
        .rewrite
        .iter()
        .filter(|(from, _)| written.starts_with(from.as_str()))
        .max_by_key(|(from, _)| from.len())?;
    Some((format!("{to}{}", &written[from.len()..]), from.as_str()))
}

/// Matches a link target against an `[links] ignore` pattern: `**` stands for
/// anything, `*` for anything but `/`, every other character for itself.
fn glob_matches(pattern: &str, text: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("**") {
        return text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| glob_matches(rest, &text[i..]));
    }
    if let Some(rest) = pattern.strip_prefix('*') {
        let stop = text.find('/').unwrap_or(text.len());
        return text[..stop].char_indices().map(|(i, _)| i).chain([stop]).any(|i| glob_matches(rest, &text[i..]));
    }
    let mut p = pattern.chars();
    let mut t = text.chars();
    match (p.next(), t.next()) {
        (None, None) => true,
        (Some(a), Some(b)) if a == b => glob_matches(p.as_str(), t.as_str()),
        _ => false,
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
    fn ignore_patterns_match_like_globs() {
        assert!(glob_matches("https://**", "https://doc.rust-lang.org/std/"));
        assert!(glob_matches("../std/*", "../std/index.html"));
        assert!(!glob_matches("../std/*", "../std/io/index.html"));
        assert!(glob_matches("../std/**", "../std/io/index.html"));
        assert!(glob_matches("**.pdf", "files/ünïcode.pdf"));
        assert!(!glob_matches("*.pdf", "files/a.pdf"));
    }

    #[test]
    fn the_longest_rewrite_prefix_wins() {
        let mut policy = LinksConfig::default();
        policy.rewrite.insert("../".into(), "/up/".into());
        policy.rewrite.insert("../std/".into(), "https://doc.rust-lang.org/std/".into());
        let (to, from) = rewrite_rule(&policy, "../std/vec/struct.Vec.html").unwrap();
        assert_eq!((to.as_str(), from), ("https://doc.rust-lang.org/std/vec/struct.Vec.html", "../std/"));
        assert_eq!(rewrite_rule(&policy, "a.md"), None);
    }

    #[test]
    fn normalise_stays_inside() {
        assert_eq!(normalise(Path::new("a/../b/./c.md")), Some(PathBuf::from("b/c.md")));
        assert_eq!(normalise(Path::new("../x.md")), None);
    }
}
