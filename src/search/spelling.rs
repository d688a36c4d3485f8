//! British and American spellings made one before stemming, so `prioritizing`
//! finds `prioritisation` and `color` finds `colour`. `search.js` applies the
//! same rules to queries (`spelling`); the parity test keeps the two equal.
//!
//! Each rule maps the side that is a closed class onto the other: `-iz-` verbs
//! become `-is-` (few English words have a real `-ize` with no `-ise` twin),
//! while `-our` becomes `-or` and `-tre` becomes `-ter` (the British forms are
//! the short list). A word both sides treat alike only ever meets itself, so a
//! rule that touches a word with no twin (`capsize` → `capsise`) costs nothing.

use std::borrow::Cow;

/// Whole words with no regular pattern.
const WHOLE: [(&str, &str); 36] = [
    ("licence", "license"),
    ("licences", "licenses"),
    ("licenced", "licensed"),
    ("licencing", "licensing"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("pretence", "pretense"),
    ("pretences", "pretenses"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("grey", "gray"),
    ("greys", "grays"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("acknowledgement", "acknowledgment"),
    ("acknowledgements", "acknowledgments"),
    ("ageing", "aging"),
    ("enrol", "enroll"),
    ("enrols", "enrolls"),
    ("enrolment", "enrollment"),
    ("enrolments", "enrollments"),
    ("fulfil", "fulfill"),
    ("fulfils", "fulfills"),
    ("fulfilment", "fulfillment"),
    ("skilful", "skillful"),
    ("wilful", "willful"),
    ("instalment", "installment"),
    ("instalments", "installments"),
    ("jewellery", "jewelry"),
    ("mould", "mold"),
    ("moulds", "molds"),
    ("sceptical", "skeptical"),
    ("aluminium", "aluminum"),
    ("manoeuvre", "maneuver"),
];

/// `stem + from + ending` becomes `stem + to + ending'` when the stem is long enough.
struct Rule {
    from: &'static str,
    to: &'static str,
    /// Endings allowed after `from`, and what each becomes.
    endings: &'static [(&'static str, &'static str)],
    min_stem: usize,
    /// The stem must end in a consonant (`realize`, not `seize`).
    consonant_before: bool,
}

const fn same(e: &'static str) -> (&'static str, &'static str) {
    (e, e)
}

const OUR_ENDINGS: [(&str, &str); 22] = [
    same(""),
    same("s"),
    same("ed"),
    same("ing"),
    same("er"),
    same("ers"),
    same("ite"),
    same("ites"),
    same("itism"),
    same("able"),
    same("ably"),
    same("ful"),
    same("fully"),
    same("less"),
    same("al"),
    same("ally"),
    same("hood"),
    same("hoods"),
    same("y"),
    same("ism"),
    same("ist"),
    same("ists"),
];
const IZE_ENDINGS: [(&str, &str); 10] = [
    same("e"),
    same("es"),
    same("ed"),
    same("ing"),
    same("er"),
    same("ers"),
    same("ation"),
    same("ations"),
    same("ational"),
    same("able"),
];
const YZE_ENDINGS: [(&str, &str); 6] = [same("e"), same("es"), same("ed"), same("ing"), same("er"), same("ers")];
const TRE_ENDINGS: [(&str, &str); 2] = [same(""), same("s")];
const TRED_ENDINGS: [(&str, &str); 1] = [("ed", "ed")];
const OGUE_ENDINGS: [(&str, &str); 4] = [("e", ""), ("es", "s"), ("ed", "ed"), ("ing", "ing")];

/// Applied in this order, each at most once.
const RULES: [Rule; 6] = [
    Rule { from: "our", to: "or", endings: &OUR_ENDINGS, min_stem: 2, consonant_before: false },
    Rule { from: "iz", to: "is", endings: &IZE_ENDINGS, min_stem: 3, consonant_before: true },
    Rule { from: "yz", to: "ys", endings: &YZE_ENDINGS, min_stem: 2, consonant_before: false },
    Rule { from: "tre", to: "ter", endings: &TRE_ENDINGS, min_stem: 2, consonant_before: false },
    Rule { from: "bre", to: "ber", endings: &TRE_ENDINGS, min_stem: 2, consonant_before: false },
    Rule { from: "tr", to: "ter", endings: &TRED_ENDINGS, min_stem: 3, consonant_before: false },
];
const OGUE: Rule = Rule { from: "ogu", to: "og", endings: &OGUE_ENDINGS, min_stem: 3, consonant_before: false };

impl Rule {
    fn apply(&self, word: &str) -> Option<String> {
        for (ending, new_ending) in self.endings {
            let Some(rest) = word.strip_suffix(ending) else { continue };
            let Some(stem) = rest.strip_suffix(self.from) else { continue };
            if stem.len() < self.min_stem {
                continue;
            }
            if self.consonant_before && stem.ends_with(['a', 'e', 'i', 'o', 'u', 'y']) {
                continue;
            }
            return Some(format!("{stem}{}{new_ending}", self.to));
        }
        None
    }
}

/// One spelling for words English spells two ways. Only words of ASCII
/// lowercase letters are touched.
pub fn normalise(word: &str) -> Cow<'_, str> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    if let Some((_, to)) = WHOLE.iter().find(|(from, _)| *from == word) {
        return Cow::Owned((*to).to_string());
    }
    let mut out = Cow::Borrowed(word);
    for rule in RULES.iter().chain([&OGUE]) {
        if let Some(changed) = rule.apply(&out) {
            out = Cow::Owned(changed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

    fn same(a: &str, b: &str) {
        assert_eq!(normalise(a), normalise(b), "{a} and {b} should meet");
    }

    #[test]
    fn ise_and_ize_meet() {
        same("prioritise", "prioritize");
        same("prioritising", "prioritizing");
        same("prioritisation", "prioritization");
        same("organisational", "organizational");
        same("realised", "realized");
        same("analyse", "analyze");
        same("analysing", "analyzing");
    }

    #[test]
    fn our_tre_ogue_and_whole_words_meet() {
        same("colour", "color");
        same("behaviours", "behaviors");
        same("favourite", "favorite");
        same("neighbourhood", "neighborhood");
        same("centre", "center");
        same("centred", "centered");
        same("metres", "meters");
        same("fibre", "fiber");
        same("catalogue", "catalog");
        same("dialogues", "dialogs");
        same("licence", "license");
        same("programme", "program");
        same("judgement", "judgment");
    }

    #[test]
    fn words_without_a_twin_are_left_alone() {
        for w in [
            "size", "prize", "seize", "hour", "your", "tour", "four", "rise", "wise", "acre", "ogre", "rogue", "vogue",
            "hatred", "precise", "citizen", "horizon", "2024", "café",
        ] {
            assert_eq!(normalise(w), w);
        }
    }
}
