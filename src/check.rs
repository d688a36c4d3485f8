//! `learn check`: runs the whole pipeline in memory and collects every
//! problem, writing nothing; the findings render as JSON for tools.

use crate::diag::Diagnostic;
use crate::highlight::Highlighter;
use crate::pipeline::{self, BuildOptions};
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
}

/// The JSON report of `learn check --format json`.
#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    pages: usize,
    questions: usize,
    diagnostics: &'a [Diagnostic],
}

/// Checks the site in `root`: everything a build does but write files
/// (templates can fail too).
pub fn check(root: &Path, drafts: bool) -> Findings {
    let opts = BuildOptions { root: root.to_path_buf(), drafts, base_url: None, live_reload: false };
    match pipeline::build(&opts, &Highlighter::default(), &|_| Ok(())) {
        Ok(b) => Findings { diagnostics: b.warnings, pages: b.stats.pages, questions: b.stats.questions },
        Err(d) => Findings { diagnostics: d.0, pages: 0, questions: 0 },
    }
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
            diagnostics: &self.diagnostics,
        })
    }
}
