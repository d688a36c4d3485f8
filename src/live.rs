//! The live rebuild loop `learn serve` and `learn watch` share: wait for what
//! the [`SourceWatcher`] saw, bring the [`Session`] up to date, and hand each
//! outcome to the command as an [`Event`], which publishes it (serves it or
//! writes it) and says what happened. Nothing here publishes, prints or
//! decides what to rebuild.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::pipeline::{Changes, Session, Update};
use crate::watch::{Next, SourceWatcher};
use std::panic::AssertUnwindSafe;
use std::time::Duration;

/// After a failed build, how long to wait for more changes before reporting:
/// a save still in progress (a truncated file, the first of two writes) fails
/// briefly and should not flash an error.
const ERROR_GRACE: Duration = Duration::from_millis(150);

/// How long after a build nothing must happen before the loop reports
/// [`Event::Quiet`]: long enough that a burst of saves (an editor writing
/// twice, a formatter run after a save) is over, so that what waits for quiet
/// does not compete with their rebuilds.
const QUIET: Duration = Duration::from_secs(1);

/// What the loop reports, in the order it happens.
pub enum Event<'a> {
    /// Sources changed; a rebuild starts.
    Changes(&'a Changes),
    /// A rebuild succeeded, or a search index made on its own thread was
    /// added: the session's files are the new build, to publish.
    Built(&'a Session, &'a Update),
    /// A rebuild failed and no change followed within a moment; publish nothing.
    Failed(&'a Diagnostics),
    /// Rebuilding panicked (a bug in learn, whatever the content); the session
    /// starts over with a full build. Carries the panic's message.
    Restarting(&'a str),
    /// Nothing happened for a while since the last build: a time for work
    /// that should not delay a save (`serve` leaves its site for the next run).
    Quiet(&'a Session),
}

/// Rebuilds on every change until the watcher stops, reporting each step to `on`.
/// A failed build is reported only if no further change follows within a moment.
pub fn run(session: &mut Session, watcher: &mut SourceWatcher, on: &mut dyn FnMut(Event<'_>)) {
    // Whether a build was reported since the last quiet period.
    let mut built = false;
    while let Some(next) = watcher.wait(built.then_some(QUIET)) {
        let mut changes = match next {
            Next::Changes(changes) => changes,
            Next::Search(done) => {
                if let Some(update) = session.finish_search(done) {
                    on(Event::Built(session, &update));
                    built = true;
                }
                continue;
            }
            Next::Quiet => {
                on(Event::Quiet(session));
                built = false;
                continue;
            }
        };
        on(Event::Changes(&changes));
        loop {
            match guarded_update(session, &changes, on) {
                Ok(mut update) => {
                    if let Some(job) = update.search.take() {
                        watcher.search(job);
                    }
                    on(Event::Built(session, &update));
                    built = true;
                    break;
                }
                Err(diags) => match watcher.within(ERROR_GRACE) {
                    Some(more) => changes = more,
                    None => {
                        on(Event::Failed(&diags));
                        break;
                    }
                },
            }
        }
    }
}

/// Runs an update. If it panics, the session starts over with a full build;
/// if that panics too, it is reported like a failed build, so `serve` keeps
/// serving the last good one.
fn guarded_update(
    session: &mut Session,
    changes: &Changes,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<Update, Diagnostics> {
    let attempt = |s: &mut Session, c: &Changes| std::panic::catch_unwind(AssertUnwindSafe(|| s.update(c)));
    let panic = match attempt(session, changes) {
        Ok(result) => return result,
        Err(panic) => panic,
    };
    on(Event::Restarting(&panic_message(&*panic)));
    *session = session.restart();
    attempt(session, &Changes::everything()).unwrap_or_else(|panic| {
        Err(Diagnostics(vec![Diagnostic::error(
            Code::InternalPanic,
            format!("learn failed while building: {}", panic_message(&*panic)),
        )
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
