//! Themes: the default theme is embedded in the binary, so a site without a
//! `themes/` folder builds; `themes/<name>/templates/*` and `themes/<name>/static/*`
//! override or add files by name.

use crate::diag::{Code, Diagnostic};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates and static files of the theme in use.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`lesson.html`, `partials/quiz.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Static file path (`assets/style.css`) → bytes, copied to the output as is.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Loads the default theme, then the site's overrides from `themes/<name>/`.
pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    let mut theme = Theme::default();
    collect_embedded(&DEFAULT, &mut theme);
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| Diagnostic::error(Code::IoRead, format!("cannot read theme: {e}")).in_file(&dir))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::error(Code::IoRead, format!("cannot read theme file: {e}")).in_file(entry.path())
            })?;
            add(&mut theme, &rel.to_string_lossy().replace('\\', "/"), bytes, entry.path())?;
        }
    } else if name != "default" {
        return Err(Diagnostic::error(Code::ThemeNotFound, format!("theme `{name}` not found"))
            .in_file("site.toml")
            .with_hint(format!("create {} or set `theme = \"default\"`", dir.display())));
    }
    Ok(theme)
}

fn collect_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        add(theme, &rel, file.contents().to_vec(), file.path()).expect("the embedded theme is valid UTF-8");
    }
    for sub in dir.dirs() {
        collect_embedded(sub, theme);
    }
}

fn add(theme: &mut Theme, rel: &str, bytes: Vec<u8>, shown: &Path) -> Result<(), Diagnostic> {
    if let Some(name) = rel.strip_prefix("templates/") {
        let text = String::from_utf8(bytes)
            .map_err(|_| Diagnostic::error(Code::ThemeNotUtf8, "template is not valid UTF-8").in_file(shown))?;
        theme.templates.insert(name.to_string(), text);
    } else if let Some(name) = rel.strip_prefix("static/") {
        theme.statics.insert(name.to_string(), bytes);
    }
    Ok(())
}
