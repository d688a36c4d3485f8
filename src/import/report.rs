//! What an import could not convert, as values: each entry is a diagnostic
//! (where in the book, what, what to do) with a kind that groups it in
//! `IMPORT-REPORT.md`; links that leave the book are grouped by prefix.

use crate::diag::{Code, Diagnostic, Pos};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The groups of `IMPORT-REPORT.md`, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `[Title]()` in SUMMARY.md: a chapter with no file yet.
    Draft,
    /// How the book's structure was mapped where the mapping had to choose.
    Structure,
    /// A `{{#...}}` directive of a preprocessor learn does not know, or an include that failed.
    Directive,
    /// Raw HTML that a preprocessor or a theme would have given meaning to.
    Html,
    /// An mdbook-quiz question that could not be converted, or was converted with a change.
    Quiz,
    /// A link to a file or anchor the book does not have.
    Link,
    /// A `book.toml` setting with no `site.toml` equivalent.
    Setting,
}

impl Kind {
    /// The code of the entries of this group.
    fn code(self) -> Code {
        match self {
            Kind::Draft => Code::ImportDraft,
            Kind::Structure => Code::ImportStructure,
            Kind::Directive => Code::ImportDirective,
            Kind::Html => Code::ImportHtml,
            Kind::Quiz => Code::ImportQuiz,
            Kind::Link => Code::ImportLink,
            Kind::Setting => Code::ImportSetting,
        }
    }

    /// The heading of the group in `IMPORT-REPORT.md`.
    fn heading(self) -> &'static str {
        match self {
            Kind::Draft => "Draft chapters (not imported)",
            Kind::Structure => "Structure",
            Kind::Directive => "Preprocessor directives left as written",
            Kind::Html => "HTML left as written",
            Kind::Quiz => "Quizzes",
            Kind::Link => "Links to missing files or anchors",
            Kind::Setting => "book.toml settings not carried over",
        }
    }
}

/// One thing the import left for the author, with where it is in the book.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    /// A warning whose path is relative to the book folder, with a hint saying what to do.
    pub diagnostic: Diagnostic,
}

/// Links that leave the book and start with the same prefix (`../std/`).
#[derive(Debug, Clone, Default)]
pub struct Outside {
    /// Where each link is: book-relative path and line.
    pub places: Vec<(String, usize)>,
    /// The replacement written to `site.toml`, when the prefix is a known document.
    pub rewrite: Option<String>,
}

/// Everything an import leaves for the author to look at.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
    /// Links leaving the book, by prefix as written from the book's `src/` folder.
    pub outside: BTreeMap<String, Outside>,
}

impl Report {
    /// Adds an entry at `line` of `file` (book-relative), whose text is `text`.
    pub fn add(&mut self, kind: Kind, at: Place<'_>, message: impl Into<String>, todo: impl Into<String>) {
        let mut d = Diagnostic::warning(kind.code(), message).with_hint(todo);
        if let Some(file) = at.file {
            d = d.in_file(file);
            if let (Some(line), Some(text)) = (at.line, at.text) {
                d = d.at(text, Pos { line, col: 1 });
            } else if let Some(line) = at.line {
                d.pos = Some(Pos { line, col: 1 });
            }
        }
        self.entries.push(Entry { kind, diagnostic: d });
    }

    /// Records a link that leaves the book.
    pub fn outside_link(&mut self, prefix: &str, file: &Path, line: usize) {
        let group = self.outside.entry(prefix.to_string()).or_default();
        group.places.push((crate::diag::display_path(file), line));
    }

