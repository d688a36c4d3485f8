//! `learn init DIR`: writes the scaffold and lists what it created.

use super::{print_diagnostics, Outcome};
use crate::cli::InitArgs;

/// `learn init`.
pub fn run(args: &InitArgs) -> Outcome {
    match crate::init::init(&args.dir) {
        Ok(files) => {
            for f in files {
                println!("  created {}", args.dir.join(f).display());
            }
            println!("Created a new site in {}. Next: cd {} && learn serve", args.dir.display(), args.dir.display());
            Outcome::Success
        }
        Err(d) => {
            print_diagnostics(&[d]);
            Outcome::UsageError
        }
    }
}
