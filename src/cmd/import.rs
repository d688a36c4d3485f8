//! `learn import mdbook BOOK DEST`: imports, prints what was left (the
//! report's entries) on stderr, then checks the new site as `learn check`
//! would and says where to go next.

use super::{plural, print_diagnostics, Outcome};
use crate::cli::{ImportArgs, ImportFrom};
use crate::import::{self, Failure, Imported};
use std::time::Instant;

/// `learn import`.
pub fn run(args: &ImportArgs) -> Outcome {
    let ImportFrom::Mdbook(a) = &args.from;
    let started = Instant::now();
    let imported = match import::mdbook(&a.book, &a.dest) {
        Ok(i) => i,
        Err(Failure::Usage(d)) => {
            print_diagnostics(&[d]);
            return Outcome::UsageError;
        }
        Err(Failure::Content(d)) => {
            print_diagnostics(&[d]);
            return Outcome::ContentErrors;
        }
    };
    print_report(&imported, &a.book);
    println!(
        "Imported \"{}\": {} in {} ms → {}",
        imported.title,
        import::counts_line(&imported.counts),
        started.elapsed().as_millis(),
        a.dest.display()
    );
    let left = imported.report.len();
    if left > 0 {
        println!("{left} thing{} to look at: {}", plural(left), a.dest.join(import::REPORT_FILE).display());
    }
    check(&a.dest)
}

/// The report's entries, their paths shown from where the command was run.
fn print_report(imported: &Imported, book: &std::path::Path) {
    let shown: Vec<_> = imported
        .report
        .sorted()
        .into_iter()
        .map(|e| {
            let mut d = e.diagnostic.clone();
            d.path = d.path.map(|p| book.join(p));
            d
        })
        .collect();
    print_diagnostics(&shown);
    for (prefix, group) in &imported.report.outside {
        let n = group.places.len();
        let what = match &group.rewrite {
            Some(to) => format!("rewritten to {to} by [links] in site.toml"),
            None => "left as written ([links] ignore in site.toml); see the report for the rewrite line to add".into(),
        };
        let verb = if n == 1 { "leaves" } else { "leave" };
        eprintln!("note: {n} link{} {verb} the book through `{prefix}`: {what}", plural(n));
    }
}

/// Checks the new site; its errors are the import's to answer for (exit code 1).
fn check(dest: &std::path::Path) -> Outcome {
    let findings = crate::check::check(dest, false);
    print_diagnostics(&findings.diagnostics);
    let (errors, warnings) = (findings.errors(), findings.warnings());
    if errors > 0 {
        eprintln!(
            "error: the imported site has {errors} error{}; `learn check --root {}` shows them again",
            plural(errors),
            dest.display()
        );
        return Outcome::ContentErrors;
    }
    println!(
        "Checked: {} page{}, {} question{}, {warnings} warning{}. Next: learn serve --root {}",
        findings.pages,
        plural(findings.pages),
        findings.questions,
        plural(findings.questions),
        plural(warnings),
        dest.display()
    );
    Outcome::Success
}
