//! Item-writing lints: what lets a learner pass a self-check without knowing
//! the material, after the guidelines reviewed by Haladyna, Downing and
//! Rodriguez (2002). Five look at one question (an absolute word in a wrong
//! answer, "all of the above", options that are the same answer, missing
//! feedback, a missing explanation); three count across the site (true/false
//! balance, the longest option being the correct one, the correct answer's
//! position). Each is a warning unless `[quiz.lints]` says otherwise, and a
//! question's `allow:` leaves it out of a lint, counts included.
//!
//! What one question's text shows is worked out once, when it is validated
//! ([`examine`]), and kept in the question: `learn serve` keeps questions
//! between saves, so a save reads the text of only the pages it touched, and
//! [`lint`] only counts and applies levels.

mod question;

pub use question::examine;

use super::figures::{share, statement};
use super::Question;
use crate::config::{Level, LintLevels, QuizConfig};
use crate::content::front_matter::QuestionType;
use crate::content::Page;
use crate::diag::{Code, Diagnostic, Pos, Severity};

/// A question and the page it is on.
pub type Item<'a> = (&'a Page, &'a Question);

/// Fewest true/false questions before their balance means anything.
const MIN_TRUEFALSE: usize = 6;
/// The share of true statements a site may have: outside it, always
/// answering the majority answer scores 65% or more.
const TRUE_SHARE: (f64, f64) = (0.35, 0.65);
/// Fewest single-choice questions before the longest-correct share means anything.
const MIN_SINGLE: usize = 5;
/// Most single-choice questions whose correct option may be the uniquely longest.
const MAX_LONGEST: f64 = 0.40;
/// Fewest pinned choice questions before the positions of correct answers mean anything.
const MIN_PINNED: usize = 5;
/// Most of the correct answers one position may hold.
const MAX_POSITION: f64 = 0.40;
/// Most questions a site-wide lint lists in its notes.
const MAX_LISTED: usize = 30;

