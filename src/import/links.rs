//! Links between chapters, to files beside them, and out of the book. In
//! markdown (inline links, images, reference definitions) they are rewritten
//! relative to the page's new `.md` file, as learn expects; in raw HTML
//! (`src=`, `href=`), which learn leaves alone, relative to the page's URL.
//! `.md` and `.html` targets both reach chapters, and `#fragments` follow
//! their heading to its learn id. Links that leave `src/` are written from the
//! book's root, so one `[links]` rule covers each prefix.

use super::anchors::{attributes, options, Anchors};
use super::report::{Kind, Place, Report};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// A page of the new site: its file under `content/` and its anchors.
#[derive(Debug, Clone)]
pub struct PageTarget {
    pub content: PathBuf,
    pub anchors: Anchors,
}

/// Everything a link in the book can reach, by path relative to `src/`.
#[derive(Debug, Default)]
pub struct Targets {
    pub pages: HashMap<PathBuf, PageTarget>,
    /// Files copied from `src/` → where they are under `content/`.
    pub assets: HashMap<PathBuf, PathBuf>,
}

/// The page whose links are being rewritten.
pub struct From<'a> {
    /// The chapter, relative to `src/`.
    pub src: &'a Path,
    /// Its new file, relative to `content/`.
    pub content: &'a Path,
    /// Its path as the report shows it (relative to the book folder).
    pub shown: &'a Path,
    /// The chapter file as written, to find a link's line for the report.
    pub original: &'a str,
}

/// What a link becomes.
#[derive(Debug, PartialEq)]
enum Resolved {
    Keep,
    Replace(String),
    /// Leaves the book: the prefix that groups it and the link as now written.
    Outside {
        prefix: String,
        written: String,
    },
    /// Points at nothing the book has; the reason, for the report.
    Missing(String),
    /// Reaches a page, but not an anchor it has: the new link and the reason.
    MissingAnchor(String, String),
}

/// Rewrites the links of a markdown text (a chapter body or a quiz string).
pub fn rewrite(text: &str, from: &From<'_>, targets: &Targets, report: &mut Report) -> String {
    let mut edits: Vec<(Range<usize>, Resolved)> = Vec::new();
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, .. })
            | Event::Start(Tag::Image { link_type: LinkType::Inline, dest_url, .. }) => {
                if let Some(at) = locate(text, &range, &dest_url) {
                    edits.push((at, resolve(&dest_url, from, targets, false)));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                for (r, _) in attributes(&text[range.clone()], &["src", "href"]) {
                    let at = range.start + r.start..range.start + r.end;
                    let written = text[at.clone()].replace("&amp;", "&");
                    edits.push((at, resolve(&written, from, targets, true)));
                }
            }
            _ => {}
        }
    }
    for (_, def) in parser.reference_definitions().iter() {
        let colon = text[def.span.clone()].find("]:").map_or(def.span.start, |i| def.span.start + i + 2);
        if let Some(at) = locate(text, &(colon..def.span.end), &def.dest) {
            edits.push((at, resolve(&def.dest, from, targets, false)));
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    apply(text, edits, from, report)
}

/// Where the destination `dest` is written inside the link at `range`.
fn locate(text: &str, range: &Range<usize>, dest: &str) -> Option<Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let i = text.get(range.clone())?.rfind(dest)?;
    Some(range.start + i..range.start + i + dest.len())
}

