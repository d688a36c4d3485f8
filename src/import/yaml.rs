//! Front matter written by hand: every string is either a double-quoted
//! scalar with escapes or, when it spans lines (markdown with code blocks), a
//! literal block scalar, so nothing in a title, prompt or choice can be read
//! as YAML syntax. Tests parse the output with learn's own front-matter reader.

use super::quiz::{Choice, Question};
use crate::content::front_matter::Answer;
use std::fmt::Write;

/// The keys of one imported page.
#[derive(Debug, Clone, Default)]
pub struct Front<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub quiz: &'a [Question],
}

/// The page's front matter, `---` lines included.
pub fn front_matter(front: &Front<'_>) -> String {
    let mut out = String::from("---\n");
    key(&mut out, 0, false, "title", front.title);
    if let Some(summary) = front.summary {
        key(&mut out, 0, false, "summary", summary);
    }
    if !front.quiz.is_empty() {
        out.push_str("quiz:\n");
        for q in front.quiz {
            question(&mut out, q);
        }
    }
    out.push_str("---\n");
    out
}

fn question(out: &mut String, q: &Question) {
    // `- ` opens the item; its keys sit at column 4. The type is a plain word.
    out.push_str("  - ");
    let kind = crate::quiz::kind_name(q.kind);
    match &q.id {
        Some(id) => {
            key(out, 4, true, "id", id);
            let _ = writeln!(out, "    type: {kind}");
        }
        None => {
            let _ = writeln!(out, "type: {kind}");
        }
    }
    key(out, 4, false, "prompt", &q.prompt);
    if !q.choices.is_empty() {
        out.push_str("    choices:\n");
        for c in &q.choices {
            choice(out, c);
        }
    }
    match q.answer {
        Some(Answer::Bool(b)) => {
            let _ = writeln!(out, "    answer: {b}");
        }
        Some(Answer::Number(n)) => {
            let _ = writeln!(out, "    answer: {n}");
        }
        Some(Answer::Text(ref t)) => key(out, 4, false, "answer", t),
        None => {}
    }
    if q.pinned {
        out.push_str("    shuffle: false\n");
    }
    if !q.accept.is_empty() {
        out.push_str("    accept:\n");
        for a in &q.accept {
            out.push_str("      - ");
            value(out, 8, a);
        }
    }
    if let Some(e) = &q.explanation {
        key(out, 4, false, "explanation", e);
    }
}

fn choice(out: &mut String, c: &Choice) {
    out.push_str("      - ");
    key(out, 8, true, "text", &c.text);
    if c.correct {
        out.push_str("        correct: true\n");
    }
}

/// `name: value` for a key at column `col`; `started` when the line already
/// reaches that column (after `- `).
fn key(out: &mut String, col: usize, started: bool, name: &str, text: &str) {
    if !started {
        let _ = write!(out, "{:col$}", "");
    }
    let _ = write!(out, "{name}: ");
    // A block scalar's lines must sit deeper than its key.
    value(out, col + 2, text);
}

/// A string value, then a newline: a block scalar for several lines, else double-quoted.
fn value(out: &mut String, block_indent: usize, text: &str) {
    let text = text.trim_end();
    let blockable = text.contains('\n')
        && !text.starts_with([' ', '\t'])
        && text.chars().all(|c| c == '\n' || c == '\t' || !needs_escape(c));
    if !blockable {
        quoted(out, text);
        out.push('\n');
        return;
    }
    out.push_str("|-\n");
    for line in text.split('\n') {
        let line = line.trim_end_matches([' ', '\t']);
        if !line.is_empty() {
            let _ = write!(out, "{:block_indent$}{line}", "");
        }
        out.push('\n');
    }
}

/// Characters a YAML document may not hold as they are: controls, and the
/// byte-order mark, which a reader could take for the start of a stream.
fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{feff}'
}

fn quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{self, QuestionType};

    fn q(kind: QuestionType, prompt: &str) -> Question {
        Question {
            id: None,
            kind,
            prompt: prompt.into(),
            choices: Vec::new(),
            explanation: None,
            answer: None,
            accept: Vec::new(),
            pinned: false,
        }
    }

    fn parse(text: &str) -> front_matter::FrontMatter {
        let split = front_matter::split(text).unwrap();
        front_matter::parse(text, &split).unwrap_or_else(|d| panic!("{d}\n{text}"))
    }

    #[test]
    fn awkward_strings_survive_a_round_trip() {
        let nasty = [
            "plain",
            "colon: inside",
            "- looks like a list",
            "# not a comment",
            "'quoted' and \"double\"",
            "ends with backslash \\",
            "tab\tin it",
            "yes",
            "null",
            "123",
            "@at *star &amp !tag %pct {brace} [bracket] |pipe >gt",
            "trailing space ",
            "bell\u{7} and bom \u{feff}",
            "```rust\nfn main() {\n    println!(\"{}\", 1);\n}\n```\n\nThen **more**:\n\n- a\n  - b\n",
            "first line\n\n\n   indented later\n# heading",
            "  leading spaces\nsecond",
            "make:\n\tcc x.c\n---\n...\nkey: value # not a comment",
        ];
        for text in nasty {
            let mut question = q(QuestionType::Single, text);
            question.id = Some("an-id".into());
            question.choices =
                vec![Choice { text: text.into(), correct: true }, Choice { text: "other".into(), correct: false }];
            question.pinned = true;
            question.explanation = Some(text.into());
            let mut tf = q(QuestionType::Truefalse, text);
            tf.answer = Some(Answer::Bool(false));
            let mut num = q(QuestionType::Number, "n");
            num.answer = Some(Answer::Number(2.5));
            let mut txt = q(QuestionType::Text, "t");
            txt.accept = vec![text.into(), "b".into()];
            let quiz = [question, tf, num, txt];
            let doc = format!("{}body\n", front_matter(&Front { title: text, summary: Some(text), quiz: &quiz }));
            let fm = parse(&doc);
            let want = text.trim_end();
            let want_block = |s: &str| s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
            assert_eq!(want_block(fm.title.as_deref().unwrap()), want_block(want), "{doc}");
            assert_eq!(want_block(&fm.quiz[0].value.prompt), want_block(want), "{doc}");
            assert_eq!(want_block(&fm.quiz[0].value.choices[0].value.text), want_block(want), "{doc}");
            assert!(fm.quiz[0].value.choices[0].value.correct);
            assert_eq!(fm.quiz[0].value.shuffle, Some(false));
            assert_eq!(fm.quiz[1].value.answer, Some(Answer::Bool(false)));
            assert_eq!(fm.quiz[2].value.answer, Some(Answer::Number(2.5)));
            assert_eq!(want_block(&fm.quiz[3].value.accept[0]), want_block(want), "{doc}");
            assert_eq!(fm.quiz[0].value.id.as_deref(), Some("an-id"));
        }
    }
}
