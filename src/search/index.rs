//! The search index as pieces that outlive a build: each page's term counts
//! and fragment, each term's page list and encoded entry. A build makes them
//! all; `learn serve` keeps them, and after a save recounts only the pages
//! that changed and re-encodes only the terms those pages hold (BM25's
//! averages are rounded, so other pages' impacts stay as they were). The
//! files are always assembled from the pieces by [`Index::files`], so an index
//! brought up to date is byte for byte the index a fresh build makes.

use super::chunks::{self, js_order, Encoded};
use super::document::Doc;
use super::fragments;
use super::ranking::{self, DocTerms, Posting, Tf, FIELDS};
use super::stem::{FastHash, TermCache};
use super::DIR;
use crate::files::{Contents, OutputFile, Stored};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_128;

/// Bumped whenever the file formats change, so `search.js` can tell.
const FORMAT: u32 = 1;

/// What the index keeps of one page.
#[derive(Debug)]
pub struct IndexedPage {
    /// Changes whenever anything the page's document is made from changes.
    pub(super) key: u64,
    pub(super) terms: DocTerms,
    pub(super) fragment: Piece,
}

/// A file's bytes with the short hash that names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Piece {
    /// `None` in a page kept by the build cache: the file is in the output
    /// folder as the build that made it wrote it (the cache checks), so its
    /// bytes are not kept twice.
    #[serde(skip)]
    bytes: Option<Arc<[u8]>>,
    /// The size and hash of the bytes, as a store knows them: once a store
    /// holds the file, the bytes are let go of ([`Index::let_go_of_bytes`]).
    /// `None` in a page kept by the build cache.
    #[serde(skip)]
    stored: Option<Stored>,
    short: u64,
    /// The whole hash of the bytes, which tells clashing short hashes apart.
    full: u128,
    /// `short` in hex: the file's name unless another file's short hash clashes.
    name: Arc<str>,
}

impl Piece {
    fn new(bytes: Vec<u8>) -> Piece {
        let stored = Stored::of(&bytes);
        let short = stored.hash >> 16;
        let full = xxh3_128(&bytes);
        Piece { bytes: Some(bytes.into()), stored: Some(stored), short, full, name: format!("{short:012x}").into() }
    }

    /// The file's contents as the index hands them out.
    fn contents(&self) -> Contents {
        match (&self.bytes, self.stored) {
            (Some(bytes), _) => Contents::Shared(bytes.clone()),
            (None, Some(stored)) => Contents::Stored(stored),
            (None, None) => Contents::Kept,
        }
    }

    /// Lets go of the bytes: a store holds them.
    fn let_go(&mut self) {
        if self.stored.is_some() {
            self.bytes = None;
        }
    }
}

impl IndexedPage {
    /// Where the page's fragment file is, unless its short hash clashed with another's.
    pub fn fragment_path(&self) -> String {
        format!("{DIR}/f/{}.json", self.fragment.name)
    }
}

/// A term's entry, with its rest-of-postings file apart (named at assembly).
#[derive(Debug)]
struct Term {
    encoded: Encoded,
    rest: Option<Piece>,
    /// How many pages held the term when it was encoded.
    pages: usize,
}

/// One page's part of the index, made from its document.
pub fn page(doc: &Doc, key: u64, cache: &mut TermCache) -> IndexedPage {
    IndexedPage { key, terms: ranking::doc_terms(doc, cache), fragment: Piece::new(fragments::fragment(doc)) }
}

/// Every term's pages and its counts on each, sorted by page. The counts are
/// also in each page's [`DocTerms`], but reading them here, in order, is what
/// keeps encoding a long list fast.
type Lists = HashMap<Arc<str>, Vec<(u32, Tf)>, FastHash>;

/// The whole index, kept so that it can be brought up to date.
#[derive(Debug, Default)]
pub struct Index {
    /// In site order: a page's number in the postings is its position here.
    pages: Vec<Arc<IndexedPage>>,
    lists: Lists,
    /// The terms of `lists` in the order the browser compares them.
    order: Vec<Arc<str>>,
    terms: HashMap<Arc<str>, Term, FastHash>,
    averages: [f32; FIELDS],
}

/// How an update was made, for tests and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Only the terms of changed pages were encoded again.
    Terms(usize),
    /// Every term was encoded again (pages added, removed, or averages moved).
    All,
}

