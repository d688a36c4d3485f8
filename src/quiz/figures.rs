//! The figures of a site's quizzes that say whether they can be gamed: what
//! `learn check` reports, and the tests the site-wide lints count with.

use super::{AnswerKey, Question};
use crate::content::front_matter::QuestionType;
use serde::Serialize;

/// Counts over every question of a site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub questions: usize,
    /// Questions of each type.
    pub single: usize,
    pub multiple: usize,
    pub truefalse: usize,
    pub text: usize,
    pub number: usize,
    /// True/false questions whose statement is true.
    pub truefalse_true: usize,
    /// Single-choice questions whose correct option is the uniquely longest.
    pub longest_correct: usize,
    /// Questions without an explanation.
    pub without_explanation: usize,
}

impl Figures {
    /// Counts `questions`.
    pub fn of<'a>(questions: impl IntoIterator<Item = &'a Question>) -> Figures {
        let mut f = Figures::default();
        for q in questions {
            f.questions += 1;
            *match q.kind {
                QuestionType::Single => &mut f.single,
                QuestionType::Multiple => &mut f.multiple,
                QuestionType::Truefalse => &mut f.truefalse,
                QuestionType::Text => &mut f.text,
                QuestionType::Number => &mut f.number,
            } += 1;
            f.truefalse_true += usize::from(statement(q) == Some(true));
            f.longest_correct += usize::from(q.found.longest_correct);
            f.without_explanation += usize::from(!has_explanation(q));
        }
        f
    }

    /// The share of true/false statements that are true (0 to 1), if there are any.
    pub fn true_share(&self) -> Option<f64> {
        share(self.truefalse_true, self.truefalse)
    }

    /// The share of single-choice questions whose correct option is the uniquely longest.
    pub fn longest_share(&self) -> Option<f64> {
        share(self.longest_correct, self.single)
    }
}

/// `part / whole`, or `None` for an empty whole.
pub fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Whether a true/false question's statement is true (`None` for other types).
pub fn statement(q: &Question) -> Option<bool> {
    match q.key {
        AnswerKey::Bool { value } => Some(value),
        _ => None,
    }
}

/// True when the question explains its answer.
pub fn has_explanation(q: &Question) -> bool {
    q.explanation.as_deref().is_some_and(|e| !e.trim().is_empty())
}
