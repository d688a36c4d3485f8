//! A crawl of the built curriculum as if served under `/repo/` (a GitHub Pages
//! project site): every internal link and asset must resolve to a file of the
//! site, stay under the sub-path, and every `#fragment` must name an id.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

const BASE: &str = "/repo/";

/// Every `href="…"` and `src="…"` value of a page (the only URL attributes the theme writes).
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    out
}

fn ids(html: &str) -> HashSet<String> {
    let mut set = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            set.insert(rest[..end].to_string());
        }
    }
    set
}

/// Resolves `href` against the page's URL path, like a browser.
fn resolve(page_url: &str, href: &str) -> String {
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let dir = &page_url[..page_url.rfind('/').unwrap() + 1];
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    let trailing = href.ends_with('/') || href.ends_with("/.") || href == "." || href == "./";
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut url = format!("/{}", parts.join("/"));
    if trailing && !url.ends_with('/') {
        url.push('/');
    }
    url
}

fn file_for(site: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = url_path.strip_prefix(BASE)?;
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8().ok()?;
    let p = site.join(&*rel);
    if url_path.ends_with('/') {
        Some(p.join("index.html"))
    } else {
        Some(p)
    }
}

#[test]
fn no_link_escapes_the_sub_path_or_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_learn"))
        .args(["build", "--base-url", "https://org.github.io/repo/", "--output"])
        .arg(&site)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(pages.len() > 30, "the curriculum has its pages");
    let mut id_cache: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let rel = page.strip_prefix(&site).unwrap().to_string_lossy().replace('\\', "/");
        // 404.html is served at any URL, so its links are checked from a deep one.
        let page_url = if rel == "404.html" {
            format!("{BASE}some/missing/page")
        } else {
            format!("{BASE}{}", rel.trim_end_matches("index.html"))
        };
        let html = std::fs::read_to_string(page).unwrap();
        for href in urls(&html) {
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("data:") {
                continue;
            }
            checked += 1;
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let file = if path.is_empty() {
                page.clone()
            } else {
                let target_url = resolve(&page_url, &path);
                if !target_url.starts_with(BASE) {
                    broken.push(format!("{rel}: {href} leaves {BASE} ({target_url})"));
                    continue;
                }
                let Some(file) = file_for(&site, &target_url).filter(|f| f.is_file()) else {
                    broken.push(format!("{rel}: {href} → {target_url} has no file"));
                    continue;
                };
                file
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = id_cache.entry(file.clone()).or_insert_with(|| ids(&std::fs::read_to_string(&file).unwrap()));
                // Like a browser: the fragment as written, else decoded.
                let decoded = percent_encoding::percent_decode_str(&fragment).decode_utf8_lossy();
                if !ids.contains(&fragment) && !ids.contains(decoded.as_ref()) {
                    broken.push(format!("{rel}: {href} names a missing id"));
                }
            }
        }
    }
    assert!(checked > 500, "the crawl saw the site's links ({checked})");
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
}

#[test]
fn resolving_follows_browser_rules() {
    assert_eq!(resolve("/repo/a/b/", "../../"), "/repo/");
    assert_eq!(resolve("/repo/a/b/", "../c/"), "/repo/a/c/");
    assert_eq!(resolve("/repo/", "./"), "/repo/");
    assert_eq!(resolve("/repo/x/y/", "../../assets/s.css"), "/repo/assets/s.css");
    assert_eq!(resolve("/repo/a/", "../../../"), "/");
}

/// A fragment percent-encoded as editors write it (`#caf%C3%A9` for `## Café`)
/// is checked decoded, like the file part of a link, and kept as written.
#[test]
fn percent_encoded_fragments_name_their_headings() {
    let run = crate::harness::SiteTest::fixture("encoded-fragments").build().success();
    assert!(!run.stderr().contains("anchor"), "{}", run.stderr());
    assert!(run.page("basics/other/index.html").contains("id=\"café\""));
    let first = run.page("basics/first/index.html");
    assert!(first.contains("id=\"crème-brûlée\""), "{first}");
    for href in ["../../basics/other/#caf%C3%A9", "../../basics/other/#caf%c3%a9", "#cr%C3%A8me-br%C3%BBl%C3%A9e"] {
        assert!(first.contains(&format!("href=\"{href}\"")), "{href}\n{first}");
    }
}
