//! Quizzes: validation of the questions written in front matter, stable ids,
//! and the views the templates and the browser script use. Answers go to the
//! page (in `<details>` and the quiz data) but never to the search index.

mod cues;
pub mod figures;
pub mod lints;

use crate::config::QuizConfig;
use crate::content::front_matter::{file_pos, Answer, QuestionType, RawQuestion, Spanned, Split};
use crate::content::Page;
use crate::diag::{Code, Diagnostic, Pos};
use serde::Serialize;
use std::collections::HashSet;

mod answer;
pub use answer::{normalise_text_answer, parse_number_answer};

/// A question id, unique across the site; progress is stored under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct QuestionId(pub String);

/// What counts as a right answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AnswerKey {
    /// Indices of the correct choices.
    Choices {
        correct: Vec<usize>,
    },
    Bool {
        value: bool,
    },
    Text {
        accept: Vec<String>,
    },
    Number {
        value: f64,
        tolerance: f64,
    },
    /// An `open` question: never right or wrong; the learner ticks which of
    /// its `criteria` rubric items their answer meets.
    Open {
        criteria: usize,
    },
}

/// How many criteria an `open` question's rubric may have: at least two, so
/// that the self-score says more than yes or no, and at most eight, so that
/// a learner can hold them against an answer at a glance.
pub const RUBRIC_SIZE: std::ops::RangeInclusive<usize> = 2..=8;

/// What an `open` question adds: the answer box's starting text, a model
/// answer and the rubric the learner scores their own answer with. All of
/// it is answer: it goes to the page, never to the search index.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub template: Option<String>,
    pub model_answer: String,
    pub rubric: Vec<String>,
}

/// A validated question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    pub kind: QuestionType,
    pub prompt: String,
    pub choices: Vec<Choice>,
    pub explanation: Option<String>,
    pub hint: Option<String>,
    pub key: AnswerKey,
    /// The browser may show the choices in a random order (`single` and
    /// `multiple` questions not pinned with `shuffle: false`).
    pub shuffle: bool,
    /// Where the question starts in the page file.
    pub pos: Pos,
    /// The item-writing lints this question is a deliberate exception to.
    pub allow: Vec<Code>,
    /// What the item-writing lints found in this question alone.
    pub found: lints::Found,
    /// The model answer and rubric of an `open` question.
    pub practice: Option<Practice>,
}

impl Question {
    /// The prompt as plain text, shortened: a line of the progress page's
    /// list of missed questions. Made when a page is rendered, not when it is
    /// validated, so that a rebuild renders markdown only for pages it makes.
    pub fn prompt_line(&self) -> String {
        crate::text::shorten(&crate::markdown::plain_text(&self.prompt), 160)
    }
}

/// A validated choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
    pub feedback: Option<String>,
    /// Where the choice starts in the page file.
    pub pos: Pos,
}

/// What counts as a right answer of a validated question (an `open` one has
/// none: it only says how many criteria the learner scores against).
fn answer_key(raw: &RawQuestion, choices: &[Choice]) -> AnswerKey {
    match raw.kind {
        QuestionType::Single | QuestionType::Multiple => AnswerKey::Choices {
            correct: choices.iter().enumerate().filter(|(_, c)| c.correct).map(|(i, _)| i).collect(),
        },
        QuestionType::Truefalse => AnswerKey::Bool { value: matches!(raw.answer, Some(Answer::Bool(true))) },
        QuestionType::Text => AnswerKey::Text { accept: raw.accept.clone() },
        QuestionType::Number => AnswerKey::Number {
            value: number_answer(raw.answer.as_ref()).unwrap_or(0.0),
            tolerance: raw.tolerance.unwrap_or(0.0),
        },
        QuestionType::Open => AnswerKey::Open { criteria: raw.rubric.len() },
    }
}

