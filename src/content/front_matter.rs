//! Front matter: splitting a markdown file into YAML and body by hand, and
//! parsing the YAML into typed structs. This is the only module that calls the
//! YAML crate, so swapping it is a one-file change.

use crate::diag::{Code, Diagnostic, Pos};
use serde::Deserialize;

/// The keys a page may carry. `Serialize` and the non-human-readable form of
/// `Deserialize` are for `learn build`'s cache, which keeps parsed front
/// matter so a rebuild need not parse YAML that did not change.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    pub minutes: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    #[serde(default)]
    pub quiz: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    pub faq: Vec<FaqEntry>,
}

/// One `faq:` entry.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    pub q: String,
    pub a: String,
}

/// The six question types: five checked in the browser, and `open`
/// practice that the learner scores against a rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    Single,
    Multiple,
    Truefalse,
    Text,
    Number,
    Open,
}

/// A quiz question as written; `quiz.rs` validates it into a `Question`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub prompt: String,
    #[serde(default)]
    pub choices: Vec<Spanned<RawChoice>>,
    pub explanation: Option<String>,
    pub hint: Option<String>,
    pub answer: Option<Answer>,
    #[serde(default)]
    pub accept: Vec<String>,
    pub tolerance: Option<f64>,
    /// `shuffle: false` pins a choice list in its written order (an ordered
    /// scale, "both of the above"); choices are shuffled otherwise.
    pub shuffle: Option<bool>,
    /// Item-writing lints this question is a deliberate exception to.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// `open`: what the answer box starts with.
    pub template: Option<String>,
    /// `open`: a good answer, shown when the learner asks for it.
    pub model_answer: Option<String>,
    /// `open`: the criteria the learner ticks against their own answer.
    #[serde(default)]
    pub rubric: Vec<Spanned<String>>,
}

/// `answer:` is a boolean for true/false questions and a number for number
/// questions; a number may be written as text (`"£350k"`, `1,200`), which
/// `quiz::parse_number_answer` reads.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Answer {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// [`Answer`] as the build cache writes it (by variant, not by guessing the type).
#[derive(Deserialize)]
enum StoredAnswer {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            return Ok(match StoredAnswer::deserialize(d)? {
                StoredAnswer::Bool(b) => Answer::Bool(b),
                StoredAnswer::Number(n) => Answer::Number(n),
                StoredAnswer::Text(t) => Answer::Text(t),
            });
        }
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`true`, `false` or a number")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One choice of a single or multiple question.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<String>,
}

/// A deserialised value with the position of its YAML node, relative to the YAML text.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    /// Line and column relative to the start of the YAML text (1-based).
    pub yaml_pos: Pos,
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    /// For the build cache: the value and its position.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.value, self.yaml_pos.line, self.yaml_pos.col).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            let (value, line, col) = <(T, usize, usize)>::deserialize(d)?;
            return Ok(Spanned { value, yaml_pos: Pos { line, col } });
        }
        let inner = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let loc = inner.referenced;
        Ok(Spanned { value: inner.value, yaml_pos: Pos { line: loc.line() as usize, col: loc.column() as usize } })
    }
}

/// A file split into its front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty when there is none).
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts.
    pub yaml_first_line: usize,
    /// Byte offset in the file where the markdown body starts.
    pub body_start: usize,
}

/// Splits front matter from the body. Line 1 must be `---`; the block ends at the
/// next line that is exactly `---` (or `...`). A later `---` in the body is a
/// thematic break and is left alone. Expects text with BOM and CRs already removed.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split { yaml: "", yaml_first_line: 1, body_start: 0 });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Split { yaml: &text[yaml_start..offset], yaml_first_line: 2, body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(Code::FrontMatterUnclosed, "front matter is not closed")
        .at(text, Pos { line: 1, col: 1 })
        .with_hint("end the YAML block with a line that is exactly `---`"))
}

