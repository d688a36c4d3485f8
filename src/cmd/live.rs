//! What `learn serve` and `learn watch` both print while they run: the line
//! for each rebuild, warnings when they change, the watcher's problems, and
//! (with `LEARN_TIMINGS`) the changes each rebuild starts from.

use super::{print_diagnostics_capped, Env};
use crate::diag::Diagnostic;
use crate::pipeline::{Changes, Session, Unit, Update};
use crate::watch::Problem;

/// Where the file watcher's problems go: a warning each.
pub fn problems() -> Box<dyn FnMut(Problem)> {
    Box::new(|problem| eprintln!("warning: {problem}"))
}

/// The changes a rebuild starts from, with `LEARN_TIMINGS`.
pub fn print_changes(env: Env, changes: &Changes) {
    if env.timings {
        eprintln!("changes: {changes:?}");
    }
}

/// A rebuild panicked and the session starts over.
pub fn print_restart(panic: &str) {
    eprintln!("error: learn failed while rebuilding ({panic}); building everything again");
}

/// One line for the log: what a rebuild changed and how long it took.
pub fn describe(update: &Update) -> String {
    let ms = update.elapsed.as_secs_f64() * 1000.0;
    if update.made.iter().all(|(u, _)| *u == Unit::SearchIndex) && !update.made.is_empty() {
        return format!("Search index updated in {ms:.0} ms");
    }
    if update.changed.is_empty() && update.removed.is_empty() {
        return format!("No changes ({ms:.0} ms)");
    }
    let pages = update.made.iter().filter(|(u, _)| matches!(u, Unit::Page(_) | Unit::Special(_))).count();
    let mut shown: Vec<String> = update
        .made
        .iter()
        .filter_map(|(u, why)| match u {
            Unit::Page(p) => Some(format!("{} ({})", p.display(), why.describe())),
            _ => None,
        })
        .take(4)
        .collect();
    if pages > shown.len() {
        shown.push(format!("{} more", pages - shown.len()));
    }
    let files = update.changed.len() + update.removed.len();
    let mut line = format!("Rebuilt in {ms:.0} ms: {files} file{} changed", super::plural(files));
    if !shown.is_empty() {
        line.push_str(&format!("; pages {}", shown.join(", ")));
    }
    line
}

/// Prints warnings when they differ from the last ones printed.
#[derive(Default)]
pub struct WarningLog {
    /// A fingerprint of the warnings last printed: comparing 30,000 rendered
    /// warnings on every save would cost more than the save's rebuild.
    last: Option<u64>,
}

impl WarningLog {
    /// Prints the site's warnings after an update that checked the site, when
    /// they differ from the last ones printed.
    pub fn print_if_checked(&mut self, session: &Session, update: &Update) {
        if update.checked {
            self.print(&session.warnings());
        }
    }

    fn print(&mut self, warnings: &[Diagnostic]) {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        for w in warnings {
            let (line, col) = w.pos.map_or((0, 0), |p| (p.line, p.col));
            let path = w.path.as_deref().map(|p| p.to_string_lossy()).unwrap_or_default();
            for part in [w.code.as_str(), &w.message, &path, w.hint.as_deref().unwrap_or("")] {
                h.update(part.as_bytes());
                h.update(&[0]);
            }
            h.update(&line.to_le_bytes());
            h.update(&col.to_le_bytes());
            for note in w.notes.iter().flat_map(|n| &n.0) {
                h.update(note.as_bytes());
            }
        }
        let now = Some(h.digest());
        if now != self.last {
            print_diagnostics_capped(warnings);
            self.last = now;
        }
    }
}
