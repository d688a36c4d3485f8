//! `learn check`: prints the findings of [`crate::check`], for people or as
//! one JSON document for tools.

use super::{print_diagnostics, Outcome};
use crate::cli::{CheckArgs, Format};

/// `learn check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<Outcome> {
    let findings = crate::check::check(&args.common.root, args.common.drafts);
    let (errors, warnings) = (findings.errors(), findings.warnings());
    match args.format {
        Format::Json => println!("{}", findings.to_json()?),
        Format::Human => {
            print_diagnostics(&findings.diagnostics);
            if errors == 0 {
                println!(
                    "Checked {} pages, {} questions: no errors, {warnings} warnings",
                    findings.pages, findings.questions
                );
            } else {
                eprintln!("error: {errors} errors, {warnings} warnings");
            }
        }
    }
    Ok(if errors == 0 { Outcome::Success } else { Outcome::ContentErrors })
}
