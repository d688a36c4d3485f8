//! `learn watch`, and the watch loop `learn serve` shares with it: notify (or
//! polling, with `--poll`) behind a debouncer on `content/`, the theme and
//! `site.toml`, never the output; events become [`change::ChangeKind`]s, the
//! session rebuilds what they touch, and a [`Publish`] sink writes or serves
//! the result. Nothing here renders or decides what to rebuild.

pub mod change;
mod writer;

use crate::cli::WatchArgs;
use crate::cmd::Outcome;
use crate::diag::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::pipeline::{BuildOptions, Changes, SearchDone, SearchJob, Session, Unit, Update};
use change::{ChangeKind, Layout};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;
pub use writer::OutputWriter;

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
/// After a failed build, how long to wait for more changes before reporting:
/// a save still in progress (a truncated file, the first of two writes) fails
/// briefly and should not flash an error.
const ERROR_GRACE: Duration = Duration::from_millis(150);

/// Receives the outcome of each rebuild.
pub trait Publish {
    fn published(&mut self, session: &Session, update: &Update);
    fn failed(&mut self, session: &Session, diags: &Diagnostics);
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
}

impl SourceWatcher {
    /// Starts watching `site.toml`, `content/` and `themes/` under `layout.root`
    /// (which must be absolute and canonical, as events report paths that way).
    pub fn new(layout: Layout, poll: bool) -> anyhow::Result<Self> {
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
        let mut w = SourceWatcher { backend, events, layout, jobs, finished: VecDeque::new() };
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
                eprintln!("warning: cannot watch {}: {e}; changes there need a restart (or `--poll`)", dir.display());
            }
        }
    }

    /// Hands a search index to the worker thread; a newer job replaces one not yet started.
    pub fn search(&self, job: SearchJob) {
        let _ = self.jobs.send(job);
    }

    /// Waits for the next changes or finished search index; `None` when the watcher has stopped.
    pub fn wait(&mut self) -> Option<Next> {
        if let Some(done) = self.finished.pop_front() {
            return Some(Next::Search(done));
        }
        loop {
            match self.events.recv().ok()? {
                Event::Search(done) => return Some(Next::Search(done)),
                Event::Files(result) => {
                    let changes = self.absorb(result);
                    if !changes.is_empty() {
                        return Some(Next::Changes(changes));
                    }
                }
            }
        }
    }

    /// Changes that arrive within `wait`, if any.
    pub fn within(&mut self, wait: Duration) -> Option<Changes> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.events.recv_timeout(left) {
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
                    eprintln!("warning: watching files: {e}");
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

/// Rebuilds on every change until the watcher stops. A failed build is
/// reported only if no further change follows within a moment.
pub fn rebuild_loop(session: &mut Session, watcher: &mut SourceWatcher, sink: &mut dyn Publish) {
    while let Some(next) = watcher.wait() {
        let mut changes = match next {
            Next::Changes(changes) => {
                if std::env::var_os("LEARN_TIMINGS").is_some() {
                    eprintln!("changes: {changes:?}");
                }
                changes
            }
            Next::Search(done) => {
                if let Some(update) = session.finish_search(done) {
                    sink.published(session, &update);
                }
                continue;
            }
        };
        loop {
            match guarded_update(session, &changes) {
                Ok(mut update) => {
                    if let Some(job) = update.search.take() {
                        watcher.search(job);
                    }
                    sink.published(session, &update);
                    break;
                }
                Err(diags) => match watcher.within(ERROR_GRACE) {
                    Some(more) => changes = more,
                    None => {
                        sink.failed(session, &diags);
                        break;
                    }
                },
            }
        }
    }
}

/// Runs an update. If it panics (a bug in learn, whatever the content), the
/// session starts over with a full build; if that panics too, it is reported
/// like a failed build, so `serve` keeps serving the last good one.
fn guarded_update(session: &mut Session, changes: &Changes) -> Result<Update, Diagnostics> {
    let attempt = |s: &mut Session, c: &Changes| std::panic::catch_unwind(AssertUnwindSafe(|| s.update(c)));
    let panic = match attempt(session, changes) {
        Ok(result) => return result,
        Err(panic) => panic,
    };
    eprintln!("error: learn failed while rebuilding ({}); building everything again", panic_message(&*panic));
    *session = session.restart();
    attempt(session, &Changes::everything()).unwrap_or_else(|panic| {
        Err(Diagnostics(vec![Diagnostic::error(format!("learn failed while building: {}", panic_message(&*panic)))
            .with_hint("this is a bug in learn, not in the content; please report it")]))
    })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => s.to_string(),
        (_, Some(s)) => s.clone(),
        _ => "a panic".into(),
    }
}