impl Index {
    /// An index of these pages, in site order.
    pub fn of_pages(pages: Vec<IndexedPage>) -> Index {
        Index::of_shared(pages.into_iter().map(Arc::new).collect())
    }

    /// An index of these pages, in site order, shared with whoever else keeps them.
    pub fn of_shared(pages: Vec<Arc<IndexedPage>>) -> Index {
        let mut index = Index::default();
        index.replace_all(pages);
        index
    }

    /// Number of pages changed since the index was made for `keys`, or `None`
    /// if pages were added or removed.
    pub fn changes(&self, keys: &[u64]) -> Option<usize> {
        (keys.len() == self.pages.len()).then(|| self.pages.iter().zip(keys).filter(|(p, k)| p.key != **k).count())
    }

    /// Brings the index up to date with pages whose keys are `keys`; `make(i)`
    /// makes page `i` where its key changed.
    pub fn refresh(&mut self, keys: &[u64], make: impl Fn(usize, &mut TermCache) -> IndexedPage + Sync) -> Refresh {
        let old = std::mem::take(&mut self.pages);
        let same_count = old.len() == keys.len();
        // Pages that moved keep their counts and fragment: look them up by key.
        let by_key: HashMap<u64, &Arc<IndexedPage>> =
            if same_count { HashMap::new() } else { old.iter().map(|p| (p.key, p)).collect() };
        let pages: Vec<Arc<IndexedPage>> = keys
            .par_iter()
            .enumerate()
            .map_init(TermCache::default, |cache, (i, &key)| match old.get(i) {
                Some(p) if same_count && p.key == key => p.clone(),
                _ => by_key.get(&key).map_or_else(|| Arc::new(make(i, cache)), |p| Arc::clone(p)),
            })
            .collect();
        let averages = ranking::average_lengths(pages.iter().map(|p| &p.terms));
        if !same_count || old.is_empty() || averages != self.averages {
            self.replace_all(pages);
            return Refresh::All;
        }
        let changed: Vec<usize> = (0..pages.len()).filter(|&i| !Arc::ptr_eq(&old[i], &pages[i])).collect();
        // Patching lists page by page only pays while few pages changed.
        if changed.len() > pages.len() / 4 {
            self.replace_all(pages);
            return Refresh::All;
        }
        let dirty = self.patch_lists(&old, &pages, &changed);
        self.pages = pages;
        self.patch_order(&dirty);
        // A term whose bytes cannot have changed keeps its entry: most of an
        // edited page's words, whose impact there moved by less than a step.
        let dirty: Vec<Arc<str>> =
            dirty.into_iter().filter(|t| self.lists.contains_key(t) && !self.entry_holds(t, &old, &changed)).collect();
        let encoded: Vec<(Arc<str>, Term)> = dirty.par_iter().map(|t| (t.clone(), self.encode(t))).collect();
        let count = encoded.len();
        self.terms.extend(encoded);
        Refresh::Terms(count)
    }

    /// Moves the changed pages' counts in the term lists from their old
    /// versions to their new ones; returns every term either version holds.
    fn patch_lists(
        &mut self,
        old: &[Arc<IndexedPage>],
        new: &[Arc<IndexedPage>],
        changed: &[usize],
    ) -> HashSet<Arc<str>, FastHash> {
        let mut touched: HashSet<Arc<str>, FastHash> = HashSet::default();
        for &i in changed {
            let doc = i as u32;
            // Words the page keeps are updated in place below; only those it
            // lost leave their lists (a long list is costly to shift).
            for (term, _) in &old[i].terms.counts {
                touched.insert(term.clone());
                if new[i].terms.count(term).is_some() {
                    continue;
                }
                if let Some(list) = self.lists.get_mut(term) {
                    if let Ok(at) = list.binary_search_by_key(&doc, |e| e.0) {
                        list.remove(at);
                    }
                }
            }
            for (term, tf) in &new[i].terms.counts {
                let list = self.lists.entry(term.clone()).or_default();
                match list.binary_search_by_key(&doc, |e| e.0) {
                    Ok(at) => list[at].1 = *tf,
                    Err(at) => list.insert(at, (doc, *tf)),
                }
                touched.insert(term.clone());
            }
        }
        touched
    }

