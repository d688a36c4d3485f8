//! `learn init DIR`: scaffolds a working site (config with every option
//! commented, one area, one lesson showing every feature, an FAQ, a
//! `.gitignore` and a GitHub Pages workflow). Refuses a non-empty folder.

use crate::diag::{Code, Diagnostic};
use std::path::Path;

/// The scaffold's files: path in the new site → contents.
fn files() -> Vec<(&'static str, String)> {
    let workflow = include_str!("scaffold/github/pages.yml")
        .replace("{{REPOSITORY}}", env!("CARGO_PKG_REPOSITORY"))
        .replace("{{LEARN_VERSION}}", env!("CARGO_PKG_VERSION"));
    vec![
        ("site.toml", include_str!("scaffold/site.toml").into()),
        (".gitignore", include_str!("scaffold/gitignore").into()),
        ("content/_index.md", include_str!("scaffold/content/_index.md").into()),
        ("content/faq.md", include_str!("scaffold/content/faq.md").into()),
        ("content/01-getting-started/_index.md", include_str!("scaffold/content/01-getting-started/_index.md").into()),
        (
            "content/01-getting-started/01-first-lesson.md",
            include_str!("scaffold/content/01-getting-started/01-first-lesson.md").into(),
        ),
        (".github/workflows/pages.yml", workflow),
    ]
}

/// Creates a new site in `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Diagnostic> {
    let io = |code, what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(code, format!("{what}: {e}")).in_file(path)
    };
    if dir.is_file() {
        return Err(Diagnostic::error(Code::InitTargetTaken, format!("{} is a file, not a folder", dir.display())));
    }
    if dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| io(Code::IoRead, "cannot read folder", dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(
                Code::InitTargetTaken,
                format!("refusing to create a site in {}: the folder is not empty", dir.display()),
            )
            .with_hint("choose a new or empty folder; learn init never overwrites files"));
        }
    }
    let files = files();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(Code::IoWrite, "cannot create folder", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io(Code::IoWrite, "cannot write", &path, e))?;
    }
    Ok(files.iter().map(|(rel, _)| *rel).collect())
}
