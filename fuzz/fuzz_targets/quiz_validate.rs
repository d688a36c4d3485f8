//! Quiz validation: questions of any shape, written as front matter, are either
//! accepted and then obey the rules (two or more choices, exactly one correct for
//! `single`, a usable id, a model answer and 2 to 8 criteria for `open`), or rejected with diagnostics that point into the file.
//! Never a panic.
#![no_main]

use arbitrary::Arbitrary;
use learn::content::front_matter::{parse, split};
use learn::content::load::normalise_text;
use learn::content::PageKind;
use learn::quiz::{validate, AnswerKey};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[path = "common.rs"]
#[allow(dead_code)]
mod common;

#[derive(Debug, Arbitrary)]
struct Input {
    questions: Vec<Question>,
    /// Raw YAML appended after the questions, to reach the parser's error paths too.
    tail: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct Question {
    id: Option<String>,
    kind: Kind,
    prompt: Option<String>,
    choices: Option<Vec<Choice>>,
    answer: Option<Answer>,
    accept: Option<Vec<String>>,
    tolerance: Option<f64>,
    explanation: Option<String>,
    hint: Option<String>,
    template: Option<String>,
    model_answer: Option<String>,
    rubric: Option<Vec<String>>,
    unknown_key: bool,
}

#[derive(Debug, Arbitrary)]
enum Kind {
    Single,
    Multiple,
    Truefalse,
    Text,
    Number,
    Open,
    Other(String),
}

#[derive(Debug, Arbitrary)]
struct Choice {
    text: Option<String>,
    correct: Option<bool>,
    feedback: Option<String>,
}

#[derive(Debug, Arbitrary)]
enum Answer {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

fn question(q: &Question) -> Value {
    let mut m = Map::new();
    let kind = match &q.kind {
        Kind::Single => "single".to_string(),
        Kind::Multiple => "multiple".into(),
        Kind::Truefalse => "truefalse".into(),
        Kind::Text => "text".into(),
        Kind::Number => "number".into(),
        Kind::Open => "open".into(),
        Kind::Other(s) => s.clone(),
    };
    m.insert("type".into(), json!(kind));
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    };
    put("id", q.id.as_ref().map(|v| json!(v)));
    put("prompt", q.prompt.as_ref().map(|v| json!(v)));
    put(
        "choices",
        q.choices.as_ref().map(|cs| {
            Value::Array(
                cs.iter()
                    .map(|c| {
                        let mut o = Map::new();
                        if let Some(t) = &c.text {
                            o.insert("text".into(), json!(t));
                        }
                        if let Some(b) = c.correct {
                            o.insert("correct".into(), json!(b));
                        }
                        if let Some(f) = &c.feedback {
                            o.insert("feedback".into(), json!(f));
                        }
                        Value::Object(o)
                    })
                    .collect(),
            )
        }),
    );
    put(
        "answer",
        q.answer.as_ref().map(|a| match a {
            Answer::Bool(b) => json!(b),
            Answer::Int(i) => json!(i),
            Answer::Float(f) => json!(f),
            Answer::Text(s) => json!(s),
        }),
    );
    put("accept", q.accept.as_ref().map(|v| json!(v)));
    put("tolerance", q.tolerance.map(|v| json!(v)));
    put("explanation", q.explanation.as_ref().map(|v| json!(v)));
    put("hint", q.hint.as_ref().map(|v| json!(v)));
    put("template", q.template.as_ref().map(|v| json!(v)));
    put("model_answer", q.model_answer.as_ref().map(|v| json!(v)));
    put("rubric", q.rubric.as_ref().map(|v| json!(v)));
    if q.unknown_key {
        m.insert("colour".into(), json!("red"));
    }
    Value::Object(m)
}

fuzz_target!(|input: Input| {
    let quiz = Value::Array(input.questions.iter().map(question).collect());
    // JSON is YAML: one question per line keeps positions distinct.
    let mut text = String::from("---\ntitle: Fuzz\nsummary: S\nquiz:\n");
    for q in quiz.as_array().unwrap() {
        text.push_str(&format!("  - {q}\n"));
    }
    if let Some(tail) = &input.tail {
        text.push_str(tail);
        text.push('\n');
    }
    text.push_str("---\nBody\n");
    // As `content::load` does before splitting: BOM dropped, CR and CRLF become LF.
    let text = normalise_text(text);
    let Ok(s) = split(&text) else { return };
    let front = match parse(&text, &s) {
        Ok(f) => f,
        Err(d) => return common::check_diagnostic(&d, &text),
    };
    let page = common::page(PageKind::Lesson, "01-area/01-fuzz.md", "area/fuzz/", text.clone(), front);
    let (questions, diags) = validate(&page);
    for d in &diags {
        common::check_diagnostic(d, &text);
    }
    for q in &questions {
        assert!(!q.id.0.is_empty());
        assert!(!q.prompt.trim().is_empty());
        if let AnswerKey::Choices { correct } = &q.key {
            assert!(q.choices.len() >= 2, "{q:?}");
            assert!(!correct.is_empty(), "{q:?}");
            assert!(correct.iter().all(|&i| i < q.choices.len()));
            if q.kind == learn::content::front_matter::QuestionType::Single {
                assert_eq!(correct.len(), 1, "{q:?}");
            }
        }
        if let AnswerKey::Number { value, tolerance } = &q.key {
            assert!(value.is_finite() && tolerance.is_finite() && *tolerance >= 0.0, "{q:?}");
        }
        // An open question has a model answer and a rubric of 2 to 8 criteria, and only it has them.
        match (&q.key, &q.practice) {
            (AnswerKey::Open { criteria }, Some(p)) => {
                assert!(!p.model_answer.trim().is_empty(), "{q:?}");
                assert!(learn::quiz::RUBRIC_SIZE.contains(&p.rubric.len()) && p.rubric.len() == *criteria, "{q:?}");
                assert!(p.rubric.iter().all(|c| !c.trim().is_empty()), "{q:?}");
            }
            (AnswerKey::Open { .. }, None) | (_, Some(_)) => panic!("practice without an open key: {q:?}"),
            _ => {}
        }
    }
});