    /// Drops the terms among `touched` that no page holds any more, and puts
    /// new ones in their place in the browser's order.
    fn patch_order(&mut self, touched: &HashSet<Arc<str>, FastHash>) {
        for term in touched {
            let place = self.order.binary_search_by(|t| js_order(t, term));
            match (self.lists.get(term).is_some_and(|l| !l.is_empty()), place) {
                (false, Ok(at)) => {
                    self.order.remove(at);
                    self.lists.remove(term);
                    self.terms.remove(term);
                }
                (false, Err(_)) => {
                    self.lists.remove(term);
                }
                (true, Err(at)) => self.order.insert(at, term.clone()),
                (true, Ok(_)) => {}
            }
        }
    }

    /// True if the entry encoded for `term` is still right after `changed`
    /// pages (whose old versions are in `old`) changed: the term is on the same
    /// pages, and each changed page's impact byte is the same and not the top
    /// one (so the term's scale, set by its top impact, stays too).
    fn entry_holds(&self, term: &str, old: &[Arc<IndexedPage>], changed: &[usize]) -> bool {
        let (Some(entry), Some(list)) = (self.terms.get(term), self.lists.get(term)) else { return false };
        if entry.pages != list.len() {
            return false;
        }
        let idf = ranking::idf(self.pages.len() as f32, list.len() as f32);
        let scale = entry.encoded.scale;
        let byte = |page: &IndexedPage, tf: &Tf| {
            chunks::impact_byte(idf * ranking::field_score(tf, &page.terms.lengths, &self.averages), scale)
        };
        changed.iter().all(|&p| match (old[p].terms.count(term), self.pages[p].terms.count(term)) {
            (None, None) => true,
            (Some(before), Some(after)) => {
                let (a, b) = (byte(&old[p], before), byte(&self.pages[p], after));
                a == b && a < u8::MAX
            }
            _ => false,
        })
    }

    /// Counts every term of `pages` again and encodes every term.
    fn replace_all(&mut self, pages: Vec<Arc<IndexedPage>>) {
        self.averages = ranking::average_lengths(pages.iter().map(|p| &p.terms));
        // Each list is made at its size: most terms are on a page or two, and
        // a list grown by pushing keeps room for four (at 10,000 lessons that
        // room is tens of megabytes).
        let mut sizes: HashMap<&Arc<str>, usize, FastHash> = HashMap::default();
        for page in &pages {
            for (term, _) in &page.terms.counts {
                *sizes.entry(term).or_default() += 1;
            }
        }
        let mut lists: Lists = sizes.into_iter().map(|(t, n)| (t.clone(), Vec::with_capacity(n))).collect();
        for (d, page) in pages.iter().enumerate() {
            for (term, tf) in &page.terms.counts {
                lists.get_mut(term).expect("counted above").push((d as u32, *tf));
            }
        }
        self.pages = pages;
        self.lists = lists;
        let mut order: Vec<Arc<str>> = self.lists.keys().cloned().collect();
        order.par_sort_unstable_by(|a, b| js_order(a, b));
        self.order = order;
        self.terms = self.order.par_iter().map(|t| (t.clone(), self.encode(t))).collect();
    }

    /// A term's postings, scored.
    pub(super) fn postings(&self, term: &str) -> Vec<Posting> {
        let list = &self.lists[term];
        let idf = ranking::idf(self.pages.len() as f32, list.len() as f32);
        list.iter()
            .map(|(d, tf)| Posting {
                doc: *d,
                impact: idf * ranking::field_score(tf, &self.pages[*d as usize].terms.lengths, &self.averages),
            })
            .collect()
    }

    /// A term's postings, scored and encoded.
    fn encode(&self, term: &str) -> Term {
        let postings = self.postings(term);
        let mut encoded = chunks::encode_term(term, &postings);
        let rest = encoded.rest.take().map(Piece::new);
        Term { encoded, rest, pages: postings.len() }
    }

