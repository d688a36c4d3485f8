//! `learn serve`: binds the port, builds the site in memory, serves it, and
//! runs the live loop, publishing each build to the server and saying what
//! happened. A build that fails keeps the last good one served.

use super::live::{self, WarningLog};
use super::{plural, print_diagnostics, print_timings, Env, Outcome};
use crate::cli::ServeArgs;
use crate::diag::Diagnostics;
use crate::highlight::Highlighter;
use crate::live::Event;
use crate::pipeline::{self, BuildOptions, Changes, Session, Update};
use crate::serve::store::FOLDER as STORE;
use crate::serve::{self, DiskStore, Server};
use crate::watch::change::Layout;
use crate::watch::{self, SourceWatcher};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::time::Instant;

/// The port tried when `--port` is not given.
const DEFAULT_PORT: u16 = 3000;

/// `learn serve`.
pub fn run(args: &ServeArgs, env: Env) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let root = watch::canonical_root(&args.common.root)?;
    let mut listener = match listen(args)? {
        Ok(l) => Some(l),
        Err(outcome) => return Ok(outcome),
    };
    let opts = BuildOptions { root: root.clone(), drafts: args.common.drafts, base_url: None, live_reload: true };
    let config = pipeline::load_config(&root, None).ok();
    let store = open_store(&root);
    let mut session = Session::new(opts, Highlighter::default()).defer_search();
    if let Some(store) = &store {
        session = session.with_store(store.clone());
    }
    let theme = config.as_ref().map_or_else(|| "default".to_string(), |c| c.theme.clone());
    let layout = Layout { root: root.clone(), theme, output: None };
    // Watch before the first build, so a save during it is not lost.
    let mut watcher = SourceWatcher::new(layout, args.poll, live::problems())?;
    let base = config.as_ref().map_or_else(|| "/".to_string(), |c| c.base_path());
    let server = Server::new(&root, &base, store.clone());
    let local = listener.as_ref().expect("listening").local_addr()?;
    // A site the last serve left, unchanged since: served before the first build, which goes on behind it.
    let saved = store.as_ref().and_then(|s| s.saved(&root, args.common.drafts));
    let early = saved.is_some();
    if let Some((saved, listener)) = saved.zip(listener.take_if(|_| early)) {
        let url = serve::url(local, &saved.base);
        server.install_saved(saved);
        server.listen(listener)?;
        println!(
            "Serving {url} (ready in {} ms, as the last serve left it; building meanwhile)",
            started.elapsed().as_millis()
        );
        say_where(args, local, &url);
    }
    let mut first = session.update(&Changes::everything());
    if let Some(job) = first.as_mut().ok().and_then(|u| u.search.take()) {
        watcher.search(job);
    }
    let mut log = ServeLog { server: &server, warnings: WarningLog::default(), failing: false, env };
    match &first {
        Ok(update) => log.install(&session, update),
        Err(diags) => log.failed(diags),
    }
    match &first {
        Ok(u) => println!("Built {} pages, {} questions in {} ms", u.pages, u.questions, u.elapsed.as_millis()),
        Err(_) => eprintln!("The first build failed: the browser shows why until it is fixed."),
    }
    if let Some(listener) = listener {
        server.listen(listener)?;
        let url = serve::url(local, &session.config().map_or(base, |c| c.base_path()));
        println!("Serving {url} (ready in {} ms; Ctrl-C to stop)", started.elapsed().as_millis());
        say_where(args, local, &url);
    }
    crate::live::run(&mut session, &mut watcher, &mut |event| log.on(event));
    Ok(Outcome::Success)
}

/// The folder the served files are kept in, or `None` (kept in memory) when it cannot be had.
fn open_store(root: &std::path::Path) -> Option<std::sync::Arc<DiskStore>> {
    match DiskStore::open(root) {
        Ok(store) => Some(store),
        Err(e) => {
            eprintln!("note: keeping the site in memory, as {} cannot be used: {e}", root.join(STORE).display());
            None
        }
    }
}

/// Warns when others can reach the site, and opens it if asked.
fn say_where(args: &ServeArgs, local: SocketAddr, url: &str) {
    if !local.ip().is_loopback() {
        println!("warning: listening on {}, so other machines can reach this site", local.ip());
    }
    if args.open {
        open_browser(url);
    }
}

/// Listens where `--bind` and `--port` say, or says why it cannot. Only the
/// default port gives way to a free one; a port asked for is a promise.
fn listen(args: &ServeArgs) -> anyhow::Result<Result<TcpListener, Outcome>> {
    let Some(addr) = bind_address(&args.bind, args.port.unwrap_or(DEFAULT_PORT)) else {
        eprintln!("error: `{}` is not an address to listen on", args.bind);
        return Ok(Err(Outcome::UsageError));
    };
    match TcpListener::bind(addr) {
        Ok(l) => Ok(Ok(l)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && args.port.is_none() => {
            Ok(Ok(TcpListener::bind(SocketAddr::new(addr.ip(), 0))?))
        }
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            eprintln!("  = help: pass `--port 0` to take a free port");
            Ok(Err(Outcome::UsageError))
        }
    }
}

/// `--bind` and a port as a socket address; `localhost` is loopback.
fn bind_address(bind: &str, port: u16) -> Option<SocketAddr> {
    let host = if bind == "localhost" { "127.0.0.1" } else { bind };
    (host, port).to_socket_addrs().ok()?.next()
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        vec!["open"]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", ""]
    } else {
        vec!["xdg-open"]
    };
    let spawned = std::process::Command::new(opener[0])
        .args(&opener[1..])
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("warning: cannot open a browser ({}: {e}); open {url} yourself", opener[0]);
    }
}

/// Publishes each build to the server and says what happened.
struct ServeLog<'a> {
    server: &'a Server,
    warnings: WarningLog,
    /// The last build failed, so the next good one is announced as a fix.
    failing: bool,
    env: Env,
}

impl ServeLog<'_> {
    fn on(&mut self, event: Event<'_>) {
        match event {
            Event::Changes(changes) => {
                self.server.sources_changed();
                live::print_changes(self.env, changes);
            }
            Event::Restarting(panic) => live::print_restart(panic),
            Event::Built(session, update) => {
                let was_failing = self.failing;
                self.install(session, update);
                print_timings(self.env, &update.timings);
                match live::describe(update) {
                    line if was_failing => println!("Fixed. {line}"),
                    line => println!("{line}"),
                }
            }
            Event::Failed(diags) => self.failed(diags),
            Event::Quiet(session) => self.server.settled(session),
        }
    }

    /// Swaps the build in (then the pages hear of it).
    fn install(&mut self, session: &Session, update: &Update) {
        self.failing = false;
        self.server.install(session, update);
        // After the pages are told: gathering 30,000 warnings and comparing them takes a while.
        self.warnings.print_if_checked(session, update);
    }

    fn failed(&mut self, diags: &Diagnostics) {
        self.failing = true;
        print_diagnostics(&diags.0);
        let n = diags.error_count();
        eprintln!("error: build failed with {n} error{}; still serving the last good build", plural(n));
        self.server.failed(diags);
    }
}
