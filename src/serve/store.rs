//! Where `learn serve` keeps the bytes of the site it serves: a private
//! folder, `.learn-cache/serve/` beside `site.toml`, that nothing else writes.
//!
//! Files are kept by content (`files/<h>/<hash>-<size>`, named by the same
//! xxh3 hash the offline list gives), so the session can hand each file over
//! as soon as it is made, before its update is known to succeed: a file kept
//! is served only once a snapshot naming it is installed, and a failed update
//! leaves files nobody names. A file kept is written by a thread of the
//! store's own and served from memory until it is on disk, so that a save's
//! reload never waits for the disk; each is written to a temporary name and
//! renamed into place, so a request never reads half a file. Files no
//! snapshot names any more are removed when no search job can be keeping them.
//!
//! `site.json`, written last and removed before anything it names can go, says
//! which site the folder holds: the learn that made it, the options, every
//! output file, and every source file's size and modification time as read.
//! A later `learn serve` of the same sources serves it at once ([`DiskStore::saved`]).

use crate::pipeline::{source_stamps, Contents, Files, Stamp, Stamps, Store, Stored};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::time::UNIX_EPOCH;

/// The folder under the site's root, inside the build cache folder.
pub const FOLDER: &str = ".learn-cache/serve";
/// The marker, written last.
const MARKER: &str = "site.json";
/// The format of the marker, bumped when it changes.
const FORMAT: u32 = 1;
/// How many bytes may wait in memory for the writer: past this (the first
/// build of a big site, a slow disk) files are written by whoever keeps them.
const PENDING_MAX: usize = 8 << 20;

/// A folder of kept files, held by one `learn serve` at a time.
#[derive(Debug)]
pub struct DiskStore {
    dir: PathBuf,
    /// Locked while this serve runs, so two serves of one site never remove each other's files.
    _lock: File,
    /// Tells temporary names apart across threads.
    next_temp: AtomicU64,
    /// What the store knows of which files are named.
    books: Mutex<Books>,
    /// Counts the times the marker was removed: a marker made for an older
    /// snapshot is not put in place once a newer one was installed.
    marker: Mutex<u64>,
    /// Files kept but not on disk yet, served from here until they are (or
    /// for good, if they cannot be written).
    pending: Mutex<Pending>,
    /// The writer's queue: files to write, then what must follow them (the marker).
    jobs: Mutex<Sender<Job>>,
}

/// Files kept but not on disk yet, with how many bytes they hold.
#[derive(Debug, Default)]
struct Pending {
    files: HashMap<Stored, Arc<[u8]>>,
    bytes: usize,
}

impl Pending {
    /// Holds the bytes of `stored`, unless they are held already.
    fn hold(&mut self, stored: Stored, bytes: Arc<[u8]>) {
        if !self.files.contains_key(&stored) {
            self.bytes += bytes.len();
            self.files.insert(stored, bytes);
        }
    }

    /// Lets go of the bytes of `stored`, if they are held.
    fn release(&mut self, stored: Stored) {
        if let Some(bytes) = self.files.remove(&stored) {
            self.bytes -= bytes.len();
        }
    }
}

/// What the writer thread does, in the order asked.
enum Job {
    /// Writes a pending file to disk.
    Write(Stored),
    /// Runs once every file asked for before is written.
    Then(Box<dyn FnOnce(&DiskStore) + Send>),
}

/// Which kept files are named, and which may not be.
#[derive(Debug, Default)]
struct Books {
    /// How many output paths of the installed snapshot name each file.
    refs: HashMap<Stored, u32>,
    /// Files written, or left unnamed by an install, since the last sweep.
    maybe_unused: HashSet<Stored>,
    /// Whether leftovers of earlier runs were swept away yet.
    swept_all: bool,
}

/// What the marker says.
#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: u32,
    /// The learn that made the files: its version and the hash of the
    /// sources it was built from (`build.rs`), as `learn build`'s cache names it.
    learn: String,
    build: String,
    drafts: bool,
    base: String,
    /// Every source file's path under the root, size and modification time (ns).
    sources: Vec<(String, Option<(u64, u64)>)>,
    files: Vec<Entry>,
}

