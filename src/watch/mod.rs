//! The file watcher of `learn serve` and `learn watch`: notify (or polling,
//! with `--poll`) behind a debouncer on `content/`, the theme and `site.toml`,
//! never the output; events become [`change::ChangeKind`]s and then
//! [`Changes`]. It also makes search indexes on a thread of its own and hands
//! them back with the changes, so the live loop ([`crate::live`]) waits on one
//! thing. `writer.rs` keeps the output folder of `learn watch`. Nothing here
//! prints, renders or decides what to rebuild.

pub mod change;
mod writer;

use crate::pipeline::{Changes, SearchDone, SearchJob};
use change::{ChangeKind, Layout};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};
use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;
pub use writer::{output_inside_sources, OutputWriter};

/// How long the debouncer waits for a path to be quiet. Editors that save by
/// writing a temporary file and renaming it, or that write twice, finish well
/// within this; it is most of the time between a save and the reload.
const DEBOUNCE: Duration = Duration::from_millis(10);
const DEBOUNCE_TICK: Duration = Duration::from_millis(5);
/// How often `--poll` looks at the files. Polling compares contents, not only
/// modification times, which it sees to the second: a second save within the
/// same second would go unseen. That reads every source file each time, fine
/// for a course on a local or network drive, heavy for tens of thousands of lessons.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// How long saves must pause before a search index is started: making one
/// copies the site once, which a save arriving meanwhile would have to wait for.
const SEARCH_IDLE: Duration = Duration::from_millis(300);

/// Something the watcher could not do. It carries on: the command says so.
#[derive(Debug)]
pub enum Problem {
    /// A folder could not be watched, so changes there go unseen.
    CannotWatch(PathBuf, notify::Error),
    /// The watcher reported an error and may have lost events; everything is looked at again.
    Lost(notify::Error),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::CannotWatch(dir, e) => {
                write!(f, "cannot watch {}: {e}; changes there need a restart (or `--poll`)", dir.display())
            }
            Problem::Lost(e) => write!(f, "watching files: {e}"),
        }
    }
}

enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        };
    }
}

/// What the rebuild loop waits for.
enum Event {
    Files(DebounceEventResult),
    Search(SearchDone),
}

/// What happened next.
pub enum Next {
    Changes(Changes),
    /// A search index finished on the worker thread.
    Search(SearchDone),
    /// Nothing happened for the quiet period asked for.
    Quiet,
}

/// Watches a site's sources and turns what happens to them into [`Changes`];
/// also runs search-index jobs on a thread of their own and hands back the results.
pub struct SourceWatcher {
    backend: Backend,
    events: Receiver<Event>,
    layout: Layout,
    jobs: Sender<SearchJob>,
    /// Search results that arrived while waiting for file changes.
    finished: VecDeque<SearchDone>,
    /// Told of each [`Problem`], on the thread that called the watcher.
    problems: Box<dyn FnMut(Problem)>,
}

