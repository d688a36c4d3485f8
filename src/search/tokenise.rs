//! Splitting text into search words. `search.js` has a line-for-line twin of
//! this module (`tokens`, `fold`): the index is only useful if the browser cuts
//! a query into the same words the build cut the pages into, so any change here
//! must be made there too (the parity test in `parity.rs` catches a mismatch).
//!
//! A word is a run of letters and digits (Unicode `Alphabetic` or `Numeric`).
//! Inside a run, an apostrophe is dropped (`don't` → `dont`, `user's` →
//! `users`), a comma between digits is dropped (`500,000` → `500000`) and a dot
//! between digits is kept (`2.5`). Words are lowercased and accents on Latin
//! letters are folded (`café` → `cafe`, `straße` → `strasse`). Words joined by
//! single hyphens also give a compound (`trade-off` → `trade`, `off`,
//! `tradeoff`) when indexing, so a reader typing `tradeoff` finds them.

use std::ops::Range;

/// Words longer than this (in characters, after folding) are ignored: they are
/// hashes, URLs or base64, never something a reader types.
pub const MAX_WORD_CHARS: usize = 40;

/// Hyphen-joined runs of more than this many parts give no compound.
const MAX_COMPOUND_PARTS: usize = 4;

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the text (for a compound, from its first part to its last).
    pub span: Range<usize>,
    /// The word as search compares it: lowercased, accents folded, apostrophes dropped.
    pub word: String,
}

/// Apostrophes that join the two halves of a word.
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{02BC}'];
/// Hyphens that join the parts of a compound.
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];

/// Lowercase Latin letters with accents, and their folded forms (one letter each).
const FOLD_FROM: &str = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ";
const FOLD_TO: &str = "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy";
/// Letters that fold to more than one letter, or to a letter they do not decompose to.
const FOLD_SPECIAL: [(char, &str); 13] = [
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('þ', "th"),
    ('ð', "d"),
    ('ø', "o"),
    ('đ', "d"),
    ('ł', "l"),
    ('ı', "i"),
    ('ħ', "h"),
    ('ŧ', "t"),
    ('ŀ', "l"),
    ('ĳ', "ij"),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Appends `c` (already lowercase) to `out` with its accent folded away.
fn push_folded(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if let Some(i) = FOLD_FROM.chars().position(|f| f == c) {
        out.push(FOLD_TO.as_bytes()[i] as char);
    } else if let Some((_, to)) = FOLD_SPECIAL.iter().find(|(f, _)| *f == c) {
        out.push_str(to);
    } else {
        out.push(c);
    }
}

/// Lowercases a word and folds its accents.
pub fn fold(raw: &str) -> String {
    if raw.is_ascii() {
        return raw.to_ascii_lowercase();
    }
    let lower = raw.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        push_folded(&mut out, c);
    }
    out
}

/// The words of `text`, in order. With `compounds`, a hyphen-joined run of
/// words is followed by its parts joined together (documents are indexed so;
/// queries are not, so `trade-off` asks for `trade` and `off`).
pub fn tokens(text: &str, compounds: bool) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, compounds, |span, word| out.push(Token { span, word: word.to_string() }));
    out
}

/// Like [`tokens`], but hands each word to `emit` instead of collecting them,
/// so indexing a large site allocates no string per word.
pub fn for_each_token(text: &str, compounds: bool, emit: impl FnMut(Range<usize>, &str)) {
    if text.is_ascii() {
        let bytes = text.as_bytes();
        scan(bytes.len(), |i| bytes[i] as char, |i| i, text.len(), compounds, emit);
    } else {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        scan(chars.len(), |i| chars[i].1, |i| chars[i].0, text.len(), compounds, emit);
    }
}

