//! Search: an index built here, at build time, and queried in the browser by
//! `themes/default/static/assets/search.js` with no server.
//!
//! The index is split so that a reader downloads only what a query needs
//! (Pagefind's design): a small fixed-name manifest, term-range chunks of the
//! inverted index ([`chunks`]), the rest of long posting lists, page tables and
//! one fragment per page for snippets ([`fragments`]). Every file but the
//! manifest is named by a hash of its content, so a file that did not change
//! keeps its name across builds and stays in the reader's cache.
//!
//! Words become terms the same way here and in `search.js` ([`tokenise`],
//! [`spelling`], [`stem`]); `parity.rs` proves it on large word lists. This
//! module only computes files: it never writes to disk.

mod chunks;
mod document;
mod fragments;
mod index;
#[cfg(test)]
mod parity;
mod ranking;
pub mod spelling;
pub mod stem;
mod stored;
pub mod tokenise;

use crate::config::SiteConfig;
use crate::content::{PageId, PageKind, Site};

pub use document::{of_page as document, Doc, PageText};
pub use index::{page, Index, IndexedPage, Refresh};
pub use stem::TermCache;
pub use stored::StoredPages;

/// The folder of the index in the output.
pub const DIR: &str = "search-index";

/// Per page, a key that changes whenever its search document would;
/// `fingerprint(i)` is a fingerprint of page `i`'s rendered text.
pub fn keys(site: &Site, fingerprint: impl Fn(PageId) -> u64, config: &SiteConfig) -> Vec<u64> {
    site.pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let area = match page.kind {
                PageKind::Lesson => page.area.map(|a| site.pages[site.areas[a].page].title.as_str()),
                _ => None,
            };
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&fingerprint(PageId(i)).to_le_bytes());
            h.update(page.url.0.as_bytes());
            h.update(&[page.kind as u8, config.search.include_quiz_prompts as u8, area.is_some() as u8]);
            h.update(area.unwrap_or_default().as_bytes());
            h.digest()
        })
        .collect()
}

/// Brings `index` up to date with the site's pages, whose [`keys`] are `keys`;
/// `text(i)` is page `i`'s rendered text.
pub fn refresh<'a>(
    index: &mut Index,
    keys: &[u64],
    site: &Site,
    config: &SiteConfig,
    text: impl Fn(PageId) -> PageText<'a> + Sync,
) -> Refresh {
    index.refresh(keys, |i, cache| page(&document(site, PageId(i), text(PageId(i)), config), keys[i], cache))
}

#[cfg(test)]
mod tests {
    use super::document::{Section, SectionKind};
    use super::*;
    use crate::content::PageKind;
    use crate::files::OutputFile;

    /// The files of an index of `docs`, made at once.
    fn build(docs: &[Doc]) -> Vec<OutputFile> {
        let mut cache = TermCache::default();
        Index::of_pages(docs.iter().map(|d| index::page(d, 0, &mut cache)).collect()).files()
    }

    /// A page of one untitled section; the index tests use it too.
    pub(super) fn doc(title: &str, text: &str) -> Doc {
        Doc {
            title: title.into(),
            url: format!("{}/", title.to_lowercase()),
            area: None,
            kind: PageKind::Standalone,
            summary: None,
            extra_lead: Vec::new(),
            sections: vec![Section { id: None, heading: String::new(), text: text.into(), kind: SectionKind::Text }],
        }
    }

    fn bytes_of<'a>(files: &'a [OutputFile], path: &str) -> &'a [u8] {
        files.iter().find(|f| f.path == path).expect(path).contents.bytes().expect("index files are bytes")
    }

    #[test]
    fn manifest_names_every_file() {
        let files = build(&[doc("One", "alpha beta"), doc("Two", "beta gamma")]);
        let manifest: serde_json::Value =
            serde_json::from_slice(bytes_of(&files, "search-index/manifest.json")).unwrap();
        assert_eq!(manifest["pages"], 2);
        let chunk = manifest["chunks"][0][1].as_str().unwrap();
        let table = manifest["tables"][0].as_str().unwrap();
        let chunk_json: serde_json::Value =
            serde_json::from_slice(bytes_of(&files, &format!("search-index/c/{chunk}.json"))).unwrap();
        let terms: Vec<&str> = chunk_json.as_array().unwrap().iter().map(|e| e[0].as_str().unwrap()).collect();
        assert_eq!(terms, ["alpha", "beta", "gamma", "one", "two"]);
        let names: Vec<String> =
            serde_json::from_slice(bytes_of(&files, &format!("search-index/t/{table}.json"))).unwrap();
        let first: serde_json::Value =
            serde_json::from_slice(bytes_of(&files, &format!("search-index/f/{}.json", names[0]))).unwrap();
        assert_eq!(first["t"], "One");
    }

    #[test]
    fn unchanged_pages_keep_their_fragment_names() {
        let before = build(&[doc("One", "alpha"), doc("Two", "beta")]);
        let after = build(&[doc("One", "alpha"), doc("Two", "beta changed")]);
        let frags = |files: &[OutputFile]| -> Vec<String> {
            files.iter().filter(|f| f.path.starts_with("search-index/f/")).map(|f| f.path.clone()).collect()
        };
        let (b, a) = (frags(&before), frags(&after));
        assert_eq!(b.iter().filter(|p| a.contains(p)).count(), 1, "{b:?} {a:?}");
    }

    /// Every byte of the index a build of `root` writes, as one string.
    fn index_text(root: &std::path::Path) -> String {
        let opts = crate::pipeline::BuildOptions { root: root.to_path_buf(), ..Default::default() };
        let built = crate::pipeline::build_in_memory(&opts, &crate::highlight::Highlighter::default())
            .expect("the fixture builds");
        let mut text = String::new();
        for f in built.files.iter().filter(|f| f.path.starts_with("search-index/")) {
            if let Some(b) = f.contents.bytes() {
                text.push_str(&String::from_utf8_lossy(b));
            }
        }
        assert!(text.contains("\"Markup <b>in</b> a title & more\""), "the fixture's lesson is indexed");
        text
    }

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search-escape");
    const ANSWER_WORDS: [&str; 4] = ["zanzibarite", "quokkaphobia", "marmalisation", "thundersnow"];

    #[test]
    fn quiz_prompts_are_indexed_and_answers_never() {
        let text = index_text(std::path::Path::new(FIXTURE));
        assert!(text.contains("xylophonist"), "the prompt is indexed");
        for word in ANSWER_WORDS {
            assert!(!text.contains(word), "`{word}` comes from a choice, feedback, hint or explanation");
        }
    }

    #[test]
    fn quiz_prompts_stay_out_when_the_site_says_so() {
        let dir = crate::test_support::copy_dir(std::path::Path::new(FIXTURE));
        let toml = dir.path().join("site.toml");
        let config = std::fs::read_to_string(&toml)
            .unwrap()
            .replace("include_quiz_prompts = true", "include_quiz_prompts = false");
        std::fs::write(&toml, config).unwrap();
        let text = index_text(dir.path());
        assert!(!text.contains("xylophonist"));
        assert!(!text.contains("q-escape-prompt"));
    }

    #[test]
    fn builds_are_reproducible() {
        let docs = [doc("One", "alpha beta"), doc("Two", "beta gamma")];
        let paths = |files: Vec<OutputFile>| files.into_iter().map(|f| f.path).collect::<Vec<_>>();
        assert_eq!(paths(build(&docs)), paths(build(&docs)));
    }
}
