//! mdbook-quiz TOML (`[[questions]]` of type MultipleChoice, ShortAnswer or
//! Tracing) to learn's questions. Each question is read on its own from the
//! TOML tree, so one the import cannot convert is reported and skipped while
//! the rest of the quiz is kept.

use super::report::{Kind, Place, Report};
use crate::content::front_matter::{Answer, QuestionType};
use std::collections::HashSet;
use std::path::Path;
use toml::{Table, Value};

/// A question as learn's front matter writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: Option<String>,
    pub kind: QuestionType,
    /// Markdown.
    pub prompt: String,
    pub choices: Vec<Choice>,
    /// Markdown, from mdbook-quiz's `context`.
    pub explanation: Option<String>,
    pub answer: Option<Answer>,
    pub accept: Vec<String>,
    /// The choices keep their order (mdbook-quiz's `answerIndex` or `sortAnswers`).
    pub pinned: bool,
}

/// One choice of a single or multiple question.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Markdown.
    pub text: String,
    pub correct: bool,
}

/// One question of the quiz file being read, for messages.
struct Source<'a> {
    file: &'a Path,
    text: &'a str,
    line: Option<usize>,
}

impl Source<'_> {
    fn place(&self) -> Place<'_> {
        match self.line {
            Some(l) => Place::line(self.file, self.text, l),
            None => Place::file(self.file),
        }
    }
}

/// Converts a quiz file's text (`file` is shown in the report). `ids` holds the
/// ids already used in the book: a repeated one gets a suffix.
pub fn convert(file: &Path, text: &str, ids: &mut HashSet<String>, report: &mut Report) -> Vec<Question> {
    let table: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map(|s| crate::diag::pos_of_offset(text, s.start).line);
            let at = Source { file, text, line };
            report.add(
                Kind::Quiz,
                at.place(),
                format!("the quiz cannot be read: {}", e.message().trim()),
                "fix the TOML and import again; the quiz was skipped",
            );
            return Vec::new();
        }
    };
    let multipart = table.get("multipart").and_then(Value::as_table);
    let headers: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.trim() == "[[questions]]").map(|(i, _)| i + 1).collect();
    let mut out = Vec::new();
    let questions = table.get("questions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (n, q) in questions.iter().enumerate() {
        let at = Source { file, text, line: headers.get(n).copied() };
        let Some(q) = q.as_table() else { continue };
        match question(q, multipart) {
            Ok(converted) => out.extend(converted.into_iter().map(|q| unique_id(q, ids, &at, report))),
            Err(why) => report.add(
                Kind::Quiz,
                at.place(),
                format!("question {} was skipped: {why}", n + 1),
                "write it by hand in the page's `quiz:`",
            ),
        }
    }
    out
}

/// Keeps ids unique across the book; learn stores progress under them.
fn unique_id(mut q: Question, ids: &mut HashSet<String>, at: &Source<'_>, report: &mut Report) -> Question {
    if let Some(id) = q.id.take() {
        let mut candidate = id.clone();
        let mut n = 2;
        while !ids.insert(candidate.clone()) {
            candidate = format!("{id}-{n}");
            n += 1;
        }
        if candidate != id {
            report.add(
                Kind::Quiz,
                at.place(),
                format!("question id `{id}` is used twice"),
                format!("the second is now `{candidate}`"),
            );
        }
        q.id = Some(candidate);
    }
    q
}

fn question(q: &Table, multipart: Option<&Table>) -> Result<Vec<Question>, String> {
    let kind = q.get("type").and_then(Value::as_str).ok_or("it has no `type`")?;
    let context = q.get("context").and_then(Value::as_str).map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let id = q.get("id").and_then(Value::as_str).and_then(clean_id);
    // A multipart question's shared context is part of what it asks.
    let lead = q
        .get("multipart")
        .and_then(Value::as_str)
        .and_then(|key| multipart?.get(key)?.as_str())
        .map(|m| format!("{}\n\n", m.trim()))
        .unwrap_or_default();
    let prompt = q.get("prompt").and_then(Value::as_table).ok_or("it has no `prompt`")?;
    let answer = q.get("answer").and_then(Value::as_table).ok_or("it has no `answer`")?;
    let mut converted = match kind {
        "MultipleChoice" => vec![multiple_choice(prompt, answer)?],
        "ShortAnswer" => vec![short_answer(prompt, answer)?],
        "Tracing" => tracing(prompt, answer, id.as_deref())?,
        other => return Err(format!("type `{other}` has no learn equivalent")),
    };
    for (i, c) in converted.iter_mut().enumerate() {
        c.prompt = format!("{lead}{}", c.prompt);
        c.explanation.clone_from(&context);
        if i == 0 {
            c.id = c.id.take().or_else(|| id.clone());
        }
    }
    Ok(converted)
}

