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
#[cfg(test)]
mod parity;
mod ranking;
pub mod spelling;
pub mod stem;
pub mod tokenise;

use crate::config::SiteConfig;
use crate::content::Site;
use crate::pipeline::{Contents, OutputFile, RenderedPage};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

pub use document::{collect, of_page as document, Doc};

/// The folder of the index in the output.
pub const DIR: &str = "search-index";

/// Bumped whenever the file formats change, so `search.js` can tell.
const FORMAT: u32 = 1;

/// The files of the search index.
pub fn index_files(site: &Site, pages: &[RenderedPage], config: &SiteConfig) -> Vec<OutputFile> {
    build(&document::collect(site, pages, config))
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    pages: usize,
    block: usize,
    /// `[first term, file name]` of each chunk, in term order.
    chunks: Vec<(&'a str, String)>,
    /// Page table file names, one per block of pages.
    tables: Vec<String>,
}

/// Builds the index files of these pages; page numbers are positions in `docs`.
pub fn build(docs: &[Doc]) -> Vec<OutputFile> {
    let mut files = Files::default();
    let fragments: Vec<Vec<u8>> = docs.par_iter().map(fragments::fragment).collect();
    let names: Vec<String> = fragments.into_iter().map(|f| files.add("f", f)).collect();
    let tables = fragments::page_tables(&names).into_iter().map(|t| files.add("t", t)).collect();

    let terms = ranking::all_doc_terms(docs);
    let postings = ranking::postings(&terms);
    let chunks = chunks::encode(postings, |rest| files.add("r", rest));
    let chunk_names: Vec<String> = chunks.iter().map(|c| files.add("c", c.json.clone())).collect();

    let manifest = Manifest {
        version: FORMAT,
        pages: docs.len(),
        block: fragments::BLOCK,
        chunks: chunks.iter().map(|c| c.first_term.as_str()).zip(chunk_names).collect(),
        tables,
    };
    let json = serde_json::to_vec(&manifest).expect("manifest serialises");
    let mut out = files.into_output();
    out.push(OutputFile { path: format!("{DIR}/manifest.json"), contents: Contents::Bytes(json) });
    out
}

/// Content-addressed files: the name is a hash of the bytes.
#[derive(Default)]
struct Files {
    /// Name → (folder, bytes).
    by_name: HashMap<String, (&'static str, Vec<u8>)>,
}

impl Files {
    /// Stores `bytes` under `folder` and returns the name to find them by.
    fn add(&mut self, folder: &'static str, bytes: Vec<u8>) -> String {
        let short = format!("{:012x}", xxh3_64(&bytes) >> 16);
        let name = match self.by_name.get(&short) {
            Some((f, b)) if *f != folder || *b != bytes => format!("{:032x}", xxh3_128(&bytes)),
            _ => short,
        };
        self.by_name.entry(name.clone()).or_insert((folder, bytes));
        name
    }

    fn into_output(self) -> Vec<OutputFile> {
        let mut out: Vec<OutputFile> = self
            .by_name
            .into_iter()
            .map(|(name, (folder, bytes))| OutputFile {
                path: format!("{DIR}/{folder}/{name}.json"),
                contents: Contents::Bytes(bytes),
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::document::{Section, SectionKind};
    use super::*;
    use crate::content::PageKind;

    fn doc(title: &str, text: &str) -> Doc {
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
        match &files.iter().find(|f| f.path == path).expect(path).contents {
            Contents::Bytes(b) => b,
            Contents::Copy(_) => panic!("index files are bytes"),
        }
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
            if let Contents::Bytes(b) = &f.contents {
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
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(FIXTURE) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(FIXTURE).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
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
