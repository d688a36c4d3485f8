//! `learn check`: runs the whole pipeline in memory and collects every
//! problem, writing nothing; the findings render as JSON for tools.

use crate::content::{self, LoadOptions};
use crate::diag::Diagnostic;
use crate::highlight::Highlighter;
use crate::pipeline::{self, BuildOptions};
use crate::quiz::{self, figures::Figures};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// What a check found.
#[derive(Debug)]
pub struct Findings {
    /// Every error and warning, in the order the build found them.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages and questions built (none when the build failed).
    pub pages: usize,
    pub questions: usize,
    /// The figures of the site's quizzes: of every question when the build
    /// succeeded, else of the questions that could be read.
    pub quiz: Figures,
}

/// The JSON report of `learn check --format json`.
#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    pages: usize,
    questions: usize,
    quiz: QuizReport<'a>,
    diagnostics: &'a [Diagnostic],
}

/// The quiz figures in the JSON report, with the shares worked out.
#[derive(Serialize)]
struct QuizReport<'a> {
    #[serde(flatten)]
    figures: &'a Figures,
    /// Share of true/false statements that are true (0 to 1), if there are any.
    true_share: Option<f64>,
    /// Share of single-choice questions whose right option is the uniquely longest.
    longest_share: Option<f64>,
}

/// Checks the site in `root`: everything a build does but write files
/// (templates can fail too).
pub fn check(root: &Path, drafts: bool) -> Findings {
    let opts = BuildOptions { root: root.to_path_buf(), drafts, base_url: None, live_reload: false };
    match pipeline::build(&opts, &Highlighter::default(), &|_| Ok(()), None) {
        Ok(b) => Findings { diagnostics: b.warnings, pages: b.stats.pages, questions: b.stats.questions, quiz: b.quiz },
        Err(d) => Findings { diagnostics: d.0, pages: 0, questions: 0, quiz: readable_figures(root, drafts) },
    }
}

/// The quiz figures of a site whose build failed, from the pages that can
/// be read: a lint set to deny fails the build, and its author still wants
/// the figures it is about.
fn readable_figures(root: &Path, drafts: bool) -> Figures {
    let (site, _) = content::load(root, LoadOptions { drafts });
    let questions: Vec<quiz::Question> = site.pages.par_iter().flat_map_iter(|p| quiz::validate(p).0).collect();
    Figures::of(&questions)
}

impl Findings {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The report as one pretty-printed JSON document.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let errors = self.errors();
        serde_json::to_string_pretty(&Report {
            ok: errors == 0,
            errors,
            warnings: self.warnings(),
            pages: self.pages,
            questions: self.questions,
            quiz: QuizReport {
                figures: &self.quiz,
                true_share: self.quiz.true_share().map(rounded),
                longest_share: self.quiz.longest_share().map(rounded),
            },
            diagnostics: &self.diagnostics,
        })
    }
}

/// A share to four decimal places, as a report shows it.
fn rounded(share: f64) -> f64 {
    (share * 10_000.0).round() / 10_000.0
}
