//! Diagnostics: what is wrong, where (`path:line:col`), the source line with a
//! caret, and a hint. Every stage returns these instead of stopping at the
//! first problem; rendering them is the only thing this module prints.

mod code;
mod kept;

pub use code::Code;
pub use kept::Kept;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (in characters) inside a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One problem found in the user's site, with its location when it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem this is, stable across versions.
    pub code: Code,
    pub message: String,
    /// Path as shown to the user (relative to the site root where possible).
    pub path: Option<PathBuf>,
    pub pos: Option<Pos>,
    /// The text of the offending line, for the caret display (boxed, like
    /// `hint`, to keep the size down).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_line: Option<Box<str>>,
    /// Boxed, not a `String`: it keeps `Diagnostic` under the size at which
    /// clippy's `result_large_err` flags every `Result<_, Diagnostic>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Box<str>>,
    /// More context, shown as `= note:` lines (for a site-wide lint, the
    /// other questions it counted). Boxed behind one pointer for size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Box<Notes>>,
}

/// The notes of a diagnostic, one line each.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Notes(pub Vec<String>);

impl Diagnostic {
    /// An error with no location yet.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: None,
            pos: None,
            source_line: None,
            hint: None,
            notes: None,
        }
    }

    /// A warning with no location yet.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, message) }
    }

    /// Attaches the file the problem is in.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attaches a position and copies the source line from `text` for the caret display.
    pub fn at(mut self, text: &str, pos: Pos) -> Self {
        self.source_line = text.lines().nth(pos.line.saturating_sub(1)).map(Box::from);
        self.pos = Some(pos);
        self
    }

    /// Attaches a position at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let pos = pos_of_offset(text, offset);
        self.at(text, pos)
    }

    /// Adds a hint shown under the caret.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// Adds a note, shown before the hint.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.get_or_insert_with(|| Box::new(Notes(Vec::new()))).0.push(note.into());
        self
    }

    /// True for errors (which fail a build).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// For a serde error naming an unknown key or value (`unknown field
    /// `titel`, expected one of title, summary, ...`), a hint with the expected
    /// name closest to it, unless the diagnostic already has a hint.
    pub fn with_known_name_hint(self) -> Self {
        if self.hint.is_some() {
            return self;
        }
        match unknown_name_suggestion(&self.message).map(|name| format!("did you mean `{name}`?")) {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }
}

/// Least Jaro-Winkler similarity (0 to 1, case ignored) at which a known name
/// is offered for one written: `titel` → `title` is 0.95, `intro` →
/// `introduction` 0.88, `not-a-heading` → `real-heading` only 0.78.
const SIMILAR_ENOUGH: f64 = 0.85;

/// The name of `known` closest to `written`, if it is close enough to be
/// what was meant; on a tie, the first. Every "did you mean" uses this rule.
pub fn closest<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written = written.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for name in known {
        let score = strsim::jaro_winkler(&written, &name.to_lowercase());
        if score >= SIMILAR_ENOUGH && best.is_none_or(|(most, _)| score > most) {
            best = Some((score, name));
        }
    }
    best.map(|(_, name)| name)
}

/// The name to suggest for serde's ``unknown field `x`, expected one of `a`,
/// `b` `` (or ``unknown variant `x`, expected `a` or `b` ``); the YAML crate
/// lists the names without backticks.
fn unknown_name_suggestion(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("unknown field `").or_else(|| message.split_once("unknown variant `"))?;
    let (written, rest) = rest.split_once('`')?;
    let (_, expected) = rest.split_once("expected ")?;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let names = expected
        .split(", ")
        .flat_map(|part| part.split(" or "))
        .map(|name| name.trim().trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')));
    closest(written, names)
}

/// Converts a byte offset of `text` into a 1-based line and character column.
pub fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    Pos { line, col }
}

/// Displays a path with forward slashes, so diagnostics read the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    /// rustc-style: `error[code]: message`, ` --> path:line:col`, the line, a
    /// caret, notes, a hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}[{}]: {}", self.code, self.message)?;
        let gutter = self.pos.map_or(1, |p| p.line.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(path) = &self.path {
            match self.pos {
                Some(p) => writeln!(f, "{pad}--> {}:{}:{}", display_path(path), p.line, p.col)?,
                None => writeln!(f, "{pad}--> {}", display_path(path))?,
            }
        }
        if let (Some(pos), Some(line)) = (self.pos, &self.source_line) {
            let (shown, caret) = source_window(line, pos.col);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", pos.line, shown.trim_end())?;
            writeln!(f, "{pad} | {}^", " ".repeat(caret.saturating_sub(1)))?;
        }
        for note in self.notes.iter().flat_map(|n| &n.0) {
            writeln!(f, "{pad} = note: {note}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = help: {hint}")?;
        }
        Ok(())
    }
}

/// Longest source line a diagnostic shows whole; longer ones are cut around the caret.
const MAX_SHOWN: usize = 100;

/// The part of a source line to show and the caret's column in it. Tabs become
/// single spaces so the caret lines up; a long line (minified YAML, a huge
/// table row) is cut to a window around the column, marked with `…`, so one
/// diagnostic never prints a megabyte line and a megabyte of spaces.
fn source_window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().map(|c| if c == '\t' { ' ' } else { c }).collect();
    if chars.len() <= MAX_SHOWN {
        return (chars.into_iter().collect(), col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(MAX_SHOWN / 2).min(chars.len().saturating_sub(MAX_SHOWN));
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, at - start + 1 + usize::from(start > 0))
}

