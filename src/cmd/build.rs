//! `learn build`: builds the site and puts it in the output folder; prints
//! the warnings and the summary line.
//!
//! With a usable cache (`.learn-cache/`, see [`crate::cache`]) the build is
//! incremental: nothing at all when no input changed and the output is as the
//! last build left it, otherwise only what changed is made, and the output
//! folder is changed in place ([`Patch`]). Without one, the site is built
//! into a staging folder beside the output and swapped in ([`Staging`]).

use super::{capped, plural, print_diagnostics, print_diagnostics_capped, print_timings, Env, Outcome};
use crate::cache::{self, Cached, Found, Key, Rest, Stamps};
use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::highlight::Highlighter;
use crate::output::{Patch, Staging};
use crate::pipeline::{self, BuildOptions, Memo, Outputs, Summary};
use std::path::Path;
use std::time::Instant;

/// `learn build`.
pub fn run(args: &BuildArgs, env: Env) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let opts = BuildOptions {
        root: args.common.root.clone(),
        drafts: args.common.drafts,
        base_url: args.out.base_url.clone(),
        live_reload: false,
    };
    // Refuse a dangerous output folder before doing any work.
    let out_dir = match &args.out.output {
        Some(o) => o.clone(),
        None => match pipeline::load_config(&opts.root, None) {
            Ok(c) => opts.root.join(&c.output_dir),
            Err(d) => return Ok(failed(&[d])),
        },
    };
    if let Err(d) = crate::output::check_output_dir(&opts.root, &out_dir) {
        return Ok(failed(&[d]));
    }
    if args.no_cache {
        cache::remove(&opts.root);
        return Ok(clean(&opts, &out_dir, None, env));
    }
    let mut clock = Clock { env, last: started };
    let key = Key::new(&opts, &out_dir);
    // Stamps taken before any input is read: an edit made during the build shows next time.
    let (stamps, found) = rayon::join(|| Stamps::take(&opts.root), || cache::load(&opts.root, &key));
    clock.lap("input stamps, cache");
    let memo = match found {
        Found::Usable(cached) => match up_to_date(&opts.root, (&out_dir, &key), &stamps, *cached) {
            Next::UpToDate(outcome) => return Ok(outcome.report(started, &out_dir)),
            Next::Rebuild(memo, unknown, rest) => {
                clock.lap("survey, cache read");
                Some((*memo, unknown, rest))
            }
            Next::Clean(why) => not_used(why),
        },
        Found::Missing => None,
        Found::Unusable(why) => not_used(why),
    };
    let kept = Some((&key, stamps));
    Ok(match memo {
        Some((memo, unknown, rest)) if out_dir.join(crate::output::MARKER).is_file() => {
            incremental(&opts, &out_dir, (memo, unknown, rest), kept, env)
        }
        _ => clean(&opts, &out_dir, kept, env),
    })
}

/// Prints how long the steps around the pipeline took (`LEARN_TIMINGS=1`).
struct Clock {
    env: Env,
    last: Instant,
}

impl Clock {
    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        print_timings(self.env, &[(step, now - self.last)]);
        self.last = now;
    }
}

/// What a build with nothing to do prints.
struct UpToDate {
    /// The warnings as the cached build printed them.
    warnings: String,
    counts: (usize, usize),
}

impl UpToDate {
    fn report(self, started: Instant, out_dir: &Path) -> Outcome {
        eprint!("{}", self.warnings);
        let (pages, questions) = self.counts;
        let ms = started.elapsed().as_millis();
        println!("Built {pages} pages, {questions} questions in {ms} ms → {} (up to date)", out_dir.display());
        Outcome::Success
    }
}

