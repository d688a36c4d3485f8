//! Content discovery: walks `content/`, reads every file, splits and parses
//! front matter, and assembles the ordered `Site`. Reports every problem it
//! finds and never stops at the first one.

use super::front_matter::{self, FrontMatter};
use super::model::{Area, AreaId, Asset, Page, PageId, PageKind, Site, Target, Unavailable, UrlPath};
use crate::diag::{Code, Diagnostic, Diagnostics, Pos};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// Options that change which content is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
}

/// A markdown file found by the walk, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub content_path: PathBuf,
    pub kind: PageKind,
    /// Top-level folder name for areas and lessons.
    pub area_dir: Option<String>,
}

/// Front matter an earlier build parsed, by a hash of its YAML text.
pub type KnownFronts = HashMap<u64, Arc<FrontMatter>>;

/// Loads and orders everything under `root/content`.
pub fn load(root: &Path, opts: LoadOptions) -> (Site, Diagnostics) {
    let (site, diags, _) = load_known(root, opts, &KnownFronts::new());
    (site, diags)
}

/// Like [`load`], taking front matter whose YAML text is in `known` from
/// there instead of parsing it again; returns the front matter of every page
/// read, for the next build.
pub fn load_known(root: &Path, opts: LoadOptions, known: &KnownFronts) -> (Site, Diagnostics, KnownFronts) {
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(Code::ContentNoFolder, format!("no content folder at {}", content.display()))
                .with_hint("create `content/` with an `_index.md`, or run `learn init`"),
        );
        return (Site::default(), diags, KnownFronts::new());
    }
    let (found, assets) = discover(&content, &mut diags);

    let read: Vec<Result<(Page, u64), Vec<Diagnostic>>> =
        found.par_iter().map(|f| read_page_known(root, &content, f, known)).collect();
    let mut pages = Vec::new();
    let mut unavailable = HashMap::new();
    let mut fronts = KnownFronts::with_capacity(read.len());
    for (r, f) in read.into_iter().zip(&found) {
        let r = r.map(|(page, yaml)| {
            fronts.insert(yaml, page.front.clone());
            page
        });
        match r {
            Ok(page) if page.front.draft && !opts.drafts => {
                unavailable.insert(f.content_path.clone(), Unavailable::Draft);
            }
            Ok(page) => pages.push(page),
            Err(ds) => {
                unavailable.insert(f.content_path.clone(), Unavailable::Broken);
                diags.extend(ds);
            }
        }
    }
    let mut site = assemble(pages, assets, &mut diags);
    site.unavailable = unavailable;
    (site, diags, fronts)
}

/// True for names the walk skips: hidden files and editor droppings.
pub fn is_ignored(name: &str) -> bool {
    // Hidden files and editor droppings (vim swap, emacs backups, kate temp files).
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with("#")
        || name.ends_with(".kate-swp")
}

/// Walks the `content/` folder: markdown files to read, and assets to copy.
pub fn discover(content: &Path, diags: &mut Diagnostics) -> (Vec<Found>, Vec<Asset>) {
    let mut found = Vec::new();
    let mut assets = Vec::new();
    let walk = WalkDir::new(content)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| content.to_path_buf());
                diags.push(Diagnostic::error(Code::IoRead, format!("cannot read: {e}")).in_file(path));
                continue;
            }
        };
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path()).to_path_buf();
        let depth = entry.depth();
        let is_md = rel.extension().is_some_and(|e| e == "md");
        if entry.file_type().is_dir() {
            continue;
        }
        if entry.file_type().is_symlink() && !entry.path().is_file() {
            diags.push(
                Diagnostic::warning(
                    Code::ContentSymlinkSkipped,
                    "symbolic link that does not point at a file is skipped",
                )
                .in_file(Path::new("content").join(&rel)),
            );
            continue;
        }
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        match (is_md, depth) {
            (true, 1) => found.push(Found {
                kind: if name == "_index.md" { PageKind::Home } else { PageKind::Standalone },
                content_path: rel,
                area_dir: None,
            }),
            (true, 2) => found.push(Found {
                kind: if name == "_index.md" { PageKind::Area } else { PageKind::Lesson },
                content_path: rel,
                area_dir: top,
            }),
            (true, _) => diags.push(
                Diagnostic::error(Code::ContentNestedLesson, "a lesson must sit directly inside an area folder")
                    .in_file(Path::new("content").join(&rel))
                    .with_hint("move it up to `content/<area>/`, or rename it to something that is not `.md` to keep it as an asset"),
            ),
            (false, _) => assets.push(Asset {
                source: entry.path().to_path_buf(),
                url: UrlPath(asset_url(&rel)),
                content_path: rel,
            }),
        }
    }
    (found, assets)
}

/// Reads and parses one markdown file found by [`discover`].
pub fn read_page(root: &Path, content: &Path, f: &Found) -> Result<Page, Vec<Diagnostic>> {
    read_page_known(root, content, f, &KnownFronts::new()).map(|(page, _)| page)
}

