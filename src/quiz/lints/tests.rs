use super::*;
use crate::config::{QuizConfig, SiteConfig};
use crate::content::front_matter;
use crate::content::model::{PageKind, UrlPath};
use std::path::Path;

/// A lesson whose front matter carries `quiz` (YAML list items, each on one line).
fn page(name: &str, quiz: &[&str]) -> Page {
    let text = format!(
        "---\ntitle: T\nsummary: S\nquiz:\n{}---\n",
        quiz.iter().map(|q| format!("  - {q}\n")).collect::<String>()
    );
    let split = front_matter::split(&text).unwrap();
    let front = front_matter::parse(&text, &split).unwrap();
    Page {
        kind: PageKind::Lesson,
        source: Path::new("content/01-a").join(name),
        content_path: Path::new("01-a").join(name),
        body_start: split.body_start,
        yaml_first_line: split.yaml_first_line,
        front: front.into(),
        title: "T".into(),
        title_from_body: false,
        url: UrlPath(format!("a/{name}/")),
        area: None,
        prefix: None,
        text,
    }
}

/// `[quiz]` as `site.toml` sets it (`tables` after the title).
fn config(tables: &str) -> QuizConfig {
    let text = format!("title = \"x\"\n{tables}");
    SiteConfig::parse(&text, Path::new("site.toml")).unwrap().quiz
}

fn levels(table: &str) -> QuizConfig {
    config(&format!("[quiz.lints]\n{table}"))
}

/// The lints `quiz` raises on one page, as (code, line, is error).
fn lints_with(quiz: &[&str], config: &QuizConfig) -> Vec<(Code, usize, bool)> {
    let page = page("01-b.md", quiz);
    let (questions, errors) = crate::quiz::validate(&page);
    assert!(errors.is_empty(), "{errors:?}");
    let items: Vec<Item<'_>> = questions.iter().map(|q| (&page, q)).collect();
    let mut found: Vec<_> =
        lint(&items, config).into_iter().map(|d| (d.code, d.pos.map_or(0, |p| p.line), d.is_error())).collect();
    found.sort();
    found
}

fn lints(quiz: &[&str]) -> Vec<(Code, usize, bool)> {
    lints_with(quiz, &config(""))
}

/// A single-choice question that trips nothing: options of equal length,
/// each wrong one with feedback, an explanation.
const CLEAN: &str = "{type: single, prompt: P, explanation: E, choices: [{text: Reach, correct: true}, {text: Costs, feedback: F}, {text: Speed, feedback: F}]}";

#[test]
fn a_well_written_question_trips_nothing() {
    assert_eq!(lints(&[CLEAN]), []);
    let tf = "{type: truefalse, prompt: Reach counts people, answer: false, explanation: E}";
    let text = "{type: text, prompt: P, accept: [RICE], explanation: E}";
    assert_eq!(lints(&[tf, text]), []);
}

#[test]
fn each_question_lint_points_at_what_trips_it() {
    // Line 5 is the first question, each on its own line.
    let no_explanation = "{type: text, prompt: P, accept: [RICE]}";
    assert_eq!(lints(&[no_explanation]), [(Code::QuizMissingExplanation, 5, false)]);
    let no_feedback = "{type: single, prompt: P, explanation: E, choices: [{text: Reach, correct: true}, {text: Costs}, {text: Speed, feedback: F}]}";
    assert_eq!(lints(&[no_feedback]), [(Code::QuizMissingFeedback, 5, false)]);
    let above = "{type: single, prompt: P, explanation: E, choices: [{text: Reach, correct: true}, {text: Costs, feedback: F}, {text: All of the above, feedback: F}]}";
    assert_eq!(lints(&[above]), [(Code::QuizAllOfTheAbove, 5, false)]);
    let twice = "{type: multiple, prompt: P, explanation: E, choices: [{text: Net revenue., correct: true}, {text: 'net  revenue', feedback: F}, {text: Speed, feedback: F}]}";
    assert_eq!(lints(&[twice]), [(Code::QuizDuplicateChoice, 5, false)]);
    let absolute = "{type: single, prompt: P, explanation: E, choices: [{text: Reach, correct: true}, {text: Never, feedback: F}, {text: Speed, feedback: F}]}";
    assert_eq!(lints(&[absolute]), [(Code::QuizAbsoluteCue, 5, false)]);
    let false_claim = "{type: truefalse, prompt: Users always churn, answer: false, explanation: E}";
    assert_eq!(lints(&[false_claim]), [(Code::QuizAbsoluteCue, 5, false)]);
}

#[test]
fn an_absolute_word_is_no_cue_when_a_right_answer_has_one_or_the_statement_is_true() {
    let both = "{type: single, prompt: P, explanation: E, choices: [{text: Always, correct: true}, {text: Never, feedback: F}, {text: Maybe, feedback: F}]}";
    assert_eq!(lints(&[both]), []);
    let true_claim = "{type: truefalse, prompt: Every lesson has a title, answer: true, explanation: E}";
    assert_eq!(lints(&[true_claim]), []);
}

/// An `open` question is practice, scored by the learner: the choice lints
/// have nothing to read in it, and its model answer is its explanation.
#[test]
fn an_open_question_trips_no_lint() {
    let open = "{type: open, prompt: Write a brief that must always name one metric, model_answer: M, rubric: [Never two metrics, All of the above]}";
    assert_eq!(lints(&[open]), []);
    let figures = crate::quiz::figures::Figures::of(&crate::quiz::validate(&page("01-b.md", &[open])).0);
    assert_eq!((figures.open, figures.without_explanation), (1, 0));
}