/// One output file in the marker: kept here, or copied from `content/`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Entry {
    Kept(String, u64, u64),
    Copy(String, PathBuf),
}

/// A site a previous serve left, checked to be what this serve would build.
#[derive(Debug)]
pub struct Saved {
    pub base: String,
    pub files: Files,
}

impl DiskStore {
    /// Opens (creating it) the folder of the site in `root`; fails if another
    /// `learn serve` of the site holds it.
    pub fn open(root: &Path) -> io::Result<Arc<DiskStore>> {
        let dir = root.join(FOLDER);
        // Every folder a kept file can go in, made once rather than on each write.
        for h in 0..256 {
            std::fs::create_dir_all(dir.join("files").join(format!("{h:02x}")))?;
        }
        let lock = File::options().create(true).truncate(false).write(true).open(dir.join("lock"))?;
        lock.try_lock().map_err(|_| io::Error::other("another `learn serve` of this site is running"))?;
        let (next_temp, books) = (AtomicU64::new(0), Mutex::default());
        let (jobs, queue) = channel();
        let store = Arc::new_cyclic(|weak: &Weak<DiskStore>| {
            let weak = weak.clone();
            // Without a writer, files are written by whoever keeps them (the send fails).
            let _ = std::thread::Builder::new().name("learn-store".into()).spawn(move || write_queued(&weak, queue));
            DiskStore {
                dir,
                _lock: lock,
                next_temp,
                books,
                marker: Mutex::new(0),
                pending: Mutex::default(),
                jobs: Mutex::new(jobs),
            }
        });
        Ok(store)
    }

    fn path_of(&self, s: Stored) -> PathBuf {
        let name = format!("{:016x}-{:x}", s.hash, s.size);
        self.dir.join("files").join(&name[..2]).join(name)
    }

