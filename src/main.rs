//! The `learn` binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = learn::cli::Cli::parse();
    match learn::cmd::run(cli) {
        Ok(learn::cmd::Outcome::Success) => ExitCode::SUCCESS,
        Ok(learn::cmd::Outcome::ContentErrors) => ExitCode::from(1),
        Ok(learn::cmd::Outcome::UsageError) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
