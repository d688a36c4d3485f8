//! The server of `learn serve`: answers requests with tiny_http under the
//! site's base path, from builds kept in memory (never the output folder), and
//! tells open pages of each new build over Server-Sent Events.
//!
//! The server sees only the last good build, swapped in whole by
//! [`Server::install`]; a failed build ([`Server::failed`]) leaves it in place
//! and shows its diagnostics over every open page. Content can make a build
//! fail, never the server stop. The command (`cmd/serve.rs`) binds the port,
//! runs the live loop and says what happens.

mod http;
mod reload;
pub mod store;

use crate::diag::Diagnostics;
use crate::pipeline::{Contents, Files, Session, Update};
use http::{Found, Target};
use reload::Hub;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
pub use store::{DiskStore, Saved};
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Requests answered at once; past this, `503` (a page load never waits on an event stream).
const MAX_IN_FLIGHT: usize = 512;
/// Open reload streams at once; past this, a page simply does not live-reload.
const MAX_STREAMS: usize = 256;
/// The page's half of live reload, served at `<base>__learn/reload.js`.
const RELOAD_JS: &str = include_str!("../../themes/default/serve/reload.js");

/// The build being served.
struct Snapshot {
    /// `<run>.<n>`: which build, as the reload script carries it.
    token: String,
    base: String,
    files: Arc<Files>,
    origin: Origin,
}

/// Where the files being served come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// No build has succeeded yet: every path shows the waiting page.
    Waiting,
    /// The site a previous serve left, until this serve's first build is in.
    Saved,
    /// The session's last good build.
    Session,
}

/// What the request threads share with the rebuild loop.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    hub: Hub,
    /// `content/`, canonical: files copied from it are read only if they are inside it.
    content_dir: PathBuf,
    in_flight: AtomicUsize,
    /// Open reload streams.
    streams: AtomicUsize,
    /// Where the bytes of stored files are; `None` when the session keeps them in memory.
    store: Option<Arc<DiskStore>>,
}

/// A site being served: the build in place and the open pages' streams.
pub struct Server {
    shared: Arc<Shared>,
}

impl Server {
    /// A server for the site in `root` (canonical) at `base` (its base path),
    /// showing the waiting page until a build is installed, and reading the
    /// bytes of stored files from `store`. It answers nothing until [`Server::listen`].
    pub fn new(root: &Path, base: &str, store: Option<Arc<DiskStore>>) -> Self {
        // Tells this run's build numbers from the next run's, for pages left open across a restart.
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let run_id = format!("{:x}", since_epoch.as_millis());
        let hub = Hub::new(run_id, base.to_string());
        let snapshot =
            Snapshot { token: hub.token(), base: base.to_string(), files: Arc::default(), origin: Origin::Waiting };
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(snapshot)),
            hub,
            content_dir: root.join("content").canonicalize().unwrap_or_else(|_| root.join("content")),
            in_flight: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
            store,
        });
        Server { shared }
    }

    /// Answers requests on `listener` from now on, each on a thread of its own.
    pub fn listen(&self, listener: TcpListener) -> anyhow::Result<()> {
        let server = Arc::new(tiny_http::Server::from_listener(listener, None).map_err(|e| anyhow::anyhow!("{e}"))?);
        for _ in 0..4 {
            let (server, shared) = (server.clone(), self.shared.clone());
            std::thread::spawn(move || accept(&server, &shared));
        }
        Ok(())
    }

    /// Serves the site a previous serve left ([`DiskStore::saved`]) until the
    /// session's first build is installed.
    pub fn install_saved(&self, saved: Saved) {
        let mut slot = self.shared.snapshot.write().expect("snapshot lock");
        let token = slot.token.clone();
        *slot = Arc::new(Snapshot { token, base: saved.base, files: Arc::new(saved.files), origin: Origin::Saved });
    }

    /// Swaps the session's new build in, then tells the pages what changed;
    /// then lets the store drop what no page can ask for any more.
    pub fn install(&self, session: &Session, update: &Update) {
        let base = session.config().map_or_else(|| "/".to_string(), |c| c.base_path());
        let previous = self.shared.snapshot.read().expect("snapshot lock").clone();
        let files = session.files().clone();
        let changed = changed_since(&previous, &files, update);
        if let Some(store) = &self.shared.store {
            // Before any file the marker names can go.
            store.forget();
        }
        let mut snapshot =
            Snapshot { token: String::new(), base: base.clone(), files: files.clone(), origin: Origin::Session };
        {
            // The new build is in place before any page hears of it.
            let mut slot = self.shared.snapshot.write().expect("snapshot lock");
            self.shared.hub.built(&base, changed.clone());
            snapshot.token = self.shared.hub.token();
            *slot = Arc::new(snapshot);
        }
        let Some(store) = &self.shared.store else { return };
        let whole = previous.origin != Origin::Session;
        store.installed(&previous.files, &files, &changed, whole, !session.search_pending());
    }

    /// No save for a while: leaves the site served for the next `learn serve`
    /// of the same sources ([`DiskStore::remember_later`]). Not done on every
    /// install, where stamping every source would delay the next save's reload.
    pub fn settled(&self, session: &Session) {
        let Some(store) = &self.shared.store else { return };
        let snapshot = self.shared.snapshot.read().expect("snapshot lock").clone();
        // Only the session's own build, and only while it is the one served.
        if snapshot.origin != Origin::Session || !Arc::ptr_eq(&snapshot.files, session.files()) {
            return;
        }
        if let Some(sources) = session.sources_read() {
            store.remember_later(snapshot.files.clone(), session.drafts(), snapshot.base.clone(), sources);
        }
    }

    /// Sources changed: the stored site is about to stop being theirs.
    pub fn sources_changed(&self) {
        if let Some(store) = &self.shared.store {
            store.forget();
        }
    }

    /// Shows a failed build's diagnostics over every open page; the last good build stays.
    pub fn failed(&self, diags: &Diagnostics) {
        let text: String = diags.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        self.shared.hub.failed(text);
    }
}