/// Letters, digits, `-` and `_`: what learn allows in an id (`hello world` → `hello-world`).
fn clean_id(id: &str) -> Option<String> {
    let cleaned: String =
        id.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).collect();
    Some(cleaned).filter(|c| c.chars().any(|ch| ch.is_ascii_alphanumeric()))
}

fn text_of(t: &Table, key: &str) -> Result<String, String> {
    t.get(key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("it has no `{key}`"))
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(|s| s.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

fn multiple_choice(prompt: &Table, answer: &Table) -> Result<Question, String> {
    let text = text_of(prompt, "prompt")?;
    let several = matches!(answer.get("answer"), Some(Value::Array(_)));
    let mut seen = HashSet::new();
    let mut choices = Vec::new();
    let correct = strings(answer.get("answer"));
    let wrong = strings(prompt.get("distractors"));
    for (text, correct) in correct.into_iter().map(|t| (t, true)).chain(wrong.into_iter().map(|t| (t, false))) {
        if !text.is_empty() && seen.insert(text.to_lowercase()) {
            choices.push(Choice { text, correct });
        }
    }
    if choices.len() < 2 || !choices.iter().any(|c| c.correct) {
        return Err("a multiple-choice question needs an answer and at least one other choice".into());
    }
    let pinned = order_choices(&mut choices, prompt);
    let kind = if several { QuestionType::Multiple } else { QuestionType::Single };
    Ok(Question { id: None, kind, prompt: text, choices, explanation: None, answer: None, accept: Vec::new(), pinned })
}

/// mdbook-quiz shuffles choices unless `answerIndex` or `sortAnswers` pins
/// them, and so does learn; the written order is mixed too (the same on every
/// import), so the answer is not always first where choices are pinned or
/// scripts are off. Returns true when the order is pinned.
fn order_choices(choices: &mut [Choice], prompt: &Table) -> bool {
    if prompt.get("sortAnswers").and_then(Value::as_bool) == Some(true) {
        choices.sort_by(|a, b| a.text.cmp(&b.text));
        return true;
    }
    choices.sort_by_key(|c| xxhash_rust::xxh3::xxh3_64(c.text.as_bytes()));
    let index = prompt.get("answerIndex").and_then(Value::as_integer).and_then(|i| usize::try_from(i).ok());
    if let (Some(index), Some(from)) = (index, choices.iter().position(|c| c.correct)) {
        let to = index.min(choices.len() - 1);
        let c = choices[from].clone();
        let mut rest: Vec<Choice> =
            choices.iter().enumerate().filter(|(i, _)| *i != from).map(|(_, c)| c.clone()).collect();
        rest.insert(to, c);
        choices.clone_from_slice(&rest);
        return true;
    }
    false
}

fn short_answer(prompt: &Table, answer: &Table) -> Result<Question, String> {
    let text = text_of(prompt, "prompt")?;
    let mut accept = strings(answer.get("answer"));
    accept.extend(strings(answer.get("alternatives")));
    accept.retain(|a| !crate::quiz::normalise_text_answer(a).is_empty());
    if accept.is_empty() {
        return Err("its answer has no letters or digits to compare".into());
    }
    Ok(Question {
        id: None,
        kind: QuestionType::Text,
        prompt: text,
        choices: Vec::new(),
        explanation: None,
        answer: None,
        accept,
        pinned: false,
    })
}

/// A tracing question asks whether a program compiles and then what it prints
/// (or which line fails): a true/false question, then a text or number one.
fn tracing(prompt: &Table, answer: &Table, id: Option<&str>) -> Result<Vec<Question>, String> {
    let program = prompt.get("program").and_then(Value::as_str).ok_or("it has no `program`")?.trim_end();
    let compiles = answer.get("doesCompile").and_then(Value::as_bool).ok_or("it has no `doesCompile`")?;
    let listing = format!("```rust\n{program}\n```");
    let base = Question {
        id: None,
        kind: QuestionType::Truefalse,
        prompt: format!("Does this program compile?\n\n{listing}"),
        choices: Vec::new(),
        explanation: None,
        answer: Some(Answer::Bool(compiles)),
        accept: Vec::new(),
        pinned: false,
    };
    let mut out = vec![base.clone()];
    let stdout = answer
        .get("stdout")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !crate::quiz::normalise_text_answer(s).is_empty());
    let line = answer.get("lineNumber").and_then(Value::as_integer);
    if let (true, Some(stdout)) = (compiles, stdout) {
        out.push(Question {
            id: id.map(|i| format!("{i}-output")),
            kind: QuestionType::Text,
            prompt: format!("This program compiles. What does it print?\n\n{listing}"),
            answer: None,
            accept: vec![stdout.to_string()],
            ..base
        });
    } else if let (false, Some(line)) = (compiles, line) {
        let numbered: Vec<String> = program.lines().enumerate().map(|(i, l)| format!("{:>2} | {l}", i + 1)).collect();
        out.push(Question {
            id: id.map(|i| format!("{i}-line")),
            kind: QuestionType::Number,
            prompt: format!(
                "This program does not compile. Which line has the error?\n\n```text\n{}\n```",
                numbered.join("\n")
            ),
            answer: Some(Answer::Number(line as f64)),
            ..base
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Question>, Report) {
        let mut report = Report::default();
        let qs = convert(Path::new("src/q.toml"), text, &mut HashSet::new(), &mut report);
        (qs, report)
    }

    #[test]
    fn multiple_choice_keeps_answers_distractors_and_context() {
        let (qs, report) = run("[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"Pick\"\nprompt.distractors = [\"b\", \"c\"]\nanswer.answer = \"a\"\ncontext = \"Because.\"\nid = \"q 1\"\n");
        assert!(report.is_empty(), "{report:?}");
        let q = &qs[0];
        assert_eq!(
            (q.kind, q.id.as_deref(), q.explanation.as_deref()),
            (QuestionType::Single, Some("q-1"), Some("Because."))
        );
        let mut texts: Vec<_> = q.choices.iter().map(|c| (c.text.as_str(), c.correct)).collect();
        texts.sort();
        assert_eq!(texts, [("a", true), ("b", false), ("c", false)]);
    }

    #[test]
    fn an_answer_list_is_multiple_and_answer_index_pins_it() {
        let (qs, _) = run("[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"P\"\nprompt.distractors = [\"x\"]\nanswer.answer = [\"a\", \"b\"]\n\n[[questions]]\ntype = \"MultipleChoice\"\nprompt.prompt = \"Q\"\nprompt.distractors = [\"x\", \"y\", \"z\"]\nprompt.answerIndex = 2\nanswer.answer = \"a\"\n");
        assert_eq!(qs[0].kind, QuestionType::Multiple);
        assert_eq!(qs[0].choices.iter().filter(|c| c.correct).count(), 2);
        assert!(qs[1].choices[2].correct);
        assert!(qs[1].pinned && !qs[0].pinned);
    }

    #[test]
    fn short_answer_accepts_alternatives() {
        let (qs, _) = run("[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"Keyword?\"\nanswer.answer = \"mut\"\nanswer.alternatives = [\"mutable\"]\n");
        assert_eq!(
            (qs[0].kind, qs[0].accept.clone()),
            (QuestionType::Text, vec!["mut".to_string(), "mutable".to_string()])
        );
    }

    #[test]
    fn tracing_becomes_true_false_then_output_or_line() {
        let text = "[[questions]]\ntype = \"Tracing\"\nprompt.program = \"fn main() {\\n  let x = 1;\\n  x += 1;\\n}\"\nanswer.doesCompile = false\nanswer.lineNumber = 3\nid = \"t\"\n\n[[questions]]\ntype = \"Tracing\"\nprompt.program = \"fn main() { println!(\\\"hi\\\"); }\"\nanswer.doesCompile = true\nanswer.stdout = \"hi\"\nid = \"u\"\n";
        let (qs, _) = run(text);
        let summary: Vec<_> = qs.iter().map(|q| (q.id.clone().unwrap(), q.kind, q.answer.clone())).collect();
        assert_eq!(
            summary,
            [
                ("t".to_string(), QuestionType::Truefalse, Some(Answer::Bool(false))),
                ("t-line".to_string(), QuestionType::Number, Some(Answer::Number(3.0))),
                ("u".to_string(), QuestionType::Truefalse, Some(Answer::Bool(true))),
                ("u-output".to_string(), QuestionType::Text, None),
            ]
        );
        assert!(qs[1].prompt.contains(" 3 |   x += 1;"), "{}", qs[1].prompt);
        assert_eq!(qs[3].accept, ["hi"]);
    }

    #[test]
    fn what_cannot_be_converted_is_reported_with_its_line() {
        let (qs, report) = run("[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"ok\"\nanswer.answer = \"yes\"\n\n[[questions]]\ntype = \"Drawing\"\nprompt.prompt = \"x\"\nanswer.answer = \"y\"\n");
        assert_eq!(qs.len(), 1);
        let d = &report.entries[0].diagnostic;
        assert_eq!(d.pos.unwrap().line, 6);
        assert!(d.message.contains("`Drawing`"), "{}", d.message);
        let (_, report) = run("questions = [");
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn repeated_ids_get_a_suffix() {
        let mut ids = HashSet::new();
        let mut report = Report::default();
        let text =
            "[[questions]]\ntype = \"ShortAnswer\"\nprompt.prompt = \"a\"\nanswer.answer = \"b\"\nid = \"same\"\n";
        convert(Path::new("a.toml"), text, &mut ids, &mut report);
        let again = convert(Path::new("b.toml"), text, &mut ids, &mut report);
        assert_eq!(again[0].id.as_deref(), Some("same-2"));
        assert_eq!(report.entries.len(), 1);
    }
}
