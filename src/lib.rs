//! learn: a static learning-site generator. The binary is a thin wrapper over
//! [`run`]; everything else lives here so tests can drive it.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod files;
pub mod highlight;
pub mod html;
pub mod init;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod quiz;
pub mod render;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod watch;

/// Helpers for this crate's unit tests.
#[cfg(test)]
mod test_support {
    /// A temporary copy of the folder `src`, to build and edit freely.
    pub fn copy_dir(src: &std::path::Path) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for entry in walkdir::WalkDir::new(src) {
            let entry = entry.expect("a readable fixture");
            let dest = dir.path().join(entry.path().strip_prefix(src).expect("under the fixture"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).expect("a folder");
            } else {
                std::fs::copy(entry.path(), &dest).expect("a copy");
            }
        }
        dir
    }
}

use cli::{Cli, Command};
use diag::Diagnostic;
use highlight::Highlighter;
use pipeline::BuildOptions;
use std::io::Write;
use std::path::PathBuf;

/// How a run ended, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The content has errors (exit code 1).
    ContentErrors,
    /// The command cannot run as asked, e.g. `init` into a non-empty folder (exit code 2).
    UsageError,
}

/// Runs one command; errors in the user's content are printed and reported as `ContentErrors`.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                root: args.common.root.clone(),
                drafts: args.common.drafts,
                base_url: args.out.base_url.clone(),
                live_reload: false,
            };
            build_to_disk(&opts, args.out.output.as_ref())
        }
        Command::Check(args) => check::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Init(args) => match init::init(&args.dir) {
            Ok(files) => {
                for f in files {
                    println!("  created {}", args.dir.join(f).display());
                }
                println!(
                    "Created a new site in {}. Next: cd {} && learn serve",
                    args.dir.display(),
                    args.dir.display()
                );
                Ok(Outcome::Success)
            }
            Err(d) => {
                print_diagnostics(&[d]);
                Ok(Outcome::UsageError)
            }
        },
    }
}

/// Builds and writes the site; prints diagnostics and the summary line.
pub fn build_to_disk(opts: &BuildOptions, output: Option<&PathBuf>) -> anyhow::Result<Outcome> {
    // Refuse a dangerous output folder before doing any work.
    let out_dir = match output {
        Some(o) => o.clone(),
        None => match pipeline::load_config(&opts.root, None) {
            Ok(c) => opts.root.join(&c.output_dir),
            Err(d) => return Ok(report(&[d])),
        },
    };
    let staging = match output::Staging::open(&opts.root, &out_dir) {
        Ok(s) => s,
        Err(d) => return Ok(report(&[d])),
    };
    // Dropping the staging folder unswapped, on any failure, removes it.
    let built = match pipeline::build(opts, &Highlighter::default(), &|f| staging.write(&f)) {
        Ok(b) => b,
        Err(diags) => return Ok(report(&diags.0)),
    };
    print_diagnostics(&built.warnings);
    pipeline::print_timings(&built.timings);
    if let Err(d) = staging.commit() {
        return Ok(report(&[d]));
    }
    let s = &built.stats;
    println!(
        "Built {} pages, {} questions in {} ms → {}",
        s.pages,
        s.questions,
        s.elapsed.as_millis(),
        out_dir.display()
    );
    Ok(Outcome::Success)
}

/// Prints diagnostics to stderr, one blank line apart.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn report(diags: &[Diagnostic]) -> Outcome {
    print_diagnostics(diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: build failed with {errors} error{}; the previous output was left untouched",
        if errors == 1 { "" } else { "s" }
    );
    Outcome::ContentErrors
}
