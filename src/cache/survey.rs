//! How the output folder differs from what the cached build left there, and
//! the stamps a build leaves so that the next can tell.
//!
//! Every file the build wrote is stamped (size and modification time) and
//! checked again. Finding files no build wrote would mean listing every
//! folder (10,000 at 10,000 lessons); instead every folder's modification
//! time is kept too, which moves whenever an entry is added to it or taken
//! out, and only folders whose time moved are listed. A folder changed just
//! before it was stamped ([`RACY`]) could change again within the same tick
//! of the file system's clock unseen: it is listed every time until a later
//! build stamps it again.

use super::modified;
use crate::pipeline::{Memo, Outputs};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
use walkdir::WalkDir;

/// How recently changed a folder may be and still be trusted by its time:
/// more than any file system's clock tick (FAT's is two seconds), or, where
/// the time has digits below the millisecond (the clock is as fine as the
/// kernel's tick, at most 10 ms), more than that tick.
const RACY: Duration = Duration::from_secs(3);
const RACY_FINE: Duration = Duration::from_millis(100);

/// The time kept for a folder that must be listed next time.
const UNTRUSTED: i128 = i128::MIN;

/// How the output folder differs from what the cached build left there.
#[derive(Debug, Default)]
pub struct Survey {
    /// Files the build wrote that are missing or changed since.
    pub damaged: HashSet<String>,
    /// Files in the folder that no build wrote (a clean build would not have them).
    pub unknown: Vec<String>,
    /// Folders found that the cache did not list, to be stamped next.
    pub folders: Vec<String>,
}

impl Survey {
    /// True if the folder is as the build left it.
    pub fn is_clean(&self) -> bool {
        self.damaged.is_empty() && self.unknown.is_empty()
    }
}

/// Compares the output folder with the files and folders the cache lists.
pub fn survey(out: &Path, outputs: &Outputs) -> Survey {
    let (mut survey, listed) = rayon::join(
        || if outputs.folders.is_empty() { walk(out, outputs) } else { changed_folders(out, outputs) },
        || {
            outputs
                .files
                .par_iter()
                .filter(|(path, file)| {
                    let now = std::fs::symlink_metadata(out.join(path)).ok().map(|m| (m.len(), modified(&m)));
                    now.is_none() || now != file.stamp
                })
                .map(|(path, _)| path.clone())
                .collect::<HashSet<String>>()
        },
    );
    survey.damaged = listed;
    survey.unknown.sort();
    survey
}

/// The unknown files and folders of every folder the cache lists whose time
/// moved (a folder no longer there has none).
fn changed_folders(out: &Path, outputs: &Outputs) -> Survey {
    let found: Vec<(Vec<String>, Vec<String>)> = outputs
        .folders
        .par_iter()
        .filter(|(dir, kept)| {
            let now = std::fs::symlink_metadata(out.join(dir)).ok().filter(std::fs::Metadata::is_dir);
            now.is_some_and(|m| modified(&m) != **kept)
        })
        .map(|(dir, _)| {
            let (mut files, mut folders) = (Vec::new(), Vec::new());
            for entry in std::fs::read_dir(out.join(dir)).into_iter().flatten().flatten() {
                let Some(path) = relative(out, &entry.path()) else { continue };
                match entry.file_type() {
                    Ok(t) if t.is_dir() && outputs.folders.contains_key(&path) => {}
                    Ok(t) if t.is_dir() => {
                        let all = walk_from(&entry.path(), false)
                            .filter_map(|e| Some((e.file_type(), relative(out, e.path())?)));
                        for (kind, path) in all {
                            if kind.is_dir() {
                                folders.push(path)
                            } else {
                                files.push(path)
                            }
                        }
                    }
                    _ if outputs.files.contains_key(&path) || path == crate::output::MARKER => {}
                    _ => files.push(path),
                }
            }
            (files, folders)
        })
        .collect();
    let (unknown, folders): (Vec<Vec<String>>, Vec<Vec<String>>) = found.into_iter().unzip();
    Survey { unknown: unknown.concat(), folders: folders.concat(), ..Survey::default() }
}

