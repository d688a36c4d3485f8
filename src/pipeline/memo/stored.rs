//! [`Pages`] as the build cache writes them: the record, then the pages in a
//! fixed number of buckets (by a hash of their path), each bucket encoded on
//! its own with its search documents' terms kept once in it.
//!
//! Encoding every page is most of what saving a cache costs, and a rebuild
//! after an edit changes a page or two: a bucket whose pages all came back
//! from the previous build's memo is written again as the bytes it was read
//! from.

use super::{PageMemo, Pages};
use crate::pipeline::deps::Record;
use crate::search::StoredPages;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many buckets the pages are kept in: at 10,000 lessons an edit
/// encodes some 150 pages again, while each bucket's term table stays shared
/// by enough pages to keep the file small.
const BUCKETS: usize = 64;

/// The bytes a cache was read from, to write unchanged buckets again as they were.
pub(in crate::pipeline) struct Read {
    bytes: Arc<Vec<u8>>,
    /// Per bucket, where it is in `bytes` and how many pages it holds.
    buckets: Vec<(Range<usize>, usize)>,
}

impl std::fmt::Debug for Read {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Read({} bytes in {} buckets)", self.bytes.len(), self.buckets.len())
    }
}

/// One bucket as written: its pages in path order, their search documents beside them.
#[derive(Serialize)]
struct BucketOut<'a> {
    pages: Vec<(&'a PathBuf, &'a PageMemo)>,
    search: StoredPages,
}

/// One bucket as read; the same fields as [`BucketOut`].
#[derive(Deserialize)]
struct BucketIn {
    pages: Vec<(PathBuf, PageMemo)>,
    search: StoredPages,
}

/// The bucket a page is kept in, the same on every build.
fn bucket(path: &Path) -> usize {
    (xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes()) % BUCKETS as u64) as usize
}

impl Pages {
    /// The body of `pages.bin`, in parts to write one after the other: the
    /// record's length and bytes, then each bucket's. Buckets the previous
    /// build left as they were are the bytes they were read from.
    pub(crate) fn encode(&self) -> Result<Vec<Cow<'_, [u8]>>, postcard::Error> {
        let mut buckets: Vec<Vec<(&PathBuf, &PageMemo)>> = vec![Vec::new(); BUCKETS];
        for (path, memo) in &self.pages {
            buckets[bucket(path)].push((path, memo));
        }
        let read = self.read.as_deref();
        let encoded: Vec<Result<Cow<'_, [u8]>, postcard::Error>> = buckets
            .into_par_iter()
            .enumerate()
            .map(|(b, mut pages)| match read.map(|r| (r, &r.buckets[b])) {
                Some((read, (range, count))) if *count == pages.len() && pages.iter().all(|(_, m)| m.kept) => {
                    Ok(Cow::Borrowed(&read.bytes[range.clone()]))
                }
                _ => {
                    pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    let search = StoredPages::store(pages.iter().map(|(_, p)| p.indexed.as_deref()));
                    postcard::to_allocvec(&BucketOut { pages, search }).map(Cow::Owned)
                }
            })
            .collect();
        let mut parts = Vec::with_capacity(2 * (BUCKETS + 1));
        for part in std::iter::once(postcard::to_allocvec(&self.record).map(Cow::Owned)).chain(encoded) {
            let part = part?;
            parts.push(Cow::Owned((part.len() as u64).to_le_bytes().to_vec()));
            parts.push(part);
        }
        Ok(parts)
    }

    /// Reads what [`Pages::encode`] wrote, `bytes[start..]`, on this thread
    /// alone: a build decodes the pages beside other work, which has the thread pool.
    pub(crate) fn decode(bytes: Vec<u8>, start: usize) -> Result<Pages, &'static str> {
        let mut at = start;
        let record = next(&bytes, &mut at)?;
        let mut buckets = Vec::with_capacity(BUCKETS);
        while at < bytes.len() {
            buckets.push(next(&bytes, &mut at)?);
        }
        if buckets.len() != BUCKETS {
            return Err("the build cache is corrupt");
        }
        let record = postcard::from_bytes::<Record>(&bytes[record]).map_err(|_| "the build cache is corrupt")?;
        let pages = buckets.iter().map(|r| decode_bucket(&bytes[r.clone()])).collect::<Result<Vec<_>, _>>()?;
        let buckets = buckets.into_iter().zip(&pages).map(|(range, pages)| (range, pages.len())).collect();
        let pages: HashMap<PathBuf, PageMemo> = pages.into_iter().flatten().collect();
        Ok(Pages { record, pages, read: Some(Arc::new(Read { bytes: Arc::new(bytes), buckets })) })
    }
}

