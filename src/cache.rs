//! `learn build`'s cache: `.learn-cache/build.bin` beside `site.toml`, what
//! the last build remembered ([`Memo`]) and the stamps of every input it read.
//!
//! The file starts with a header naming the learn that wrote it and the
//! options it was written for (drafts, base URL, output folder); a cache
//! written by another learn or for other options is not used. The body
//! carries its length and a hash, so a truncated or corrupt cache is not
//! used either: the build is then a clean one, never a wrong one. The file is
//! written to a temporary name and renamed, and removed before a build starts
//! changing the output in place, so a killed build leaves no cache that
//! describes files it did not finish.

use crate::pipeline::{BuildOptions, Memo, Outputs, Pages};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

mod survey;
pub use survey::{stamp, survey, Survey};

/// The cache folder, beside `site.toml`.
pub const DIR: &str = ".learn-cache";
/// The build's files in it: what a build with nothing to do reads, and the rest.
const OUTPUTS: &str = "build.bin";
const PAGES: &str = "pages.bin";
const FRONTS: &str = "fronts.bin";
/// The first bytes of each file.
const MAGIC: &[u8] = b"learn build cache 2\n";

/// Whom and what a cache was written for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// learn's version and the hash of the sources it was built from
    /// (`build.rs`), so a learn built from other sources starts clean, and the
    /// same learn built again (as CI does) does not.
    learn: (String, String),
    drafts: bool,
    base_url: Option<String>,
    output: PathBuf,
}

impl Key {
    /// The key of a build with these options into `output`.
    pub fn new(opts: &BuildOptions, output: &Path) -> Key {
        // Lexically, not by the file system: the folder may not exist yet.
        let output = crate::output::lexical_absolute(output);
        Key {
            learn: (env!("CARGO_PKG_VERSION").to_string(), env!("LEARN_BUILD_ID").to_string()),
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            output,
        }
    }
}

/// Size and times of every input file: `site.toml`, `content/` and `themes/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamps(Vec<(PathBuf, u64, i128, i128)>);

impl Stamps {
    /// Takes the stamps of every input of the site at `root`, before a build reads them.
    pub fn take(root: &Path) -> Stamps {
        let stamp = |entry: walkdir::DirEntry| {
            entry.metadata().ok().map(|m| (entry.path().to_path_buf(), m.len(), modified(&m), changed(&m)))
        };
        let mut all = Vec::new();
        for top in ["site.toml", "content", "themes"] {
            let top = root.join(top);
            let walk = WalkDir::new(&top).sort_by_file_name().max_depth(0).into_iter().flatten();
            all.extend(walk.filter_map(stamp));
            // Each entry of the folder walked on the thread pool, in the order one walk gives.
            let children = survey::in_folder(&top, true);
            let below: Vec<Vec<_>> =
                children.par_iter().map(|c| survey::walk_from(c, true).filter_map(stamp).collect()).collect();
            all.extend(below.into_iter().flatten());
        }
        Stamps(all)
    }
}

/// What was found in the cache folder.
pub enum Found {
    /// A cache for this learn and these options.
    Usable(Box<Cached>),
    /// No cache.
    Missing,
    /// A cache that cannot be used, and why, in a few words.
    Unusable(&'static str),
}

/// The part of a cache every build reads; [`Cached::pages`] reads the rest.
pub struct Cached {
    pub stamps: Stamps,
    pub outputs: Outputs,
    /// How to read the rest.
    pub rest: Rest,
}

/// The rest of a cache, to read when something changed.
pub struct Rest {
    /// Names the build that wrote the files, so files from two builds are never mixed.
    nonce: u64,
    /// Names the build that wrote the front matter file: a build that parsed
    /// no new front matter leaves that file as it was.
    fronts: u64,
}

impl Rest {
    /// Reads the rest of the cache (the record, what each page left, the
    /// front matter) into a memo with `outputs`. Both files are read and
    /// checked here, but the pages are decoded on a thread of their own,
    /// which the build waits for only once it needs them.
    pub fn read(&self, root: &Path, key: &Key, outputs: Outputs) -> Result<Memo, &'static str> {
        let (pages, fronts) = rayon::join(
            || Self::file(root, PAGES, key, self.nonce),
            || {
                let (bytes, start) = Self::file(root, FRONTS, key, self.fronts)?;
                postcard::from_bytes(&bytes[start..]).map_err(|_| "the build cache is corrupt")
            },
        );
        let ((pages, start), fronts) = (pages?, fronts?);
        let pending = std::thread::Builder::new()
            .spawn(move || Pages::decode(pages, start))
            .map_err(|_| "the build cache could not be read")?;
        Ok(Memo { outputs, pages: Pages::default(), fronts, fronts_unchanged: false, pending: Some(pending) })
    }

    /// The bytes of one file of the rest and where its body starts, once
    /// its header and hash are checked, if it was written by the build named `want`.
    fn file(root: &Path, name: &str, key: &Key, want: u64) -> Result<(Vec<u8>, usize), &'static str> {
        let bytes = std::fs::read(root.join(DIR).join(name)).map_err(|_| "the build cache is incomplete")?;
        match body_start(&bytes, key)? {
            (nonce, start) if nonce == want => Ok((bytes, start)),
            _ => Err("the build cache is incomplete"),
        }
    }
}

