//! The words and phrases the item-writing lints look for, on the plain text
//! of a statement or an option. Pure text functions; the lints decide where
//! a cue counts.

use std::borrow::Cow;

/// Words that make a claim absolute. Test-wise learners bet that a statement
/// or option using one is false (Haladyna, Downing and Rodriguez 2002: avoid
/// "specific determiners" such as always and never), so a wrong answer that
/// hinges on one gives itself away.
const ABSOLUTE: &[&str] = &[
    "absolutely",
    "all",
    "always",
    "can't",
    "cannot",
    "certainly",
    "completely",
    "definitely",
    "entirely",
    "every",
    "everybody",
    "everyone",
    "everything",
    "exclusively",
    "guarantee",
    "guaranteed",
    "guarantees",
    "impossible",
    "invariably",
    "must",
    "never",
    "nobody",
    "none",
    "nothing",
    "only",
    "solely",
    "totally",
    "wholly",
];

/// The first absolute word in `text` (lower-case), if any. Words are whole
/// words, case ignored; a hyphenated word is one word, so `all-hands` and
/// `must-have` are not cues, and neither is `only` in "not only" or "only a
/// few", which qualify a claim rather than make it absolute.
pub fn absolute_word(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let lower = if lower.contains('’') { lower.replace('’', "'") } else { lower };
    let words: Vec<&str> = words(&lower).collect();
    for (i, &word) in words.iter().enumerate() {
        let before = i.checked_sub(1).map(|b| words[b]);
        let after = |n: usize| words.get(i + n).copied();
        if word == "only" && (before == Some("not") || (after(1) == Some("a") && after(2) == Some("few"))) {
            continue;
        }
        if word == "one" && before == Some("no") {
            return Some("no one".into());
        }
        if ABSOLUTE.binary_search(&word).is_ok() {
            return Some(word.to_owned());
        }
    }
    None
}

/// The words of `text`: letters and digits, joined by inner hyphens and
/// apostrophes.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Options that answer for the others, word by word.
const ABOUT_THE_OTHERS: &[&str] = &[
    "all of the above",
    "all the above",
    "all of these",
    "both of the above",
    "none of the above",
    "none of these",
    "neither of the above",
];

/// True for an option such as "All of the above." or "None of these":
/// one that starts with one of those phrases, word for word, case and
/// punctuation ignored. Most options name neither "above" nor "these", and
/// are let go at a glance.
pub fn about_the_others(text: &str) -> bool {
    let mentions = |word: &[u8]| text.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if !mentions(b"above") && !mentions(b"these") {
        return false;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    ABOUT_THE_OTHERS.iter().any(|phrase| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words.starts_with(&phrase)
    })
}

/// The plain text of a short markdown string: itself when it has no markup
/// (most options), so linting a large site parses little.
pub fn plain(md: &str) -> Cow<'_, str> {
    if md.contains(['*', '_', '`', '[', '<', '&', '\\', '!', '~', '$']) {
        Cow::Owned(crate::markdown::plain_text(md))
    } else {
        Cow::Borrowed(md.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_is_sorted_for_binary_search() {
        assert!(ABSOLUTE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn absolute_words_are_whole_words_in_any_case() {
        assert_eq!(absolute_word("Prices ALWAYS go up."), Some("always".into()));
        assert_eq!(absolute_word("It can't fail"), Some("can't".into()));
        assert_eq!(absolute_word("It can’t fail"), Some("can't".into()));
        assert_eq!(absolute_word("No one reads it"), Some("no one".into()));
        assert_eq!(absolute_word("Allocate the budget"), None, "inside a word");
        assert_eq!(absolute_word("Run an all-hands"), None, "hyphenated");
        assert_eq!(absolute_word("Not only cost but reach"), None, "not only");
        assert_eq!(absolute_word("Only cost matters"), Some("only".into()));
        assert_eq!(absolute_word("Only a few will notice"), None, "only a few");
        assert_eq!(absolute_word("Usually, but not in every market"), Some("every".into()));
        assert_eq!(absolute_word("Reach times impact"), None);
    }

    #[test]
    fn options_about_the_others_are_recognised() {
        assert!(about_the_others("All of the above."));
        assert!(about_the_others("None of  these"));
        assert!(about_the_others("none of the above are right"));
        assert!(!about_the_others("all of the abovementioned"));
        assert!(!about_the_others("above all"));
    }

    #[test]
    fn plain_text_drops_markup_only_when_there_is_some() {
        assert_eq!(plain("  Reach  "), "Reach");
        assert_eq!(plain("**Reach** and `impact`"), "Reach and impact");
    }
}
