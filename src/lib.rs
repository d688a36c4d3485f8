//! learn: a static learning-site generator. The binary is a thin wrapper over
//! [`cmd::run`]; everything else lives here so tests can drive it. Only
//! [`cmd`] prints: the rest returns values.

pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diag;
pub mod files;
pub mod highlight;
pub mod html;
pub mod import;
pub mod init;
pub mod live;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod quiz;
pub mod render;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod watch;

/// Helpers for this crate's unit tests.
#[cfg(test)]
mod test_support {
    /// A temporary copy of the folder `src`, to build and edit freely.
    pub fn copy_dir(src: &std::path::Path) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for entry in walkdir::WalkDir::new(src) {
            let entry = entry.expect("a readable fixture");
            let dest = dir.path().join(entry.path().strip_prefix(src).expect("under the fixture"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).expect("a folder");
            } else {
                std::fs::copy(entry.path(), &dest).expect("a copy");
            }
        }
        dir
    }
}