/// The output paths `files` changes from `previous`'s, the ones pages are told of.
fn changed_since(previous: &Snapshot, files: &Files, update: &Update) -> Vec<String> {
    match previous.origin {
        // A first good build after a failed start changes every page.
        Origin::Waiting => files.keys().map(|k| k.to_string()).collect(),
        // The saved site is mostly this very build: tell only what differs.
        Origin::Saved => {
            let differ = files.iter().filter(|(p, c)| previous.files.get(*p) != Some(*c)).map(|(p, _)| p.to_string());
            let gone = previous.files.keys().filter(|p| !files.contains_key(*p)).map(|p| p.to_string());
            differ.chain(gone).collect()
        }
        // Pages are told of files gone too: an open page whose file went shows the 404 page.
        Origin::Session => update.changed.iter().chain(&update.removed).cloned().collect(),
    }
}

/// The site's address as a browser opens it: `http://host:port/base/`.
pub fn url(local: SocketAddr, base: &str) -> String {
    let host = if local.ip().is_unspecified() { "localhost".to_string() } else { local.ip().to_string() };
    let host = if local.is_ipv6() && host != "localhost" { format!("[{host}]") } else { host };
    format!("http://{host}:{}{base}", local.port())
}

/// Takes requests off the server and answers each on its own thread, so a
/// slow client or an open event stream never holds up another request.
fn accept(server: &tiny_http::Server, shared: &Arc<Shared>) {
    for request in server.incoming_requests() {
        if shared.in_flight.fetch_add(1, Ordering::AcqRel) >= MAX_IN_FLIGHT {
            shared.in_flight.fetch_sub(1, Ordering::AcqRel);
            let _ = request.respond(text(503, "Too many requests at once; try again."));
            continue;
        }
        let mine = shared.clone();
        let spawned = std::thread::Builder::new().name("learn-request".into()).spawn(move || {
            handle(request, &mine);
            mine.in_flight.fetch_sub(1, Ordering::AcqRel);
        });
        if spawned.is_err() {
            // The request went down with the closure; its client sees the connection close.
            shared.in_flight.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn handle(request: Request, shared: &Shared) {
    let snapshot = shared.snapshot.read().expect("snapshot lock").clone();
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let r = text(405, "Only GET and HEAD are served.").with_header(header("Allow", "GET, HEAD"));
            let _ = request.respond(r);
            return;
        }
    };
    let response = match http::resolve(request.url(), &snapshot.base) {
        Target::Bad => text(400, "Bad request path."),
        Target::ToBase => redirect(&snapshot.base),
        Target::Outside => not_found(shared, snapshot.clone()),
        Target::Internal(endpoint) if endpoint == "reload.js" => {
            body(200, "reload.js", RELOAD_JS.as_bytes().to_vec(), &request)
        }
        Target::Internal(endpoint) if endpoint == "events" && !head => {
            return events(request, shared, &snapshot);
        }
        Target::Internal(_) => text(404, "Not found."),
        Target::Site(_) if snapshot.origin == Origin::Waiting => waiting_page(&snapshot, &request),
        Target::Site(rel) => match http::find(&rel, &snapshot.files) {
            Found::File(path) => file(shared, snapshot, &path, &request),
            Found::Slash => {
                let url = request.url();
                let (path, query) = url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)));
                redirect(&match query {
                    Some(q) => format!("{path}/?{q}"),
                    None => format!("{path}/"),
                })
            }
            Found::Missing => not_found(shared, snapshot),
        },
    };
    let _ = request.respond(response);
}

