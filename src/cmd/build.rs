//! `learn build`: builds the site into a staging folder beside the output
//! folder and swaps it in; prints the warnings and the summary line.

use super::{plural, print_diagnostics, print_diagnostics_capped, print_timings, Env, Outcome};
use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::highlight::Highlighter;
use crate::output::Staging;
use crate::pipeline::{self, BuildOptions};

/// `learn build`.
pub fn run(args: &BuildArgs, env: Env) -> anyhow::Result<Outcome> {
    let opts = BuildOptions {
        root: args.common.root.clone(),
        drafts: args.common.drafts,
        base_url: args.out.base_url.clone(),
        live_reload: false,
    };
    // Refuse a dangerous output folder before doing any work.
    let out_dir = match &args.out.output {
        Some(o) => o.clone(),
        None => match pipeline::load_config(&opts.root, None) {
            Ok(c) => opts.root.join(&c.output_dir),
            Err(d) => return Ok(failed(&[d])),
        },
    };
    let staging = match Staging::open(&opts.root, &out_dir) {
        Ok(s) => s,
        Err(d) => return Ok(failed(&[d])),
    };
    // Dropping the staging folder unswapped, on any failure, removes it.
    let built = match pipeline::build(&opts, &Highlighter::default(), &|f| staging.write(&f)) {
        Ok(b) => b,
        Err(diags) => return Ok(failed(&diags.0)),
    };
    print_diagnostics_capped(&built.warnings);
    print_timings(env, &built.timings);
    if let Err(d) = staging.commit() {
        return Ok(failed(&[d]));
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

/// Prints what made the build fail.
fn failed(diags: &[Diagnostic]) -> Outcome {
    print_diagnostics(diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!("error: build failed with {errors} error{}; the previous output was left untouched", plural(errors));
    Outcome::ContentErrors
}