/// What a build does with a usable cache.
enum Next {
    /// Nothing: no input changed and the output is as the cached build left it.
    UpToDate(UpToDate),
    /// Make what changed, from this memo (less damaged files), and remove the
    /// files no build made; the rest of the cache it was read from.
    Rebuild(Box<Memo>, Vec<String>, Rest),
    /// Build everything: the rest of the cache cannot be read, for this reason.
    Clean(&'static str),
}

/// Surveys the output folder and, when an input changed, reads the rest of
/// the cache meanwhile.
fn up_to_date(root: &Path, (out_dir, key): (&Path, &Key), now: &Stamps, cached: Cached) -> Next {
    let Cached { stamps, mut outputs, rest } = cached;
    let changed = stamps != *now;
    let (survey, early) =
        rayon::join(|| cache::survey(out_dir, &outputs), || changed.then(|| rest.read(root, key, Outputs::default())));
    if !changed && survey.is_clean() {
        return Next::UpToDate(UpToDate { warnings: outputs.warnings, counts: outputs.counts });
    }
    outputs.forget_files(&survey.damaged);
    outputs.folders.extend(survey.folders.into_iter().map(|f| (f, i128::MIN)));
    let read = match early {
        Some(read) => read.map(|memo| Memo { outputs, ..memo }),
        None => rest.read(root, key, outputs),
    };
    match read {
        Ok(memo) => Next::Rebuild(Box::new(memo), survey.unknown, rest),
        Err(why) => Next::Clean(why),
    }
}

/// Builds everything into a staging folder and swaps it in; keeps a cache
/// when `keep` says for what.
fn clean(opts: &BuildOptions, out_dir: &Path, keep: Option<(&Key, Stamps)>, env: Env) -> Outcome {
    let staging = match Staging::open(&opts.root, out_dir) {
        Ok(s) => s,
        Err(d) => return failed(&[d]),
    };
    // Dropping the staging folder unswapped, on any failure, removes it.
    let built = match pipeline::build(opts, &Highlighter::default(), &|f| staging.write(&f), None) {
        Ok(b) => b,
        Err(diags) => return failed(&diags.0),
    };
    print_diagnostics_capped(&built.warnings);
    print_timings(env, &built.timings);
    // The old cache describes the old output: it goes before the output does.
    cache::remove(&opts.root);
    match staging.commit_set_aside() {
        Ok(Some(old)) => remove_in_background(&old),
        Ok(None) => {}
        Err(d) => return failed(&[d]),
    }
    finish((opts, env), out_dir, built, (keep, None), "")
}

/// Builds what changed since the cached build and changes the output folder in place.
/// `unknown` are files no build wrote, which go as a clean build would not have them.
fn incremental(
    opts: &BuildOptions,
    out_dir: &Path,
    (memo, unknown, rest): (Memo, Vec<String>, Rest),
    keep: Option<(&Key, Stamps)>,
    env: Env,
) -> Outcome {
    let patch = match Patch::open(&opts.root, out_dir) {
        Ok(p) => p,
        Err(d) => return failed(&[d]),
    };
    let mut built = match pipeline::build(opts, &Highlighter::default(), &|f| patch.write(&f), Some(memo)) {
        Ok(b) => b,
        Err(diags) => return failed(&diags.0),
    };
    built.removed.extend(unknown);
    if let Some(why) = built.cache_note {
        not_used::<()>(why);
    }
    print_diagnostics_capped(&built.warnings);
    print_timings(env, &built.timings);
    // Killed while files move, the output is part old, part new: no cache may describe it.
    cache::invalidate(&opts.root);
    let moved = Instant::now();
    if let Err(d) = patch.commit(&built.removed) {
        // Some files may be in place already: the previous output is not as it was.
        print_diagnostics(&[d]);
        eprintln!("error: the build could not be put in place; the output folder may be part old, part new, and the next build makes everything again");
        return Outcome::ContentErrors;
    }
    print_timings(env, &[("files moved into place", moved.elapsed())]);
    let note = format!(" ({} file{} written, {} removed)", built.written, plural(built.written), built.removed.len());
    finish((opts, env), out_dir, built, (keep, Some(&rest)), &note)
}

/// Saves the cache of a build that is in place, and prints the summary line.
fn finish(
    (opts, env): (&BuildOptions, Env),
    out_dir: &Path,
    built: Summary,
    (keep, rest): (Option<(&Key, Stamps)>, Option<&Rest>),
    note: &str,
) -> Outcome {
    let s = &built.stats;
    let summary = format!(
        "Built {} pages, {} questions in {} ms → {}{note}",
        s.pages,
        s.questions,
        s.elapsed.as_millis(),
        out_dir.display()
    );
    if let Some((key, stamps)) = keep {
        let saving = Instant::now();
        let mut memo = built.memo;
        memo.outputs.warnings = capped(&built.warnings);
        cache::stamp(out_dir, &mut memo, &built.removed);
        if let Err(e) = cache::save(&opts.root, key, &stamps, &memo, rest) {
            eprintln!("note: could not save the build cache ({e}); the next build starts clean");
        }
        print_timings(env, &[("cache saved", saving.elapsed())]);
        // The process ends here: freeing every page's memo and front matter
        // one by one takes longer than the system takes to reclaim it all.
        std::mem::forget((memo, built.warnings));
    }
    println!("{summary}");
    Outcome::Success
}

/// Removes the previous site, set aside, off the build's critical path: a
/// `learn` of its own, detached, deletes it while this one returns (tens of
/// thousands of files take seconds). If it cannot start, the folder is
/// removed here; if it is killed, a later build removes what it left
/// ([`Staging::open`] clears the folders of dead processes).
fn remove_in_background(old: &Path) {
    use std::process::{Command, Stdio};
    let started = std::env::current_exe().and_then(|exe| {
        Command::new(exe)
            .arg("remove-set-aside")
            .arg(old)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    });
    if started.is_err() {
        crate::output::remove_set_aside(old);
    }
}

/// Says why the build cache is not used; the build makes everything.
fn not_used<T>(why: impl std::fmt::Display) -> Option<T> {
    eprintln!("note: {why}; building everything");
    None
}

/// Prints what made the build fail.
fn failed(diags: &[Diagnostic]) -> Outcome {
    print_diagnostics(diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!("error: build failed with {errors} error{}; the previous output was left untouched", plural(errors));
    Outcome::ContentErrors
}
