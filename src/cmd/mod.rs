//! The commands: one file each, holding its arguments, the library calls it
//! makes, everything it prints and how it ends. The rest of the crate returns
//! values and never prints; only this layer (and `main.rs`) writes to stdout
//! and stderr, and only this layer reads the environment knobs that change
//! what is printed. Nothing below imports from here.

mod build;
mod check;
mod import;
mod init;
mod live;
mod progress;
mod serve;
mod watch;

use crate::cli::{Cli, Command};
use crate::diag::Diagnostic;
use std::io::Write;
use std::time::Duration;

/// How a run ended, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The content has errors (exit code 1).
    ContentErrors,
    /// The command cannot run as asked, e.g. `init` into a non-empty folder (exit code 2).
    UsageError,
}

/// Environment variables that change what the commands print.
#[derive(Debug, Clone, Copy)]
struct Env {
    /// `LEARN_TIMINGS` is set: print how long each step took (and, live, what changed).
    timings: bool,
    /// How long work runs before a progress bar shows: a second, or
    /// `LEARN_PROGRESS_AFTER_MS` (the tests set it to 0 so that a small site shows the bar).
    progress_after: Duration,
}

impl Env {
    fn read() -> Self {
        let progress_after = std::env::var("LEARN_PROGRESS_AFTER_MS").ok().and_then(|ms| ms.parse().ok());
        Env {
            timings: std::env::var_os("LEARN_TIMINGS").is_some(),
            progress_after: progress_after.map_or(Duration::from_secs(1), Duration::from_millis),
        }
    }
}

/// Runs one command; errors in the user's content are printed and reported as `ContentErrors`.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let env = Env::read();
    progress::install(env.progress_after);
    match cli.command {
        Command::Build(args) => build::run(&args, env),
        Command::Check(args) => check::run(&args),
        Command::Serve(args) => serve::run(&args, env),
        Command::Watch(args) => watch::run(&args, env),
        Command::Init(args) => Ok(init::run(&args)),
        Command::Import(args) => Ok(import::run(&args)),
        Command::RemoveSetAside { folder } => {
            crate::output::remove_set_aside(&folder);
            Ok(Outcome::Success)
        }
    }
}

/// Prints diagnostics to stderr, one blank line apart.
fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

/// Warnings of one code a build shows before it counts the rest.
const WARNINGS_SHOWN_PER_CODE: usize = 5;

/// Prints diagnostics like [`print_diagnostics`], but past the first few
/// warnings of a code counts the rest in one line: a site whose 30,000
/// questions all lack feedback would otherwise bury everything else (`learn
/// check` lists every one). Errors are always printed whole.
fn print_diagnostics_capped(diags: &[Diagnostic]) {
    let _ = std::io::stderr().lock().write_all(capped(diags).as_bytes());
}

/// What [`print_diagnostics_capped`] prints.
fn capped(diags: &[Diagnostic]) -> String {
    use std::fmt::Write as _;
    let mut shown: std::collections::HashMap<crate::diag::Code, usize> = std::collections::HashMap::new();
    let mut err = String::new();
    for d in diags {
        let n = shown.entry(d.code).or_default();
        *n += 1;
        if d.is_error() || *n <= WARNINGS_SHOWN_PER_CODE {
            let _ = writeln!(err, "{d}");
        }
    }
    let mut hidden: Vec<(&str, usize)> = shown
        .iter()
        .filter(|(_, &n)| n > WARNINGS_SHOWN_PER_CODE)
        .map(|(code, &n)| (code.as_str(), n - WARNINGS_SHOWN_PER_CODE))
        .collect();
    hidden.sort();
    for (code, n) in hidden {
        let _ =
            writeln!(err, "warning[{code}]: {n} more warning{} like these; `learn check` lists them all\n", plural(n));
    }
    err
}

/// Prints the steps' times to stderr when `LEARN_TIMINGS` is set.
fn print_timings(env: Env, timings: &[(&'static str, Duration)]) {
    if env.timings {
        for (step, took) in timings {
            eprintln!("  {step:>24}: {:>8.2} ms", took.as_secs_f64() * 1000.0);
        }
    }
}

/// The plural ending after a count: `s`, unless the count is one.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
