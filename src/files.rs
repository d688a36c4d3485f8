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
}

impl PartialEq for Contents {
    fn eq(&self, other: &Contents) -> bool {
        match (self, other) {
            (Contents::Copy(a), Contents::Copy(b)) => a == b,
            // Shared bytes are mostly the very same bytes: no need to read them.
            (Contents::Shared(a), Contents::Shared(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.bytes().is_some() && self.bytes() == other.bytes(),
        }
    }
}

impl Contents {
    /// The bytes, unless this is a file to copy.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Contents::Bytes(b) => Some(b),
            Contents::Shared(b) => Some(b),
            Contents::Copy(_) | Contents::Kept => None,
        }
    }
}

/// The files of a build by output path, shared: a new build copies the map
/// (its keys and values are reference-counted), never the files. Hashed, not
/// ordered: a save at 10,000 lessons looks up some 20,000 paths.
pub type Files = HashMap<Arc<str>, Arc<Contents>>;
