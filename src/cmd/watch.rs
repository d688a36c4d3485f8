//! `learn watch`.

use super::Outcome;
use crate::cli::WatchArgs;

/// `learn watch`.
pub fn run(args: &WatchArgs) -> anyhow::Result<Outcome> {
    crate::watch::run(args)
}
