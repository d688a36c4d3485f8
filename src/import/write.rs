//! Writing the new site: DEST must be missing or empty (nothing there is ever
//! overwritten), and every file written is recorded.

use super::Failure;
use crate::diag::{Code, Diagnostic};
use std::path::{Path, PathBuf};

/// Refuses a DEST that is a file or a folder with anything in it.
pub fn check_dest(dest: &Path) -> Result<(), Failure> {
    if dest.is_file() {
        return Err(Failure::Usage(Diagnostic::error(
            Code::ImportTargetTaken,
            format!("{} is a file, not a folder", dest.display()),
        )));
    }
    let occupied = std::fs::read_dir(dest).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(Failure::Usage(
            Diagnostic::error(
                Code::ImportTargetTaken,
                format!("refusing to import into {}: the folder is not empty", dest.display()),
            )
            .with_hint("choose a new or empty folder; learn import never overwrites files"),
        ));
    }
    Ok(())
}

/// Writes files under DEST and remembers them.
pub struct Writer {
    root: PathBuf,
    /// Every file written, relative to DEST.
    pub written: Vec<PathBuf>,
}

impl Writer {
    /// A writer into `dest`, which `check_dest` accepted.
    pub fn new(dest: &Path) -> Self {
        Writer { root: dest.to_path_buf(), written: Vec::new() }
    }

    /// Writes `text` to `rel` under DEST.
    pub fn write(&mut self, rel: &Path, text: &str) -> Result<(), Failure> {
        let path = self.prepare(rel)?;
        std::fs::write(&path, text).map_err(|e| io("cannot write", &path, &e))?;
        self.written.push(rel.to_path_buf());
        Ok(())
    }

    /// Copies the file `from` to `rel` under DEST.
    pub fn copy(&mut self, rel: &Path, from: &Path) -> Result<(), Failure> {
        let path = self.prepare(rel)?;
        std::fs::copy(from, &path).map_err(|e| io("cannot copy", from, &e))?;
        self.written.push(rel.to_path_buf());
        Ok(())
    }

    fn prepare(&self, rel: &Path) -> Result<PathBuf, Failure> {
        let path = self.root.join(rel);
        if path.exists() {
            return Err(Failure::Content(Diagnostic::error(
                Code::ImportPathClash,
                format!("{} would be written twice", rel.display()),
            )));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("cannot create folder", parent, &e))?;
        }
        Ok(path)
    }
}

fn io(what: &str, path: &Path, e: &std::io::Error) -> Failure {
    Failure::Content(Diagnostic::error(Code::IoWrite, format!("{what}: {e}")).in_file(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dest_must_be_missing_or_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_dest(&dir.path().join("new")).is_ok());
        assert!(check_dest(dir.path()).is_ok());
        std::fs::write(dir.path().join("x"), "").unwrap();
        assert!(matches!(check_dest(dir.path()), Err(Failure::Usage(_))));
        assert!(matches!(check_dest(&dir.path().join("x")), Err(Failure::Usage(_))));
    }
}
