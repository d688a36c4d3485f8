//! Writing the site: every file goes into a staging folder beside the output
//! folder, which is swapped in only when all of it was written. A failed build
//! or write leaves the previous output exactly as it was. Nothing is written
//! outside the output folder and its staging sibling.

mod patch;

pub use patch::Patch;

use crate::diag::{Code, Diagnostic};
use crate::files::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Marks a folder as made by learn, so a later build may replace it.
pub const MARKER: &str = ".learn-output";

/// Refuses output folders that would destroy the user's work.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            Code::OutputDirRefused,
            format!("refusing to write the site to {}: {why}", out.display()),
        )
        .with_hint("choose another folder with --output or `output_dir` in site.toml"))
    };
    if out_abs == root_abs {
        return refuse("it is the site's root folder");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("it contains the site's root folder");
    }
    if out_abs.join("content").exists() {
        return refuse("it contains a `content/` folder");
    }
    if out_abs.is_file() {
        return refuse("it is a file");
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return refuse("it is a non-empty folder that learn did not create");
        }
    }
    Ok(())
}

/// Makes a path absolute, through the file system where it exists.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = lexical_absolute(path);
    joined.canonicalize().unwrap_or(joined)
}

/// Makes a path absolute and lexically clean without touching the file system.
pub fn lexical_absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes `files` into `out` through a staging folder and an atomic swap.
pub fn write_site(files: &[OutputFile], root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let staging = Staging::open(root, out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::IoWrite, format!("{what}: {e}")).in_file(path)
}

/// A staging folder beside the output folder that files are written into as
/// the build makes them. [`Staging::commit`] swaps it in; dropping it
/// uncommitted (a failed build) removes it and leaves the output as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// Folders already made, so each is created once.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Checks `out` is safe to replace and makes an empty staging folder beside it.
    pub fn open(root: &Path, out: &Path) -> Result<Staging, Diagnostic> {
        check_output_dir(root, out)?;
        let out = absolute(out);
        let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|e| io("cannot create folder", &parent, e))?;
        remove_abandoned(&parent, &name);
        let dir = parent.join(format!(".{name}.learn-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io("cannot clear staging folder", &dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| io("cannot create folder", &dir, e))?;
        let made = Mutex::new(HashSet::from([dir.clone()]));
        Ok(Staging { dir, out, made, committed: false })
    }

    /// Writes one file of the site; may be called from many threads at once.
    pub fn write(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        let dest = self.dir.join(safe_relative(&f.path)?);
        if let Some(folder) = dest.parent() {
            let known = self.made.lock().map(|m| m.contains(folder)).unwrap_or(false);
            if !known {
                std::fs::create_dir_all(folder).map_err(|e| io("cannot create folder", folder, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(folder.to_path_buf());
                }
            }
        }
        match &f.contents {
            Contents::Copy(src) => std::fs::copy(src, &dest).map(|_| ()).map_err(|e| io("cannot copy", src, e)),
            bytes => std::fs::write(&dest, bytes.bytes().unwrap_or_default()).map_err(|e| io("cannot write", &dest, e)),
        }
    }

    /// Marks the staging folder as learn's and swaps it in for the output folder.
    pub fn commit(self) -> Result<(), Diagnostic> {
        match self.commit_set_aside()? {
            Some(old) => std::fs::remove_dir_all(&old).map_err(|e| io("cannot remove the previous site", &old, e)),
            None => Ok(()),
        }
    }

    /// Like [`Staging::commit`], but leaves the previous site, set aside
    /// beside the output folder, for the caller to remove (its path is
    /// returned): removing tens of thousands of files takes seconds that a
    /// build need not wait for.
    pub fn commit_set_aside(mut self) -> Result<Option<PathBuf>, Diagnostic> {
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, b"This folder is written by `learn build`; it is replaced on every build.\n")
            .map_err(|e| io("cannot write", &marker, e))?;
        let old = swap(&self.dir, &self.out)?;
        self.committed = true;
        Ok(old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes the staging and set-aside folders that builds of `name` which were
/// killed left beside it: those whose process is gone. Only where `/proc` tells
/// which processes live; a folder of a build still running is never touched.
fn remove_abandoned(parent: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let pid = [".learn-staging-", ".learn-old-", ".learn-removing-"]
            .iter()
            .find_map(|kind| file_name.strip_prefix(&format!(".{name}{kind}")))
            .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if let Some(pid) = pid {
            if pid != std::process::id().to_string() && !proc.join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn safe_relative(path: &str) -> Result<&Path, Diagnostic> {
    let p = Path::new(path);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(p)
    } else {
        Err(Diagnostic::error(
            Code::InternalOutputPath,
            format!("internal: output path `{path}` leaves the output folder"),
        ))
    }
}

/// Swaps the staging folder in; returns where the previous site was set aside.
fn swap(staging: &Path, out: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    if !out.exists() {
        std::fs::rename(staging, out).map_err(|e| io("cannot move the new site into place", out, e))?;
        return Ok(None);
    }
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = out.with_file_name(format!(".{name}.learn-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io("cannot clear", &old, e))?;
    }
    std::fs::rename(out, &old).map_err(|e| io("cannot move the previous site aside", out, e))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the user is never left with nothing.
        let _ = std::fs::rename(&old, out);
        return Err(io("cannot move the new site into place", out, e));
    }
    Ok(Some(old))
}

/// Removes a previous site set aside by [`Staging::commit_set_aside`], and
/// nothing else: the folder's name must be one a build sets aside.
pub fn remove_set_aside(folder: &Path) {
    let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let pid = name.rsplit_once(".learn-old-").map(|(_, pid)| pid).unwrap_or("");
    if name.starts_with('.') && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
        // Renamed for the process that removes it, so a build that starts
        // meanwhile sees the folder is being seen to and leaves it alone.
        let site = &name[..name.len() - pid.len() - ".learn-old-".len()];
        let removing = folder.with_file_name(format!("{site}.learn-removing-{}", std::process::id()));
        let at = if std::fs::rename(folder, &removing).is_ok() { removing } else { folder.to_path_buf() };
        let _ = std::fs::remove_dir_all(at);
    }
}