/// Reads the part of the cache of the site at `root` every build needs, if
/// it was written for `key`.
pub fn load(root: &Path, key: &Key) -> Found {
    let Ok(bytes) = std::fs::read(root.join(DIR).join(OUTPUTS)) else {
        return Found::Missing;
    };
    match decode::<(Stamps, Outputs, u64)>(&bytes, key) {
        Ok((nonce, (stamps, outputs, fronts))) => {
            Found::Usable(Box::new(Cached { stamps, outputs, rest: Rest { nonce, fronts } }))
        }
        Err(why) => Found::Unusable(why),
    }
}

/// Writes the cache for `key`: each file to a temporary name, then renamed
/// over the old one, the part every build reads last. `fronts`: the front
/// matter file on disk, which is left as it is when the memo's front matter
/// is the same as what it holds.
pub fn save(root: &Path, key: &Key, stamps: &Stamps, memo: &Memo, fronts: Option<&Rest>) -> std::io::Result<()> {
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir)?;
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
        ^ u64::from(std::process::id());
    let kept = fronts.filter(|_| memo.fronts_unchanged && dir.join(FRONTS).is_file()).map(|rest| rest.fronts);
    let (pages, fronts) = rayon::join(
        || write(&dir, PAGES, key, nonce, &memo.pages.encode().map_err(std::io::Error::other)?),
        || match kept {
            Some(_) => Ok(()),
            None => write(&dir, FRONTS, key, nonce, &[encode(&memo.fronts)?.into()]),
        },
    );
    pages?;
    fronts?;
    let outputs = encode(&(stamps, &memo.outputs, kept.unwrap_or(nonce)))?;
    write(&dir, OUTPUTS, key, nonce, &[outputs.into()])
}

/// Makes the cache unusable (its other files may still serve a later save).
pub fn invalidate(root: &Path) {
    let _ = std::fs::remove_file(root.join(DIR).join(OUTPUTS));
}

/// A body as postcard encodes it.
fn encode<T: Serialize>(body: &T) -> std::io::Result<Vec<u8>> {
    postcard::to_allocvec(body).map_err(std::io::Error::other)
}

/// The nonce and body of a file written by [`write`] for `key`, or why not.
fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8], key: &Key) -> Result<(u64, T), &'static str> {
    let (nonce, start) = body_start(bytes, key)?;
    postcard::from_bytes(&bytes[start..]).map(|b| (nonce, b)).map_err(|_| "the build cache is corrupt")
}

/// The nonce of a file written by [`write`] for `key` and where its body
/// starts, once the body's hash is checked; or why the file cannot be used.
fn body_start(bytes: &[u8], key: &Key) -> Result<(u64, usize), &'static str> {
    let rest = bytes.strip_prefix(MAGIC).ok_or("the build cache is from another version of learn")?;
    let (header, rest) = postcard::take_from_bytes::<Key>(rest).map_err(|_| "the build cache is corrupt")?;
    if header.learn != key.learn {
        return Err("the build cache is from another build of learn");
    }
    if header != *key {
        return Err("the build cache was written for other options (--drafts, --base-url or --output)");
    }
    let word = |at: usize| rest.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let (Some(nonce), Some(hash)) = (word(0), word(8)) else {
        return Err("the build cache is truncated");
    };
    let body = &rest[16..];
    if xxhash_rust::xxh3::xxh3_64(body) != hash {
        return Err("the build cache is truncated or corrupt");
    }
    Ok((nonce, bytes.len() - body.len()))
}

/// Writes `name` in `dir` by a temporary file renamed over it: the header
/// for `key`, the nonce, the body's hash, and the body, given in parts (a
/// body of many megabytes is not copied into one buffer first).
fn write(dir: &Path, name: &str, key: &Key, nonce: u64, body: &[Cow<'_, [u8]>]) -> std::io::Result<()> {
    use std::io::Write;
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    body.iter().for_each(|part| hash.update(part));
    let mut header = postcard::to_extend(key, MAGIC.to_vec()).map_err(std::io::Error::other)?;
    header.extend(nonce.to_le_bytes());
    header.extend(hash.digest().to_le_bytes());
    let temp = dir.join(format!("{name}.{}", std::process::id()));
    let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&temp)?);
    file.write_all(&header)?;
    body.iter().try_for_each(|part| file.write_all(part))?;
    file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    std::fs::rename(&temp, dir.join(name))
}

/// Removes the build's cache files (the folder too, once empty).
pub fn remove(root: &Path) {
    let dir = root.join(DIR);
    let _ = std::fs::remove_file(dir.join(OUTPUTS));
    let _ = std::fs::remove_file(dir.join(PAGES));
    let _ = std::fs::remove_file(dir.join(FRONTS));
    let _ = std::fs::remove_dir(&dir);
}

/// A file's modification time in nanoseconds since the epoch (0 if unknown).
pub(crate) fn modified(m: &std::fs::Metadata) -> i128 {
    m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as i128)
}

/// When a file's metadata last changed: an edit that puts the old
/// modification time back still moves this.
#[cfg(unix)]
fn changed(m: &std::fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec())
}

#[cfg(not(unix))]
fn changed(_: &std::fs::Metadata) -> i128 {
    0
}