    /// The index files: fragments, page tables, rest files, chunks, then the manifest.
    pub fn files(&self) -> Vec<OutputFile> {
        let mut out = Vec::new();
        let fragments: Vec<&Piece> = self.pages.iter().map(|p| &p.fragment).collect();
        let fragment_names = name_pieces(&fragments);
        add_shared(&mut out, "f", &fragments, &fragment_names);

        let tables: Vec<Piece> = fragments::page_tables(&fragment_names).into_iter().map(Piece::new).collect();
        let tables: Vec<&Piece> = tables.iter().collect();
        let table_names = name_pieces(&tables);
        add_shared(&mut out, "t", &tables, &table_names);

        let terms: Vec<(&str, &Term)> = self.order.iter().map(|t| (&**t, &self.terms[t])).collect();
        let rests: Vec<&Piece> = terms.iter().filter_map(|(_, t)| t.rest.as_ref()).collect();
        let rest_names = name_pieces(&rests);
        add_shared(&mut out, "r", &rests, &rest_names);
        let mut rest_names = rest_names.iter();
        let entries = terms.iter().map(|(term, t)| {
            let name = t.rest.as_ref().map(|_| &**rest_names.next().expect("a name per rest file"));
            (*term, t.encoded.entry(name))
        });
        let (first_terms, chunk_pieces): (Vec<String>, Vec<Piece>) =
            chunks::cut(entries).into_iter().map(|c| (c.first_term, Piece::new(c.json))).unzip();
        let chunk_pieces: Vec<&Piece> = chunk_pieces.iter().collect();
        let chunk_names = name_pieces(&chunk_pieces);
        add_shared(&mut out, "c", &chunk_pieces, &chunk_names);

        let manifest = Manifest {
            version: FORMAT,
            pages: self.pages.len(),
            block: fragments::BLOCK,
            chunks: first_terms.iter().map(String::as_str).zip(chunk_names).collect(),
            tables: table_names,
        };
        let json = serde_json::to_vec(&manifest).expect("manifest serialises");
        out.push(OutputFile { path: format!("{DIR}/manifest.json"), contents: Contents::Bytes(json) });
        out
    }