/// One bucket's pages, each marked as read from the cache.
fn decode_bucket(bytes: &[u8]) -> Result<Vec<(PathBuf, PageMemo)>, &'static str> {
    let stored: BucketIn = postcard::from_bytes(bytes).map_err(|_| "the build cache is corrupt")?;
    let search = stored.search.restore().ok_or("the build cache is corrupt")?;
    if search.len() != stored.pages.len() {
        return Err("the build cache is corrupt");
    }
    let pages = stored.pages.into_iter().zip(search);
    Ok(pages.map(|((path, memo), indexed)| (path, PageMemo { indexed, kept: true, ..memo })).collect())
}

/// Where the part framed at `*at` is, moving `*at` past it.
fn next(bytes: &[u8], at: &mut usize) -> Result<Range<usize>, &'static str> {
    let len = bytes.get(*at..*at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let start = *at + 8;
    let end = len.and_then(|n| usize::try_from(n).ok()).and_then(|n| start.checked_add(n));
    match end {
        Some(end) if end <= bytes.len() => {
            *at = end;
            Ok(start..end)
        }
        _ => Err("the build cache is corrupt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PageKind;
    use crate::search::{Doc, TermCache};

    /// A page memo whose search document holds `words`.
    fn memo(words: &str) -> PageMemo {
        let doc = Doc {
            title: words.into(),
            url: format!("{}/", words.replace(' ', "-")),
            area: None,
            kind: PageKind::Lesson,
            summary: Some(format!("about {words}")),
            extra_lead: Vec::new(),
            sections: Vec::new(),
        };
        PageMemo {
            key: words.len() as u64,
            fingerprint: 1,
            quiz_fingerprint: 2,
            minutes: 3,
            anchors: vec![words.replace(' ', "-")],
            links: Vec::new(),
            diagnostics: Vec::new(),
            question_index: words.into(),
            indexed: Some(Arc::new(crate::search::page(&doc, 7, &mut TermCache::default()))),
            kept: false,
        }
    }

    /// The body [`Pages::encode`] gives, in one piece.
    fn body(pages: &Pages) -> Vec<u8> {
        pages.encode().unwrap().concat()
    }

    fn pages(n: usize) -> Pages {
        let pages = (0..n).map(|i| (PathBuf::from(format!("a/{i}.md")), memo(&format!("page {i} words")))).collect();
        Pages { pages, ..Pages::default() }
    }

    /// Every page's memo as the debug printer shows it, by path, less what
    /// the cache does not keep (the search fragment's bytes, which are in the
    /// output, and their size and hash as a store knows them) and whether it
    /// was read from a cache.
    fn shown(pages: &Pages) -> Vec<String> {
        let mut all: Vec<String> = pages
            .pages
            .iter()
            .map(|(p, m)| {
                let mut shown = format!("{p:?} {m:?}").replace("kept: true", "kept: false");
                while let Some(at) = shown.find("bytes: Some([") {
                    let end = at + shown[at..].find("])").expect("a closing bracket") + 2;
                    shown.replace_range(at..end, "bytes: None");
                }
                while let Some(at) = shown.find("stored: Some(") {
                    let end = at + shown[at..].find("})").expect("a closing brace") + 2;
                    shown.replace_range(at..end, "stored: None");
                }
                shown
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn pages_come_back_as_they_were_kept() {
        let written = pages(300);
        let read = Pages::decode(body(&written), 0).unwrap();
        assert!(shown(&read) == shown(&written), "every page comes back");
        assert!(read.pages.values().all(|m| m.kept));
    }

    #[test]
    fn only_a_changed_pages_bucket_is_encoded_again() {
        let first = body(&pages(300));
        let mut read = Pages::decode(first.clone(), 0).unwrap();
        let edited = PathBuf::from("a/7.md");
        read.pages.insert(edited.clone(), memo("an edited page"));
        let second = body(&read);
        let back = Pages::decode(second.clone(), 0).unwrap();
        assert!(shown(&back) == shown(&read), "every page comes back");
        let mut expected = pages(300);
        expected.pages.insert(edited.clone(), memo("an edited page"));
        assert!(second == body(&expected), "kept buckets are the bytes a full encoding gives");
        let parts = |bytes: &[u8]| {
            let mut at = 0;
            std::iter::from_fn(|| (at < bytes.len()).then(|| next(bytes, &mut at).unwrap())).count()
        };
        assert_eq!(parts(&second), BUCKETS + 1);
    }
}
