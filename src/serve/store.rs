//! Where `learn serve` keeps the bytes of the site it serves: a private
//! folder, `.learn-cache/serve/` beside `site.toml`, that nothing else writes.
//!
//! Files are kept by content (`files/<h>/<hash>-<size>`, named by the same
//! xxh3 hash the offline list gives), so the session can hand each file over
//! as soon as it is made, before its update is known to succeed: a file kept
//! is served only once a snapshot naming it is installed, and a failed update
//! leaves files nobody names. Each is written to a temporary name and renamed
//! into place, so a request never reads half a file. Files no snapshot names
//! any more are removed when no search job can be keeping them.
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
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

/// The folder under the site's root, inside the build cache folder.
pub const FOLDER: &str = ".learn-cache/serve";
/// The marker, written last.
const MARKER: &str = "site.json";
/// The format of the marker, bumped when it changes.
const FORMAT: u32 = 1;

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
    /// The learn that made the files: version and executable's stamp.
    learn: String,
    exe: Option<(u64, u64)>,
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
        std::fs::create_dir_all(dir.join("files"))?;
        let lock = File::options().create(true).truncate(false).write(true).open(dir.join("lock"))?;
        lock.try_lock().map_err(|_| io::Error::other("another `learn serve` of this site is running"))?;
        Ok(Arc::new(DiskStore { dir, _lock: lock, next_temp: AtomicU64::new(0), books: Mutex::default() }))
    }

    fn path_of(&self, s: Stored) -> PathBuf {
        let name = format!("{:016x}-{:x}", s.hash, s.size);
        self.dir.join("files").join(&name[..2]).join(name)
    }

    /// The bytes of a kept file.
    pub fn read(&self, s: Stored) -> io::Result<Vec<u8>> {
        std::fs::read(self.path_of(s))
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
            let _ = std::fs::remove_file(self.path_of(s));
        }
        if std::mem::replace(&mut books.swept_all, true) {
            return;
        }
        let named: HashSet<PathBuf> = books.refs.keys().map(|s| self.path_of(*s)).collect();
        let files = walkdir::WalkDir::new(self.dir.join("files")).min_depth(2).max_depth(2);
        for entry in files.into_iter().filter_map(Result::ok) {
            if !named.contains(entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Removes the marker: the folder is about to stop being the site it names.
    pub fn forget(&self) {
        let _ = std::fs::remove_file(self.dir.join(MARKER));
    }

    /// Writes the marker for `files`, made with `drafts` at `base` from `sources`.
    /// Files the store does not hold (kept in memory after a failure) leave no marker.
    pub fn remember(&self, files: &Files, drafts: bool, base: &str, sources: &Stamps) -> io::Result<()> {
        let mut entries = Vec::with_capacity(files.len());
        for (path, c) in files {
            entries.push(match &**c {
                Contents::Stored(s) => Entry::Kept(path.to_string(), s.size, s.hash),
                Contents::Copy(source) => Entry::Copy(path.to_string(), source.clone()),
                Contents::Bytes(_) | Contents::Shared(_) => return Ok(()),
            });
        }
        let marker = Marker {
            format: FORMAT,
            learn: env!("CARGO_PKG_VERSION").to_string(),
            exe: exe_stamp(),
            drafts,
            base: base.to_string(),
            sources: sources.iter().map(|(p, s)| (p.to_string_lossy().into_owned(), s.map(stamp_key))).collect(),
            files: entries,
        };
        let temp = self.dir.join(format!(".{MARKER}.tmp"));
        let mut out = io::BufWriter::new(File::create(&temp)?);
        serde_json::to_writer(&mut out, &marker)?;
        out.flush()?;
        drop(out);
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
        if !same_learn || marker.exe != exe_stamp() || marker.exe.is_none() || marker.drafts != drafts {
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
    fn keep(&self, contents: &Contents) -> io::Result<Option<Stored>> {
        let Some(bytes) = contents.bytes() else { return Ok(None) };
        let stored = Stored::of(bytes);
        let dest = self.path_of(stored);
        if dest.is_file() {
            return Ok(Some(stored));
        }
        let parent = dest.parent().expect("a kept file has a folder");
        std::fs::create_dir_all(parent)?;
        let n = self.next_temp.fetch_add(1, Ordering::Relaxed);
        let temp = parent.join(format!(".tmp-{}-{n}", std::process::id()));
        let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, &dest));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        self.books().maybe_unused.insert(stored);
        Ok(Some(stored))
    }
}

/// A stamp as the marker writes it: size and nanoseconds since 1970.
fn stamp_key(s: Stamp) -> (u64, u64) {
    let ns = s.modified.and_then(|m| m.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
    (s.len, ns)
}

/// The running executable's size and modification time: a rebuilt learn of
/// the same version may make other files.
fn exe_stamp() -> Option<(u64, u64)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some(stamp_key(Stamp { len: meta.len(), modified: meta.modified().ok() }))
}
