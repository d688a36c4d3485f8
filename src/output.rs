//! Writing the site: every file goes into a staging folder beside the output
//! folder, which is swapped in only when all of it was written. A failed build
//! or write leaves the previous output exactly as it was. Nothing is written
//! outside the output folder and its staging sibling.

use crate::diag::Diagnostic;
use crate::pipeline::{Contents, OutputFile};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as made by learn, so a later build may replace it.
pub const MARKER: &str = ".learn-output";

/// Refuses output folders that would destroy the user's work.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!("refusing to write the site to {}: {why}", out.display()))
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

/// Makes a path absolute and lexically clean without requiring it to exist.
fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let canonical = joined.canonicalize().ok();
    if let Some(c) = canonical {
        return c;
    }
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
    check_output_dir(root, out)?;
    let out = absolute(out);
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let io = |what: &str, path: &Path, e: std::io::Error| Diagnostic::error(format!("{what}: {e}")).in_file(path);
    std::fs::create_dir_all(&parent).map_err(|e| io("cannot create folder", &parent, e))?;
    let staging = parent.join(format!(".{name}.learn-staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io("cannot clear staging folder", &staging, e))?;
    }
    let result = fill(&staging, files).and_then(|()| swap(&staging, &out, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let io = |what: &str, path: &Path, e: std::io::Error| Diagnostic::error(format!("{what}: {e}")).in_file(path);
    let mut dirs = BTreeSet::new();
    dirs.insert(staging.to_path_buf());
    for f in files {
        let rel = safe_relative(&f.path)?;
        if let Some(p) = staging.join(rel).parent() {
            dirs.insert(p.to_path_buf());
        }
    }
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| io("cannot create folder", d, e))?;
    }
    files.par_iter().try_for_each(|f| {
        let dest = staging.join(&f.path);
        match &f.contents {
            Contents::Bytes(b) => std::fs::write(&dest, b).map_err(|e| io("cannot write", &dest, e)),
            Contents::Copy(src) => std::fs::copy(src, &dest).map(|_| ()).map_err(|e| io("cannot copy", src, e)),
        }
    })?;
    let marker = staging.join(MARKER);
    std::fs::write(&marker, b"This folder is written by `learn build`; it is replaced on every build.\n")
        .map_err(|e| io("cannot write", &marker, e))
}

fn safe_relative(path: &str) -> Result<&Path, Diagnostic> {
    let p = Path::new(path);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(p)
    } else {
        Err(Diagnostic::error(format!("internal: output path `{path}` leaves the output folder")))
    }
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Diagnostic> {
    let io = |what: &str, path: &Path, e: std::io::Error| Diagnostic::error(format!("{what}: {e}")).in_file(path);
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(|e| io("cannot move the new site into place", out, e));
    }
    let old = parent.join(format!(".{name}.learn-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io("cannot clear", &old, e))?;
    }
    std::fs::rename(out, &old).map_err(|e| io("cannot move the previous site aside", out, e))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so the user is never left with nothing.
        let _ = std::fs::rename(&old, out);
        return Err(io("cannot move the new site into place", out, e));
    }
    std::fs::remove_dir_all(&old).map_err(|e| io("cannot remove the previous site", &old, e))
}
