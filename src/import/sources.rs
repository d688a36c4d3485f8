//! The files of the book's `src/` folder: markdown pages no chapter lists,
//! and the other files (images, code, downloads) that are copied beside the
//! pages as mdBook copies them into its output.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

/// The files under `src/`, relative to it, sorted: markdown and the rest.
#[derive(Debug, Default)]
pub struct Sources {
    pub markdown: Vec<PathBuf>,
    pub other: Vec<PathBuf>,
}

/// Walks `src`, skipping hidden files and folders.
pub fn walk(src: &Path) -> Sources {
    let mut out = Sources::default();
    let walk = walkdir::WalkDir::new(src)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !crate::content::load::is_ignored(&e.file_name().to_string_lossy()));
    for entry in walk.flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(src) else { continue };
        if rel.extension().is_some_and(|e| e == "md") {
            out.markdown.push(rel.to_path_buf());
        } else {
            out.other.push(rel.to_path_buf());
        }
    }
    out
}

/// `a/./b/../c` → `a/c`, without touching the disk (a leading `..` is kept).
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Where each file to copy goes under `content/`: where it was under `src/`,
/// unless its first folder would stand in for one of learn's own
/// (`search`, `progress`, `assets`) or an area's, then under `book-files/`.
pub fn asset_places(
    other: &[PathBuf],
    src: &Path,
    used: &HashSet<PathBuf>,
    areas: &HashSet<String>,
) -> Vec<(PathBuf, PathBuf)> {
    let reserved = ["search", "progress", "assets", "book-files"];
    other
        .iter()
        .filter(|rel| !used.contains(&lexical(&src.join(rel))))
        .map(|rel| {
            let top = rel.iter().next().map(|t| t.to_string_lossy().into_owned()).unwrap_or_default();
            let clashes = rel.components().count() > 1 && (reserved.contains(&top.as_str()) || areas.contains(&top));
            let to = if clashes { Path::new("book-files").join(rel) } else { rel.clone() };
            (rel.clone(), to)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths() {
        assert_eq!(lexical(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(lexical(Path::new("../x/src/../y")), PathBuf::from("../x/y"));
    }

    #[test]
    fn files_keep_their_place_unless_it_is_taken() {
        let other = vec![
            PathBuf::from("img/a.png"),
            PathBuf::from("search/b.png"),
            PathBuf::from("q.toml"),
            PathBuf::from("c.rs"),
        ];
        let used = HashSet::from([PathBuf::from("/b/src/q.toml")]);
        let places = asset_places(&other, Path::new("/b/src"), &used, &HashSet::new());
        let to: Vec<_> = places.iter().map(|(_, t)| t.display().to_string()).collect();
        assert_eq!(to, ["img/a.png", "book-files/search/b.png", "c.rs"]);
    }
}
