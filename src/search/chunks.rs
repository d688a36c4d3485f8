//! The inverted index as small JSON files the browser fetches one by one.
//!
//! Terms are sorted and cut into chunks of about [`CHUNK_BYTES`]; the manifest
//! lists each chunk's first term, so a query fetches only the chunks its words
//! fall in. A term found on many pages keeps only its [`TIER_ONE`] best
//! postings in the chunk and moves the rest to a file of its own: the browser
//! fetches that file only when the best postings cannot settle the top
//! results (see `rank` in `search.js`), so even a word on every page of a
//! 10,000-lesson site costs a few hundred bytes to search for.
//!
//! A chunk is a JSON array of terms, each `[term, pages, scale, gaps, impacts,
//! rest]`: `pages` is how many pages hold the term, `gaps` the page numbers as
//! differences from the previous one, `impacts` one byte per page (the impact
//! is `byte × scale`), `rest` the name of the file with the other postings
//! (`[gaps, impacts]`) or `null`.

use super::ranking::Posting;

/// Postings of a frequent term kept in its chunk, best first.
pub const TIER_ONE: usize = 48;
/// A term on at most this many pages keeps all of them in its chunk.
pub const INLINE_MAX: usize = 80;
/// A chunk is closed once its JSON reaches this size.
pub const CHUNK_BYTES: usize = 6 * 1024;

/// A chunk of the term dictionary.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub first_term: String,
    pub json: Vec<u8>,
}

/// Postings quantised to one byte each, with the factor that restores them.
#[derive(Debug, Clone, PartialEq)]
struct Quantised {
    scale: f32,
    /// `(page, impact byte)`.
    postings: Vec<(u32, u8)>,
}

fn quantise(postings: &[Posting]) -> Quantised {
    let max = postings.iter().map(|p| p.impact).fold(0.0f32, f32::max);
    let scale = if max > 0.0 { max / 255.0 } else { 1.0 };
    let postings = postings.iter().map(|p| (p.doc, impact_byte(p.impact, scale))).collect();
    Quantised { scale, postings }
}

/// An impact as the one byte the index stores, given its term's scale.
pub fn impact_byte(impact: f32, scale: f32) -> u8 {
    (impact / scale).round().clamp(1.0, 255.0) as u8
}

/// Page numbers as gaps, and impact bytes, of postings sorted by page.
fn gaps_and_impacts(postings: &[(u32, u8)]) -> (Vec<u32>, Vec<u8>) {
    let mut prev = 0;
    let mut gaps = Vec::with_capacity(postings.len());
    let mut impacts = Vec::with_capacity(postings.len());
    for &(doc, impact) in postings {
        gaps.push(doc - prev);
        prev = doc;
        impacts.push(impact);
    }
    (gaps, impacts)
}

/// `(page, impact byte)` pairs.
type Quantised8 = Vec<(u32, u8)>;

/// Splits a term's postings into the best ones (kept in the chunk) and the rest,
/// each sorted by page.
fn tiers(mut postings: Quantised8) -> (Quantised8, Quantised8) {
    postings.sort_unstable_by_key(|p| p.0);
    if postings.len() <= INLINE_MAX {
        return (postings, Vec::new());
    }
    // Best first: higher impact, then lower page. The TIER_ONE-th best is
    // found without sorting (a save re-encodes lists of thousands of pages),
    // and one pass in page order splits the list at it.
    let rank = |p: &(u32, u8)| (std::cmp::Reverse(p.1), p.0);
    let mut keys: Vec<_> = postings.iter().map(rank).collect();
    let (_, &mut last_best, _) = keys.select_nth_unstable(TIER_ONE - 1);
    let (best, rest) = postings.into_iter().partition(|p| rank(p) <= last_best);
    (best, rest)
}

/// Orders terms as JavaScript compares strings (by UTF-16 code unit), so the
/// browser's binary search over chunk boundaries agrees with the build.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A term's entry in its chunk, but for the name of its rest file (which is
/// known only once every rest file is named), and that file's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// `[term, pages, scale, gaps, impacts` without the closing bracket.
    prefix: Vec<u8>,
    pub rest: Option<Vec<u8>>,
    /// What an impact byte is multiplied by.
    pub scale: f32,
}

impl Encoded {
    /// The whole entry, given its rest file's name.
    pub fn entry(&self, rest_name: Option<&str>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.prefix.len() + 20);
        out.extend_from_slice(&self.prefix);
        out.push(b',');
        match rest_name {
            Some(name) => serde_json::to_writer(&mut out, name).expect("strings always serialise"),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b']');
        out
    }
}