/// The practice parts of a validated `open` question.
fn practice(raw: &RawQuestion) -> Option<Practice> {
    (raw.kind == QuestionType::Open).then(|| Practice {
        template: raw.template.clone(),
        model_answer: raw.model_answer.clone().unwrap_or_default(),
        rubric: raw.rubric.iter().map(|c| c.value.clone()).collect(),
    })
}

/// Validates a page's questions; every problem is reported, not just the first.
pub fn validate(page: &Page) -> (Vec<Question>, Vec<Diagnostic>) {
    let mut questions = Vec::new();
    let mut diags = Vec::new();
    let split = page.split();
    for q in &page.front.quiz {
        let pos = file_pos(&split, q.yaml_pos.line, q.yaml_pos.col);
        let err = |code, msg: String, pos: Pos| Diagnostic::error(code, msg).in_file(&page.source).at(&page.text, pos);
        let before = diags.len();
        check_question(&q.value, pos, &split, &mut |c, m, p| diags.push(err(c, m, p)));
        if diags.len() > before {
            continue;
        }
        let raw = &q.value;
        let allow = allowed_lints(page, &split, raw, &mut diags);
        let id = match &raw.id {
            Some(id) => QuestionId(id.clone()),
            None => derived_id(page, &raw.prompt),
        };
        let choices: Vec<Choice> = raw
            .choices
            .iter()
            .map(|c| Choice {
                text: c.value.text.clone(),
                correct: c.value.correct,
                feedback: c.value.feedback.clone(),
                pos: file_pos(&split, c.yaml_pos.line, c.yaml_pos.col),
            })
            .collect();
        let key = answer_key(raw, &choices);
        let mut question = Question {
            id,
            kind: raw.kind,
            prompt: raw.prompt.clone(),
            choices,
            explanation: raw.explanation.clone(),
            hint: raw.hint.clone(),
            key,
            shuffle: raw.shuffle.unwrap_or(true) && matches!(raw.kind, QuestionType::Single | QuestionType::Multiple),
            pos,
            allow,
            found: lints::Found::default(),
            practice: practice(raw),
        };
        question.found = lints::examine(page, &question);
        questions.push(question);
    }
    (questions, diags)
}

/// The lints a question's `allow:` names; a name that is no lint is an error
/// where it is written (a typo would otherwise silently allow nothing).
fn allowed_lints(page: &Page, split: &Split<'_>, raw: &RawQuestion, diags: &mut Vec<Diagnostic>) -> Vec<Code> {
    let mut allow = Vec::new();
    for name in &raw.allow {
        match Code::lint(&name.value) {
            Some(code) => allow.push(code),
            None => {
                let pos = file_pos(split, name.yaml_pos.line, name.yaml_pos.col);
                let message = format!("`{}` in `allow` is not an item-writing lint", name.value);
                diags.push(
                    Diagnostic::error(Code::FrontMatterUnknownLint, message)
                        .in_file(&page.source)
                        .at(&page.text, pos)
                        .with_hint(Code::lint_hint(&name.value)),
                );
            }
        }
    }
    allow
}

fn check_question(
    q: &RawQuestion,
    pos: Pos,
    split: &crate::content::front_matter::Split<'_>,
    report: &mut dyn FnMut(Code, String, Pos),
) {
    if q.prompt.trim().is_empty() {
        report(Code::QuizEmptyPrompt, "question has an empty `prompt`".into(), pos);
    }
    if let Some(id) = &q.id {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            report(Code::QuizInvalidId, format!("question id `{id}` may only use letters, digits, `-` and `_`"), pos);
        }
    }
    match q.kind {
        QuestionType::Single | QuestionType::Multiple => check_choices(q, pos, split, report),
        QuestionType::Truefalse if !matches!(q.answer, Some(Answer::Bool(_))) => report(
            Code::QuizMissingAnswer,
            "a `truefalse` question needs `answer: true` or `answer: false`".into(),
            pos,
        ),
        QuestionType::Number => {
            if let Err(why) = number_answer(q.answer.as_ref()) {
                report(Code::QuizMissingAnswer, format!("a `number` question needs a numeric `answer`{why}"), pos);
            }
            if q.tolerance.is_some_and(|t| !(t >= 0.0 && t.is_finite())) {
                report(Code::QuizInvalidTolerance, "`tolerance` must be zero or a positive number".into(), pos);
            }
        }
        QuestionType::Text if q.accept.iter().all(|a| normalise_text_answer(a).is_empty()) => {
            report(Code::QuizMissingAnswer, "a `text` question needs at least one answer in `accept`".into(), pos)
        }
        QuestionType::Open => check_open(q, pos, split, report),
        _ => {}
    }
    check_misplaced(q, pos, report);
}

