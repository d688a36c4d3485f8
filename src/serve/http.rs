//! Requests to responses for `learn serve`, as pure functions of the request
//! line and the current build: where a URL points, with which type and
//! headers. Files come only from the build in memory; the one exception,
//! files copied from `content/`, is read only if it really lies inside
//! `content/` (a symbolic link cannot lead out of it).

use crate::pipeline::Files;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::path::Path;

/// Where a request path points, before looking at the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path under the base path, decoded, relative to it (`""`, `a/b/`, `assets/x.css`).
    Site(String),
    /// One of the server's own endpoints under `<base>__learn/`.
    Internal(String),
    /// The base path without its trailing slash, or `/` when the site lives below it.
    ToBase,
    /// A path outside the base path.
    Outside,
    /// A path that tries to climb, hides separators, or is not valid UTF-8.
    Bad,
}

/// The prefix of the server's own endpoints (reload script, event stream) under the base path.
pub const INTERNAL: &str = "__learn/";

/// Decodes and checks a request target against the base path (`/` or `/sub/path/`).
///
/// Every segment is percent-decoded on its own, so `%2f` can never become a
/// separator; a decoded segment that is `.`, `..`, empty in the middle (`//`),
/// or holds `/`, `\` or a control character makes the whole path bad.
pub fn resolve(raw: &str, base: &str) -> Target {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else { return Target::Bad };
    let raw_segments: Vec<&str> = rest.split('/').collect();
    let mut decoded = Vec::with_capacity(raw_segments.len());
    for (i, seg) in raw_segments.iter().enumerate() {
        let Some(d) = percent_decode(seg) else { return Target::Bad };
        let last = i + 1 == raw_segments.len();
        if d.is_empty() && !last {
            return Target::Bad;
        }
        if d == "." || d == ".." || d.contains(['/', '\\']) || d.chars().any(char::is_control) {
            return Target::Bad;
        }
        decoded.push(d);
    }
    let full = format!("/{}", decoded.join("/"));
    if full == base.trim_end_matches('/') || (full == "/" && base != "/") {
        return Target::ToBase;
    }
    let Some(rel) = full.strip_prefix(base) else { return Target::Outside };
    match rel.strip_prefix(INTERNAL) {
        Some(endpoint) => Target::Internal(endpoint.to_string()),
        None => Target::Site(rel.to_string()),
    }
}

/// Percent-decodes one path segment; `None` for a malformed escape or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    // The decoder passes a `%` without two hex digits through as written; a
    // request that holds one is refused instead, as is one that is not UTF-8.
    let is_escape = |after: &str| after.as_bytes().get(..2).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
    if !s.split('%').skip(1).all(is_escape) {
        return None;
    }
    percent_decode_str(s).decode_utf8().ok().map(String::from)
}

/// What a site path finds in the build.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A file of the build, by its output path.
    File(String),
    /// A folder asked for without its trailing slash: redirect to `path/`.
    Slash,
    Missing,
}

/// Looks a site path up: folders serve their `index.html`, like GitHub Pages.
pub fn find(rel: &str, files: &Files) -> Found {
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if files.contains_key(index.as_str()) { Found::File(index) } else { Found::Missing };
    }
    if files.contains_key(rel) {
        return Found::File(rel.to_string());
    }
    if files.contains_key(format!("{rel}/index.html").as_str()) {
        return Found::Slash;
    }
    Found::Missing
}

/// The media type of an output file, by its extension, from the crate's table
/// with two names corrected: JavaScript is `text/javascript` (RFC 9239, also
/// for `.mjs`) and XML `application/xml` (RFC 7303), and text types say they
/// are UTF-8. Unknown extensions are `application/octet-stream`.
pub fn content_type(path: &str) -> Cow<'static, str> {
    let guessed = mime_guess::from_path(path).first_raw().unwrap_or("application/octet-stream");
    let kind = match guessed {
        "application/javascript" => "text/javascript",
        "text/xml" => "application/xml",
        other => other,
    };
    if kind.starts_with("text/") {
        Cow::Owned(format!("{kind}; charset=utf-8"))
    } else {
        Cow::Borrowed(kind)
    }
}

/// Reads a file copied from `content/`, refusing one whose real location
/// (after symbolic links) is outside `content_dir` (itself canonical).
pub fn read_copied(source: &Path, content_dir: &Path) -> Option<Vec<u8>> {
    let real = source.canonicalize().ok()?;
    if !real.starts_with(content_dir) {
        return None;
    }
    std::fs::read(real).ok()
}

/// Puts the build number on the reload script's URL, so the page's script
/// knows which build the page came from; a page whose theme lacks the script
/// gets it before `</body>`.
pub fn with_build(html: &[u8], base: &str, build: &str) -> Vec<u8> {
    let marker = format!("{INTERNAL}reload.js\"");
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    if let Some(at) = find(html, marker.as_bytes()) {
        let cut = at + marker.len() - 1;
        let mut out = Vec::with_capacity(html.len() + 32);
        out.extend_from_slice(&html[..cut]);
        out.extend_from_slice(format!("?build={build}").as_bytes());
        out.extend_from_slice(&html[cut..]);
        return out;
    }
    let tag = format!("<script src=\"{base}{INTERNAL}reload.js?build={build}\" defer></script>");
    let body_end = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..body_end]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[body_end..]);
    out
}