/// Like [`read_page`], taking the front matter from `known` when its YAML
/// text is there; also returns the hash of that text.
fn read_page_known(
    root: &Path,
    content: &Path,
    f: &Found,
    known: &KnownFronts,
) -> Result<(Page, u64), Vec<Diagnostic>> {
    let abs = content.join(&f.content_path);
    let shown = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
    let bytes = std::fs::read(&abs)
        .map_err(|e| vec![Diagnostic::error(Code::IoRead, format!("cannot read file: {e}")).in_file(&shown)])?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => normalise_text(t),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            return Err(vec![Diagnostic::error(Code::ContentNotUtf8, "file is not valid UTF-8")
                .in_file(&shown)
                .at_offset(&valid, offset)
                .with_hint("save the file as UTF-8")]);
        }
    };
    let split = front_matter::split(&text).map_err(|d| vec![d.in_file(&shown)])?;
    let yaml = xxhash_rust::xxh3::xxh3_64(split.yaml.as_bytes());
    let front = match known.get(&yaml) {
        Some(front) => front.clone(),
        None => Arc::new(front_matter::parse(&text, &split).map_err(|d| vec![d.in_file(&shown)])?),
    };
    let mut errors = Vec::new();
    let at_top = |msg: &str, hint: &str| {
        Diagnostic::error(Code::FrontMatterMissingKey, msg)
            .in_file(&shown)
            .at(&text, Pos { line: 1, col: 1 })
            .with_hint(hint)
    };
    let (title, title_from_body) = match page_title(f.kind, front.title.as_deref(), &text[split.body_start..]) {
        Ok(found) => found,
        Err(hint) => {
            errors.push(at_top("missing `title` in front matter", hint));
            (String::new(), false)
        }
    };
    let needs_summary = matches!(f.kind, PageKind::Lesson | PageKind::Area);
    if needs_summary && front.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors
            .push(at_top("missing `summary` in front matter", "lessons and areas need a one-sentence `summary: ...`"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let file_name = f.content_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (prefix, url) = match f.kind {
        PageKind::Home => (None, UrlPath::root()),
        PageKind::Area => {
            let dir = f.area_dir.clone().unwrap_or_default();
            (numeric_prefix(&dir), UrlPath(format!("{}/", slugify(&dir))))
        }
        PageKind::Lesson => {
            let dir = f.area_dir.clone().unwrap_or_default();
            (numeric_prefix(&file_name), UrlPath(format!("{}/{}/", slugify(&dir), slugify(&file_name))))
        }
        PageKind::Standalone => (numeric_prefix(&file_name), UrlPath(format!("{}/", slugify(&file_name)))),
    };
    let page = Page {
        kind: f.kind,
        source: shown,
        content_path: f.content_path.clone(),
        body_start: split.body_start,
        yaml_first_line: split.yaml_first_line,
        text,
        front,
        title,
        title_from_body,
        url,
        area: None,
        prefix,
    };
    Ok((page, yaml))
}

/// A page's title, and whether it came from the body: `title:`, else, for a
/// lesson or page written without one, a `# Heading` at the top (as mdBook
/// chapters and READMEs have; areas and home must say it in front matter).
/// Without either, the hint for the error.
fn page_title(kind: PageKind, written: Option<&str>, body: &str) -> Result<(String, bool), &'static str> {
    let may_take_heading = matches!(kind, PageKind::Lesson | PageKind::Standalone);
    match written.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok((t.to_string(), false)),
        None if may_take_heading => leading_h1(body)
            .map(|h1| (h1, true))
            .ok_or("add `title: ...` between the `---` lines, or start the page with a `# Title` heading"),
        None => Err("add `title: ...` between the `---` lines"),
    }
}

/// The text of a level-one heading that opens `body`, if it does.
fn leading_h1(body: &str) -> Option<String> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut events = Parser::new_ext(body, pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);
    let Some(Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) = events.next() else { return None };
    let mut title = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// Drops a UTF-8 BOM and turns CRLF (and lone CR) line endings into LF.
pub fn normalise_text(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    text
}

fn numeric_prefix(name: &str) -> Option<u32> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && name[digits.len()..].starts_with('-') {
        digits.parse().ok()
    } else {
        None
    }
}

/// `01-Product Strategy` → `product-strategy`: drops the order prefix, keeps letters
/// and digits of any script, and turns everything else into single dashes.
pub fn slugify(name: &str) -> String {
    let rest = match numeric_prefix(name) {
        Some(_) => &name[name.find('-').map_or(0, |i| i + 1)..],
        None => name,
    };
    let mut slug = String::new();
    for c in rest.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').trim_start_matches('.').to_string();
    if slug.is_empty() {
        "page".into()
    } else {
        slug
    }
}

/// An asset keeps its file name; its folders become their slugs so it lands beside its page.
fn asset_url(rel: &Path) -> String {
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let (file, dirs) = parts.split_last().expect("a file path has a file name");
    let mut url: Vec<String> = dirs.iter().map(|d| slugify(d)).collect();
    url.push(file.clone());
    url.join("/")
}

