//! A progress bar on stderr for work that runs past a second. It is drawn
//! only when stderr is a terminal, so logs, pipes and tests see nothing but
//! the summary line; it clears itself when the work is done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);
/// How often the bar is drawn again.
const EVERY: Duration = Duration::from_millis(100);
/// Width of the bar itself, in characters.
const WIDTH: usize = 30;

/// Counts steps of some work and, on a terminal, shows them once the work
/// has taken a second. Dropping it ends the bar.
pub struct Progress {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    what: &'static str,
    total: usize,
    done: AtomicUsize,
    finished: Mutex<bool>,
    wake: Condvar,
}

impl Progress {
    /// Starts counting `total` steps of `what` (e.g. "Rendering pages").
    pub fn start(what: &'static str, total: usize) -> Progress {
        let shared = Arc::new(Shared {
            what,
            total,
            done: AtomicUsize::new(0),
            finished: Mutex::new(false),
            wake: Condvar::new(),
        });
        let thread = std::io::stderr().is_terminal().then(|| {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("learn-progress".into())
                .spawn(move || shared.draw(delay()))
                .expect("start the progress thread")
        });
        Progress { shared, thread }
    }

    /// Counts one step done; any thread may call it.
    pub fn step(&self) {
        self.shared.done.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Ok(mut finished) = self.shared.finished.lock() {
            *finished = true;
        }
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The delay before the bar shows: a second, or `LEARN_PROGRESS_AFTER_MS`
/// (the tests set it to 0 so that a small site shows the bar).
fn delay() -> Duration {
    std::env::var("LEARN_PROGRESS_AFTER_MS").ok().and_then(|ms| ms.parse().ok()).map_or(DELAY, Duration::from_millis)
}

impl Shared {
    /// Waits `wait` or until the work is finished; true if it is.
    fn finished_within(&self, wait: Duration) -> bool {
        let Ok(finished) = self.finished.lock() else { return true };
        match self.wake.wait_timeout_while(finished, wait, |f| !*f) {
            Ok((finished, _)) => *finished,
            Err(_) => true,
        }
    }

    fn draw(&self, delay: Duration) {
        // With no delay the first frame is always drawn, however short the work.
        if !delay.is_zero() && self.finished_within(delay) {
            return;
        }
        let mut err = std::io::stderr();
        loop {
            let line = bar(self.what, self.done.load(Ordering::Relaxed), self.total);
            let _ = write!(err, "\r{line}");
            let _ = err.flush();
            if self.finished_within(EVERY) {
                break;
            }
        }
        // Clear the line so the summary starts on a clean one.
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

/// One frame of the bar: `Rendering pages [#######.......] 4500/10007`.
pub fn bar(what: &str, done: usize, total: usize) -> String {
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

    #[test]
    fn work_that_ends_at_once_draws_nothing_and_stops_its_thread() {
        let p = Progress::start("Pages", 3);
        p.step();
        drop(p);
    }
}
