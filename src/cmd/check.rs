//! `learn check`: prints the findings of [`crate::check`], for people or as
//! one JSON document for tools.

use super::{plural, print_diagnostics, Outcome};
use crate::cli::{CheckArgs, Format};
use crate::quiz::figures::{share, Figures};

/// `learn check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let findings = crate::check::check(&args.common.root, args.common.drafts);
    let (errors, warnings) = (findings.errors(), findings.warnings());
    match args.format {
        Format::Json => println!("{}", findings.to_json()?),
        Format::Human => {
            print_diagnostics(&findings.diagnostics);
            if findings.quiz.questions > 0 {
                println!("{}\n", wrap(&quiz_paragraph(&findings.quiz), 80));
            }
            if errors == 0 {
                println!(
                    "Checked {} pages, {} questions: no errors, {warnings} warning{}",
                    findings.pages,
                    findings.questions,
                    plural(warnings)
                );
            } else {
                eprintln!("error: {errors} errors, {warnings} warnings");
            }
        }
    }
    Ok(if errors == 0 { Outcome::Success } else { Outcome::ContentErrors })
}

/// The quiz report: what a learner could score without knowing the
/// material, in the figures the item-writing lints count.
fn quiz_paragraph(f: &Figures) -> String {
    let types = [
        (f.single, "single choice"),
        (f.multiple, "multiple choice"),
        (f.truefalse, "true/false"),
        (f.text, "text"),
        (f.number, "number"),
    ];
    let types: Vec<String> = types.iter().filter(|(n, _)| *n > 0).map(|(n, name)| format!("{n} {name}")).collect();
    let mut text = format!("Quizzes: {} question{} ({}).", f.questions, plural(f.questions), types.join(", "));
    if f.truefalse > 0 {
        text += &format!(
            " {} of {} true/false statements are true ({}).",
            f.truefalse_true,
            f.truefalse,
            percent(f.truefalse_true, f.truefalse)
        );
    }
    if f.single > 0 {
        text += &format!(
            " The correct option is the uniquely longest in {} of {} single-choice questions ({}).",
            f.longest_correct,
            f.single,
            percent(f.longest_correct, f.single)
        );
    }
    text += &match f.without_explanation {
        0 => " Every question has an explanation.".to_string(),
        1 => " 1 question has no explanation.".to_string(),
        n => format!(" {n} questions have no explanation."),
    };
    text
}

fn percent(part: usize, whole: usize) -> String {
    format!("{:.0}%", share(part, whole).unwrap_or(0.0) * 100.0)
}

/// Breaks `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quiz_report_gives_the_figures_in_one_paragraph() {
        let f = Figures {
            questions: 40,
            single: 27,
            truefalse: 13,
            truefalse_true: 2,
            longest_correct: 19,
            without_explanation: 1,
            ..Figures::default()
        };
        assert_eq!(
            quiz_paragraph(&f),
            "Quizzes: 40 questions (27 single choice, 13 true/false). 2 of 13 true/false statements are true (15%). \
             The correct option is the uniquely longest in 19 of 27 single-choice questions (70%). \
             1 question has no explanation."
        );
    }

    #[test]
    fn paragraphs_wrap_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
    }
}
