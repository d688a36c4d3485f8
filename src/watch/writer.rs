//! Keeps the output folder of `learn watch` equal to the session's files. The
//! first write, and any write after the folder vanished, goes through
//! `output::write_site` (staging folder and swap); after that only the files
//! an update changed are written, each to a temporary name beside it and
//! renamed into place, so a reader never sees half a file. Nothing is written
//! outside the output folder, and never through a symbolic link in it.

use crate::diag::{Code, Diagnostic};
use crate::output::{self, MARKER};
use crate::pipeline::{Contents, Files, OutputFile, Update};
use std::path::{Component, Path, PathBuf};

/// Writes a session's files into one output folder.
pub struct OutputWriter {
    root: PathBuf,
    out: PathBuf,
    /// False until a whole site was written here by this writer.
    complete: bool,
}

impl OutputWriter {
    pub fn new(root: &Path, out: &Path) -> Self {
        OutputWriter { root: root.to_path_buf(), out: out.to_path_buf(), complete: false }
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes what `update` changed, or everything if the folder is not (or no longer) ours.
    pub fn write(&mut self, files: &Files, update: &Update) -> Result<usize, Diagnostic> {
        if !self.complete || !self.out.join(MARKER).is_file() {
            let all: Vec<OutputFile> =
                files.iter().map(|(path, c)| OutputFile { path: path.to_string(), contents: (**c).clone() }).collect();
            output::write_site(&all, &self.root, &self.out)?;
            self.complete = true;
            return Ok(all.len());
        }
        for path in &update.changed {
            self.write_one(path, &files[path.as_str()])?;
        }
        for path in &update.removed {
            self.remove_one(path)?;
        }
        Ok(update.changed.len() + update.removed.len())
    }

    fn write_one(&self, path: &str, contents: &Contents) -> Result<(), Diagnostic> {
        let dest = self.inside(path)?;
        let parent = dest.parent().expect("a file inside the output folder has a parent");
        std::fs::create_dir_all(parent).map_err(|e| io("cannot create folder", parent, e))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = parent.join(format!(".{name}.learn-tmp-{}", std::process::id()));
        let written = match contents {
            Contents::Copy(src) => std::fs::copy(src, &temp).map(|_| ()),
            bytes => std::fs::write(&temp, bytes.bytes().unwrap_or_default()),
        };
        let result = written.and_then(|()| std::fs::rename(&temp, &dest));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&temp);
            return Err(io("cannot write", &dest, e));
        }
        Ok(())
    }

    fn remove_one(&self, path: &str) -> Result<(), Diagnostic> {
        let dest = self.inside(path)?;
        match std::fs::remove_file(&dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("cannot remove", &dest, e)),
        }
        // Folders left empty go too (a deleted lesson's folder), never the output folder itself.
        let mut dir = dest.parent();
        while let Some(d) = dir.filter(|d| *d != self.out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// The place of `path` in the output folder, refusing anything that would
    /// leave it: parent components, absolute paths, or a symbolic link on the way.
    fn inside(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let rel = Path::new(path);
        if path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Diagnostic::error(
                Code::InternalOutputPath,
                format!("internal: output path `{path}` leaves the output folder"),
            ));
        }
        let mut at = self.out.clone();
        for part in rel.parent().into_iter().flat_map(Path::components) {
            at.push(part);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(Diagnostic::error(
                        Code::OutputSymlink,
                        format!("refusing to write through the symbolic link {} in the output folder", at.display()),
                    )
                    .with_hint("remove the link, or delete the output folder so learn writes it anew"));
                }
                _ => {}
            }
        }
        Ok(self.out.join(rel))
    }
}

/// The source folder (`content` or `themes`) that `out` lies inside, if any:
/// the watcher would see every write there and start a rebuild.
pub fn output_inside_sources(root: &Path, out: &Path) -> Option<&'static str> {
    ["content", "themes"].into_iter().find(|name| out.starts_with(root.join(name)))
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::IoWrite, format!("{what}: {e}")).in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter().map(|(p, t)| (Arc::from(*p), Arc::new(Contents::Bytes(t.as_bytes().to_vec())))).collect()
    }

    #[test]
    fn writes_everything_first_then_only_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut w = OutputWriter::new(dir.path(), &out);
        let first = files(&[("index.html", "home"), ("a/b/index.html", "lesson"), ("a/index.html", "area")]);
        assert_eq!(w.write(&first, &Update::default()).unwrap(), 3);
        assert!(out.join(MARKER).is_file());

        let second = files(&[("index.html", "home 2"), ("a/index.html", "area")]);
        let update =
            Update { changed: vec!["index.html".into()], removed: vec!["a/b/index.html".into()], ..Update::default() };
        assert_eq!(w.write(&second, &update).unwrap(), 2);
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "home 2");
        assert!(!out.join("a/b").exists(), "an emptied folder goes");
        assert!(out.join("a/index.html").exists());
        let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("learn-tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn an_output_folder_among_the_sources_is_named() {
        let root = Path::new("/site");
        assert_eq!(output_inside_sources(root, Path::new("/site/content/public")), Some("content"));
        assert_eq!(output_inside_sources(root, Path::new("/site/themes")), Some("themes"));
        assert_eq!(output_inside_sources(root, Path::new("/site/public")), None);
        assert_eq!(output_inside_sources(root, Path::new("/site/contents")), None);
    }

    #[test]
    fn a_vanished_output_folder_is_written_whole_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut w = OutputWriter::new(dir.path(), &out);
        let all = files(&[("index.html", "home"), ("a/index.html", "area")]);
        w.write(&all, &Update::default()).unwrap();
        std::fs::remove_dir_all(&out).unwrap();
        let update = Update { changed: vec!["index.html".into()], ..Update::default() };
        w.write(&all, &update).unwrap();
        assert!(out.join("a/index.html").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let mut w = OutputWriter::new(dir.path(), &out);
        w.write(&files(&[("index.html", "home")]), &Update::default()).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a")).unwrap();
        let update = Update { changed: vec!["a/index.html".into()], ..Update::default() };
        assert!(w.write(&files(&[("index.html", "home"), ("a/index.html", "x")]), &update).is_err());
        assert!(!outside.join("index.html").exists());
        assert!(w.inside("../x").is_err() && w.inside("/etc/x").is_err());
    }
}