    /// Keeps only the size and hash of the files the index keeps from one
    /// update to the next (fragments and rest files, some 65 MB at 10,000
    /// lessons): a store holds every one of them, as its files name them from now on.
    pub fn let_go_of_bytes(&mut self) {
        for page in &mut self.pages {
            // A page shared with the build cache keeps its bytes; in `serve` none is.
            if let Some(page) = Arc::get_mut(page) {
                page.fragment.let_go();
            }
        }
        for term in self.terms.values_mut() {
            if let Some(rest) = &mut term.rest {
                rest.let_go();
            }
        }
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    pages: usize,
    block: usize,
    /// `[first term, file name]` of each chunk, in term order.
    chunks: Vec<(&'a str, Arc<str>)>,
    /// Page table file names, one per block of pages.
    tables: Vec<Arc<str>>,
}

/// Names files by a short hash of their bytes; the rare pieces whose short
/// hashes clash with different bytes get the full 128-bit hash. Equal bytes
/// get one name, whatever their order, so a name is a function of the bytes
/// and the other files of its folder.
fn name_pieces(pieces: &[&Piece]) -> Vec<Arc<str>> {
    let mut first: HashMap<u64, &Piece> = HashMap::with_capacity(pieces.len());
    let mut clashes: HashSet<u64> = HashSet::new();
    for p in pieces {
        match first.get(&p.short) {
            Some(seen) if seen.full != p.full => {
                clashes.insert(p.short);
            }
            Some(_) => {}
            None => {
                first.insert(p.short, p);
            }
        }
    }
    pieces
        .iter()
        .map(|p| match clashes.contains(&p.short) {
            true => format!("{:032x}", p.full).into(),
            false => p.name.clone(),
        })
        .collect()
}

/// Adds each named piece once to `out` under `folder`.
fn add_shared(out: &mut Vec<OutputFile>, folder: &str, pieces: &[&Piece], names: &[Arc<str>]) {
    let mut seen = HashSet::with_capacity(names.len());
    for (p, name) in pieces.iter().zip(names) {
        if seen.insert(&**name) {
            out.push(OutputFile { path: format!("{DIR}/{folder}/{name}.json"), contents: p.contents() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::doc;
    use super::*;
    use xxhash_rust::xxh3::xxh3_64;

    /// Twenty pages of the same length, each with a word of its own.
    fn docs() -> Vec<Doc> {
        (0..20).map(|i| doc(&format!("Page{i}"), &format!("alpha beta gamma delta word{i}"))).collect()
    }

    fn key(d: &Doc) -> u64 {
        xxh3_64(&fragments::fragment(d))
    }

    fn index_of(docs: &[Doc]) -> Index {
        let mut cache = TermCache::default();
        Index::of_pages(docs.iter().map(|d| page(d, key(d), &mut cache)).collect())
    }

    fn refreshed(index: &mut Index, docs: &[Doc]) -> Refresh {
        let keys: Vec<u64> = docs.iter().map(key).collect();
        index.refresh(&keys, |i, cache| page(&docs[i], keys[i], cache))
    }

    fn assert_same(a: &[OutputFile], b: &[OutputFile]) {
        let view = |f: &[OutputFile]| {
            f.iter().map(|f| (f.path.clone(), f.contents.bytes().map(<[u8]>::to_vec))).collect::<Vec<_>>()
        };
        assert_eq!(view(a), view(b));
    }

    #[test]
    fn an_edit_re_encodes_only_the_terms_of_the_changed_page_and_matches_a_fresh_index() {
        let mut docs = docs();
        let mut index = index_of(&docs);
        // Same length, so the rounded averages stay: one word swapped for a new one.
        docs[3] = doc("Page3", "alpha beta zeta delta word3");
        let how = refreshed(&mut index, &docs);
        // The page's old and new terms, and no others.
        let mut cache = TermCache::default();
        let terms = |d: &Doc, cache: &mut TermCache| -> HashSet<Arc<str>> {
            ranking::doc_terms(d, cache).counts.into_iter().map(|(t, _)| t).collect()
        };
        let touched = terms(&self::docs()[3], &mut cache).union(&terms(&docs[3], &mut cache)).count();
        assert!(matches!(how, Refresh::Terms(n) if n <= touched), "{how:?}, {touched} terms touched");
        assert!(touched < index.order.len());
        assert_same(&index.files(), &index_of(&docs).files());
        // The page's own word disappears from the site with it.
        docs[5] = doc("Page5", "alpha beta gamma delta other");
        assert!(matches!(refreshed(&mut index, &docs), Refresh::Terms(n) if n < index.order.len()));
        assert_same(&index.files(), &index_of(&docs).files());
        assert!(!index.lists.contains_key("word5") && !index.order.iter().any(|t| &**t == "word5"));
    }

    #[test]
    fn words_whose_impact_byte_stays_keep_their_entries() {
        let filler = "plan team user metric goal market launch price feature customer ";
        let mut docs: Vec<Doc> =
            (0..40).map(|i| doc(&format!("Page{i}"), &format!("{} word{i}", filler.repeat(1 + i % 9)))).collect();
        let mut index = index_of(&docs);
        docs[7] = doc("Page7", &format!("{} word7 extra", filler.repeat(8)));
        // The filler words' impacts on page 7 (not their top page) move by far
        // less than a byte's step.
        let how = refreshed(&mut index, &docs);
        assert!(matches!(how, Refresh::Terms(n) if n <= 3), "{how:?}");
        assert_same(&index.files(), &index_of(&docs).files());
        // A word said far more often moves its byte: it is encoded again.
        docs[7] = doc("Page7", &format!("{} word7 extra {}", filler.repeat(8), "launch ".repeat(30)));
        let how = refreshed(&mut index, &docs);
        assert_same(&index.files(), &index_of(&docs).files());
        assert!(matches!(how, Refresh::Terms(n) if n >= 1), "{how:?}");
    }

    #[test]
    fn nothing_changed_encodes_nothing() {
        let docs = docs();
        let mut index = index_of(&docs);
        assert_eq!(refreshed(&mut index, &docs), Refresh::Terms(0));
        assert_same(&index.files(), &index_of(&docs).files());
    }

    #[test]
    fn added_pages_or_moved_averages_encode_everything_again() {
        let mut docs = docs();
        let mut index = index_of(&docs);
        docs.push(doc("Page20", "alpha beta gamma delta word20"));
        assert_eq!(refreshed(&mut index, &docs), Refresh::All);
        assert_same(&index.files(), &index_of(&docs).files());
        docs[0] = doc("Page0", &"long text ".repeat(400));
        assert_eq!(refreshed(&mut index, &docs), Refresh::All);
        assert_same(&index.files(), &index_of(&docs).files());
    }

    #[test]
    fn equal_bytes_share_a_name_and_clashing_short_hashes_get_long_names() {
        let a = Piece::new(b"one".to_vec());
        let b = Piece::new(b"two".to_vec());
        let fake = Piece { short: a.short, name: a.name.clone(), ..b.clone() };
        let names = name_pieces(&[&a, &a.clone(), &b]);
        assert_eq!(names[0], names[1]);
        assert_eq!(names[0].len(), 12);
        let names = name_pieces(&[&a, &fake]);
        assert_ne!(names[0], names[1]);
        assert!(names.iter().all(|n| n.len() == 32));
    }
}
