//! `learn serve` and `learn watch` driven as a user would: the real binary on
//! 127.0.0.1, a free port, raw sockets for requests a browser would never
//! send, files edited on disk. Every wait is bounded.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// A copy of a fixture site with `learn serve` (or `watch`) running on it; killed on drop.
struct Running {
    /// Always `Some` but in [`Running::stop`].
    dir: Option<tempfile::TempDir>,
    child: Child,
    lines: Receiver<String>,
    /// Every line of output received so far, stdout and stderr interleaved.
    seen: RefCell<Vec<String>>,
    port: u16,
    base: String,
    /// The line that said where it serves.
    serving: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture `minimal`, whose base URL puts the site under `/course/`. Its
/// `site.toml` gets a marker that must never be served.
fn site() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let dest = dir.path().join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let toml = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("# SECRET-SITE-TOML\n{text}")).unwrap();
    dir
}

fn start(command: &str, dir: tempfile::TempDir, extra: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_learn"))
        .arg(command)
        .arg("--root")
        .arg(dir.path())
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start learn");
    let (tx, lines) = mpsc::channel();
    for out in [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut running = Running {
        dir: Some(dir),
        child,
        lines,
        seen: RefCell::default(),
        port: 0,
        base: String::new(),
        serving: String::new(),
    };
    if command == "serve" {
        let line = running.line_with("Serving http://").expect("learn serve prints its URL");
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
        let rest = url.strip_prefix("http://127.0.0.1:").expect("serving on 127.0.0.1");
        let (port, base) = rest.split_at(rest.find('/').unwrap());
        running.port = port.parse().unwrap();
        running.base = base.to_string();
        running.serving = line.clone();
    } else {
        running.line_with("Watching").expect("learn watch says it is watching");
    }
    running
}

fn serve(dir: tempfile::TempDir) -> Running {
    start("serve", dir, &["--port", "0"])
}

impl Running {
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.as_ref().expect("running").path().join(rel)
    }

    /// Kills the command as Ctrl-C would and hands the site back.
    fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.dir.take().expect("running")
    }

    /// Waits for a line of output containing `needle`.
    fn line_with(&self, needle: &str) -> Option<String> {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.borrow_mut().push(line.clone());
                    if line.contains(needle) {
                        return Some(line);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// How many lines of output so far, after waiting `quiet` for more, start with `prefix`.
    fn count_lines(&self, prefix: &str, quiet: Duration) -> usize {
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            self.seen.borrow_mut().push(line);
        }
        self.seen.borrow().iter().filter(|l| l.starts_with(prefix)).count()
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        s
    }

    /// Sends `request_line` (method and raw target) and returns the parsed response.
    fn raw(&self, request_line: &str, headers: &[&str]) -> Response {
        let mut s = self.connect();
        let mut req = format!("{request_line} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for h in headers {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    fn get(&self, target: &str) -> Response {
        self.raw(&format!("GET {target}"), &[])
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response { status, headers, body: bytes[split + 4..].to_vec() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads server-sent events off an open stream.
struct Events {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Events {
    fn open(server: &Running, page: &str) -> Events {
        let mut stream = server.connect();
        let req = format!(
            "GET {}__learn/events?build=test.0&page={page} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
            server.base
        );
        stream.write_all(req.as_bytes()).unwrap();
        let mut events = Events { stream, buf: Vec::new() };
        let hello = events.next_matching(|_| true);
        assert_eq!(hello["type"], "hello", "{hello}");
        events
    }

    /// The next event satisfying `want`, within the bounded wait.
    fn next_matching(&mut self, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            while let Some(at) = self.buf.windows(2).position(|w| w == b"\n\n") {
                let block = String::from_utf8_lossy(&self.buf[..at]).into_owned();
                self.buf.drain(..at + 2);
                if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) {
                    let v: serde_json::Value = serde_json::from_str(data).unwrap();
                    if want(&v) {
                        return v;
                    }
                }
            }
            assert!(Instant::now() < deadline, "no matching event in time");
            let mut chunk = [0u8; 8192];
            let n = self.stream.read(&mut chunk).expect("the stream stays open");
            assert!(n > 0, "the stream closed");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn changed(e: &serde_json::Value, path: &str) -> bool {
    e["type"] == "build" && e["changed"].as_array().is_some_and(|c| c.iter().any(|p| p == path))
}

/// Paths that try to leave the site: none may answer 200, or show anything outside the build.
const TRAVERSAL_PROBES: &[&str] = &[
    "/course/../site.toml",
    "/course/../../../../etc/passwd",
    "/course/%2e%2e/site.toml",
    "/course/%2E%2E/%2e%2e/etc/passwd",
    "/course/.%2e/site.toml",
    "/course/%2e%2e%2fsite.toml",
    "/course/..%2fsite.toml",
    "/course/..%2F..%2F..%2Fetc%2Fpasswd",
    "/course/basics/img/..%2f..%2f..%2fsite.toml",
    "/course/..%5csite.toml",
    "/course/..\\site.toml",
    "/course/basics\\..\\..\\site.toml",
    "//etc/passwd",
    "/course//etc/passwd",
    "/course/basics//first/",
    "/course/./site.toml",
    "/course/%c0%ae%c0%ae/site.toml",
    "/course/%252e%252e/site.toml",
    "/course/index.html%00.txt",
    "/course/%00",
    "/course/site.toml",
    "/site.toml",
    "/course/content/01-basics/01-first.md",
    "/course/.learn-output",
    "/course/.learn-cache/serve/site.json",
    "/.learn-cache/serve/lock",
    "/course/basics/img/leak.txt",
    "/course/basics/img/funnel.svg/../../../site.toml",
    "/../site.toml",
    "http://127.0.0.1/../site.toml",
];

#[test]
fn traversal_probes_never_escape_the_build() {
    let dir = site();
    // A link inside content/ to a file outside it: the build may list it, the server must not read through it.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("site.toml"), dir.path().join("content/01-basics/img/leak.txt"))
        .unwrap();
    let server = serve(dir);
    for probe in TRAVERSAL_PROBES {
        let r = server.get(probe);
        let text = r.text();
        assert_ne!(r.status, 200, "{probe} answered 200");
        assert!(!text.contains("SECRET-SITE-TOML") && !text.contains("root:x:"), "{probe} leaked: {text}");
    }
    // And the real files are still there.
    assert_eq!(server.get("/course/basics/img/funnel.svg").status, 200);
}

#[test]
fn pages_have_types_heads_and_revalidation() {
    let server = serve(site());
    let root = server.get("/");
    assert_eq!((root.status, root.header("location")), (302, Some("/course/")));
    let bare = server.get("/course");
    assert_eq!((bare.status, bare.header("location")), (302, Some("/course/")));
    let folder = server.get("/course/basics/first?x=1");
    assert_eq!((folder.status, folder.header("location")), (302, Some("/course/basics/first/?x=1")));

    let home = server.get("/course/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert!(home.text().contains("/course/__learn/reload.js?build="), "served pages carry the reload script");

    let head = server.raw("HEAD /course/", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), home.header("content-length"));
    assert!(head.body.is_empty(), "HEAD has no body");

    let etag = home.header("etag").expect("an ETag");
    let again = server.raw("GET /course/", &[&format!("If-None-Match: {etag}")]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    for (path, kind) in [
        ("/course/assets/style.css", "text/css; charset=utf-8"),
        ("/course/assets/site.js", "text/javascript; charset=utf-8"),
        ("/course/basics/img/funnel.svg", "image/svg+xml"),
        ("/course/sitemap.xml", "application/xml"),
        ("/course/robots.txt", "text/plain; charset=utf-8"),
        ("/course/__learn/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!((r.status, r.header("content-type")), (200, Some(kind)), "{path}");
    }
    let post = server.raw("POST /course/", &["Content-Length: 0"]);
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, HEAD")));
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let server = serve(site());
    for path in ["/course/no/such/page/", "/course/missing.css", "/elsewhere/"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.text().contains("Page not found"), "{path}: the site's own 404 page");
    }
}

#[test]
fn open_reload_streams_never_block_page_loads() {
    let server = serve(site());
    let streams: Vec<Events> = (0..24).map(|_| Events::open(&server, "/course/")).collect();
    let started = Instant::now();
    for _ in 0..3 {
        for path in ["/course/", "/course/basics/first/", "/course/assets/style.css", "/course/faq/"] {
            assert_eq!(server.get(path).status, 200, "{path}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(5), "12 requests took {:?}", started.elapsed());
    drop(streams);
}

#[test]
fn two_hundred_concurrent_connections_are_all_answered() {
    let server = serve(site());
    // Open every connection first, so all 200 are in flight together.
    let mut sockets: Vec<TcpStream> = (0..200).map(|_| server.connect()).collect();
    let paths = ["/course/", "/course/basics/first/", "/course/assets/style.css", "/course/later/zeta/"];
    for (i, s) in sockets.iter_mut().enumerate() {
        let req = format!("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", paths[i % paths.len()]);
        s.write_all(req.as_bytes()).unwrap();
    }
    let statuses: Vec<u16> = sockets
        .into_iter()
        .map(|mut s| {
            let mut bytes = Vec::new();
            s.read_to_end(&mut bytes).unwrap();
            Response::parse(&bytes).status
        })
        .collect();
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}

#[test]
fn a_save_reloads_its_page_and_a_bad_save_shows_its_error_until_fixed() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/basics/second/");
    let lesson = server.path("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();

    std::fs::write(&lesson, format!("{text}\nA sentence written just now.\n")).unwrap();
    events.next_matching(|e| changed(e, "basics/second/index.html"));
    assert!(server.get("/course/basics/second/").text().contains("A sentence written just now."));

    // A bad save: the error reaches the page (as text, for the page to show), the last good build stays.
    let bad = text.replace("title: Second", "title: [<script>alert(1)</script>");
    std::fs::write(&lesson, bad).unwrap();
    let error = events.next_matching(|e| e["type"] == "error");
    let shown = error["text"].as_str().unwrap();
    assert!(shown.contains("content/01-basics/02-second.md"), "{shown}");
    assert!(shown.contains("<script>alert(1)</script>"), "the diagnostic quotes the line as it is: {shown}");
    let page = server.get("/course/basics/second/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("A sentence written just now."), "still the last good build");
    assert!(server.line_with("still serving the last good build").is_some());

    std::fs::write(&lesson, &text).unwrap();
    let fixed = events.next_matching(|e| e["type"] == "build");
    assert!(changed(&fixed, "basics/second/index.html"), "{fixed}");
    assert!(!server.get("/course/basics/second/").text().contains("A sentence written just now."));
}

/// Warnings are printed when they change, not again after every save or
/// after the search index a build left for later.
#[test]
fn warnings_are_printed_once_until_they_change() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/basics/second/");
    server.line_with("Search index updated").expect("the first build's search index");
    let lesson = server.path("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nA sentence written just now.\n")).unwrap();
    events.next_matching(|e| changed(e, "basics/second/index.html"));
    server.line_with("Rebuilt").expect("the save's rebuild");
    let quiet = Duration::from_millis(500);
    assert_eq!(server.count_lines("warning[", quiet), 5, "{:#?}", server.seen.borrow());

    // A save that adds a warning prints them all again, the new one among them.
    let question = "quiz:\n  - id: second-new\n    type: single\n    prompt: Which one?\n    choices:\n      - text: This one\n        correct: true\n      - text: That one\n";
    std::fs::write(&lesson, text.replacen("---\n## Details", &format!("{question}---\n## Details"), 1)).unwrap();
    events.next_matching(|e| changed(e, "basics/second/index.html"));
    server.line_with("Rebuilt").expect("the second save's rebuild");
    let printed = server.count_lines("warning[", quiet);
    assert!(printed > 5 + 5, "{:#?}", server.seen.borrow());
}

#[test]
fn an_editor_that_writes_twice_shows_no_error_in_between() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/later/alpha/");
    let lesson = server.path("content/02-later/alpha.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    // First the file emptied (no front matter: an error), then its new contents.
    std::fs::write(&lesson, "").unwrap();
    std::thread::sleep(Duration::from_millis(40));
    std::fs::write(&lesson, format!("{text}\nWritten in two steps.\n")).unwrap();
    let next = events.next_matching(|e| e["type"] == "error" || changed(e, "later/alpha/index.html"));
    assert_eq!(next["type"], "build", "the half-written file flashed an error: {next}");
    assert!(server.get("/course/later/alpha/").text().contains("Written in two steps."));
}

#[test]
fn an_atomic_save_by_rename_is_seen() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/later/alpha/");
    let lesson = server.path("content/02-later/alpha.md");
    let temp = server.path("content/02-later/.alpha.md.swp");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&temp, format!("{text}\nSaved by rename.\n")).unwrap();
    std::fs::rename(&temp, &lesson).unwrap();
    events.next_matching(|e| changed(e, "later/alpha/index.html"));
    assert!(server.get("/course/later/alpha/").text().contains("Saved by rename."));
}

#[test]
fn a_new_folder_with_a_lesson_created_at_once_is_served() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/");
    let area = server.path("content/03-new");
    std::fs::create_dir(&area).unwrap();
    std::fs::write(area.join("_index.md"), "---\ntitle: New area\nsummary: New.\n---\n").unwrap();
    std::fs::write(area.join("01-one.md"), "---\ntitle: Lesson one\nsummary: One.\n---\nBrand new.\n").unwrap();
    events.next_matching(|e| changed(e, "new/one/index.html"));
    assert!(server.get("/course/new/one/").text().contains("Brand new."));
}

#[test]
fn a_deleted_page_tells_its_open_page_and_then_is_gone() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/later/alpha/");
    std::fs::remove_file(server.path("content/02-later/alpha.md")).unwrap();
    events.next_matching(|e| changed(e, "later/alpha/index.html"));
    assert_eq!(server.get("/course/later/alpha/").status, 404);
}

#[test]
fn a_new_base_url_moves_the_site() {
    let server = serve(site());
    let mut events = Events::open(&server, "/course/");
    let toml = server.path("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("https://example.org/course/", "https://example.org/moved/")).unwrap();
    let e = events.next_matching(|e| e["type"] == "build");
    assert_eq!(e["base"], "/moved/");
    assert_eq!(server.get("/moved/basics/first/").status, 200);
    assert_eq!(server.get("/course/basics/first/").status, 404);
}

#[test]
fn polling_sees_saves_too() {
    let server = start("serve", site(), &["--port", "0", "--poll"]);
    let mut events = Events::open(&server, "/course/later/zeta/");
    let lesson = server.path("content/02-later/zeta.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nSeen by polling.\n")).unwrap();
    events.next_matching(|e| changed(e, "later/zeta/index.html"));
    assert!(server.get("/course/later/zeta/").text().contains("Seen by polling."));
}

#[test]
fn a_bind_address_that_is_not_one_is_a_usage_error() {
    let dir = site();
    let out = Command::new(env!("CARGO_BIN_EXE_learn"))
        .args(["serve", "--bind", "not an address", "--port", "0", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_busy_port_asked_for_is_a_usage_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = site();
    let out = Command::new(env!("CARGO_BIN_EXE_learn"))
        .args(["serve", "--port", &port, "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port 0"));
}

#[test]
fn watch_keeps_the_output_folder_up_to_date() {
    let dir = site();
    let out = dir.path().join("public");
    let watch = start("watch", dir, &[]);
    let page = out.join("basics/second/index.html");
    let lesson = watch.path("content/01-basics/02-second.md");
    let wait_for = |what: &dyn Fn() -> bool| {
        let deadline = Instant::now() + WAIT;
        while !what() {
            assert!(Instant::now() < deadline, "the output folder was not updated in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for(&|| page.is_file());
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nWritten while watching.\n")).unwrap();
    wait_for(&|| std::fs::read_to_string(&page).unwrap_or_default().contains("Written while watching."));
    assert!(!std::fs::read_to_string(&page).unwrap().contains("__learn"), "no reload script in written pages");

    std::fs::remove_file(watch.path("content/02-later/alpha.md")).unwrap();
    wait_for(&|| !out.join("later/alpha/index.html").exists());
    assert!(out.join("later/zeta/index.html").is_file());
}

/// Waits until `what` holds, within the bounded wait.
fn wait_until(what: &dyn Fn() -> bool, why: &str) {
    let deadline = Instant::now() + WAIT;
    while !what() {
        assert!(Instant::now() < deadline, "{why}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_serve_of_an_unchanged_site_serves_at_once_and_never_a_stale_one() {
    let server = serve(site());
    let marker = server.path(".learn-cache/serve/site.json");
    // The marker is written once the first build, search index included, is
    // served and nothing has happened for a moment.
    wait_until(&|| marker.is_file(), "the first serve left no site behind");
    let first = server.get("/course/basics/second/").text();
    let dir = server.stop();

    // Unchanged: served at once, and the same bytes but for the build number on the reload script.
    let again = serve(dir);
    assert!(again.serving.contains("as the last serve left it"), "{}", again.serving);
    let line = again.line_with("Built ").expect("the second serve builds behind the saved site");
    assert!(line.contains("pages"), "{line}");
    let page = again.get("/course/basics/second/");
    assert_eq!(page.status, 200);
    let strip = |s: &str| s.split("?build=").next().unwrap().to_string();
    assert_eq!(strip(&page.text()), strip(&first));
    wait_until(&|| again.path(".learn-cache/serve/site.json").is_file(), "the second serve left no site behind");
    let dir = again.stop();

    // A source changed while no serve ran: the saved site is not served, the new build is.
    let lesson = dir.path().join("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nWritten between two serves.\n")).unwrap();
    let third = start("serve", dir, &["--port", "0"]);
    assert!(!third.serving.contains("as the last serve left it"), "{}", third.serving);
    assert!(third.get("/course/basics/second/").text().contains("Written between two serves."));
}

#[test]
fn a_save_takes_the_left_site_away_until_the_serve_is_quiet_again() {
    let server = serve(site());
    let marker = server.path(".learn-cache/serve/site.json");
    wait_until(&|| marker.is_file(), "the first serve left no site behind");
    let mut events = Events::open(&server, "/course/basics/second/");
    let lesson = server.path("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nSaved before stopping.\n")).unwrap();
    events.next_matching(|e| changed(e, "basics/second/index.html"));
    // Right after the save the folder names no site: its marker went with the change.
    assert!(!marker.is_file(), "a marker of the sources before the save");
    wait_until(&|| marker.is_file(), "a quiet serve leaves its site again");
    let again = serve(server.stop());
    assert!(again.serving.contains("as the last serve left it"), "{}", again.serving);
    assert!(again.get("/course/basics/second/").text().contains("Saved before stopping."));
}