/// Keys written on a question of a type that does not take them.
fn check_misplaced(q: &RawQuestion, pos: Pos, report: &mut dyn FnMut(Code, String, Pos)) {
    let kind = kind_name(q.kind);
    let has_choices = matches!(q.kind, QuestionType::Single | QuestionType::Multiple);
    // The message is made only for a key that is there: this runs for every question.
    let mut misplaced = |written: bool, message: &dyn Fn() -> String| {
        if written {
            report(Code::QuizMisplacedKey, message(), pos);
        }
    };
    let for_choices = "only for `single` and `multiple` questions";
    misplaced(!has_choices && !q.choices.is_empty(), &|| format!("`choices` are {for_choices}, not `{kind}`"));
    misplaced(!has_choices && q.shuffle.is_some(), &|| format!("`shuffle` is {for_choices}, not `{kind}`"));
    misplaced(!matches!(q.kind, QuestionType::Truefalse | QuestionType::Number) && q.answer.is_some(), &|| {
        format!("`answer` is only for `truefalse` and `number` questions, not `{kind}`")
    });
    misplaced(q.kind != QuestionType::Text && !q.accept.is_empty(), &|| "`accept` is only for `text` questions".into());
    misplaced(q.kind != QuestionType::Number && q.tolerance.is_some(), &|| {
        "`tolerance` is only for `number` questions".into()
    });
    let open = q.kind == QuestionType::Open;
    for (key, written) in [
        ("template", q.template.is_some()),
        ("model_answer", q.model_answer.is_some()),
        ("rubric", !q.rubric.is_empty()),
    ] {
        misplaced(!open && written, &|| format!("`{key}` is only for `open` questions, not `{kind}`"));
    }
}

/// The rules of an `open` question: a model answer, and a rubric of two to
/// eight criteria, none empty.
fn check_open(
    q: &RawQuestion,
    pos: Pos,
    split: &crate::content::front_matter::Split<'_>,
    report: &mut dyn FnMut(Code, String, Pos),
) {
    if q.model_answer.as_deref().is_none_or(|m| m.trim().is_empty()) {
        let message = "an `open` question needs a `model_answer`: a good answer the learner compares theirs with";
        report(Code::QuizOpenMissingModelAnswer, message.into(), pos);
    }
    let at = |c: &Spanned<String>| file_pos(split, c.yaml_pos.line, c.yaml_pos.col);
    let n = q.rubric.len();
    let (min, max) = (*RUBRIC_SIZE.start(), *RUBRIC_SIZE.end());
    if n < min {
        let message = format!("an `open` question needs a `rubric` of {min} to {max} criteria, found {n}");
        report(Code::QuizOpenRubricSize, message, q.rubric.first().map_or(pos, at));
    } else if n > max {
        let message = format!(
            "an `open` question's `rubric` has {n} criteria, more than the {max} a learner can tick against an answer"
        );
        report(Code::QuizOpenRubricSize, message, at(&q.rubric[max]));
    }
    for c in q.rubric.iter().filter(|c| c.value.trim().is_empty()) {
        report(Code::QuizOpenEmptyCriterion, "rubric criterion is empty".into(), at(c));
    }
}

