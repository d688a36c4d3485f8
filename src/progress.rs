//! Progress of work that may run past a second. The library only counts steps;
//! a [`Draw`] installed once by the command layer shows them (on a terminal,
//! `cmd/` draws a bar on stderr). Without one nothing is drawn, so logs, pipes,
//! tests and library users see nothing. The pipeline starts a [`Progress`]
//! deep inside a build, which is why the drawing is installed for the process
//! rather than passed down to it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often a frame is drawn again.
const EVERY: Duration = Duration::from_millis(100);

/// Shows the progress of some work.
pub trait Draw: Send + Sync {
    /// Shows `done` of `total` steps of `what` (e.g. "Rendering pages"), in place of the last frame.
    fn frame(&self, what: &str, done: usize, total: usize);
    /// The work is done: takes the frame away.
    fn clear(&self);
}

/// The installed drawing, and how long work runs before it is shown.
struct Display {
    draw: Box<dyn Draw>,
    delay: Duration,
}

static DISPLAY: OnceLock<Display> = OnceLock::new();

/// Shows every [`Progress`] from now on with `draw`, once its work has taken
/// `delay` (with no delay, from the start however short the work). The first
/// call wins; false if a drawing was installed already.
pub fn show(draw: Box<dyn Draw>, delay: Duration) -> bool {
    DISPLAY.set(Display { draw, delay }).is_ok()
}

/// Counts steps of some work and, if a [`Draw`] is installed, shows them once
/// the work has taken its delay. Dropping it ends the drawing.
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
        Progress::shown_by(what, total, DISPLAY.get())
    }

    fn shown_by(what: &'static str, total: usize, display: Option<&'static Display>) -> Progress {
        let shared = Arc::new(Shared {
            what,
            total,
            done: AtomicUsize::new(0),
            finished: Mutex::new(false),
            wake: Condvar::new(),
        });
        let thread = display.map(|display| {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("learn-progress".into())
                .spawn(move || shared.draw(display))
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

impl Shared {
    /// Waits `wait` or until the work is finished; true if it is.
    fn finished_within(&self, wait: Duration) -> bool {
        let Ok(finished) = self.finished.lock() else { return true };
        match self.wake.wait_timeout_while(finished, wait, |f| !*f) {
            Ok((finished, _)) => *finished,
            Err(_) => true,
        }
    }

    fn draw(&self, display: &Display) {
        // With no delay the first frame is always drawn, however short the work.
        if !display.delay.is_zero() && self.finished_within(display.delay) {
            return;
        }
        loop {
            display.draw.frame(self.what, self.done.load(Ordering::Relaxed), self.total);
            if self.finished_within(EVERY) {
                break;
            }
        }
        display.draw.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_that_ends_at_once_draws_nothing_and_stops_its_thread() {
        let p = Progress::start("Pages", 3);
        p.step();
        drop(p);
    }

    /// Remembers what it was asked to draw.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<String>>>);

    impl Draw for Recorder {
        fn frame(&self, what: &str, done: usize, total: usize) {
            self.0.lock().unwrap().push(format!("{what} {done}/{total}"));
        }
        fn clear(&self) {
            self.0.lock().unwrap().push("clear".into());
        }
    }

    fn display(recorder: &Recorder, delay: Duration) -> &'static Display {
        Box::leak(Box::new(Display { draw: Box::new(recorder.clone()), delay }))
    }

    #[test]
    fn an_installed_drawing_is_shown_the_count_then_cleared() {
        let recorder = Recorder::default();
        let p = Progress::shown_by("Pages", 3, Some(display(&recorder, Duration::ZERO)));
        p.step();
        drop(p);
        let seen = recorder.0.lock().unwrap().clone();
        assert!(seen.len() >= 2, "{seen:?}");
        assert!(seen[..seen.len() - 1].iter().all(|f| f.starts_with("Pages ") && f.ends_with("/3")), "{seen:?}");
        assert_eq!(seen.last().map(String::as_str), Some("clear"));
    }

    #[test]
    fn work_shorter_than_the_delay_is_never_drawn() {
        let recorder = Recorder::default();
        let p = Progress::shown_by("Pages", 3, Some(display(&recorder, Duration::from_secs(60))));
        drop(p);
        assert!(recorder.0.lock().unwrap().is_empty());
    }
}