fn apply(text: &str, edits: Vec<(Range<usize>, Resolved)>, from: &From<'_>, report: &mut Report) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, resolved) in edits {
        if range.start < last {
            continue;
        }
        let written = &text[range.clone()];
        let line = line_of(from, written, text, range.start);
        let new = match resolved {
            Resolved::Keep => continue,
            Resolved::Replace(new) => new,
            Resolved::Outside { prefix, written } => {
                report.outside_link(&prefix, from.shown, line);
                written
            }
            Resolved::Missing(why) => {
                missing(report, from, line, written, &why);
                continue;
            }
            Resolved::MissingAnchor(new, why) => {
                missing(report, from, line, written, &why);
                new
            }
        };
        out.push_str(&text[last..range.start]);
        out.push_str(&new);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

fn missing(report: &mut Report, from: &From<'_>, line: usize, written: &str, why: &str) {
    let at = Place::line(from.shown, from.original, line);
    report.add(
        Kind::Link,
        at,
        format!("link `{written}` {why}"),
        "fix or remove it; until then learn reports it as a warning",
    );
}

/// The line of the chapter file where a link is written: found in the file as
/// written, else (it came from an include) where it is in the expanded text.
fn line_of(from: &From<'_>, written: &str, text: &str, offset: usize) -> usize {
    let framed = [format!("]({written}"), format!("]: {written}"), format!("\"{written}\""), format!("'{written}'")];
    let found = framed.iter().find_map(|f| from.original.find(f.as_str())).or_else(|| from.original.find(written));
    match found {
        Some(i) => crate::diag::pos_of_offset(from.original, i).line,
        None => crate::diag::pos_of_offset(text, offset).line.min(from.original.lines().count().max(1)),
    }
}

/// A scheme (`https:`, `mailto:`) or `//host`: not the book's business.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    dest.find(':').is_some_and(|i| {
        let scheme = &dest[..i];
        !scheme.is_empty()
            && !scheme.contains('/')
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn resolve(dest: &str, from: &From<'_>, targets: &Targets, html: bool) -> Resolved {
    if dest.is_empty() || is_external(dest) {
        return Resolved::Keep;
    }
    let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
    let (path, query) = path.split_once('?').map_or((path, ""), |(p, q)| (p, q));
    if path.is_empty() {
        let Some(f) = fragment else { return Resolved::Keep };
        return match targets.pages.get(from.src).map(|p| p.anchors.translate(f)) {
            Some(Some(new)) if new == f => Resolved::Keep,
            Some(Some(new)) => Resolved::Replace(format!("#{new}")),
            _ => Resolved::Missing("points at a heading this page does not have".into()),
        };
    }
    let decoded = crate::html::decode(path);
    let joined = match decoded.strip_prefix('/') {
        Some(rooted) => PathBuf::from(rooted),
        None => from.src.parent().unwrap_or(Path::new("")).join(decoded.as_ref()),
    };
    let (up, inside) = normalise(&joined);
    if up > 0 {
        let out = outside(up, &inside, path.ends_with('/'), query, fragment);
        return if html { outside_from_html(out) } else { out };
    }
    let suffix = |fragment: Option<String>| {
        let q = if query.is_empty() { String::new() } else { format!("?{query}") };
        q + &fragment.map(|f| format!("#{f}")).unwrap_or_default()
    };
    for candidate in page_candidates(&inside, path.ends_with('/') || path == ".") {
        let Some(page) = targets.pages.get(&candidate) else { continue };
        let href = href(from, &page.content, html, true);
        return match fragment.map(|f| (f, page.anchors.translate(f))) {
            None => Resolved::Replace(href + &suffix(None)),
            Some((_, Some(new))) => Resolved::Replace(href + &suffix(Some(new))),
            Some((f, None)) => {
                let why = format!("points at `#{f}`, which `{}` does not have", candidate.display());
                Resolved::MissingAnchor(format!("{href}#{f}"), why)
            }
        };
    }
    match targets.assets.get(&inside) {
        Some(asset) => Resolved::Replace(href(from, asset, html, false) + &suffix(fragment.map(str::to_string))),
        None => Resolved::Missing(format!("points at `{}`, which the import does not have", inside.display())),
    }
}

/// A link out of `src/`, written from the book's root: `../std/fmt/index.html`.
fn outside(up: usize, inside: &Path, dir: bool, query: &str, fragment: Option<&str>) -> Resolved {
    let parts: Vec<String> = inside.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let ups = "../".repeat(up);
    let rest = crate::html::encode_path(&parts.join("/"));
    let prefix = match parts.first() {
        Some(first) if parts.len() > 1 || dir => format!("{ups}{first}/"),
        Some(first) => format!("{ups}{first}"),
        None => ups.clone(),
    };
    let mut written = format!("{ups}{rest}");
    if dir && !parts.is_empty() {
        written.push('/');
    }
    if !query.is_empty() {
        written = format!("{written}?{query}");
    }
    if let Some(f) = fragment {
        written = format!("{written}#{f}");
    }
    Resolved::Outside { prefix, written }
}

/// `[links]` rules do not reach raw HTML: a known document gets its full URL,
/// anything else is left for the author.
fn outside_from_html(out: Resolved) -> Resolved {
    let Resolved::Outside { prefix, written } = out else { return out };
    match super::book::known_home(&prefix) {
        Some(home) => Resolved::Replace(format!("{home}{}", written.strip_prefix(prefix.as_str()).unwrap_or(""))),
        None => Resolved::Missing(
            "leaves the book from raw HTML, which `[links]` rules do not reach; write its full URL".into(),
        ),
    }
}

/// `.` and `..` resolved: how far the path climbs above `src/`, and where it ends.
fn normalise(path: &Path) -> (usize, PathBuf) {
    let mut up = 0;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir if !out.pop() => up += 1,
            Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    (up, out)
}

/// The chapter files a link may mean: mdBook writes `x.md` as `x.html` and a
/// folder's `README.md` (or `index.md`) as its `index.html`.
fn page_candidates(path: &Path, dir: bool) -> Vec<PathBuf> {
    let in_dir = |d: &Path| vec![d.join("README.md"), d.join("index.md")];
    if dir {
        return in_dir(path);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = path.parent().unwrap_or(Path::new(""));
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") if name == "README.md" || name == "index.md" => in_dir(parent),
        Some("md") => vec![path.to_path_buf()],
        Some("html") if name == "index.html" => in_dir(parent),
        Some("html") => vec![path.with_extension("md")],
        _ => Vec::new(),
    }
}

/// The link to a page or file of the new site from the page `from`: relative to
/// its `.md` file in markdown, relative to its URL in raw HTML.
fn href(from: &From<'_>, to: &Path, html: bool, is_page: bool) -> String {
    if !html {
        let dir = from.content.parent().unwrap_or(Path::new(""));
        return crate::html::encode_path(&relative(dir, to));
    }
    let here = url_of(from.content, true);
    let there = url_of(to, is_page);
    let up = "../".repeat(here.matches('/').count());
    let href = crate::html::encode_path(&format!("{up}{there}"));
    if href.is_empty() {
        "./".into()
    } else {
        href
    }
}

/// The path from folder `dir` to `to`, both relative to `content/`.
pub fn relative(dir: &Path, to: &Path) -> String {
    let a: Vec<_> = dir.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

/// The URL learn gives a file under `content/` (its rule: number prefixes
/// dropped, folders slugged; a page is a folder, a file keeps its name).
pub fn url_of(content: &Path, is_page: bool) -> String {
    use crate::content::load::slugify;
    let parts: Vec<String> = content.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let Some((file, dirs)) = parts.split_last() else { return String::new() };
    let mut url: String = dirs.iter().map(|d| format!("{}/", slugify(d))).collect();
    if !is_page {
        url.push_str(file);
    } else if file != "_index.md" {
        let stem = file.strip_suffix(".md").unwrap_or(file);
        url.push_str(&format!("{}/", slugify(stem)));
    }
    url
}

#[cfg(test)]
mod tests;