impl SourceWatcher {
    /// Starts watching `site.toml`, `content/` and `themes/` under `layout.root`
    /// (which must be absolute and canonical, as events report paths that way).
    /// What cannot be watched is handed to `problems`, here and later.
    pub fn new(layout: Layout, poll: bool, problems: Box<dyn FnMut(Problem)>) -> anyhow::Result<Self> {
        let (events_tx, events) = std::sync::mpsc::channel();
        let tx = events_tx.clone();
        let tx = move |r: DebounceEventResult| {
            let _ = tx.send(Event::Files(r));
        };
        let jobs = search_worker(events_tx);
        let backend = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
            Backend::Poll(new_debouncer_opt(DEBOUNCE, Some(DEBOUNCE_TICK), tx, NoCache, config)?)
        } else {
            Backend::Native(
                new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), tx)
                    .map_err(|e| anyhow::anyhow!("cannot watch files: {e}; try `--poll`"))?,
            )
        };
        let mut w = SourceWatcher { backend, events, layout, jobs, finished: VecDeque::new(), problems };
        // The root itself, not recursively: `site.toml`, and `content/` or
        // `themes/` appearing. Never the output folder beside them.
        w.backend.watch(&w.layout.root, RecursiveMode::NonRecursive)?;
        w.rewatch(&w.layout.content());
        w.rewatch(&w.layout.themes());
        Ok(w)
    }

    /// Watches a folder (again) if it exists: after it is replaced, the old watch is gone.
    fn rewatch(&mut self, dir: &Path) {
        self.backend.unwatch(dir);
        if dir.is_dir() {
            if let Err(e) = self.backend.watch(dir, RecursiveMode::Recursive) {
                (self.problems)(Problem::CannotWatch(dir.to_path_buf(), e));
            }
        }
    }

    /// Hands a search index to the worker thread; a newer job replaces one not yet started.
    pub fn search(&self, job: SearchJob) {
        let _ = self.jobs.send(job);
    }

    /// Waits for the next changes or finished search index; after `quiet`,
    /// if given, with nothing to report, [`Next::Quiet`]. `None` when the
    /// watcher has stopped.
    pub fn wait(&mut self, quiet: Option<Duration>) -> Option<Next> {
        if let Some(done) = self.finished.pop_front() {
            return Some(Next::Search(done));
        }
        let deadline = quiet.map(|q| std::time::Instant::now() + q);
        loop {
            match self.receive(deadline) {
                Ok(Event::Search(done)) => return Some(Next::Search(done)),
                Ok(Event::Files(result)) => {
                    let changes = self.absorb(result);
                    if !changes.is_empty() {
                        return Some(Next::Changes(changes));
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Some(Next::Quiet),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Changes that arrive within `wait`, if any.
    pub fn within(&mut self, wait: Duration) -> Option<Changes> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            match self.receive(Some(deadline)) {
                Ok(Event::Search(done)) => self.finished.push_back(done),
                Ok(Event::Files(result)) => {
                    let changes = self.absorb(result);
                    if !changes.is_empty() {
                        return Some(changes);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The next event, waiting until `deadline` if there is one.
    fn receive(&self, deadline: Option<std::time::Instant>) -> Result<Event, RecvTimeoutError> {
        match deadline {
            None => self.events.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => self.events.recv_timeout(at.saturating_duration_since(std::time::Instant::now())),
        }
    }

    fn absorb(&mut self, result: DebounceEventResult) -> Changes {
        let mut changes = Changes::default();
        match result {
            Ok(events) => {
                for event in &events {
                    for kind in change::classify(event, &self.layout) {
                        match kind {
                            ChangeKind::Config => changes.config = true,
                            ChangeKind::Theme => changes.theme = true,
                            ChangeKind::Content(p) => {
                                changes.content.insert(p);
                            }
                            ChangeKind::Rescan => changes.rescan = true,
                        }
                    }
                    // `content/` or `themes/` itself created, removed or renamed: its
                    // watch went with the old folder. (Not on access events: watching
                    // opens the folder, and reacting to that would loop.)
                    if change::replaces_folder(event) {
                        for p in &event.paths {
                            if *p == self.layout.content() || *p == self.layout.themes() {
                                self.rewatch(&p.clone());
                            }
                        }
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    (self.problems)(Problem::Lost(e));
                }
                // Events may have been lost: look at everything again.
                changes.rescan = true;
                changes.config = true;
                changes.theme = true;
            }
        }
        changes
    }
}

/// Makes search indexes on a thread of its own, always the newest job asked
/// for, so a save is served without waiting for the index.
fn search_worker(results: Sender<Event>) -> Sender<SearchJob> {
    let (tx, jobs) = std::sync::mpsc::channel::<SearchJob>();
    std::thread::Builder::new()
        .name("learn-search".into())
        .spawn(move || {
            // One thread of its own: the index must never hold up the next
            // rebuild, which runs on the shared pool.
            let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
            while let Ok(mut job) = jobs.recv() {
                // Start once saves pause, and always on the newest build.
                while let Ok(newer) = jobs.recv_timeout(SEARCH_IDLE) {
                    job = newer;
                }
                let done = match &pool {
                    Some(pool) => pool.install(|| job.run()),
                    None => job.run(),
                };
                if results.send(Event::Search(done)).is_err() {
                    return;
                }
            }
        })
        .expect("start the search thread");
    tx
}

/// The site's root as the watcher reports paths: absolute, symbolic links resolved.
pub fn canonical_root(root: &Path) -> anyhow::Result<PathBuf> {
    root.canonicalize().map_err(|e| anyhow::anyhow!("cannot open the site folder {}: {e}", root.display()))
}
