//! `learn watch`: keeps the output folder up to date. The first build is
//! written whole; after that the live loop's builds are written file by file
//! (`watch::OutputWriter`), and a failed build leaves the folder as it was.

use super::live::{self, WarningLog};
use super::{plural, print_diagnostics, print_timings, Env, Outcome};
use crate::cli::WatchArgs;
use crate::diag::Diagnostics;
use crate::highlight::Highlighter;
use crate::live::Event;
use crate::pipeline::{BuildOptions, Changes, Session, Update};
use crate::watch::change::Layout;
use crate::watch::{self, output_inside_sources, OutputWriter, SourceWatcher};
use std::path::{Path, PathBuf};

/// `learn watch`.
pub fn run(args: &WatchArgs, env: Env) -> anyhow::Result<Outcome> {
    let root = watch::canonical_root(&args.common.root)?;
    let opts = BuildOptions {
        root: root.clone(),
        drafts: args.common.drafts,
        base_url: args.out.base_url.clone(),
        live_reload: false,
    };
    let mut session = Session::new(opts, Highlighter::default()).defer_search();
    let mut first = session.update(&Changes::everything());
    let out = match output_folder(args, &root, &session, &first)? {
        Ok(out) => out,
        Err(outcome) => return Ok(outcome),
    };
    let theme = session.config().map_or_else(|| "default".to_string(), |c| c.theme.clone());
    let layout = Layout { root: root.clone(), theme, output: Some(out.clone()) };
    let mut watcher = SourceWatcher::new(layout, args.poll, live::problems())?;
    let mut log = WatchLog { writer: OutputWriter::new(&root, &out), warnings: WarningLog::default(), env };
    match &mut first {
        Ok(update) => {
            if let Some(job) = update.search.take() {
                watcher.search(job);
            }
            log.built(&session, update);
        }
        Err(d) => log.failed(d),
    }
    println!("Watching {} for changes (Ctrl-C to stop)", root.display());
    crate::live::run(&mut session, &mut watcher, &mut |event| log.on(event));
    Ok(Outcome::Success)
}

/// The output folder to keep, or how the command ends when there is none to
/// keep safely: it comes from `--output` or `site.toml`, and must be neither
/// among the sources nor a folder learn refuses to write.
fn output_folder(
    args: &WatchArgs,
    root: &Path,
    session: &Session,
    first: &Result<Update, Diagnostics>,
) -> anyhow::Result<Result<PathBuf, Outcome>> {
    let out = match (&args.out.output, session.config()) {
        (Some(o), _) => std::path::absolute(o)?,
        (None, Some(c)) => root.join(&c.output_dir),
        (None, None) => {
            // Without a readable site.toml there is no output folder to keep.
            if let Err(d) = first {
                print_diagnostics(&d.0);
            }
            return Ok(Err(Outcome::ContentErrors));
        }
    };
    if let Some(name) = output_inside_sources(root, &out) {
        eprintln!("error: the output folder {} is inside {name}/, so every write would start a rebuild", out.display());
        return Ok(Err(Outcome::UsageError));
    }
    if let Err(d) = crate::output::check_output_dir(root, &out) {
        print_diagnostics(&[d]);
        return Ok(Err(Outcome::UsageError));
    }
    Ok(Ok(out))
}

/// Writes each successful build to the output folder and says what it did.
struct WatchLog {
    writer: OutputWriter,
    warnings: WarningLog,
    env: Env,
}

impl WatchLog {
    fn on(&mut self, event: Event<'_>) {
        match event {
            Event::Changes(changes) => live::print_changes(self.env, changes),
            Event::Restarting(panic) => live::print_restart(panic),
            Event::Built(session, update) => self.built(session, update),
            Event::Failed(diags) => self.failed(diags),
            Event::Quiet(_) => {}
        }
    }

    fn built(&mut self, session: &Session, update: &Update) {
        self.warnings.print_if_checked(session, update);
        match self.writer.write(session.files(), update) {
            Ok(n) => {
                print_timings(self.env, &update.timings);
                match n {
                    0 => println!("{}", live::describe(update)),
                    n => println!("{} → wrote {n} to {}", live::describe(update), self.writer.out().display()),
                }
            }
            Err(d) => print_diagnostics(&[d]),
        }
    }

    fn failed(&self, diags: &Diagnostics) {
        print_diagnostics(&diags.0);
        let n = diags.error_count();
        eprintln!(
            "error: build failed with {n} error{}; {} was left as it was",
            plural(n),
            self.writer.out().display()
        );
    }
}
