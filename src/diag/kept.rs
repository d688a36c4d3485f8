//! A diagnostic as the build cache keeps it. The cache's format (postcard)
//! reads fields by position, so nothing may be skipped the way the JSON
//! report skips empty fields: this form writes every field, and the code by
//! its stable name, so a cache never turns one code into another.

use super::{Code, Diagnostic, Notes, Pos, Severity};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Every field of a [`Diagnostic`], none skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    error: bool,
    code: String,
    message: String,
    path: Option<PathBuf>,
    pos: Option<(usize, usize)>,
    source_line: Option<String>,
    hint: Option<String>,
    notes: Vec<String>,
}

impl From<&Diagnostic> for Kept {
    fn from(d: &Diagnostic) -> Kept {
        Kept {
            error: d.is_error(),
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            path: d.path.clone(),
            pos: d.pos.map(|p| (p.line, p.col)),
            source_line: d.source_line.as_deref().map(str::to_string),
            hint: d.hint.as_deref().map(str::to_string),
            notes: d.notes.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
        }
    }
}

impl Kept {
    /// The diagnostic again, or `None` if its code is not one this version knows.
    pub fn restore(&self) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.as_str() == self.code)?;
        Some(Diagnostic {
            severity: if self.error { Severity::Error } else { Severity::Warning },
            code,
            message: self.message.clone(),
            path: self.path.clone(),
            pos: self.pos.map(|(line, col)| Pos { line, col }),
            source_line: self.source_line.as_deref().map(Box::from),
            hint: self.hint.as_deref().map(Box::from),
            notes: (!self.notes.is_empty()).then(|| Box::new(Notes(self.notes.clone()))),
        })
    }

    /// Keeps every diagnostic of a list.
    pub fn all(diags: &[Diagnostic]) -> Vec<Kept> {
        diags.iter().map(Kept::from).collect()
    }

    /// Restores every diagnostic of a list, or `None` if one cannot be.
    pub fn restore_all(kept: &[Kept]) -> Option<Vec<Diagnostic>> {
        kept.iter().map(Kept::restore).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_diagnostic_comes_back_whole() {
        let text = "---\ntitel: x\n---\n";
        let d = Diagnostic::warning(Code::FrontMatterUnknownKey, "unknown key")
            .in_file("content/a.md")
            .at(text, Pos { line: 2, col: 1 })
            .with_note("a note")
            .with_hint("did you mean `title`?");
        let bytes = postcard::to_allocvec(&Kept::from(&d)).expect("encodes");
        let back: Kept = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(back.restore().expect("known code").to_string(), d.to_string());
    }
}
