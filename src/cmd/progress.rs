//! The progress bar on stderr, for work that runs past a second. It is
//! installed only when stderr is a terminal, so logs, pipes and tests see
//! nothing but the summary line; it clears itself when the work is done.

use crate::progress::Draw;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// Width of the bar itself, in characters.
const WIDTH: usize = 30;

/// Draws progress on stderr from now on, if it is a terminal, once work has taken `delay`.
pub fn install(delay: Duration) {
    if std::io::stderr().is_terminal() {
        crate::progress::show(Box::new(StderrBar), delay);
    }
}

struct StderrBar;

impl Draw for StderrBar {
    fn frame(&self, what: &str, done: usize, total: usize) {
        let mut err = std::io::stderr();
        let _ = write!(err, "\r{}", bar(what, done, total));
        let _ = err.flush();
    }

    fn clear(&self) {
        // Clear the line so the summary starts on a clean one.
        let mut err = std::io::stderr();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// One frame of the bar: `Rendering pages [#######.......] 4500/10007`.
fn bar(what: &str, done: usize, total: usize) -> String {
    let done = done.min(total);
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    format!("{what} [{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(WIDTH - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_work() {
        assert_eq!(bar("Pages", 0, 10), format!("Pages [{}] 0/10", ".".repeat(WIDTH)));
        assert_eq!(bar("Pages", 5, 10), format!("Pages [{}{}] 5/10", "#".repeat(15), ".".repeat(15)));
        assert_eq!(bar("Pages", 12, 10), format!("Pages [{}] 10/10", "#".repeat(WIDTH)));
        assert_eq!(bar("Pages", 0, 0), format!("Pages [{}] 0/0", "#".repeat(WIDTH)));
    }
}
