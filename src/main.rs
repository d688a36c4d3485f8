//! The `learn` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = learn::cli::Cli::parse();
    match learn::run(cli) {
        Ok(learn::Outcome::Success) => ExitCode::SUCCESS,
        Ok(learn::Outcome::ContentErrors) => ExitCode::from(1),
        Ok(learn::Outcome::UsageError) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