/// The rules of a choice list: how many choices, how many correct, none empty or repeated.
fn check_choices(
    q: &RawQuestion,
    pos: Pos,
    split: &crate::content::front_matter::Split<'_>,
    report: &mut dyn FnMut(Code, String, Pos),
) {
    let choice_pos = |c: &Spanned<_>| -> Pos {
        let c: &Spanned<crate::content::front_matter::RawChoice> = c;
        file_pos(split, c.yaml_pos.line, c.yaml_pos.col)
    };
    let correct = q.choices.iter().filter(|c| c.value.correct).count();
    if q.choices.len() < 2 {
        report(
            Code::QuizChoiceCount,
            format!("a `{}` question needs at least two choices, found {}", kind_name(q.kind), q.choices.len()),
            pos,
        );
    }
    if q.kind == QuestionType::Single && correct != 1 {
        report(
            Code::QuizCorrectCount,
            format!("a `single` question needs exactly one correct choice, found {correct}"),
            pos,
        );
    }
    if q.kind == QuestionType::Multiple && correct == 0 {
        report(Code::QuizCorrectCount, "a `multiple` question needs at least one correct choice".into(), pos);
    }
    let mut seen = HashSet::new();
    for c in &q.choices {
        if !seen.insert(c.value.text.trim().to_lowercase()) {
            report(Code::QuizIdenticalChoices, format!("duplicate choice `{}`", c.value.text), choice_pos(c));
        }
        if c.value.text.trim().is_empty() {
            report(Code::QuizEmptyChoice, "choice has empty `text`".into(), choice_pos(c));
        }
    }
}

/// The name of a question type as written in front matter.
pub fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Single => "single",
        QuestionType::Multiple => "multiple",
        QuestionType::Truefalse => "truefalse",
        QuestionType::Text => "text",
        QuestionType::Number => "number",
        QuestionType::Open => "open",
    }
}

/// A stable id from the page's URL and the prompt, for questions written without one.
fn derived_id(page: &Page, prompt: &str) -> QuestionId {
    let slug = page.url.0.trim_end_matches('/').rsplit('/').next().unwrap_or("home");
    let slug = if slug.is_empty() { "home" } else { slug };
    let hash = xxhash_rust::xxh3::xxh3_64(format!("{}\u{0}{}", page.url, prompt.trim()).as_bytes());
    QuestionId(format!("{slug}-{:08x}", hash as u32))
}

/// The value of a number question's `answer`, written as a number or as text
/// (`"£350k"`); the error completes "needs a numeric `answer`".
fn number_answer(answer: Option<&Answer>) -> Result<f64, String> {
    match answer {
        Some(Answer::Number(n)) if n.is_finite() => Ok(*n),
        Some(Answer::Text(s)) => parse_number_answer(s).map_err(|why| format!(": {why}")),
        _ => Err(String::new()),
    }
}

/// What the checks across every question find: ids used twice, then the
/// item-writing lints.
pub fn check_across(all: &[lints::Item<'_>], config: &QuizConfig) -> Vec<Diagnostic> {
    let mut diags = duplicate_ids(all.iter().copied());
    diags.extend(lints::lint(all, config));
    diags
}

/// Reports question ids used more than once across the site.
pub fn duplicate_ids<'a>(all: impl IntoIterator<Item = (&'a Page, &'a Question)>) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<&QuestionId, &Page> = std::collections::HashMap::new();
    let mut diags = Vec::new();
    for (page, q) in all {
        if let Some(first) = seen.insert(&q.id, page) {
            diags.push(
                Diagnostic::error(
                    Code::QuizDuplicateId,
                    format!("question id `{}` is already used in {}", q.id.0, first.source.display()),
                )
                .in_file(&page.source)
                .at(&page.text, q.pos)
                .with_hint("ids must be unique across the site; progress is stored under them"),
            );
        }
    }
    diags
}