/// Parses the YAML of a page; positions in errors are made relative to the file.
pub fn parse(file_text: &str, split: &Split<'_>) -> Result<FrontMatter, Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    serde_saphyr::from_str::<FrontMatter>(split.yaml).map_err(|e| {
        let plain = e.without_snippet();
        let message = first_line_of(&plain.to_string());
        let d = Diagnostic::error(code_of(&message), format!("invalid front matter: {message}"));
        let pos = match plain.location() {
            Some(loc) if loc.line() > 0 => file_pos(split, loc.line() as usize, loc.column() as usize),
            _ => Pos { line: split.yaml_first_line, col: 1 },
        };
        if let Some(tab) = tab_indent_at_or_after(split, pos.line) {
            return Diagnostic::error(
                Code::FrontMatterTabIndent,
                "invalid front matter: a tab is used for indentation",
            )
            .at(file_text, tab)
            .with_hint("YAML indentation must use spaces, not tabs");
        }
        let d = d.at(file_text, pos);
        let line = d.source_line.clone().unwrap_or_default();
        let d = name_the_key(d, &line, pos.col);
        with_yaml_hint(d, &line).with_known_name_hint()
    })
}

/// Converts a YAML-relative position into a file position.
pub fn file_pos(split: &Split<'_>, yaml_line: usize, yaml_col: usize) -> Pos {
    Pos { line: yaml_line + split.yaml_first_line - 1, col: yaml_col.max(1) }
}

/// The code of a message of the YAML crate: serde's wording says which
/// kind of mistake it is; anything else is YAML that does not parse.
fn code_of(message: &str) -> Code {
    if message.starts_with("unknown field") {
        Code::FrontMatterUnknownKey
    } else if message.starts_with("missing field") {
        Code::FrontMatterMissingKey
    } else if [
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
        "invalid u",
        "invalid i",
        "invalid f",
        "invalid bool",
        "expected a",
    ]
    .iter()
    .any(|p| message.starts_with(p))
    {
        Code::FrontMatterWrongType
    } else {
        Code::FrontMatterSyntax
    }
}

fn first_line_of(message: &str) -> String {
    // The YAML crate may append its own location and snippet; ours replaces them.
    let line = message.lines().next().unwrap_or("").trim();
    match line.find(" at line ") {
        Some(i) => line[..i].to_string(),
        None => line.to_string(),
    }
}

/// The YAML crate reports a tab where it stops scanning, often the line before
/// the tab; point at the tab itself.
fn tab_indent_at_or_after(split: &Split<'_>, file_line: usize) -> Option<Pos> {
    let first = file_line.saturating_sub(split.yaml_first_line);
    split.yaml.lines().enumerate().skip(first).take(2).find_map(|(i, l)| {
        let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        indent.find('\t').map(|col| Pos { line: i + split.yaml_first_line, col: col + 1 })
    })
}

/// Type errors from the YAML crate do not say which key; the source line does:
/// the key just before the value at `col` (1-based, in characters), so that
/// `{text: a, correct: maybe}` names `correct`, or else the line's first key.
fn name_the_key(mut d: Diagnostic, line: &str, col: usize) -> Diagnostic {
    let before: String = line.chars().take(col.saturating_sub(1)).collect();
    let key = match before.trim_end().strip_suffix(':') {
        Some(head) => {
            let start = head.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_').len();
            Some(head[start..].to_string())
        }
        None => line.trim_start().trim_start_matches("- ").split_once(':').map(|(k, _)| k.trim().to_string()),
    };
    let Some(key) = key.filter(|k| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_')) else {
        return d;
    };
    let expected = if d.message.contains("invalid u32") || d.message.contains("invalid i64") {
        Some("a whole number")
    } else if d.message.contains("invalid f64") {
        Some("a number")
    } else if d.message.contains("invalid bool") || d.message.contains("expected a boolean") {
        Some("`true` or `false`")
    } else {
        None
    };
    if let Some(expected) = expected {
        d.code = Code::FrontMatterWrongType;
        d.message = format!("invalid front matter: `{key}` must be {expected}");
    }
    d
}

