//! Offline reading: the worker (`sw.js` at the site root, so its scope is
//! the whole site under the base path) and its list (`offline.json`: every
//! file a reader can save, with its size and a hash of its contents).
//!
//! Both are made last, from every other file of the build, and the worker
//! names the build's version: a hash over the list, so it changes whenever a
//! listed file does. A browser that fetches a new `sw.js` installs it, and
//! the new worker replaces the cached copy (see the worker's own comments).
//! Both drivers hand every file they make through [`listed`], so the two
//! files are the same bytes whichever driver made them.

use crate::config::SiteConfig;
use crate::files::{Contents, OutputFile};

/// The worker's path under the output folder.
pub(super) const WORKER: &str = "sw.js";
/// The list's path under the output folder.
pub(super) const LIST: &str = "offline.json";
/// What the worker does; the build puts its version above it.
const WORKER_JS: &str = include_str!("../../themes/default/offline/sw.js");

/// What the list says of one file: its size and hash, as a store knows it.
pub(super) type Listed = crate::files::Stored;

/// Whether a reader can save the file at `path`: pages, the theme's files,
/// copied files and the search index, but not the worker and its list, nor
/// what only crawlers and the host read, nor the 404 page.
pub(super) fn is_listed(path: &str) -> bool {
    !matches!(path, WORKER | LIST | "404.html" | "sitemap.xml" | "robots.txt" | ".nojekyll")
}

/// The size and hash of a file's contents. A copied file is read here; one
/// that cannot be read is listed as empty (the build that copies it fails anyway).
pub(super) fn listed(contents: &Contents) -> Listed {
    match contents {
        Contents::Bytes(b) => Listed::of(b),
        Contents::Shared(b) => Listed::of(b),
        Contents::Copy(source) => std::fs::read(source).map_or(Listed { size: 0, hash: 0 }, |b| Listed::of(&b)),
        // Never asked: a kept file's entry is the previous build's (see `full::given`).
        Contents::Kept => Listed { size: 0, hash: 0 },
        // The store's hash is the list's: nothing to read again.
        Contents::Stored(s) => *s,
    }
}

/// The URL of an output file relative to the site root (a page by its
/// folder), written as a JSON string.
fn write_url(out: &mut Vec<u8>, path: &str) {
    let page = match path {
        "index.html" => "",
        p if p.ends_with("/index.html") => &p[..p.len() - "index.html".len()],
        p => p,
    };
    // Most paths need neither percent- nor JSON-escaping: no copy for them.
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(b);
    if page.bytes().all(|b| plain(&b)) {
        out.push(b'"');
        out.extend_from_slice(page.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, &crate::html::encode_path(page)).expect("writing to a Vec cannot fail");
    }
}

/// Makes `sw.js` and `offline.json` from every listed file of the build, in any order.
///
/// The list is `{"version", "bytes" (the sum of every size), "files": [[url
/// relative to the site root, size, hash], ...]}`, as the worker and the home
/// page's "Save the course" read it. At 10,000 lessons it has some 30,000
/// files and is made again on every save in `learn serve`: it is written by
/// hand, in one pass, and the version is a hash of what it lists, taken
/// over the bytes written rather than entry by entry.
pub(super) fn make(config: &SiteConfig, mut files: Vec<(&str, Listed)>) -> Vec<OutputFile> {
    // Already in order when the session hands them over; sorting sorted input is a single pass.
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut entries = Vec::with_capacity(files.len() * 72);
    for (i, (path, l)) in files.iter().enumerate() {
        entries.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        write_url(&mut entries, path);
        entries.push(b',');
        entries.extend_from_slice(l.size.to_string().as_bytes());
        entries.extend_from_slice(b",\"");
        push_hex12(&mut entries, l.hash >> 16);
        entries.extend_from_slice(b"\"]");
    }
    let language = serde_json::to_string(&config.language).expect("a string serialises");
    // The list shows 48 bits of each hash; the version follows all 64.
    let hashes: Vec<u8> = files.iter().flat_map(|(_, l)| l.hash.to_le_bytes()).collect();
    let mut version = xxhash_rust::xxh3::Xxh3Default::new();
    for part in [&entries[..], &hashes, language.as_bytes(), WORKER_JS.as_bytes()] {
        version.update(part);
    }
    let version = format!("{:016x}", version.digest());
    let bytes: u64 = files.iter().map(|(_, l)| l.size).sum();
    let mut list = format!("{{\"version\":\"{version}\",\"bytes\":{bytes},\"files\":[").into_bytes();
    list.extend_from_slice(&entries);
    list.extend_from_slice(b"]}");
    let head = format!(
        "// Made by learn for this build of the site: do not edit.\n\"use strict\";\nconst VERSION = \"{version}\";\nconst LANGUAGE = {language};\n",
    );
    vec![
        OutputFile { path: WORKER.into(), contents: Contents::Bytes([head.as_str(), WORKER_JS].concat().into_bytes()) },
        OutputFile { path: LIST.into(), contents: Contents::Bytes(list) },
    ]
}

