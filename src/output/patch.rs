//! Changing an output folder in place, for a build that knows what the
//! previous one wrote: the files given are written into a staging folder
//! beside the output as the build makes them, and moved into place one by
//! one (each move replaces a whole file) only once the build has succeeded;
//! then the files the build no longer makes are removed. A failed build
//! leaves the output exactly as it was, and unchanged files are never touched.

use super::{io, Staging, MARKER};
use crate::diag::{Code, Diagnostic};
use crate::files::OutputFile;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// An output folder being changed in place.
pub struct Patch {
    staging: Staging,
    /// Output paths written to the staging folder, to move into place.
    written: Mutex<Vec<String>>,
}

impl Patch {
    /// Opens an output folder a previous build made (it has learn's marker).
    pub fn open(root: &Path, out: &Path) -> Result<Patch, Diagnostic> {
        if !out.join(MARKER).is_file() {
            return Err(Diagnostic::error(
                Code::OutputDirRefused,
                format!("{} was not made by learn, so it cannot be changed in place", out.display()),
            ));
        }
        Ok(Patch { staging: Staging::open(root, out)?, written: Mutex::default() })
    }

    /// Writes one changed file to the staging folder; may be called from many threads at once.
    pub fn write(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        self.staging.write(f)?;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push(f.path.clone());
        Ok(())
    }

    /// Moves every written file into place and removes the `removed` ones.
    /// Returns the output paths written.
    pub fn commit(self, removed: &[String]) -> Result<Vec<String>, Diagnostic> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let (from, to) = (&self.staging.dir, &self.staging.out);
        for path in &written {
            let dest = to.join(path);
            if let Some(folder) = dest.parent() {
                std::fs::create_dir_all(folder).map_err(|e| io("cannot create folder", folder, e))?;
            }
            std::fs::rename(from.join(path), &dest).map_err(|e| io("cannot move into place", &dest, e))?;
        }
        let kept: std::collections::HashSet<&String> = written.iter().collect();
        for path in removed.iter().filter(|p| !kept.contains(p)) {
            let gone = to.join(path);
            match std::fs::remove_file(&gone) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io("cannot remove", &gone, e)),
                _ => remove_empty_folders(to, gone.parent()),
            }
        }
        // The staging folder now holds only empty folders; dropping it removes them.
        drop(self.staging);
        Ok(written)
    }
}

/// Removes `folder` and its parents up to `out` while they are empty.
fn remove_empty_folders(out: &Path, folder: Option<&Path>) {
    let mut at: Option<PathBuf> = folder.map(Path::to_path_buf);
    while let Some(dir) = at {
        if dir == out || !dir.starts_with(out) || std::fs::remove_dir(&dir).is_err() {
            break;
        }
        at = dir.parent().map(Path::to_path_buf);
    }
}
