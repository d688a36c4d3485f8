//! `learn check`: runs the whole pipeline in memory and reports every problem,
//! writing nothing. `--format json` prints one JSON document for tools.

use crate::cli::{CheckArgs, Format};
use crate::highlight::Highlighter;
use crate::pipeline::{self, BuildOptions};
use crate::Outcome;
use serde::Serialize;

/// The JSON report of `learn check --format json`.
#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    pages: usize,
    questions: usize,
    diagnostics: &'a [crate::diag::Diagnostic],
}

/// Runs the check and prints the findings.
pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let opts =
        BuildOptions { root: args.common.root.clone(), drafts: args.common.drafts, base_url: None, live_reload: false };
    // Everything a build does but write files: templates can fail too.
    let (diags, pages, questions) = match pipeline::build(&opts, &Highlighter::default(), &|_| Ok(())) {
        Ok(b) => (b.warnings, b.stats.pages, b.stats.questions),
        Err(d) => (d.0, 0, 0),
    };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    match args.format {
        Format::Json => {
            let report = Report { ok: errors == 0, errors, warnings, pages, questions, diagnostics: &diags };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Format::Human => {
            crate::print_diagnostics(&diags);
            if errors == 0 {
                println!("Checked {pages} pages, {questions} questions: no errors, {warnings} warnings");
            } else {
                eprintln!("error: {errors} errors, {warnings} warnings");
            }
        }
    }
    Ok(if errors == 0 { Outcome::Success } else { Outcome::ContentErrors })
}
