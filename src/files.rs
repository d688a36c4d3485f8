//! The files a build makes, shared by the pipeline that makes them, the
//! search index that makes some of them, and the writers and the server that
//! take them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

/// Bytes made by the build, or a source file copied as it is.
#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Bytes kept by the search index between builds, handed out without a copy.
    Shared(Arc<[u8]>),
    Copy(PathBuf),
    /// The bytes a previous build wrote at this path, which are still there:
    /// only a build given what that build remembered makes these.
    Kept,
    /// Bytes handed to a store outside memory (`learn serve`'s folder), known
    /// by their size and hash.
    Stored(Stored),
}

/// What a file whose bytes went to a store is known by: enough to tell
/// whether it changed, to list it for offline reading, and to find it again.
/// The offline list and `learn build`'s cache know every file by the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    pub size: u64,
    /// xxh3-64 of the bytes, the hash the offline list gives.
    pub hash: u64,
}

impl Stored {
    /// The size and hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Stored {
        Stored { size: bytes.len() as u64, hash: xxhash_rust::xxh3::xxh3_64(bytes) }
    }
}

impl PartialEq for Contents {
    fn eq(&self, other: &Contents) -> bool {
        match (self, other) {
            (Contents::Copy(a), Contents::Copy(b)) => a == b,
            (Contents::Stored(a), Contents::Stored(b)) => a == b,
            // Shared bytes are mostly the very same bytes: no need to read them.
            (Contents::Shared(a), Contents::Shared(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.bytes().is_some() && self.bytes() == other.bytes(),
        }
    }
}

impl Contents {
    /// The bytes, unless this is a file to copy or bytes kept elsewhere.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Contents::Bytes(b) => Some(b),
            Contents::Shared(b) => Some(b),
            Contents::Copy(_) | Contents::Kept | Contents::Stored(_) => None,
        }
    }
}

/// The files of a build by output path, shared: a new build copies the map
/// (its keys and values are reference-counted), never the files. Hashed, not
/// ordered: a save at 10,000 lessons looks up some 20,000 paths.
pub type Files = HashMap<Arc<str>, Arc<Contents>>;

/// Where a session keeps the bytes of the files it makes. It is called from
/// many threads at once, as files are made and before the update is known to
/// succeed: a store must not publish what it is given.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Keeps a copy of `contents` and returns what they are known by from now
    /// on, or `None` to have the session keep the contents as they are.
    fn keep(&self, contents: &Contents) -> std::io::Result<Option<Stored>>;
}

/// The store that leaves every file in the session's memory (`learn watch`, tests).
#[derive(Debug, Default)]
pub struct InMemory;

impl Store for InMemory {
    fn keep(&self, _: &Contents) -> std::io::Result<Option<Stored>> {
        Ok(None)
    }
}