/// Encodes one term's postings (sorted by page).
pub fn encode_term(term: &str, postings: &[Posting]) -> Encoded {
    let q = quantise(postings);
    let (best, rest) = tiers(q.postings);
    let rest =
        (!rest.is_empty()).then(|| serde_json::to_vec(&gaps_and_impacts(&rest)).expect("numbers always serialise"));
    let (gaps, impacts) = gaps_and_impacts(&best);
    let mut prefix = serde_json::to_vec(&(term, postings.len(), q.scale, gaps, impacts)).expect("serialisable");
    prefix.pop();
    Encoded { prefix, rest, scale: q.scale }
}

/// Cuts whole entries, in [`js_order`] of their terms, into chunks.
pub fn cut<'a>(entries: impl IntoIterator<Item = (&'a str, Vec<u8>)>) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut first_term = String::new();
    for (term, entry) in entries {
        if !current.is_empty() && current.len() + entry.len() > CHUNK_BYTES {
            current.push(b']');
            chunks.push(Chunk { first_term: std::mem::take(&mut first_term), json: std::mem::take(&mut current) });
        }
        if current.is_empty() {
            current.push(b'[');
            if !chunks.is_empty() {
                first_term = term.to_string();
            }
        } else {
            current.push(b',');
        }
        current.extend_from_slice(&entry);
    }
    if current.is_empty() {
        current.push(b'[');
    }
    current.push(b']');
    chunks.push(Chunk { first_term, json: current });
    chunks
}

/// Encodes every term into chunks. `store_rest` writes a rest-of-postings file
/// and returns its name.
#[cfg(test)]
fn encode(mut terms: Vec<(String, Vec<Posting>)>, mut store_rest: impl FnMut(Vec<u8>) -> String) -> Vec<Chunk> {
    terms.sort_unstable_by(|a, b| js_order(&a.0, &b.0));
    let entries: Vec<(&str, Vec<u8>)> = terms
        .iter()
        .map(|(term, postings)| {
            let mut e = encode_term(term, postings);
            let name = e.rest.take().map(&mut store_rest);
            (term.as_str(), e.entry(name.as_deref()))
        })
        .collect();
    cut(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(doc: u32, impact: f32) -> Posting {
        Posting { doc, impact }
    }

    #[test]
    fn small_terms_are_inline_and_gap_coded() {
        let mut rests = Vec::new();
        let chunks = encode(vec![("rice".into(), vec![posting(3, 2.0), posting(10, 1.0)])], |j| {
            rests.push(j);
            "x".into()
        });
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].first_term, "");
        let v: serde_json::Value = serde_json::from_slice(&chunks[0].json).unwrap();
        assert_eq!(v[0][0], "rice");
        assert_eq!(v[0][1], 2);
        assert_eq!(v[0][3], serde_json::json!([3, 7]));
        assert_eq!(v[0][4], serde_json::json!([255, 127]));
        assert!(v[0][5].is_null());
        assert!(rests.is_empty());
    }

    #[test]
    fn frequent_terms_keep_their_best_postings_inline() {
        let list: Vec<Posting> = (0..200).map(|d| posting(d, if d % 10 == 0 { 5.0 } else { 1.0 })).collect();
        let mut rests = Vec::new();
        let chunks = encode(vec![("the".into(), list)], |j| {
            rests.push(j);
            "restname".into()
        });
        let v: serde_json::Value = serde_json::from_slice(&chunks[0].json).unwrap();
        let inline: Vec<u64> = v[0][4].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
        assert_eq!(inline.len(), TIER_ONE);
        // All 20 strong postings are inline; the weak ones fill the tier in page order.
        assert_eq!(inline.iter().filter(|&&b| b == 255).count(), 20);
        assert_eq!(v[0][5], "restname");
        let rest: (Vec<u32>, Vec<u8>) = serde_json::from_slice(&rests[0]).unwrap();
        assert_eq!(rest.0.len() + TIER_ONE, 200);
        assert!(rest.1.iter().all(|&b| b <= *inline.iter().min().unwrap() as u8));
    }

    #[test]
    fn chunks_split_by_term_range_in_js_order() {
        let terms: Vec<(String, Vec<Posting>)> =
            (0..400).map(|i| (format!("t{i:03}"), (0..30).map(|d| posting(d, 1.0 + d as f32)).collect())).collect();
        let chunks = encode(terms, |_| unreachable!());
        assert!(chunks.len() > 3);
        assert_eq!(chunks[0].first_term, "");
        for pair in chunks.windows(2).skip(1) {
            assert!(pair[0].first_term < pair[1].first_term);
        }
        assert!(chunks.iter().all(|c| c.json.len() <= CHUNK_BYTES + 400));
        assert_eq!(js_order("\u{ffff}", "\u{10000}"), std::cmp::Ordering::Greater);
    }
}
