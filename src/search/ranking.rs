//! Ranking, done at build time: every (term, page) pair gets one number, its
//! impact, and the browser ranks a page by adding the impacts of the query's
//! terms. The impact is BM25 computed per field and weighted by field (a match
//! in the title counts most, then headings, then the summary, then the body),
//! so a title match is not drowned by a page that repeats the word.
//!
//! Averages are rounded before use so that editing one page does not shift the
//! impact of every other page, and the index files of untouched terms keep
//! their names (and their place in readers' caches).

use super::document::Doc;
use super::stem::{FastHash, TermCache};
use super::tokenise::for_each_token;
use std::collections::HashMap;
use std::sync::Arc;

/// The ranking fields: title, headings, lead, body.
pub const FIELDS: usize = 4;

/// BM25's term-frequency saturation.
const K1: f32 = 1.2;

/// How much a match in each field counts, and how much the field's length
/// dampens it (`b`). Indexed by [`Field`].
const BOOST: [f32; FIELDS] = [5.0, 2.5, 1.5, 1.0];
const LENGTH_NORM: [f32; FIELDS] = [0.3, 0.4, 0.5, 0.75];

/// One page's term counts, per field.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct DocTerms {
    pub counts: Vec<(Arc<str>, Tf)>,
    pub lengths: PerField,
}

/// One count per field (a named type: serde's derive shadows `FIELDS` inside the struct).
pub type PerField = [u32; FIELDS];

/// A term's count in each field of one page, kept in 16 bits: the site holds
/// one per page a term is on (millions at 10,000 lessons), and BM25 has long
/// stopped rising by 65,535, where a count stays.
pub type Tf = [u16; FIELDS];

impl DocTerms {
    /// The counts of `term` on this page, if it is there.
    pub fn count(&self, term: &str) -> Option<&Tf> {
        self.counts.binary_search_by(|(t, _)| (**t).cmp(term)).ok().map(|at| &self.counts[at].1)
    }
}

/// Counts the terms of a page in each field.
pub fn doc_terms(doc: &Doc, cache: &mut TermCache) -> DocTerms {
    // Keyed by the term's address: the cache gives one `Arc` per term, so
    // counting a word hashes a pointer, not the term's text again.
    let mut counts: HashMap<usize, (Arc<str>, [u32; FIELDS]), FastHash> = HashMap::default();
    let mut lengths = [0u32; FIELDS];
    for (field, text) in doc.field_texts() {
        for_each_token(text, true, |_, word| {
            let term = cache.term(word);
            let slot =
                counts.entry(Arc::as_ptr(term) as *const u8 as usize).or_insert_with(|| (term.clone(), [0; FIELDS]));
            slot.1[field as usize] += 1;
            lengths[field as usize] += 1;
        });
    }
    let saturated = |tf: [u32; FIELDS]| tf.map(|n| u16::try_from(n).unwrap_or(u16::MAX));
    let mut counts: Vec<(Arc<str>, Tf)> = counts.into_values().map(|(t, tf)| (t, saturated(tf))).collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    DocTerms { counts, lengths }
}

/// A page that holds a term, and how well it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    pub doc: u32,
    pub impact: f32,
}

/// BM25's inverse document frequency (never negative).
pub fn idf(n: f32, df: f32) -> f32 {
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The weighted sum of each field's saturated, length-normalised term frequency.
pub fn field_score(tf: &Tf, lengths: &PerField, averages: &[f32; FIELDS]) -> f32 {
    let mut score = 0.0;
    for f in 0..FIELDS {
        if tf[f] == 0 {
            continue;
        }
        let t = tf[f] as f32;
        let norm = 1.0 - LENGTH_NORM[f] + LENGTH_NORM[f] * lengths[f] as f32 / averages[f];
        score += BOOST[f] * t * (K1 + 1.0) / (t + K1 * norm);
    }
    score
}

/// Mean length of each field over the pages that have it, rounded to two
/// significant digits so small edits leave it unchanged.
pub fn average_lengths<'a>(docs: impl Iterator<Item = &'a DocTerms>) -> [f32; FIELDS] {
    let mut sums = [(0u64, 0u64); FIELDS];
    for d in docs {
        for (f, (sum, count)) in sums.iter_mut().enumerate() {
            if d.lengths[f] > 0 {
                *sum += d.lengths[f] as u64;
                *count += 1;
            }
        }
    }
    let mut out = [1.0; FIELDS];
    for (slot, (sum, count)) in out.iter_mut().zip(sums) {
        if count > 0 {
            *slot = round_2_digits(sum as f32 / count as f32).max(1.0);
        }
    }
    out
}

