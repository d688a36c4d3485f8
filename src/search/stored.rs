//! Search documents as `learn build`'s cache keeps them: every term once, in
//! one table, and each page's counts by the term's place in it. Kept page by
//! page, the same few thousand words would be written (and, worse, allocated
//! when read) once per page that holds them: millions of small strings at
//! 10,000 lessons.

use super::index::{IndexedPage, Piece};
use super::ranking::{DocTerms, PerField, Tf};
use super::stem::FastHash;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Many pages' search documents, their terms kept once.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct StoredPages {
    terms: Vec<Arc<str>>,
    pages: Vec<Option<StoredPage>>,
}

/// One page's search document with its terms as places in the table.
#[derive(Debug, Serialize, Deserialize)]
struct StoredPage {
    key: u64,
    counts: Vec<(u32, Tf)>,
    lengths: PerField,
    /// The fragment's name and hashes; its bytes are in the output folder.
    fragment: Piece,
}

impl StoredPages {
    /// Keeps these pages' documents (in this order; `None` for a page with none).
    pub fn store<'a>(pages: impl Iterator<Item = Option<&'a IndexedPage>>) -> StoredPages {
        // Pages read from a cache share one string per term: most lookups go
        // by address, and only a new page's terms are hashed by their text.
        let mut by_address: HashMap<usize, u32, FastHash> = HashMap::default();
        let mut by_text: HashMap<Arc<str>, u32, FastHash> = HashMap::default();
        let mut terms = Vec::new();
        let mut place = |t: &Arc<str>| {
            let address = Arc::as_ptr(t) as *const u8 as usize;
            *by_address.entry(address).or_insert_with(|| {
                *by_text.entry(t.clone()).or_insert_with(|| {
                    terms.push(t.clone());
                    (terms.len() - 1) as u32
                })
            })
        };
        let pages = pages
            .map(|p| {
                p.map(|p| StoredPage {
                    key: p.key,
                    counts: p.terms.counts.iter().map(|(t, c)| (place(t), *c)).collect(),
                    lengths: p.terms.lengths,
                    fragment: p.fragment.clone(),
                })
            })
            .collect();
        StoredPages { terms, pages }
    }

    /// The pages' documents again, in the order they were kept; `None` if
    /// the table is not one [`StoredPages::store`] made.
    pub fn restore(self) -> Option<Vec<Option<Arc<IndexedPage>>>> {
        let terms = self.terms;
        let term = |i: u32| terms.get(i as usize).cloned();
        self.pages
            .into_iter()
            .map(|p| match p {
                None => Some(None),
                Some(p) => {
                    let counts = p.counts.into_iter().map(|(i, c)| Some((term(i)?, c))).collect::<Option<Vec<_>>>()?;
                    let terms = DocTerms { counts, lengths: p.lengths };
                    Some(Some(Arc::new(IndexedPage { key: p.key, terms, fragment: p.fragment })))
                }
            })
            .collect()
    }
}