/// A lint across the site, given every question that does not allow it.
type SiteLint = fn(&[Item<'_>], &QuizConfig) -> Option<Diagnostic>;

const SITE_LINTS: &[(Code, SiteLint)] = &[
    (Code::QuizTruefalseBalance, truefalse_balance),
    (Code::QuizLongestCorrect, longest_correct),
    (Code::QuizPositionBalance, position_balance),
];

/// What the lints of one question found, kept with the question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// The warnings of the per-question lints it does not allow, before
    /// `[quiz.lints]` levels apply.
    pub warnings: Vec<Diagnostic>,
    /// A single-choice question whose correct option is the uniquely longest.
    pub longest_correct: bool,
}

/// The site's lint diagnostics: each question's own, and the counts across
/// the site, for every lint not set to `allow`; a lint set to `deny` reports
/// errors.
pub fn lint(items: &[Item<'_>], quiz: &QuizConfig) -> Vec<Diagnostic> {
    let levels = &quiz.lints;
    let mut found = Vec::new();
    for (_, q) in items {
        found.extend(q.found.warnings.iter().filter(|d| levels.level(d.code) != Level::Allow).cloned());
    }
    for &(code, check) in SITE_LINTS {
        if levels.level(code) != Level::Allow {
            let counted: Vec<Item<'_>> = items.iter().filter(|(_, q)| !q.allow.contains(&code)).copied().collect();
            found.extend(check(&counted, quiz));
        }
    }
    found.into_iter().map(|d| at_level(d, levels)).collect()
}

/// Makes a denied lint's diagnostic an error, saying why.
fn at_level(mut d: Diagnostic, levels: &LintLevels) -> Diagnostic {
    if levels.level(d.code) == Level::Deny {
        d.severity = Severity::Error;
        let note = format!("`{} = \"deny\"` in site.toml's [quiz.lints] makes this an error", d.code);
        d = d.with_note(note);
    }
    d
}

/// A lint's warning at `pos` of `page`.
fn warn(code: Code, page: &Page, pos: Pos, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(code, message).in_file(&page.source).at(&page.text, pos).with_hint(help)
}

/// Adds one note per question (its place and prompt), up to [`MAX_LISTED`].
fn listing(mut d: Diagnostic, heading: &str, items: &[Item<'_>]) -> Diagnostic {
    d = d.with_note(format!("{heading} ({}):", items.len()));
    for (page, q) in items.iter().take(MAX_LISTED) {
        let at = format!("{}:{}:{}", crate::diag::display_path(&page.source), q.pos.line, q.pos.col);
        d = d.with_note(format!("{at} {}", crate::text::shorten(&q.prompt_line(), 60)));
    }
    if items.len() > MAX_LISTED {
        d = d.with_note(format!("… and {} more", items.len() - MAX_LISTED));
    }
    d
}

/// A whole percentage.
fn percent(part: usize, whole: usize) -> String {
    format!("{:.0}%", share(part, whole).unwrap_or(0.0) * 100.0)
}

/// `quiz-truefalse-balance`: so many statements are true (or false) that
/// always giving that answer passes.
fn truefalse_balance(items: &[Item<'_>], _: &QuizConfig) -> Option<Diagnostic> {
    let statements: Vec<(Item<'_>, bool)> = items.iter().filter_map(|&(p, q)| Some(((p, q), statement(q)?))).collect();
    let total = statements.len();
    let trues = statements.iter().filter(|(_, v)| *v).count();
    let true_share = share(trues, total)?;
    if total < MIN_TRUEFALSE || (TRUE_SHARE.0..=TRUE_SHARE.1).contains(&true_share) {
        return None;
    }
    let mostly = true_share > TRUE_SHARE.1;
    let (word, other) = if mostly { ("true", "false") } else { ("false", "true") };
    let most: Vec<Item<'_>> = statements.iter().filter(|(_, v)| *v == mostly).map(|(i, _)| *i).collect();
    let message = format!(
        "{trues} of {total} true/false statements are true and {} false: answering \"{word}\" every time scores {}",
        total - trues,
        percent(most.len(), total)
    );
    let help = format!("rewrite some {word} statements as {other} ones, so that 35–65% of them are true");
    let (page, q) = most[0];
    let d = warn(Code::QuizTruefalseBalance, page, q.pos, message, &help);
    Some(listing(d, &format!("the {word} statements"), &most))
}

/// `quiz-longest-correct`: the correct option is the uniquely longest so often
/// that picking the longest passes.
fn longest_correct(items: &[Item<'_>], _: &QuizConfig) -> Option<Diagnostic> {
    let single = items.iter().filter(|(_, q)| q.kind == QuestionType::Single).count();
    let longest: Vec<Item<'_>> = items.iter().filter(|(_, q)| q.found.longest_correct).copied().collect();
    if single < MIN_SINGLE || share(longest.len(), single)? <= MAX_LONGEST {
        return None;
    }
    let message = format!(
        "the correct option is the uniquely longest in {} of {single} single-choice questions ({})",
        longest.len(),
        percent(longest.len(), single)
    );
    let help = "make the wrong options as long and as specific as the correct one, or the correct one shorter: test-wise learners pick the longest option";
    let (page, q) = longest[0];
    let d = warn(Code::QuizLongestCorrect, page, q.pos, message, help);
    Some(listing(d, "the questions", &longest))
}

/// Whether a question shows its options in the order written: pinned with
/// `shuffle: false`, or every question with `[quiz] shuffle = false`.
fn pinned(q: &Question, quiz: &QuizConfig) -> bool {
    !(quiz.shuffle && q.shuffle)
}

/// `quiz-position-balance`: among questions shown in their written order,
/// one position holds so many correct answers that always picking it pays.
/// Questions of two options are left out: like true/false, each position
/// holds half the answers by chance.
fn position_balance(items: &[Item<'_>], quiz: &QuizConfig) -> Option<Diagnostic> {
    let has_choices = |q: &Question| matches!(q.kind, QuestionType::Single | QuestionType::Multiple);
    let pinned: Vec<Item<'_>> =
        items.iter().filter(|(_, q)| has_choices(q) && q.choices.len() >= 3 && pinned(q, quiz)).copied().collect();
    let mut counts: Vec<usize> = Vec::new();
    for (_, q) in &pinned {
        for (i, _) in q.choices.iter().enumerate().filter(|(_, c)| c.correct) {
            counts.resize(counts.len().max(i + 1), 0);
            counts[i] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let (at, most) = counts.iter().copied().enumerate().max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))?;
    if pinned.len() < MIN_PINNED || share(most, total)? <= MAX_POSITION {
        return None;
    }
    let holders: Vec<Item<'_>> = pinned.iter().filter(|(_, q)| q.choices[at].correct).copied().collect();
    let message = format!(
        "position {} holds {most} of the {total} correct answers ({}) in questions whose options keep their written order",
        at + 1,
        percent(most, total)
    );
    let help = "move some correct answers to other positions, or let the options be shuffled (drop `shuffle: false`)";
    let (page, q) = holders[0];
    let d = warn(Code::QuizPositionBalance, page, q.pos, message, help);
    Some(listing(d, &format!("the questions whose option {} is correct", at + 1), &holders))
}

#[cfg(test)]
mod tests;