/// Every file and folder of the output no build wrote, by walking all of it
/// (a cache with no folders stamped).
fn walk(out: &Path, outputs: &Outputs) -> Survey {
    let found: Vec<(bool, String)> = in_folder(out, false)
        .par_iter()
        .flat_map_iter(|top| {
            walk_from(top, false).filter_map(|e| Some((e.file_type().is_dir(), relative(out, e.path())?)))
        })
        .collect();
    let mut survey = Survey::default();
    for (is_dir, path) in found {
        if is_dir {
            survey.folders.push(path);
        } else if !outputs.files.contains_key(&path) && path != crate::output::MARKER {
            survey.unknown.push(path);
        }
    }
    survey
}

/// `path` inside `out`, with `/` between its parts.
fn relative(out: &Path, path: &Path) -> Option<String> {
    Some(path.strip_prefix(out).ok()?.to_str()?.replace('\\', "/"))
}

/// Notes the stamp of every file the build wrote (those with none yet) and
/// of the folders whose time it may have moved: those holding a file it
/// wrote or `removed`, and folders the memo lists untrusted (found by the
/// survey, or too recent to trust when last stamped). Every other folder
/// keeps the time the previous build noted.
pub fn stamp(out: &Path, memo: &mut Memo, removed: &[String]) {
    let stamps: Vec<(String, Option<(u64, i128)>)> = memo
        .outputs
        .files
        .par_iter()
        .filter(|(_, f)| f.stamp.is_none())
        .map(|(path, _)| {
            (path.clone(), std::fs::symlink_metadata(out.join(path)).ok().map(|m| (m.len(), modified(&m))))
        })
        .collect();
    let folders = &mut memo.outputs.folders;
    let mut again: HashSet<String> = folders.iter().filter(|(_, t)| **t == UNTRUSTED).map(|(d, _)| d.clone()).collect();
    again.insert(String::new());
    let written = stamps.iter().map(|(path, _)| path.as_str());
    for path in written.chain(removed.iter().map(String::as_str)) {
        let mut at = path;
        while let Some(cut) = at.rfind('/') {
            at = &at[..cut];
            again.insert(at.to_string());
        }
    }
    for (path, stamp) in stamps {
        if let Some(f) = memo.outputs.files.get_mut(&path) {
            f.stamp = stamp;
        }
    }
    // Folders of files no build stamped yet are new to the memo too.
    for path in memo.outputs.files.keys() {
        let mut at = path.as_str();
        while let Some(cut) = at.rfind('/') {
            at = &at[..cut];
            if folders.contains_key(at) || !again.insert(at.to_string()) {
                break;
            }
        }
    }
    let now = std::time::SystemTime::now();
    let before = |d: Duration| (now - d).duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
    let (coarse, fine) = (before(RACY), before(RACY_FINE));
    let trust = |t: i128| if t < if t % 1_000_000 == 0 { coarse } else { fine } { t } else { UNTRUSTED };
    let now: Vec<(String, Option<i128>)> = again
        .into_par_iter()
        .map(|dir| {
            let m = std::fs::symlink_metadata(out.join(&dir)).ok().filter(std::fs::Metadata::is_dir);
            (dir, m.map(|m| trust(modified(&m))))
        })
        .collect();
    for (dir, time) in now {
        match time {
            Some(time) => folders.insert(dir, time),
            None => folders.remove(&dir),
        };
    }
}

/// The paths in folder `dir` (sorted by name if `sorted`); none if it is not one.
pub(super) fn in_folder(dir: &Path, sorted: bool) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    if sorted {
        all.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    }
    all
}

/// Walks from `path` as a walk of its folder does below it: links not followed.
pub(super) fn walk_from(path: &Path, sorted: bool) -> impl Iterator<Item = walkdir::DirEntry> {
    let walk = WalkDir::new(path).follow_root_links(false);
    let walk = if sorted { walk.sort_by_file_name() } else { walk };
    walk.into_iter().flatten()
}
