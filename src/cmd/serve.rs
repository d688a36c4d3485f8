//! `learn serve`.

use super::Outcome;
use crate::cli::ServeArgs;

/// `learn serve`.
pub fn run(args: &ServeArgs) -> anyhow::Result<Outcome> {
    crate::serve::run(args)
}