/// Reads the run of word characters starting at `i` into `raw`, going over
/// apostrophes inside words and separators inside numbers (`1,000`, `2.5`,
/// the decimal point kept); returns where the run ends.
#[inline]
fn read_run(n: usize, at: &impl Fn(usize) -> char, mut i: usize, raw: &mut String) -> usize {
    raw.clear();
    while i < n {
        let c = at(i);
        if is_word_char(c) {
            raw.push(c);
            i += 1;
            continue;
        }
        if i == 0 || i + 1 >= n || !is_word_char(at(i + 1)) {
            break;
        }
        let (prev, next) = (at(i - 1), at(i + 1));
        if APOSTROPHES.contains(&c) || (c == ',' && prev.is_ascii_digit() && next.is_ascii_digit()) {
            i += 1;
        } else if c == '.' && prev.is_ascii_digit() && next.is_ascii_digit() {
            raw.push('.');
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The tokeniser proper, over `n` characters: `at(i)` is the i-th character and
/// `offset(i)` its byte offset in a text of `len` bytes.
fn scan(
    n: usize,
    at: impl Fn(usize) -> char,
    offset: impl Fn(usize) -> usize,
    len: usize,
    compounds: bool,
    mut emit: impl FnMut(Range<usize>, &str),
) {
    let end_of = |i: usize| if i < n { offset(i) } else { len };
    let mut raw = String::new();
    let mut word = String::new();
    // The hyphen-joined chain the last run belongs to: how many runs, where
    // it starts, and the join of its words (unusable once a part spoils it).
    // One buffer for every chain: most words start a chain of their own.
    let mut chain_parts = 0;
    let mut chain_start = 0;
    let mut compound = String::new();
    let mut compound_ok = false;
    let mut i = 0;
    while i < n {
        if !is_word_char(at(i)) {
            i += 1;
            continue;
        }
        let start = i;
        i = read_run(n, &at, i, &mut raw);
        word.clear();
        if raw.is_ascii() {
            word.push_str(&raw);
            word.make_ascii_lowercase();
        } else {
            word.push_str(&fold(&raw));
        }
        let kept = word.chars().count() <= MAX_WORD_CHARS;
        let span = offset(start)..end_of(i);
        if kept {
            emit(span.clone(), &word);
        }
        if !compounds {
            continue;
        }
        // Is this run the continuation of a hyphen chain?
        let joined = start >= 2 && HYPHENS.contains(&at(start - 1)) && is_word_char(at(start - 2));
        if !joined {
            chain_parts = 0;
            chain_start = span.start;
            compound.clear();
            compound_ok = true;
        }
        chain_parts += 1;
        compound_ok = compound_ok && kept && !word.chars().any(char::is_numeric);
        let continues = i + 1 < n && HYPHENS.contains(&at(i)) && is_word_char(at(i + 1));
        if compound_ok && (continues || chain_parts > 1) {
            compound.push_str(&word);
        }
        let complete = !continues && (2..=MAX_COMPOUND_PARTS).contains(&chain_parts);
        if complete && compound_ok && compound.chars().count() <= MAX_WORD_CHARS {
            emit(chain_start..span.end, &compound);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text, true).into_iter().map(|t| t.word).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(words("Rank work, by (expected) impact!"), ["rank", "work", "by", "expected", "impact"]);
        assert_eq!(words("fast_cache/slow"), ["fast", "cache", "slow"]);
        assert_eq!(words("A/B testing"), ["a", "b", "testing"]);
    }

    #[test]
    fn keeps_byte_spans() {
        let text = "Über «café» rocks";
        let toks = tokens(text, false);
        assert_eq!(&text[toks[0].span.clone()], "Über");
        assert_eq!(&text[toks[1].span.clone()], "café");
        assert_eq!(toks[1].word, "cafe");
    }

    #[test]
    fn drops_apostrophes_inside_words() {
        assert_eq!(words("don't user's users’ 'quoted'"), ["dont", "users", "users", "quoted"]);
    }

    #[test]
    fn joins_numbers() {
        assert_eq!(
            words("500,000 subscribers at 2.5 % in 2024."),
            ["500000", "subscribers", "at", "2.5", "in", "2024"]
        );
        assert_eq!(words("1.2.3, then 4"), ["1.2.3", "then", "4"]);
    }

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(words("CAFÉ Naïve STRASSE straße Œuvre"), ["cafe", "naive", "strasse", "strasse", "oeuvre"]);
    }

    #[test]
    fn hyphenated_words_give_a_compound_when_indexing() {
        assert_eq!(words("a trade-off"), ["a", "trade", "off", "tradeoff"]);
        assert_eq!(words("state-of-the-art-ish x"), ["state", "of", "the", "art", "ish", "x"]);
        assert_eq!(words("well - spaced"), ["well", "spaced"]);
        let query: Vec<String> = tokens("trade-off", false).into_iter().map(|t| t.word).collect();
        assert_eq!(query, ["trade", "off"]);
        let toks = tokens("e-mail", true);
        assert_eq!(toks[2].span, 0..6);
        assert_eq!(words("2020-2024 covid-19"), ["2020", "2024", "covid", "19"]);
    }

    #[test]
    fn fold_tables_line_up() {
        assert_eq!(FOLD_FROM.chars().count(), FOLD_TO.len());
        assert!(FOLD_FROM.chars().all(|c| c.to_lowercase().eq([c])));
    }

    #[test]
    fn ignores_very_long_words() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(words(&format!("a {long} b")), ["a", "b"]);
        assert_eq!(words(&format!("pre-{long}")), ["pre"]);
    }

    #[test]
    fn other_scripts_are_words_too() {
        assert_eq!(words("Δέλτα 東京 x²"), ["δέλτα", "東京", "x²"]);
    }
}
