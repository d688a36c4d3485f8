//! Live reload by Server-Sent Events. Every open page holds one stream; the
//! hub sends each stream the outcome of every rebuild (which output files
//! changed, or the diagnostics of a failed build) once the new build is in
//! place. A page that connects late learns on connecting whether it missed a
//! change to itself, from a short history of builds.

use serde::Serialize;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many past builds a late page can be compared against.
const HISTORY: usize = 64;
/// A comment sent on an idle stream, so that a closed page is noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One event, ready to send.
type Frame = Arc<str>;

/// What a page's script is told.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum Message<'a> {
    /// On connecting: the current state, and whether the page is out of date.
    Hello { build: &'a str, base: &'a str, error: Option<&'a str>, reload: bool },
    /// A new build is in place: the output paths whose contents changed.
    Build { build: &'a str, base: &'a str, changed: &'a [String] },
    /// A build failed; the last good build is still served.
    Error { build: &'a str, text: &'a str },
}

fn frame(message: &Message<'_>) -> Frame {
    let json = serde_json::to_string(message).expect("messages serialise");
    // `data:` lines cannot hold a newline; JSON strings escape theirs.
    format!("data: {json}\n\n").into()
}

#[derive(Default)]
struct State {
    /// This server's runs are told apart from the next one's, whose build numbers start again.
    run: String,
    build: u64,
    base: String,
    error: Option<String>,
    /// Recent builds: number and changed output paths.
    history: VecDeque<(u64, Vec<String>)>,
    clients: Vec<Sender<Frame>>,
}

/// The streams of every open page.
#[derive(Clone)]
pub struct Hub {
    state: Arc<Mutex<State>>,
}

impl Hub {
    pub fn new(run: String, base: String) -> Self {
        Hub { state: Arc::new(Mutex::new(State { run, base, ..State::default() })) }
    }

    /// The token of the current build as pages carry it: `<run>.<number>`.
    pub fn token(&self) -> String {
        let s = self.state.lock().expect("hub lock");
        format!("{}.{}", s.run, s.build)
    }

    /// Records a new build (it is already being served) and tells every page.
    pub fn built(&self, base: &str, changed: Vec<String>) {
        let mut s = self.state.lock().expect("hub lock");
        s.build += 1;
        s.base = base.to_string();
        s.error = None;
        let token = format!("{}.{}", s.run, s.build);
        let f = frame(&Message::Build { build: &token, base, changed: &changed });
        let b = s.build;
        s.history.push_back((b, changed));
        if s.history.len() > HISTORY {
            s.history.pop_front();
        }
        s.clients.retain(|c| c.send(f.clone()).is_ok());
    }

    /// Records a failed build and shows its diagnostics on every page.
    pub fn failed(&self, text: String) {
        let mut s = self.state.lock().expect("hub lock");
        let token = format!("{}.{}", s.run, s.build);
        let f = frame(&Message::Error { build: &token, text: &text });
        s.error = Some(text);
        s.clients.retain(|c| c.send(f.clone()).is_ok());
    }

    /// Registers a page whose HTML came from build `token` and is the output file
    /// `file`; returns its stream and the hello to send first. Both happen under
    /// one lock, so no build can slip between them.
    pub fn join(&self, token: &str, file: Option<&str>) -> (Receiver<Frame>, Frame) {
        let (tx, rx) = mpsc::channel();
        let mut s = self.state.lock().expect("hub lock");
        let reload = match token.split_once('.') {
            Some((run, n)) if run == s.run => match n.parse::<u64>() {
                Ok(n) if n == s.build => false,
                // Out of date if any build since changed this page, or if the history no longer reaches back.
                Ok(n) if n < s.build => {
                    let oldest = s.history.front().map_or(u64::MAX, |(b, _)| *b);
                    n + 1 < oldest
                        || s.history.iter().filter(|(b, _)| *b > n).any(|(_, changed)| match file {
                            Some(f) => changed.iter().any(|c| c == f || c == "404.html"),
                            None => !changed.is_empty(),
                        })
                }
                _ => true,
            },
            // A page from before this server started.
            _ => true,
        };
        let current = format!("{}.{}", s.run, s.build);
        let hello = frame(&Message::Hello { build: &current, base: &s.base, error: s.error.as_deref(), reload });
        s.clients.push(tx);
        (rx, hello)
    }

    /// Streams registered; a closed one goes at the next event.
    #[cfg(test)]
    fn clients(&self) -> usize {
        self.state.lock().expect("hub lock").clients.len()
    }
}

/// Sends a page its events until it goes away. Each event is flushed at once.
pub fn stream(mut out: impl Write, hello: Frame, events: Receiver<Frame>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    let mut send = |bytes: &[u8]| out.write_all(bytes).and_then(|()| out.flush()).is_ok();
    if !send(head.as_bytes()) || !send(hello.as_bytes()) {
        return;
    }
    loop {
        let ok = match events.recv_timeout(KEEP_ALIVE) {
            Ok(f) => send(f.as_bytes()),
            Err(RecvTimeoutError::Timeout) => send(b": keep-alive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if !ok {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(f: &Frame) -> serde_json::Value {
        let json = f.strip_prefix("data: ").unwrap().trim_end();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_page_joining_after_a_change_to_it_is_told_to_reload() {
        let hub = Hub::new("r".into(), "/".into());
        hub.built("/", vec!["a/index.html".into()]); // build 1
        hub.built("/", vec!["b/index.html".into()]); // build 2
        let (_rx, hello) = hub.join("r.0", Some("a/index.html"));
        assert_eq!(data(&hello)["reload"], true);
        let (_rx, hello) = hub.join("r.1", Some("a/index.html"));
        assert_eq!(data(&hello)["reload"], false, "only b changed since build 1");
        let (_rx, hello) = hub.join("r.2", Some("a/index.html"));
        assert_eq!(data(&hello)["reload"], false);
        // A page from another run of the server, or with no token, reloads.
        let (_rx, hello) = hub.join("other.2", Some("a/index.html"));
        assert_eq!(data(&hello)["reload"], true);
    }

    #[test]
    fn every_page_gets_builds_and_errors_and_a_late_page_sees_the_error() {
        let hub = Hub::new("r".into(), "/c/".into());
        let (rx, _) = hub.join("r.0", Some("index.html"));
        hub.failed("error: <b>bad</b>".into());
        let e = data(&rx.recv().unwrap());
        assert_eq!(e["type"], "error");
        assert_eq!(e["text"], "error: <b>bad</b>");
        let (_late, hello) = hub.join("r.0", None);
        assert_eq!(data(&hello)["error"], "error: <b>bad</b>");
        hub.built("/c/", vec!["index.html".into()]);
        let b = data(&rx.recv().unwrap());
        assert_eq!(b["type"], "build");
        assert_eq!(b["build"], "r.1");
        assert_eq!(b["changed"][0], "index.html");
    }

    #[test]
    fn closed_streams_are_dropped() {
        let hub = Hub::new("r".into(), "/".into());
        let (rx, _) = hub.join("r.0", None);
        drop(rx);
        hub.built("/", vec![]);
        assert_eq!(hub.clients(), 0);
    }

    #[test]
    fn a_stream_writes_the_head_the_hello_and_each_event() {
        let hub = Hub::new("r".into(), "/".into());
        let (rx, hello) = hub.join("r.0", None);
        hub.built("/", vec!["x.css".into()]);
        drop(hub);
        let mut out = Vec::new();
        stream(&mut out, hello, rx);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"), "{text}");
        assert!(text.contains("\"type\":\"hello\""), "{text}");
        assert!(text.contains("\"changed\":[\"x.css\"]"), "{text}");
    }
}