/// The site's root as the watcher reports paths: absolute, symbolic links resolved.
pub fn canonical_root(root: &Path) -> anyhow::Result<PathBuf> {
    root.canonicalize().map_err(|e| anyhow::anyhow!("cannot open the site folder {}: {e}", root.display()))
}

/// One line for the log: what a rebuild changed and how long it took.
pub fn describe(update: &Update) -> String {
    let ms = update.elapsed.as_secs_f64() * 1000.0;
    crate::cmd::print_timings(crate::cmd::Env::read(), &update.timings);
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
        .filter(|(u, _)| matches!(u, Unit::Page(_)))
        .take(4)
        .map(|(u, why)| match u {
            Unit::Page(p) => format!("{} ({})", p.display(), why.describe()),
            _ => unreachable!(),
        })
        .collect();
    if pages > shown.len() {
        shown.push(format!("{} more", pages - shown.len()));
    }
    let files = update.changed.len() + update.removed.len();
    let mut line = format!("Rebuilt in {ms:.0} ms: {files} file{} changed", if files == 1 { "" } else { "s" });
    if !shown.is_empty() {
        line.push_str(&format!("; pages {}", shown.join(", ")));
    }
    line
}

/// Prints warnings when they differ from the last ones printed.
#[derive(Default)]
pub struct WarningLog {
    last: Vec<String>,
}

impl WarningLog {
    pub fn print(&mut self, warnings: &[Diagnostic]) {
        let now: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        if now != self.last {
            crate::cmd::print_diagnostics(warnings);
            self.last = now;
        }
    }
}

/// `learn watch`: keeps the output folder up to date.
pub fn run(args: &WatchArgs) -> anyhow::Result<Outcome> {
    let root = canonical_root(&args.common.root)?;
    let opts = BuildOptions {
        root: root.clone(),
        drafts: args.common.drafts,
        base_url: args.out.base_url.clone(),
        live_reload: false,
    };
    let mut session = Session::new(opts, Highlighter::default()).defer_search();
    let mut first = session.update(&Changes::everything());
    let out = match (&args.out.output, session.config()) {
        (Some(o), _) => std::path::absolute(o)?,
        (None, Some(c)) => root.join(&c.output_dir),
        (None, None) => {
            // Without a readable site.toml there is no output folder to keep.
            if let Err(d) = &first {
                crate::cmd::print_diagnostics(&d.0);
            }
            return Ok(Outcome::ContentErrors);
        }
    };
    for (name, dir) in [("content", root.join("content")), ("themes", root.join("themes"))] {
        if out.starts_with(&dir) {
            eprintln!(
                "error: the output folder {} is inside {name}/, so every write would start a rebuild",
                out.display()
            );
            return Ok(Outcome::UsageError);
        }
    }
    if let Err(d) = crate::output::check_output_dir(&root, &out) {
        crate::cmd::print_diagnostics(&[d]);
        return Ok(Outcome::UsageError);
    }
    let theme = session.config().map_or_else(|| "default".to_string(), |c| c.theme.clone());
    let layout = Layout { root: root.clone(), theme, output: Some(out.clone()) };
    let mut watcher = SourceWatcher::new(layout, args.poll)?;
    let mut sink = DiskSink { writer: OutputWriter::new(&root, &out), warnings: WarningLog::default() };
    match &mut first {
        Ok(update) => {
            if let Some(job) = update.search.take() {
                watcher.search(job);
            }
            sink.published(&session, update);
        }
        Err(d) => sink.failed(&session, d),
    }
    println!("Watching {} for changes (Ctrl-C to stop)", root.display());
    rebuild_loop(&mut session, &mut watcher, &mut sink);
    Ok(Outcome::Success)
}

/// Writes each successful rebuild to the output folder.
struct DiskSink {
    writer: OutputWriter,
    warnings: WarningLog,
}

impl Publish for DiskSink {
    fn published(&mut self, session: &Session, update: &Update) {
        self.warnings.print(&update.warnings);
        match self.writer.write(session.files(), update) {
            Ok(0) => println!("{}", describe(update)),
            Ok(n) => println!("{} → wrote {n} to {}", describe(update), self.writer.out().display()),
            Err(d) => crate::cmd::print_diagnostics(&[d]),
        }
    }

    fn failed(&mut self, _session: &Session, diags: &Diagnostics) {
        crate::cmd::print_diagnostics(&diags.0);
        let n = diags.error_count();
        eprintln!(
            "error: build failed with {n} error{}; {} was left as it was",
            if n == 1 { "" } else { "s" },
            self.writer.out().display()
        );
    }
}
