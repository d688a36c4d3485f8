//! The lints that read one question: an absolute word in a wrong answer,
//! "all of the above", options that are one answer, missing feedback, a
//! missing explanation. Each option's plain text is made once and shared.

use super::{warn, Found};
use crate::content::front_matter::QuestionType;
use crate::content::Page;
use crate::diag::{Code, Diagnostic};
use crate::quiz::cues::{self, plain};
use crate::quiz::figures::{has_explanation, statement};
use crate::quiz::{normalise_text_answer, Question};
use std::borrow::Cow;

/// A question as its lints read it.
struct Read<'a> {
    page: &'a Page,
    q: &'a Question,
    /// Each option's plain text.
    options: Vec<Cow<'a, str>>,
}

impl Read<'_> {
    /// Option `i` as a message quotes it: plain, on one line, short.
    fn quoted(&self, i: usize) -> String {
        crate::text::shorten(&self.options[i], 60)
    }

    /// The indices of the wrong options.
    fn wrong(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.q.choices.len()).filter(|&i| !self.q.choices[i].correct)
    }

    /// A warning at option `i`.
    fn at_option(&self, code: Code, i: usize, message: String, help: &str) -> Diagnostic {
        warn(code, self.page, self.q.choices[i].pos, message, help)
    }
}

/// A lint of one question.
type QuestionLint = fn(&Read<'_>) -> Option<Diagnostic>;

const QUESTION_LINTS: &[(Code, QuestionLint)] = &[
    (Code::QuizAbsoluteCue, absolute_cue),
    (Code::QuizAllOfTheAbove, all_of_the_above),
    (Code::QuizDuplicateChoice, duplicate_choice),
    (Code::QuizMissingFeedback, missing_feedback),
    (Code::QuizMissingExplanation, missing_explanation),
];

/// Runs the per-question lints the question does not allow, and notes what
/// the site-wide ones count of it.
pub fn examine(page: &Page, q: &Question) -> Found {
    let read = Read { page, q, options: q.choices.iter().map(|c| plain(&c.text)).collect() };
    let asked = QUESTION_LINTS.iter().filter(|(code, _)| !q.allow.contains(code));
    Found {
        warnings: asked.filter_map(|(_, check)| check(&read)).collect(),
        longest_correct: longest_is_correct(&read),
    }
}

/// True when a single-choice question's correct option is longer, in
/// characters of plain text, than every other option.
fn longest_is_correct(r: &Read<'_>) -> bool {
    if r.q.kind != QuestionType::Single {
        return false;
    }
    let lengths: Vec<(usize, bool)> =
        r.options.iter().zip(&r.q.choices).map(|(text, c)| (text.chars().count(), c.correct)).collect();
    let Some(&(right, _)) = lengths.iter().find(|(_, correct)| *correct) else {
        return false;
    };
    lengths.iter().all(|&(len, correct)| correct || len < right)
}

/// `quiz-absolute-cue`: a false statement, or a wrong option, that uses an
/// absolute word (always, never, only...). Options are only flagged when no
/// correct option of the question uses one too: then the word tells nothing.
fn absolute_cue(r: &Read<'_>) -> Option<Diagnostic> {
    const WHY: &str = "test-wise learners rule out absolute claims without knowing the answer";
    const HELP: &str = "make it wrong for a reason the learner must know, and qualify it as a true statement would be; if the absolute word is the point, add `allow: [quiz-absolute-cue]` to the question";
    if statement(r.q) == Some(false) {
        let word = cues::absolute_word(&plain(&r.q.prompt))?;
        let message = format!("this false statement hinges on the absolute word `{word}`: {WHY}");
        return Some(warn(Code::QuizAbsoluteCue, r.page, r.q.pos, message, HELP));
    }
    // "All of the above" has a lint of its own; its `all` is not this cue.
    let words: Vec<Option<String>> = r
        .options
        .iter()
        .map(|text| if cues::about_the_others(text) { None } else { cues::absolute_word(text) })
        .collect();
    if r.q.choices.iter().zip(&words).any(|(c, w)| c.correct && w.is_some()) {
        return None;
    }
    let hits: Vec<(usize, &String)> = r.wrong().filter_map(|i| Some((i, words[i].as_ref()?))).collect();
    let &(first, word) = hits.first()?;
    let message = match &hits[..] {
        [_] => format!("wrong option `{}` hinges on the absolute word `{word}`: {WHY}", r.quoted(first)),
        _ => {
            let words: Vec<String> = hits.iter().map(|&(i, w)| format!("`{}` (`{w}`)", r.quoted(i))).collect();
            format!("wrong options {} hinge on absolute words, and no correct one does: {WHY}", words.join(", "))
        }
    };
    Some(r.at_option(Code::QuizAbsoluteCue, first, message, HELP))
}

/// `quiz-all-of-the-above`: an option "all of the above", "none of the above" or the like.
fn all_of_the_above(r: &Read<'_>) -> Option<Diagnostic> {
    let i = r.options.iter().position(|text| cues::about_the_others(text))?;
    let message = format!("option `{}` answers for the other options", r.quoted(i));
    let help = "replace it with a specific, plausible option: \"all of the above\" is found by spotting two correct options, and \"none of the above\" tests only what is wrong";
    Some(r.at_option(Code::QuizAllOfTheAbove, i, message, help))
}

/// `quiz-duplicate-choice`: two options that are the same answer once
/// normalised as typed answers are (case, spaces, punctuation).
fn duplicate_choice(r: &Read<'_>) -> Option<Diagnostic> {
    let forms: Vec<String> = r.options.iter().map(|text| normalise_text_answer(text)).collect();
    let (i, j) = (1..forms.len())
        .flat_map(|j| (0..j).map(move |i| (i, j)))
        .find(|&(i, j)| !forms[j].is_empty() && forms[i] == forms[j])?;
    let message = format!(
        "options `{}` and `{}` are the same answer once case, spaces and punctuation are ignored",
        r.quoted(i),
        r.quoted(j)
    );
    Some(r.at_option(Code::QuizDuplicateChoice, j, message, "make the options say different things, or remove one"))
}

/// `quiz-missing-feedback`: wrong options that do not say why they are wrong.
fn missing_feedback(r: &Read<'_>) -> Option<Diagnostic> {
    let bare_feedback = |i: &usize| r.q.choices[*i].feedback.as_deref().is_none_or(|f| f.trim().is_empty());
    let bare: Vec<usize> = r.wrong().filter(bare_feedback).collect();
    let message = match bare[..] {
        [] => return None,
        [one] => format!("wrong option `{}` has no feedback", r.quoted(one)),
        _ => {
            let names: Vec<String> = bare.iter().map(|&i| format!("`{}`", r.quoted(i))).collect();
            format!("{} of {} wrong options have no feedback: {}", bare.len(), r.wrong().count(), names.join(", "))
        }
    };
    let help = "add `feedback:` to each wrong option saying why it is wrong: it is what a learner who picked it needs";
    Some(r.at_option(Code::QuizMissingFeedback, bare[0], message, help))
}

/// `quiz-missing-explanation`: a question that does not explain its answer.
fn missing_explanation(r: &Read<'_>) -> Option<Diagnostic> {
    if has_explanation(r.q) {
        return None;
    }
    let help = "add `explanation:` saying why the answer is right; it is shown after any answer";
    Some(warn(Code::QuizMissingExplanation, r.page, r.q.pos, "question has no explanation".into(), help))
}