/// Diagnostics gathered by one stage; an empty error list means the stage succeeded.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when at least one error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors recorded.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Appends everything from another list.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// Sorts by file and position, so reports are stable across parallel runs.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.pos.map(|p| (p.line, p.col)), &a.message).cmp(&(
                &b.path,
                b.pos.map(|p| (p.line, p.col)),
                &b.message,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "ab\ncé\nxyz";
        assert_eq!(pos_of_offset(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(pos_of_offset(text, 3), Pos { line: 2, col: 1 });
        // 'é' is two bytes; the column counts characters.
        assert_eq!(pos_of_offset(text, 6), Pos { line: 2, col: 3 });
        assert_eq!(pos_of_offset(text, 100), Pos { line: 3, col: 4 });
    }

    /// A 200 kB line of nested brackets used to be printed whole, with 200 kB
    /// of spaces before the caret.
    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("tags: {}x{}", "[".repeat(5000), "]".repeat(5000));
        let d = Diagnostic::error(Code::FrontMatterSyntax, "too deep")
            .in_file("a.md")
            .at(&line, Pos { line: 1, col: 5007 });
        let shown = d.to_string();
        assert!(shown.len() < 400, "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
        let caret = lines.iter().find(|l| l.trim_end().ends_with('^')).unwrap();
        // The caret sits under the `x`.
        let caret_at = caret.chars().count() - 1;
        assert_eq!(source.chars().nth(caret_at), Some('x'), "{shown}");
        assert!(source.contains('…'));
    }

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(source_window("a\tb", 3), ("a b".to_string(), 3));
        let (shown, caret) = source_window(&"é".repeat(150), 1);
        assert_eq!((shown.chars().count(), caret), (101, 1));
    }

    /// Every stage returns `Result<_, Diagnostic>`; past 128 bytes clippy's
    /// `result_large_err` fails the lint stage on each of them.
    #[test]
    fn diagnostics_stay_small() {
        assert!(std::mem::size_of::<Diagnostic>() < 128, "{}", std::mem::size_of::<Diagnostic>());
    }

    #[test]
    fn near_names_are_offered_and_far_ones_are_not() {
        let keys = ["title", "summary", "objectives", "minutes", "tags", "draft", "weight", "quiz", "faq"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("Weigth", keys), Some("weight"));
        assert_eq!(closest("objective", keys), Some("objectives"));
        assert_eq!(closest("author", keys), None);
        assert_eq!(closest("date", keys), None);
        assert_eq!(closest("Café", ["café", "menu"]), Some("café"));
        assert_eq!(closest("intro", ["introduction", "intro-2"]), Some("intro-2"));
        assert_eq!(closest("not-a-heading", ["real-heading"]), None);
        assert_eq!(closest("x", []), None);
    }

    #[test]
    fn unknown_names_in_serde_messages_get_a_suggestion() {
        let yaml = "invalid front matter: unknown field `titel`, expected one of title, summary, minutes";
        assert_eq!(unknown_name_suggestion(yaml), Some("title"));
        let toml = "unknown field `base-url`, expected one of `title`, `description`, `base_url`";
        assert_eq!(unknown_name_suggestion(toml), Some("base_url"));
        let two = "unknown field `qq`, expected `q` or `a`";
        assert_eq!(unknown_name_suggestion(two), Some("q"));
        let variant = "unknown variant `singel`, expected one of `single`, `multiple`, `truefalse`";
        assert_eq!(unknown_name_suggestion(variant), Some("single"));
        assert_eq!(unknown_name_suggestion("unknown field `author`, expected one of `title`"), None);
        assert_eq!(unknown_name_suggestion("missing field `title`"), None);
        let d = Diagnostic::error(Code::ConfigUnknownKey, toml).with_known_name_hint();
        assert_eq!(d.hint.as_deref(), Some("did you mean `base_url`?"));
        let kept = Diagnostic::error(Code::ConfigUnknownKey, toml).with_hint("quote it").with_known_name_hint();
        assert_eq!(kept.hint.as_deref(), Some("quote it"));
    }

    /// Tools read the code from `learn check --format json`.
    #[test]
    fn the_code_is_in_the_json() {
        let d = Diagnostic::warning(Code::QuizMissingExplanation, "no explanation").with_note("a").with_note("b");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["code"], "quiz-missing-explanation");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["notes"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn renders_rustc_style() {
        let d = Diagnostic::error(Code::FrontMatterUnknownKey, "unknown field `titel`")
            .in_file("content/a.md")
            .at("---\ntitel: x\n", Pos { line: 2, col: 1 })
            .with_note("keys are case-sensitive")
            .with_hint("did you mean `title`?");
        let shown = d.to_string();
        assert!(shown.starts_with("error[front-matter-unknown-key]: unknown field `titel`\n"), "{shown}");
        assert!(shown.contains("  = note: keys are case-sensitive\n  = help:"), "{shown}");
        assert!(shown.contains("--> content/a.md:2:1"), "{shown}");
        assert!(shown.contains("2 | titel: x"), "{shown}");
        assert!(shown.contains("  | ^"), "{shown}");
        assert!(shown.contains("= help: did you mean `title`?"), "{shown}");
    }
}