/// A plain block value with `: ` in it (`prompt: Why: because`) must be
/// quoted; flow collections and quoted values have their own colons.
fn with_yaml_hint(d: Diagnostic, line: &str) -> Diagnostic {
    let value = line.trim_start().trim_start_matches("- ").split_once(": ").map(|(_, v)| v.trim_start());
    if value.is_some_and(|v| v.contains(": ") && !v.starts_with(['{', '[', '"', '\''])) {
        d.with_hint("a value containing `: ` must be quoted")
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_kept_by_the_build_cache_comes_back_the_same() {
        let text = "---\ntitle: T\nsummary: S\nobjectives: [a, b]\nminutes: 5\ntags: [x]\ndraft: true\nweight: -2\n\
                    quiz:\n  - id: q1\n    type: single\n    prompt: P\n    choices:\n      - text: A\n        correct: true\n\
                    \n        feedback: F\n      - text: B\n    explanation: E\n    shuffle: false\n    allow: [quiz-absolute-cue]\n\
                    \n  - type: number\n    prompt: N\n    answer: \"£350k\"\n    tolerance: 0.5\n\
                    \n  - type: truefalse\n    prompt: B\n    answer: true\n\
                    \n  - type: open\n    prompt: O\n    template: T\n    model_answer: M\n    rubric: [one, two]\n\
                    faq:\n  - q: Q\n    a: A\n---\nBody\n";
        let front = parse(text, &split(text).unwrap()).unwrap();
        let bytes = postcard::to_allocvec(&front).unwrap();
        let back: FrontMatter = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(format!("{back:?}"), format!("{front:?}"));
        assert!(format!("{back:?}").contains("yaml_pos: Pos { line: 9, col: 5 }"), "positions are kept: {back:?}");
    }

    #[test]
    fn splits_front_matter_and_keeps_later_rules_in_the_body() {
        let text = "---\ntitle: A\n---\nBody\n\n---\n\nMore\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(&text[s.body_start..], "Body\n\n---\n\nMore\n");
    }

    #[test]
    fn no_front_matter_means_all_body() {
        let s = split("# Hi\n---\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body_start, 0);
    }

    #[test]
    fn unterminated_front_matter_is_an_error_at_line_one() {
        let d = split("---\ntitle: A\nbody").unwrap_err();
        assert_eq!(d.pos, Some(Pos { line: 1, col: 1 }));
    }

    #[test]
    fn empty_front_matter_at_end_of_file() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body_start, 7);
    }

    #[test]
    fn unknown_key_points_into_the_file() {
        let text = "---\ntitle: A\ntitel: B\n---\n";
        let s = split(text).unwrap();
        let d = parse(text, &s).unwrap_err();
        assert_eq!(d.pos.map(|p| p.line), Some(3), "{d}");
        assert!(d.message.contains("titel"), "{d}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"), "{d}");
    }

    #[test]
    fn a_misspelt_question_type_gets_a_suggestion() {
        let text = "---\ntitle: A\nquiz:\n  - type: singel\n    prompt: P\n---\n";
        let d = parse(text, &split(text).unwrap()).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `single`?"), "{d}");
    }

    #[test]
    fn a_wrong_type_in_a_flow_mapping_names_its_own_key() {
        let text =
            "---\ntitle: A\nquiz:\n  - type: single\n    prompt: P\n    choices: [{text: a, correct: maybe}]\n---\n";
        let d = parse(text, &split(text).unwrap()).unwrap_err();
        assert_eq!(d.message, "invalid front matter: `correct` must be `true` or `false`", "{d}");
        assert!(d.hint.is_none(), "no quoting hint for a flow mapping: {d}");
    }

    #[test]
    fn a_plain_value_with_a_colon_gets_the_quoting_hint() {
        let text = "---\ntitle: A\nminutes: 5: or so\n---\n";
        let d = parse(text, &split(text).unwrap()).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("a value containing `: ` must be quoted"), "{d}");
    }

    #[test]
    fn question_positions_are_relative_to_the_yaml() {
        let text = "---\ntitle: A\nquiz:\n  - type: text\n    prompt: P\n    accept: [x]\n---\n";
        let s = split(text).unwrap();
        let fm = parse(text, &s).unwrap();
        let q = &fm.quiz[0];
        assert_eq!(file_pos(&s, q.yaml_pos.line, q.yaml_pos.col).line, 4);
    }
}
