//! How typed answers are compared. The browser checks what a learner types with
//! its own copy of these rules (`learnQuiz.normalise` and `parseNumber` in the
//! theme's quiz.js); both are held to one table of cases,
//! `tests/fixtures/browser-quiz/normalise-cases.json`, which the tests below
//! and a browser test read.

use unicode_normalization::UnicodeNormalization;

/// The form a text answer is compared in: accents composed (NFC, so `e` plus a
/// combining acute is `é`), lower case, and only letters and digits of any
/// script kept. Spaces, hyphens, dashes, slashes, apostrophes, full stops and
/// every other mark count for nothing, so "mix-shift", "mix shift" and
/// "mixshift" are one answer, while "sprint retro" is not "sprint
/// retrospective". The price of ignoring spaces: answers that differ only in
/// where words split ("a part" and "apart") or in symbols ("C#" and "C") are
/// the same answer; a question that must tell such answers apart should be a
/// choice question.
pub fn normalise_text_answer(s: &str) -> String {
    // NFC leaves ASCII as it is, and an ASCII letter lowercases to one ASCII
    // letter: the same answer without the composing pass, which is most of
    // the cost of the duplicate-option lint over 100,000 options.
    if s.is_ascii() {
        return s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())).collect();
    }
    normalise_unicode(s)
}

fn normalise_unicode(s: &str) -> String {
    s.nfc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

const CURRENCY: [char; 4] = ['£', '$', '€', '¥'];

/// A number as people write it, or why it is not one (a sentence the learner
/// or the author is shown). Accepted: a sign (`-`, `+`, `−`, `–`), a currency
/// sign (£ $ € ¥) before or after, a trailing `%` (`56%` is 56), a suffix `k`,
/// `m` or `bn` in any case (`£350k` is 350000, `1.2m` is 1200000), spaces or
/// apostrophes anywhere in the digits, and separators in one of these shapes:
/// `1,200.5` (commas between groups of three), `1.200,5` or `1.200.000` (full
/// stops between groups of three), `2,5` (a decimal comma), `2.5`. A lone
/// `1.200` is 1.2, and `1,200` is 1200.
pub fn parse_number_answer(raw: &str) -> Result<f64, String> {
    let shown = raw.trim();
    if shown.is_empty() {
        return Err("It is empty.".into());
    }
    if !shown.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!("“{shown}” has no digits."));
    }
    let dashes = shown.replace(['−', '–'], "-");
    let mut t = dashes.as_str();
    let mut sign = take_sign(&mut t);
    let currency = t.starts_with(CURRENCY);
    if currency {
        t = t[t.chars().next().map_or(0, char::len_utf8)..].trim_start();
    }
    if sign.is_empty() {
        sign = take_sign(&mut t);
    }
    if !currency {
        t = t.strip_suffix(CURRENCY).unwrap_or(t).trim_end();
    }
    t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let word_start = t.trim_end_matches(char::is_alphabetic).len();
    let exponent = match t[word_start..].to_lowercase().as_str() {
        "" => 0,
        "k" => 3,
        "m" => 6,
        "bn" => 9,
        _ => return Err(format!("“{}” is not part of a number.", &t[word_start..])),
    };
    let core = t[..word_start].trim_end();
    let is_digit_part = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | '’') || c.is_whitespace();
    if let Some(start) = core.find(|c: char| !is_digit_part(c)) {
        let bad = &core[start..];
        return Err(format!("“{}” is not part of a number.", &bad[..bad.find(is_digit_part).unwrap_or(bad.len())]));
    }
    let core: String = core.chars().filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',')).collect();
    let Some(plain) = plain_decimal(&core) else {
        return Err(format!("“{shown}” has commas or full stops in the wrong places."));
    };
    let value: f64 = format!("{sign}{plain}e{exponent}").parse().map_err(|_| format!("“{shown}” is not a number."))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("“{shown}” is too large."))
    }
}

/// A leading `-` or `+`, taken off `t` with the spaces after it.
fn take_sign<'a>(t: &mut &'a str) -> &'a str {
    match t.strip_prefix(['-', '+']) {
        Some(rest) => {
            let sign = &t[..1];
            *t = rest.trim_start();
            sign
        }
        None => "",
    }
}

/// Digits with `.` and `,` in one of the accepted shapes, rewritten with a
/// full stop as the only separator (a decimal point); `None` for any other shape.
fn plain_decimal(core: &str) -> Option<String> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (int, frac) = core.split_once('.').unwrap_or((core, ""));
    if digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) {
        return Some(core.to_string());
    }
    if grouped(int, ',') && digits(frac) {
        return Some(core.replace(',', ""));
    }
    let (int, frac) = core.split_once(',').unwrap_or((core, ""));
    let groups = int.split('.').count();
    if grouped(int, '.') && digits(frac) && (core.contains(',') || groups >= 3) {
        return Some(core.replace('.', "").replace(',', "."));
    }
    (digits(int) && !frac.is_empty() && digits(frac)).then(|| core.replace(',', "."))
}

/// `1,200,000` with `sep` as `,`: a first group of one to three digits that
/// does not start with 0, then one or more groups of exactly three.
fn grouped(int: &str, sep: char) -> bool {
    let mut groups = int.split(sep);
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && first.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_answers_normalise_as_every_other_answer_does() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for s in [every_ascii.as_str(), "Mix-Shift", "  Sprint RETRO! ", "C#", "a_b\tc\r\n9", ""] {
            assert_eq!(normalise_text_answer(s), normalise_unicode(s), "{s:?}");
        }
    }

    fn table() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/fixtures/browser-quiz/normalise-cases.json")).unwrap()
    }

    #[test]
    fn text_answers_ignore_case_space_and_punctuation() {
        assert_eq!(normalise_text_answer("  RICE   Score! "), "ricescore");
        assert_eq!(normalise_text_answer("A/B-test"), "abtest");
        assert_eq!(normalise_text_answer("..."), "");
    }

    /// The browser compares text answers with its own copy of this rule
    /// (quiz.js); both are held to the same table, which a browser test reads too.
    #[test]
    fn text_answers_normalise_like_the_browser() {
        let table = table();
        for case in table["cases"].as_array().unwrap() {
            let input = case["input"].as_str().unwrap();
            assert_eq!(normalise_text_answer(input), case["expected"].as_str().unwrap(), "input {input:?}");
        }
        for group in table["same"].as_array().unwrap() {
            let forms: Vec<String> =
                group.as_array().unwrap().iter().map(|s| normalise_text_answer(s.as_str().unwrap())).collect();
            assert!(forms.windows(2).all(|w| w[0] == w[1]), "{group} should be one answer: {forms:?}");
        }
        for pair in table["different"].as_array().unwrap() {
            let [a, b] = [0, 1].map(|i| normalise_text_answer(pair[i].as_str().unwrap()));
            assert_ne!(a, b, "{pair} should be two answers");
        }
    }

    #[test]
    fn numbers_parse_like_the_browser() {
        for case in table()["numbers"].as_array().unwrap() {
            let input = case["input"].as_str().unwrap();
            let got = parse_number_answer(input);
            match (case.get("value"), case.get("refused")) {
                (Some(v), None) => assert_eq!(got, Ok(v.as_f64().unwrap()), "input {input:?}"),
                (None, Some(why)) => assert_eq!(got, Err(why.as_str().unwrap().to_string()), "input {input:?}"),
                _ => panic!("case {case} needs `value` or `refused`"),
            }
        }
    }
}