/// `n` true/false statements, `trues` of them true.
fn statements(n: usize, trues: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{{type: truefalse, prompt: Statement {i}, answer: {}, explanation: E}}", i < trues))
        .collect()
}

fn refs(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}

#[test]
fn true_false_balance_needs_six_statements_and_35_to_65_percent_true() {
    assert_eq!(
        lints(&refs(&statements(6, 1))),
        [(Code::QuizTruefalseBalance, 6, false)],
        "points at the first false one"
    );
    assert_eq!(lints(&refs(&statements(6, 5))), [(Code::QuizTruefalseBalance, 5, false)]);
    assert_eq!(lints(&refs(&statements(6, 3))), []);
    assert_eq!(lints(&refs(&statements(20, 7))), [], "35% is inside");
    assert_eq!(lints(&refs(&statements(5, 0))), [], "too few to judge");
}

/// `n` single-choice questions; the first `longest` have the right option longest.
fn singles(n: usize, longest: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let right = if i < longest { "Reach and impact" } else { "Reach" };
            // The right option moves about so that no position holds most answers.
            let mut options = [
                format!("{{text: {right}, correct: true}}"),
                "{text: Costs, feedback: F}".into(),
                "{text: Speed, feedback: F}".into(),
            ];
            options.rotate_left(i % 3);
            format!("{{type: single, prompt: Q{i}, explanation: E, choices: [{}]}}", options.join(", "))
        })
        .collect()
}

#[test]
fn longest_correct_needs_five_questions_and_more_than_40_percent() {
    assert_eq!(lints(&refs(&singles(5, 3))), [(Code::QuizLongestCorrect, 5, false)]);
    assert_eq!(lints(&refs(&singles(5, 2))), [], "40% is allowed");
    assert_eq!(lints(&refs(&singles(4, 4))), [], "too few to judge");
}

#[test]
fn position_balance_counts_correct_answers_of_pinned_questions_of_three_or_more_options() {
    let first = |i: usize| {
        format!("{{type: single, prompt: Q{i}, explanation: E, choices: [{{text: Reach, correct: true}}, {{text: Costs, feedback: F}}, {{text: Speed, feedback: F}}]}}")
    };
    let mut quiz: Vec<String> = (0..3).map(first).collect();
    quiz.extend(singles(3, 0));
    // Four of the six correct answers are first; shuffled, no position means anything.
    assert_eq!(lints(&refs(&quiz)), []);
    let pinned_site = config("[quiz]\nshuffle = false\n");
    assert_eq!(lints_with(&refs(&quiz), &pinned_site), [(Code::QuizPositionBalance, 5, false)]);
    let pinned: Vec<String> =
        quiz.iter().map(|q| q.replace("explanation: E,", "explanation: E, shuffle: false,")).collect();
    assert_eq!(lints(&refs(&pinned)), [(Code::QuizPositionBalance, 5, false)]);
    let two = |i: usize| {
        format!("{{type: single, prompt: Q{i}, explanation: E, choices: [{{text: Reach, correct: true}}, {{text: Costs, feedback: F}}]}}")
    };
    let two: Vec<String> = (0..6).map(two).collect();
    assert_eq!(lints_with(&refs(&two), &pinned_site), [], "two options are left out");
}

#[test]
fn a_site_wide_lint_lists_what_it_counted() {
    let page = page("01-b.md", &refs(&statements(6, 0)));
    let (questions, _) = crate::quiz::validate(&page);
    let items: Vec<Item<'_>> = questions.iter().map(|q| (&page, q)).collect();
    let d = lint(&items, &config("")).pop().unwrap();
    assert!(d.message.starts_with("0 of 6 true/false statements are true and 6 false"), "{d}");
    let notes = &d.notes.as_ref().unwrap().0;
    assert_eq!(notes.len(), 7, "{d}");
    assert_eq!(notes[1], "content/01-a/01-b.md:5:5 Statement 0");
    assert!(d.hint.as_deref().unwrap().contains("35–65%"), "{d}");
}

#[test]
fn levels_allow_warn_and_deny() {
    let no_explanation = "{type: text, prompt: P, accept: [RICE]}";
    let deny = levels("quiz-missing-explanation = \"deny\"");
    assert_eq!(lints_with(&[no_explanation], &deny), [(Code::QuizMissingExplanation, 5, true)]);
    let allow = levels("quiz-missing-explanation = \"allow\"");
    assert_eq!(lints_with(&[no_explanation], &allow), []);
    let warn = levels("quiz-missing-explanation = \"warn\"");
    assert_eq!(lints_with(&[no_explanation], &warn), [(Code::QuizMissingExplanation, 5, false)]);
}

#[test]
fn a_question_allows_a_lint_and_leaves_the_counts() {
    let allowed = "{type: text, prompt: P, accept: [RICE], allow: [quiz-missing-explanation]}";
    assert_eq!(lints(&[allowed]), []);
    let mut quiz = statements(6, 1);
    quiz[5] = quiz[5].replace("explanation: E", "explanation: E, allow: [quiz-truefalse-balance]");
    // Five statements are counted: too few to judge.
    assert_eq!(lints(&refs(&quiz)), []);
}

#[test]
fn an_unknown_lint_in_allow_is_an_error_where_it_is_written() {
    let page = page("01-b.md", &["{type: text, prompt: P, accept: [RICE], allow: [quiz-missing-explantion]}"]);
    let (questions, errors) = crate::quiz::validate(&page);
    assert_eq!(questions.len(), 1);
    let d = &errors[0];
    assert_eq!((d.code, d.pos), (Code::FrontMatterUnknownLint, Some(Pos { line: 5, col: 53 })), "{d}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `quiz-missing-explanation`?"));
}