fn round_2_digits(x: f32) -> f32 {
    if x <= 0.0 {
        return 0.0;
    }
    let magnitude = 10f32.powi(x.log10().floor() as i32 - 1);
    (x / magnitude).round() * magnitude
}

#[cfg(test)]
mod tests {
    use super::super::document::{Section, SectionKind};
    use super::*;
    use crate::content::PageKind;

    fn doc(title: &str, headings: &[&str], body: &str) -> Doc {
        let mut sections =
            vec![Section { id: None, heading: String::new(), text: body.into(), kind: SectionKind::Text }];
        for h in headings {
            sections.push(Section {
                id: Some(h.to_lowercase()),
                heading: (*h).into(),
                text: String::new(),
                kind: SectionKind::Text,
            });
        }
        Doc {
            title: title.into(),
            url: String::new(),
            area: None,
            kind: PageKind::Lesson,
            summary: None,
            extra_lead: Vec::new(),
            sections,
        }
    }

    #[test]
    fn words_with_one_stem_are_counted_as_one_term() {
        let d = doc("Prioritise", &[], "prioritising prioritised trade-off");
        let terms = doc_terms(&d, &mut TermCache::default());
        let names: Vec<&str> = terms.counts.iter().map(|(t, _)| &**t).collect();
        let mut sorted = names.clone();
        sorted.dedup();
        assert_eq!(names, sorted, "each term once, in order");
        let prior = terms.count(&crate::search::stem::term("prioritise")).expect("counted");
        assert_eq!(prior.iter().map(|&n| u32::from(n)).sum::<u32>(), 3);
    }

    #[test]
    fn a_count_past_sixteen_bits_stays_at_the_top_and_the_length_is_whole() {
        let d = doc("Flood", &[], &"spam ".repeat(70_000));
        let terms = doc_terms(&d, &mut TermCache::default());
        let spam = terms.count(&crate::search::stem::term("spam")).expect("counted");
        assert_eq!(spam.iter().copied().max(), Some(u16::MAX));
        assert_eq!(terms.lengths.iter().sum::<u32>(), 70_000 + 1, "the title's word too");
    }

    /// The postings of `term` in an index of `docs`.
    fn postings(docs: &[Doc], term: &str) -> Vec<Posting> {
        let mut cache = TermCache::default();
        let pages = docs.iter().map(|d| super::super::index::page(d, 0, &mut cache)).collect();
        super::super::index::Index::of_pages(pages).postings(term)
    }

    fn ranked(docs: &[Doc], word: &str) -> Vec<u32> {
        let mut list = postings(docs, &super::super::stem::term(word));
        list.sort_by(|a, b| b.impact.total_cmp(&a.impact).then(a.doc.cmp(&b.doc)));
        list.iter().map(|p| p.doc).collect()
    }

    const FILLER: &str = "Some words about teams, plans and users that fill a page of ordinary text. ";

    #[test]
    fn title_beats_heading_beats_body() {
        let body = FILLER.repeat(5);
        let docs = [
            doc("Planning", &[], &format!("{body} churn churn churn churn churn")),
            doc("Planning", &["Churn"], &body),
            doc("Churn", &[], &body),
        ];
        assert_eq!(ranked(&docs, "churn"), [2, 1, 0]);
    }

    #[test]
    fn more_mentions_rank_higher_in_the_same_field() {
        let docs = [
            doc("A", &[], &format!("{} churn", FILLER.repeat(3))),
            doc("B", &[], &format!("{} churn churn churn", FILLER.repeat(3))),
        ];
        assert_eq!(ranked(&docs, "churning"), [1, 0]);
    }

    #[test]
    fn shorter_pages_win_for_the_same_mentions() {
        let docs =
            [doc("A", &[], &format!("{} churn", FILLER.repeat(20))), doc("B", &[], &format!("{} churn", FILLER))];
        assert_eq!(ranked(&docs, "churn"), [1, 0]);
    }

    #[test]
    fn rarer_terms_weigh_more() {
        let docs =
            [doc("A", &[], "common rare"), doc("B", &[], "common"), doc("C", &[], "common"), doc("D", &[], "other")];
        let impact = |t: &str| postings(&docs, t)[0].impact;
        assert!(impact("rare") > impact("common"));
    }

    #[test]
    fn averages_are_rounded() {
        assert_eq!(round_2_digits(1234.0), 1200.0);
        assert_eq!(round_2_digits(7.46), 7.5);
    }
}