    /// The bytes of a kept file.
    pub fn read(&self, s: Stored) -> io::Result<Vec<u8>> {
        if let Some(bytes) = self.pending().files.get(&s) {
            return Ok(bytes.to_vec());
        }
        std::fs::read(self.path_of(s))
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `then` on the writer thread once every file kept so far is written.
    fn after_writes(&self, then: Box<dyn FnOnce(&DiskStore) + Send>) {
        let sent = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(Job::Then(then));
        if let Err(std::sync::mpsc::SendError(Job::Then(then))) = sent {
            then(self);
        }
    }

    /// Waits until every file kept so far is written (or failed to be).
    pub fn written(&self) {
        let (done, wait) = channel();
        self.after_writes(Box::new(move |_| {
            let _ = done.send(());
        }));
        let _ = wait.recv();
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        self.books.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that `new` replaced `old` as the snapshot served, `paths` being
    /// the output paths that may differ (all of them when `whole`). With no
    /// search job out (`quiet`), removes the files nobody names any more.
    pub fn installed(&self, old: &Files, new: &Files, paths: &[String], whole: bool, quiet: bool) {
        let mut books = self.books();
        let stored = |files: &Files, p: &str| match files.get(p).map(|c| &**c) {
            Some(Contents::Stored(s)) => Some(*s),
            _ => None,
        };
        if whole {
            let dropped: Vec<Stored> = books.refs.drain().map(|(s, _)| s).collect();
            books.maybe_unused.extend(dropped);
            for c in new.values() {
                if let Contents::Stored(s) = &**c {
                    *books.refs.entry(*s).or_default() += 1;
                }
            }
        } else {
            for p in paths {
                if let Some(s) = stored(old, p) {
                    let n = books.refs.entry(s).or_default();
                    *n = n.saturating_sub(1);
                    books.maybe_unused.insert(s);
                }
                if let Some(s) = stored(new, p) {
                    *books.refs.entry(s).or_default() += 1;
                }
            }
        }
        books.refs.retain(|_, n| *n > 0);
        if quiet {
            self.sweep(&mut books);
        }
    }

    /// Removes every file nobody names: those noted since the last sweep, and
    /// on the first sweep whatever an earlier run left.
    fn sweep(&self, books: &mut Books) {
        let unused: Vec<Stored> = books.maybe_unused.drain().filter(|s| !books.refs.contains_key(s)).collect();
        for s in unused {
            self.pending().release(s);
            let _ = std::fs::remove_file(self.path_of(s));
        }
        if std::mem::replace(&mut books.swept_all, true) {
            return;
        }
        let named: HashSet<PathBuf> = books.refs.keys().map(|s| self.path_of(*s)).collect();
        let mine = format!(".tmp-{}-", std::process::id());
        let files = walkdir::WalkDir::new(self.dir.join("files")).min_depth(2).max_depth(2);
        for entry in files.into_iter().filter_map(Result::ok) {
            // This process's temporary names are files being written now; another's were left by a killed serve.
            let writing = entry.file_name().as_encoded_bytes().starts_with(mine.as_bytes());
            if !writing && !named.contains(entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Removes the marker: the folder is about to stop being the site it names.
    pub fn forget(&self) {
        let mut generation = self.marker.lock().unwrap_or_else(|e| e.into_inner());
        *generation += 1;
        let _ = std::fs::remove_file(self.dir.join(MARKER));
    }

    /// Writes the marker for `files`, made with `drafts` at `base` from `sources`.
    /// Files the store does not hold (kept in memory after a failure) leave no marker.
    pub fn remember(&self, files: &Files, drafts: bool, base: &str, sources: &Stamps) -> io::Result<()> {
        self.written();
        let generation = *self.marker.lock().unwrap_or_else(|e| e.into_inner());
        self.write_marker(generation, files, drafts, base, sources)
    }

    /// [`DiskStore::remember`] on the writer thread, once every file it names
    /// is written: at 10,000 lessons the marker is some 3 MB, not to be
    /// written while the next save waits. It is put in place only if the
    /// marker was not removed meanwhile.
    pub fn remember_later(&self, files: Arc<Files>, drafts: bool, base: String, sources: Stamps) {
        let generation = *self.marker.lock().unwrap_or_else(|e| e.into_inner());
        self.after_writes(Box::new(move |store| {
            // A marker that cannot be written only costs the next serve its head start.
            let _ = store.write_marker(generation, &files, drafts, &base, &sources);
        }));
    }

    fn write_marker(
        &self,
        generation: u64,
        files: &Files,
        drafts: bool,
        base: &str,
        sources: &Stamps,
    ) -> io::Result<()> {
        let mut entries = Vec::with_capacity(files.len());
        let pending = self.pending().files.keys().copied().collect::<HashSet<Stored>>();
        for (path, c) in files {
            entries.push(match &**c {
                // Not written (the disk refused it): the folder does not hold the site.
                Contents::Stored(s) if pending.contains(s) => return Ok(()),
                Contents::Stored(s) => Entry::Kept(path.to_string(), s.size, s.hash),
                Contents::Copy(source) => Entry::Copy(path.to_string(), source.clone()),
                Contents::Bytes(_) | Contents::Shared(_) | Contents::Kept => return Ok(()),
            });
        }
        let marker = Marker {
            format: FORMAT,
            learn: env!("CARGO_PKG_VERSION").to_string(),
            build: env!("LEARN_BUILD_ID").to_string(),
            drafts,
            base: base.to_string(),
            sources: sources.iter().map(|(p, s)| (p.to_string_lossy().into_owned(), s.map(stamp_key))).collect(),
            files: entries,
        };
        let n = self.next_temp.fetch_add(1, Ordering::Relaxed);
        let temp = self.dir.join(format!(".{MARKER}.tmp-{n}"));
        let mut out = io::BufWriter::new(File::create(&temp)?);
        serde_json::to_writer(&mut out, &marker)?;
        out.flush()?;
        drop(out);
        // Checked and renamed under the lock `forget` takes: never put in place after a newer install.
        let current = self.marker.lock().unwrap_or_else(|e| e.into_inner());
        if *current != generation {
            drop(current);
            return std::fs::remove_file(&temp);
        }
        std::fs::rename(&temp, self.dir.join(MARKER))
    }

    /// The site a previous serve left here, if it is exactly what this serve
    /// would build first: same learn, same options, every source file of the
    /// site in `root` with the size and modification time it had when read,
    /// and every file it names still here. Anything else is `None`.
    pub fn saved(&self, root: &Path, drafts: bool) -> Option<Saved> {
        let text = std::fs::read(self.dir.join(MARKER)).ok()?;
        let marker: Marker = serde_json::from_slice(&text).ok()?;
        let same_learn = marker.format == FORMAT && marker.learn == env!("CARGO_PKG_VERSION");
        if !same_learn || marker.build != env!("LEARN_BUILD_ID") || marker.drafts != drafts {
            return None;
        }
        let now: Vec<(String, Option<(u64, u64)>)> =
            source_stamps(root).iter().map(|(p, s)| (p.to_string_lossy().into_owned(), s.map(stamp_key))).collect();
        if now != marker.sources || now.iter().any(|(_, s)| s.is_none()) {
            return None;
        }
        let mut files = Files::with_capacity(marker.files.len());
        for entry in marker.files {
            let (path, contents) = match entry {
                Entry::Kept(path, size, hash) => (path, Contents::Stored(Stored { size, hash })),
                Entry::Copy(path, source) => (path, Contents::Copy(source)),
            };
            if let Contents::Stored(s) = contents {
                self.path_of(s).is_file().then_some(())?;
            }
            files.insert(path.into(), Arc::new(contents));
        }
        Some(Saved { base: marker.base, files })
    }
}

impl Store for DiskStore {
    /// Keeps the bytes under their name unless they are kept already: handed
    /// to the writer, or written here when too much waits for it.
    fn keep(&self, contents: &Contents) -> io::Result<Option<Stored>> {
        let Some(bytes) = contents.bytes() else { return Ok(None) };
        let stored = Stored::of(bytes);
        if self.pending().files.contains_key(&stored) || self.path_of(stored).is_file() {
            return Ok(Some(stored));
        }
        self.books().maybe_unused.insert(stored);
        if self.pending().bytes + bytes.len() > PENDING_MAX {
            self.write(stored, bytes)?;
            return Ok(Some(stored));
        }
        let held = match contents {
            // Shared with the search index until it lets go of them: held, not copied.
            Contents::Shared(arc) => arc.clone(),
            _ => Arc::from(bytes),
        };
        self.pending().hold(stored, held);
        let sent = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(Job::Write(stored));
        if sent.is_err() {
            self.write_pending(stored);
        }
        Ok(Some(stored))
    }
}

impl DiskStore {
    /// Writes a pending file and lets go of its bytes; one that cannot be
    /// written stays in memory and is served from there.
    fn write_pending(&self, stored: Stored) {
        let Some(bytes) = self.pending().files.get(&stored).cloned() else { return };
        if self.write(stored, &bytes).is_ok() {
            self.pending().release(stored);
            // A sweep may have passed while it was waiting: the next one looks again.
            self.books().maybe_unused.insert(stored);
        }
    }

    /// Writes `bytes` under the name of `stored`, through a temporary name.
    fn write(&self, stored: Stored, bytes: &[u8]) -> io::Result<()> {
        let dest = self.path_of(stored);
        let parent = dest.parent().expect("a kept file has a folder");
        let n = self.next_temp.fetch_add(1, Ordering::Relaxed);
        let temp = parent.join(format!(".tmp-{}-{n}", std::process::id()));
        let written = match std::fs::write(&temp, bytes) {
            // The folder went (deleted by hand): made again.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(parent).and_then(|()| std::fs::write(&temp, bytes))
            }
            other => other,
        };
        let written = written.and_then(|()| std::fs::rename(&temp, &dest));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

/// The writer thread: does what it is asked, in order, while the store lives.
fn write_queued(store: &Weak<DiskStore>, queue: Receiver<Job>) {
    for job in queue {
        let Some(store) = store.upgrade() else { return };
        match job {
            Job::Write(stored) => store.write_pending(stored),
            Job::Then(then) => then(&store),
        }
    }
}

/// A stamp as the marker writes it: size and nanoseconds since 1970.
fn stamp_key(s: Stamp) -> (u64, u64) {
    let ns = s.modified.and_then(|m| m.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
    (s.len, ns)
}

#[cfg(test)]
mod tests;
