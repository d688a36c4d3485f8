//! From a word to the term the index stores: one spelling for British and
//! American forms, then Snowball's English stemmer (Porter2, from
//! rust-stemmers). `search.js` carries a port of the same stemmer (`stem`) and
//! the same `term`; the parity test proves they agree word for word.

use super::spelling;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;
use std::sync::Arc;

/// The English stemmer alone, as rust-stemmers gives it (input must be lowercase).
pub fn stem(word: &str) -> String {
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

/// The index term of a word from [`super::tokenise::tokens`]. Words with a
/// digit are kept as they are (`2.5`, `h2`, `2024`).
pub fn term(word: &str) -> String {
    if word.chars().any(char::is_numeric) {
        return word.to_string();
    }
    stem(&spelling::normalise(word))
}

/// Terms of words already seen are remembered: a site has far fewer distinct
/// words than words, and stemming is the costly part of indexing. Terms are
/// shared (`Arc<str>`), so counting them allocates nothing.
#[derive(Default)]
pub struct TermCache {
    /// Each word's term, as its place in `terms`.
    seen: HashMap<String, u32, FastHash>,
    /// Each term once, however many words stem to it.
    terms: Vec<Arc<str>>,
    places: HashMap<Arc<str>, u32, FastHash>,
}

impl TermCache {
    /// The term of `word`: one `Arc` per term, whichever word asks for it.
    pub fn term(&mut self, word: &str) -> &Arc<str> {
        if let Some(&at) = self.seen.get(word) {
            return &self.terms[at as usize];
        }
        let term: Arc<str> = Arc::from(term(word));
        let at = match self.places.get(&term) {
            Some(&at) => at,
            None => {
                let at = self.terms.len() as u32;
                self.places.insert(term.clone(), at);
                self.terms.push(term);
                at
            }
        };
        self.seen.insert(word.to_string(), at);
        &self.terms[at as usize]
    }
}

/// A quick hash for short keys built by the indexer itself (FxHash's
/// multiply-rotate). Never for keys an attacker picks over a network.
#[derive(Default, Clone, Copy)]
pub struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("eight bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_like_porter2() {
        let pairs = [
            ("consign", "consign"),
            ("consigned", "consign"),
            ("knightly", "knight"),
            ("generously", "generous"),
            ("skies", "sky"),
            ("dying", "die"),
            ("hopping", "hop"),
            ("hoping", "hope"),
            ("cries", "cri"),
            ("ties", "tie"),
            ("gas", "gas"),
            ("aaron's", "aaron"),
            ("yesterday", "yesterday"),
        ];
        for (word, want) in pairs {
            assert_eq!(stem(word), want, "{word}");
        }
    }

    #[test]
    fn british_and_american_forms_share_a_term() {
        assert_eq!(term("prioritizing"), term("prioritisation"));
        assert_eq!(term("prioritise"), term("prioritized"));
        assert_eq!(term("colours"), term("color"));
        assert_eq!(term("analysing"), term("analyzed"));
        assert_eq!(term("centres"), term("center"));
    }

    #[test]
    fn inflections_share_a_term() {
        assert_eq!(term("churn"), term("churned"));
        assert_eq!(term("metrics"), term("metric"));
        assert_eq!(term("testing"), term("tests"));
        assert_ne!(term("rice"), term("price"));
    }

    #[test]
    fn numbers_are_not_stemmed() {
        assert_eq!(term("2.5"), "2.5");
        assert_eq!(term("h2s"), "h2s");
    }

    #[test]
    fn cache_gives_the_same_terms() {
        let mut cache = TermCache::default();
        let first = cache.term("prioritising").clone();
        assert_eq!(&*first, term("prioritising"));
        cache.term("other");
        assert!(Arc::ptr_eq(&first, cache.term("prioritising")), "one Arc per term");
        assert!(Arc::ptr_eq(&first, cache.term("prioritise")), "words with one stem share its Arc");
    }
}