/// The low 48 bits of `n` as twelve lowercase hex digits.
fn push_hex12(out: &mut Vec<u8>, n: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend((0..12).rev().map(|i| DIGITS[((n >> (i * 4)) & 0xf) as usize]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        SiteConfig::parse("title = \"x\"\n", std::path::Path::new("site.toml")).unwrap()
    }

    fn list(files: &[OutputFile]) -> serde_json::Value {
        serde_json::from_slice(files[1].contents.bytes().unwrap()).unwrap()
    }

    fn url_of(path: &str) -> String {
        let mut out = Vec::new();
        write_url(&mut out, path);
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn pages_are_listed_by_their_folder_and_names_are_encoded() {
        assert_eq!(url_of("index.html"), "");
        assert_eq!(url_of("a/b/index.html"), "a/b/");
        assert_eq!(url_of("a/not-index.html"), "a/not-index.html");
        assert_eq!(url_of("a/My Chart #1.svg"), "a/My%20Chart%20%231.svg");
        assert_eq!(url_of("a/back\\slash \"quoted\".svg"), "a/back\\slash%20%22quoted%22.svg");
        assert_eq!(url_of("über/100%/index.html"), "über/100%25/");
        assert!(!is_listed("sw.js") && !is_listed("offline.json") && !is_listed("404.html"));
        assert!(is_listed("assets/style.css") && is_listed("search-index/manifest.json"));
        // Progress shows offline only if the areas' progress data is kept too.
        assert!(is_listed("progress/basics/lessons.json") && is_listed("progress/basics/questions.json"));
    }

    #[test]
    fn hashes_are_listed_as_twelve_hex_digits() {
        let mut out = Vec::new();
        push_hex12(&mut out, 0xabc);
        assert_eq!(out, b"000000000abc");
        let files = make(&config(), vec![("a.css", Listed { size: 10, hash: 0x0123_4567_89ab_cdef })]);
        assert_eq!(list(&files)["files"][0][2], "0123456789ab");
        assert_eq!(list(&files)["files"][0][1], 10);
    }

    #[test]
    fn the_version_follows_every_file_and_not_their_order() {
        let a = Listed { size: 3, hash: 1 };
        let b = Listed { size: 5, hash: 2 };
        let one = make(&config(), vec![("index.html", a), ("x/index.html", b)]);
        let same = make(&config(), vec![("x/index.html", b), ("index.html", a)]);
        assert_eq!(one[0].contents, same[0].contents);
        assert_eq!(one[1].contents, same[1].contents);
        let changed = make(&config(), vec![("index.html", a), ("x/index.html", Listed { size: 5, hash: 3 })]);
        assert_ne!(list(&one)["version"], list(&changed)["version"]);
        let version = list(&one)["version"].as_str().unwrap().to_string();
        let worker = String::from_utf8(one[0].contents.bytes().unwrap().to_vec()).unwrap();
        assert!(worker.contains(&format!("const VERSION = \"{version}\";")), "{worker}");
        assert_eq!(list(&one)["bytes"], 8);
        assert_eq!(list(&one)["files"][1][0], "x/");
    }
}