/// A strong validator for a body.
pub fn etag(body: &[u8]) -> String {
    format!("\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Contents;
    use std::sync::Arc;

    fn site(p: &str) -> Target {
        Target::Site(p.to_string())
    }

    #[test]
    fn paths_under_the_base_are_decoded() {
        assert_eq!(resolve("/course/", "/course/"), site(""));
        assert_eq!(resolve("/course/basics/first/?q=1#x", "/course/"), site("basics/first/"));
        assert_eq!(resolve("/course/%C3%BCber/", "/course/"), site("über/"));
        assert_eq!(resolve("/course/a%20b.svg", "/course/"), site("a b.svg"));
        assert_eq!(resolve("/x.css", "/"), site("x.css"));
        assert_eq!(resolve("/course/__learn/events", "/course/"), Target::Internal("events".into()));
    }

    #[test]
    fn segments_decode_strictly() {
        assert_eq!(percent_decode("caf%C3%A9%20b").as_deref(), Some("café b"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        for bad in ["%", "a%2", "%zz", "%%41", "%+1", "%FF", "%C3"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_base_without_slash_and_the_root_lead_to_the_base() {
        assert_eq!(resolve("/course", "/course/"), Target::ToBase);
        assert_eq!(resolve("/", "/course/"), Target::ToBase);
        assert_eq!(resolve("/other/", "/course/"), Target::Outside);
        assert_eq!(resolve("/coursework/", "/course/"), Target::Outside);
    }

    #[test]
    fn traversal_and_hidden_separators_are_bad() {
        for probe in [
            "/course/../site.toml",
            "/course/a/../../etc/passwd",
            "/course/%2e%2e/site.toml",
            "/course/%2E%2E/%2e%2e/etc/passwd",
            "/course/.%2e/x",
            "/course/a%2f..%2f..%2fsite.toml",
            "/course/a%2Fb",
            "/course/..%5c..%5csite.toml",
            "/course/a\\..\\b",
            "/course//etc/passwd",
            "/course/a//b",
            "/course/./index.html",
            "/course/%00",
            "/course/%zz",
            "/course/%c0%ae%c0%ae/",
            "/course/%",
            "course/",
            "http://example.com/course/",
        ] {
            assert_eq!(resolve(probe, "/course/"), Target::Bad, "{probe}");
        }
    }

    #[test]
    fn folders_serve_their_index_and_redirect_without_a_slash() {
        let files: Files = ["index.html", "a/index.html", "a/x.svg"]
            .iter()
            .map(|p| (Arc::from(*p), Arc::new(Contents::Bytes(Vec::new()))))
            .collect();
        assert_eq!(find("", &files), Found::File("index.html".into()));
        assert_eq!(find("a/", &files), Found::File("a/index.html".into()));
        assert_eq!(find("a", &files), Found::Slash);
        assert_eq!(find("a/x.svg", &files), Found::File("a/x.svg".into()));
        assert_eq!(find("a/x.svg/", &files), Found::Missing);
        assert_eq!(find("b/", &files), Found::Missing);
    }

    #[test]
    fn types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("assets/site.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("search-index/manifest.json"), "application/json");
        assert_eq!(content_type("img/FUNNEL.SVG"), "image/svg+xml");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("notes.unknown-extension"), "application/octet-stream");
        assert_eq!(content_type("module.MJS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("a/notes.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("img/photo.JPG"), "image/jpeg");
        assert_eq!(content_type("fonts/x.woff2"), "font/woff2");
    }

    #[test]
    fn the_build_number_goes_on_the_reload_script() {
        let page = b"<body><script src=\"/c/__learn/reload.js\" defer></script></body>";
        let out = String::from_utf8(with_build(page, "/c/", "s1.7")).unwrap();
        assert!(out.contains("src=\"/c/__learn/reload.js?build=s1.7\""), "{out}");
        let bare = String::from_utf8(with_build(b"<p>x</p></BODY>", "/c/", "s1.7")).unwrap();
        assert_eq!(bare, "<p>x</p><script src=\"/c/__learn/reload.js?build=s1.7\" defer></script></BODY>");
    }

    #[cfg(unix)]
    #[test]
    fn a_copied_file_cannot_lead_out_of_content() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(content.join("ok.txt"), "ok").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), content.join("link.txt")).unwrap();
        let content = content.canonicalize().unwrap();
        assert_eq!(read_copied(&content.join("ok.txt"), &content).as_deref(), Some(&b"ok"[..]));
        assert_eq!(read_copied(&content.join("link.txt"), &content), None);
    }
}