/// Where a page sorts among its siblings: `weight`, else the number prefix, else last; then title.
pub fn order_key(page: &Page) -> (i64, String) {
    let rank = page.front.weight.or(page.prefix.map(i64::from)).unwrap_or(i64::MAX);
    (rank, page.title.to_lowercase())
}

/// Orders pages into areas and the curriculum and builds the link-target map.
/// `load` calls it after reading everything; `learn serve` calls it again with
/// the pages it kept, after re-reading only the files that changed.
pub fn assemble(mut pages: Vec<Page>, assets: Vec<Asset>, diags: &mut Diagnostics) -> Site {
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    let mut site = Site { assets, ..Site::default() };

    // Areas, in order.
    let count = pages.len();
    let ids = || (0..count).map(PageId);
    let mut area_pages: Vec<PageId> = ids().filter(|&i| pages[i].kind == PageKind::Area).collect();
    area_pages.sort_by_key(|&i| order_key(&pages[i]));
    let mut area_of_dir: HashMap<PathBuf, AreaId> = HashMap::new();
    for (n, &i) in area_pages.iter().enumerate() {
        let n = AreaId(n);
        pages[i].area = Some(n);
        let dir = pages[i].content_path.parent().map(Path::to_path_buf).unwrap_or_default();
        area_of_dir.insert(dir, n);
        site.areas.push(Area { page: i, lessons: Vec::new() });
    }
    // Lessons into their areas; a folder of lessons without `_index.md` is an error.
    let mut missing_index: HashMap<PathBuf, PathBuf> = HashMap::new();
    for (i, page) in pages.iter_mut().enumerate() {
        if page.kind != PageKind::Lesson {
            continue;
        }
        let dir = page.content_path.parent().map(Path::to_path_buf).unwrap_or_default();
        match area_of_dir.get(&dir) {
            Some(&n) => {
                page.area = Some(n);
                site.areas[n].lessons.push(PageId(i));
            }
            None => {
                missing_index.entry(dir).or_insert_with(|| page.source.clone());
            }
        }
    }
    for (dir, example) in missing_index {
        let folder = Path::new("content").join(&dir);
        diags.push(
            Diagnostic::error(
                Code::ContentAreaWithoutIndex,
                format!("area folder `{}` has no `_index.md`", folder.display()),
            )
            .in_file(example)
            .with_hint("add `_index.md` with a title and summary for the area"),
        );
    }
    for area in &mut site.areas {
        area.lessons.sort_by_key(|&i| order_key(&pages[i]));
    }
    site.home = pages.iter().position(|p| p.kind == PageKind::Home).map(PageId);
    let mut standalone: Vec<PageId> = ids().filter(|&i| pages[i].kind == PageKind::Standalone).collect();
    standalone.sort_by_key(|&i| order_key(&pages[i]));
    site.standalone = standalone;

    check_url_clashes(&pages, &site.assets, diags);
    for (i, p) in pages.iter().enumerate() {
        site.targets.insert(p.content_path.clone(), Target::Page(PageId(i)));
    }
    for (i, a) in site.assets.iter().enumerate() {
        site.targets.insert(a.content_path.clone(), Target::Asset(i));
    }
    site.pages = pages;
    site
}

fn check_url_clashes(pages: &[Page], assets: &[Asset], diags: &mut Diagnostics) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    let reserved = ["search/", "progress/", "review/", "assets/"];
    for p in pages {
        let out = p.url.output_file();
        if reserved.iter().any(|r| p.url.0 == *r) {
            diags.push(
                Diagnostic::error(
                    Code::ContentUrlClash,
                    format!("`{}` would replace the built-in page at /{}", p.source.display(), p.url),
                )
                .in_file(&p.source)
                .with_hint("rename the file"),
            );
        }
        if let Some(other) = seen.insert(out.clone(), &p.source) {
            diags.push(
                Diagnostic::error(
                    Code::ContentUrlClash,
                    format!("`{}` and `{}` both become /{}", other.display(), p.source.display(), p.url),
                )
                .in_file(&p.source)
                .with_hint("rename one of them: the number prefix is dropped from URLs"),
            );
        }
    }
    for a in assets {
        if seen.contains_key(&a.url.0) {
            diags.push(
                Diagnostic::error(Code::ContentUrlClash, format!("asset would overwrite the page at /{}", a.url))
                    .in_file(&a.source),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_order_prefixes() {
        assert_eq!(slugify("01-product-strategy"), "product-strategy");
        assert_eq!(slugify("02-A/B Tests!"), "a-b-tests");
        assert_eq!(slugify("faq"), "faq");
        assert_eq!(slugify("10-Über uns"), "über-uns");
        assert_eq!(slugify("2024-plan"), "plan");
        assert_eq!(slugify("---"), "page");
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise_text("\u{feff}---\r\na: 1\r\n---\r\n".into()), "---\na: 1\n---\n");
    }

    #[test]
    fn prefixes_need_a_dash() {
        assert_eq!(numeric_prefix("01-a"), Some(1));
        assert_eq!(numeric_prefix("2024"), None);
        assert_eq!(numeric_prefix("a-01"), None);
    }
}