type Body = Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// A response with the headers every file gets; `If-None-Match` is answered with `304`.
fn body(status: u16, path: &str, bytes: Vec<u8>, request: &Request) -> Body {
    let tag = http::etag(&bytes);
    let fresh = request.headers().iter().any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == tag);
    let (status, bytes) = if fresh && status == 200 { (304, Vec::new()) } else { (status, bytes) };
    Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_chunked_threshold(usize::MAX)
        .with_header(header("Content-Type", &http::content_type(path)))
        // Always revalidate: the next save may change anything.
        .with_header(header("Cache-Control", "no-cache"))
        .with_header(header("ETag", &tag))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, message: &str) -> Body {
    Response::from_data(format!("{message}\n").into_bytes())
        .with_status_code(StatusCode(status))
        .with_chunked_threshold(usize::MAX)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-cache"))
}

fn redirect(location: &str) -> Body {
    text(302, &format!("See {location}")).with_header(header("Location", location))
}

/// The bytes of `path` in the build being served, with the snapshot they
/// were read from. A stored file removed meanwhile (a newer build no longer
/// names it) is read from the newer build.
fn read(shared: &Shared, mut snapshot: Arc<Snapshot>, path: &str) -> Option<(Vec<u8>, Arc<Snapshot>)> {
    for _ in 0..3 {
        let bytes = match &**snapshot.files.get(path)? {
            Contents::Copy(source) => http::read_copied(source, &shared.content_dir),
            Contents::Stored(s) => match shared.store.as_ref().map(|store| store.read(*s)) {
                Some(Ok(b)) => Some(b),
                Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    snapshot = shared.snapshot.read().expect("snapshot lock").clone();
                    continue;
                }
                _ => None,
            },
            contents => contents.bytes().map(<[u8]>::to_vec),
        };
        return bytes.map(|b| (b, snapshot));
    }
    None
}

/// A file of the build; pages get the build number put on their reload script.
fn file(shared: &Shared, snapshot: Arc<Snapshot>, path: &str, request: &Request) -> Body {
    let Some((bytes, snapshot)) = read(shared, snapshot.clone(), path) else { return not_found(shared, snapshot) };
    if path.ends_with(".html") {
        return body(200, path, http::with_build(&bytes, &snapshot.base, &snapshot.token), request);
    }
    body(200, path, bytes, request)
}

/// The site's own 404 page, with status 404.
fn not_found(shared: &Shared, snapshot: Arc<Snapshot>) -> Body {
    let page = match read(shared, snapshot, "404.html") {
        Some((b, snapshot)) => http::with_build(&b, &snapshot.base, &snapshot.token),
        None => return text(404, "Not found."),
    };
    Response::from_data(page)
        .with_status_code(StatusCode(404))
        .with_chunked_threshold(usize::MAX)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-cache"))
}

/// Shown for every page until a first build succeeds; the overlay says why.
fn waiting_page(snapshot: &Snapshot, request: &Request) -> Body {
    let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Waiting for a good build</title></head>\
                <body><main><h1>Waiting for a good build</h1><p>The site has errors; this page reloads when they are fixed.</p></main></body></html>";
    let mut r = body(503, "index.html", http::with_build(html.as_bytes(), &snapshot.base, &snapshot.token), request);
    r.add_header(header("Retry-After", "1"));
    r
}

/// Hands the request's connection to a reload stream, on this (its own) thread.
fn events(request: Request, shared: &Shared, snapshot: &Snapshot) {
    if shared.streams.fetch_add(1, Ordering::AcqRel) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::AcqRel);
        let _ = request.respond(text(503, "Too many open pages for live reload."));
        return;
    }
    let query = request.url().split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query.split('&').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('='))).unwrap_or("")
    };
    // Which output file the page is, so a late page knows whether it missed a change to itself.
    let page = http::percent_decode(param("page")).unwrap_or_default();
    let file = match http::resolve(&page, &snapshot.base) {
        Target::Site(rel) => match http::find(&rel, &snapshot.files) {
            Found::File(f) => Some(f),
            _ => Some(if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel }),
        },
        _ => None,
    };
    let (events, hello) = shared.hub.join(param("build"), file.as_deref());
    reload::stream(request.into_writer(), hello, events);
    shared.streams.fetch_sub(1, Ordering::AcqRel);
}