    /// The entries by group, then file and line.
    pub fn sorted(&self) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort_by_key(|e| (e.kind, e.diagnostic.path.clone(), e.diagnostic.pos.map(|p| p.line)));
        entries
    }

    /// How many things the author should look at (each outside prefix counts once).
    pub fn len(&self) -> usize {
        self.entries.len() + self.outside.len()
    }

    /// True when nothing was left.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The report as markdown, for `IMPORT-REPORT.md` in the new site's root.
    pub fn to_markdown(&self, title: &str, counts: &str) -> String {
        let mut out = format!("# Import report: {title}\n\n{counts}\n\n");
        if self.is_empty() {
            out.push_str("Nothing was left: every chapter, include and quiz was converted.\n");
            return out;
        }
        out.push_str("Each item says where it is in the book (`path:line`) and what to do.\n");
        let mut last = None;
        for e in self.sorted() {
            if last != Some(e.kind) {
                let _ = write!(out, "\n## {}\n\n", e.kind.heading());
                last = Some(e.kind);
            }
            out.push_str(&entry_markdown(&e.diagnostic));
        }
        if !self.outside.is_empty() {
            self.outside_markdown(&mut out);
        }
        out
    }

    fn outside_markdown(&self, out: &mut String) {
        out.push_str("\n## Links that leave the book\n\n");
        out.push_str(
            "An mdBook resolves these only when it is published beside other documents. \
             They are written relative to the book's `src/` folder, so one `[links]` line in \
             `site.toml` covers each prefix.\n",
        );
        for (prefix, group) in &self.outside {
            let n = group.places.len();
            let _ = write!(out, "\n### `{prefix}` ({n} link{})\n\n", if n == 1 { "" } else { "s" });
            match &group.rewrite {
                Some(to) => {
                    let _ = writeln!(
                        out,
                        "Rewritten to `{to}` by `site.toml`; change the line if the book was published elsewhere:\n"
                    );
                    let _ = writeln!(
                        out,
                        "```toml\n[links]\nrewrite = {{ {} = {} }}\n```\n",
                        toml_str(prefix),
                        toml_str(to)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "Left as written (`ignore` in `site.toml`). Once you know where these documents live, \
                         replace the `ignore` entry with:\n"
                    );
                    let _ = writeln!(
                        out,
                        "```toml\n[links]\nrewrite = {{ {} = \"https://example.org/{}\" }}\n```\n",
                        toml_str(prefix),
                        prefix.trim_start_matches("../")
                    );
                }
            }
            for (file, line) in group.places.iter().take(10) {
                let _ = writeln!(out, "- `{file}:{line}`");
            }
            if n > 10 {
                let _ = writeln!(out, "- and {} more", n - 10);
            }
        }
    }
}

/// Where an entry is: a book-relative file, a line, and the file's text for the excerpt.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place<'a> {
    pub file: Option<&'a Path>,
    pub line: Option<usize>,
    pub text: Option<&'a str>,
}

impl<'a> Place<'a> {
    /// The whole of a file.
    pub fn file(file: &'a Path) -> Self {
        Place { file: Some(file), line: None, text: None }
    }

    /// A line of a file whose text is known.
    pub fn line(file: &'a Path, text: &'a str, line: usize) -> Self {
        Place { file: Some(file), line: Some(line), text: Some(text) }
    }

    /// The line of `file` holding byte `offset` of `text`.
    pub fn offset(file: &'a Path, text: &'a str, offset: usize) -> Self {
        Self::line(file, text, crate::diag::pos_of_offset(text, offset).line)
    }
}

fn entry_markdown(d: &Diagnostic) -> String {
    let place = match (&d.path, d.pos) {
        (Some(p), Some(pos)) => format!("`{}:{}`: ", crate::diag::display_path(p), pos.line),
        (Some(p), None) => format!("`{}`: ", crate::diag::display_path(p)),
        _ => String::new(),
    };
    let hint = d.hint.as_deref().map(|h| format!(" {}.", capitalised(h.trim_end_matches('.')))).unwrap_or_default();
    format!("- {place}{}.{hint}\n", d.message.trim_end_matches('.'))
}

/// The first letter in capitals, except in learn's own name.
fn capitalised(s: &str) -> String {
    if s.starts_with("learn") {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A TOML basic string.
pub fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_grouped_and_outside_links_give_the_line_to_add() {
        let mut r = Report::default();
        let text = "a\n{{#ferris hi}}\n";
        r.add(Kind::Directive, Place::line(Path::new("src/a.md"), text, 2), "unknown `{{#ferris}}`", "remove it");
        r.add(Kind::Draft, Place::line(Path::new("src/SUMMARY.md"), "x", 1), "draft `Later`", "Write it.");
        r.outside_link("../std/", Path::new("src/a.md"), 3);
        let md = r.to_markdown("Book", "1 area");
        let draft = md.find("## Draft").unwrap();
        let directive = md.find("## Preprocessor").unwrap();
        assert!(draft < directive, "{md}");
        assert!(md.contains("- `src/a.md:2`: unknown `{{#ferris}}`. Remove it."), "{md}");
        assert!(md.contains("rewrite = { \"../std/\" = \"https://example.org/std/\" }"), "{md}");
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_str("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
