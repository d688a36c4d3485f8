//! mdBook's `{{#...}}` directives, expanded as its `links` preprocessor does:
//! `include` (whole file, `:N`, `:N:M`, `::M`, `:N:`, `:anchor`),
//! `rustdoc_include` (the selected lines only: the lines mdBook would hide are
//! dropped), `playground`/`playpen` (a rust code block), `title`, and
//! `\{{#...}}` escapes. mdbook-quiz's `{{#quiz file.toml}}` is taken out and
//! its file recorded. Any other directive is left as written and reported.
//! Like mdBook, directives are found anywhere, code blocks included.

use super::report::{Kind, Place, Report};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// mdBook gives up on includes nested deeper than this (a cycle, most likely).
const MAX_DEPTH: usize = 10;

/// What expanding one chapter produced.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    pub text: String,
    /// The text of `{{#title ...}}`, if the chapter has one.
    pub title: Option<String>,
    /// `{{#quiz ...}}` files, resolved, in the order they appear.
    pub quizzes: Vec<PathBuf>,
    /// Every file that was included, resolved.
    pub included: Vec<PathBuf>,
    /// A quiz of the chapter is followed by more of its text.
    pub quiz_mid_page: bool,
}

/// Where files are: the book folder (report paths are relative to it).
pub struct Ctx<'a> {
    pub book: &'a Path,
}

impl Ctx<'_> {
    /// A path as shown in the report: relative to the book folder when it is inside it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.book).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Expands the directives of `text`, the contents of the file `file`.
pub fn expand(ctx: &Ctx<'_>, file: &Path, text: &str, report: &mut Report) -> Expansion {
    let mut out = Expansion::default();
    out.text = replace_all(ctx, file, text, 0, &mut out, report);
    out
}

/// One directive found in a text.
struct Found<'t> {
    range: Range<usize>,
    name: &'t str,
    args: &'t str,
}

/// The next directive or escape at or after `from`. An escape (`\{{#...}}`)
/// runs to the last `}}` of its line, as mdBook's pattern does.
fn next_directive(text: &str, from: usize) -> Option<Found<'_>> {
    let mut at = from;
    while let Some(i) = text[at..].find("{{").map(|i| i + at) {
        if i > 0 && text.as_bytes()[i - 1] == b'\\' && text[i + 2..].starts_with('#') {
            let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            if let Some(close) = text[i..line_end].rfind("}}") {
                return Some(Found { range: i - 1..i + close + 2, name: "", args: "" });
            }
        }
        if let Some(found) = directive_at(text, i) {
            return Some(found);
        }
        at = i + 2;
    }
    None
}

/// `{{ #name args }}` at `i`: a name of letters, digits and `_`, whitespace, then
/// anything but `}` (newlines included) up to `}}`.
fn directive_at(text: &str, i: usize) -> Option<Found<'_>> {
    let rest = &text[i + 2..];
    let lead = rest.len() - rest.trim_start().len();
    let after_hash = rest[lead..].strip_prefix('#')?;
    let name_len = after_hash.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after_hash.len());
    let after_name = &after_hash[name_len..];
    let gap = after_name.len() - after_name.trim_start().len();
    if name_len == 0 || gap == 0 {
        return None;
    }
    let args_len = after_name[gap..].find('}')?;
    if args_len == 0 || !after_name[gap + args_len..].starts_with("}}") {
        return None;
    }
    let name_start = i + 2 + lead + 1;
    let args_start = name_start + name_len + gap;
    let end = args_start + args_len + 2;
    Some(Found { range: i..end, name: &text[name_start..name_start + name_len], args: &text[args_start..end - 2] })
}

fn replace_all(
    ctx: &Ctx<'_>,
    file: &Path,
    text: &str,
    depth: usize,
    out: &mut Expansion,
    report: &mut Report,
) -> String {
    let base = file.parent().unwrap_or(Path::new(""));
    let code = code_ranges(text);
    let mut replaced = String::with_capacity(text.len());
    let mut last = 0;
    let mut at = 0;
    while let Some(found) = next_directive(text, at) {
        at = found.range.end;
        // A directive left as written is noted in the report at its place.
        let note = |report: &mut Report, message: String, hint: &str| {
            let shown = ctx.shown(file);
            let place = Place { file: Some(&shown), ..Place::offset(file, text, found.range.start) };
            report.add(Kind::Directive, place, message, hint);
        };
        let new = match found.name {
            "" => Some(text[found.range.start + 1..found.range.end].to_string()),
            "include" | "rustdoc_include" | "playground" | "playpen" if depth >= MAX_DEPTH => {
                let hint = "break the cycle; the directive is left as written";
                note(report, "includes nested too deeply (a cycle?)".into(), hint);
                None
            }
            "include" | "rustdoc_include" | "playground" | "playpen" => include(ctx, base, &found, depth, out, report)
                .or_else(|| {
                    let message = format!("cannot read the file of `{}`", &text[found.range.clone()]);
                    note(report, message, "the directive is left as written; copy the file into the book or remove it");
                    None
                }),
            "title" => {
                out.title = Some(found.args.trim().to_string());
                Some(String::new())
            }
            "quiz" => {
                let after = &text[found.range.end..];
                out.quiz_mid_page |=
                    depth == 0 && after.lines().any(|l| !l.trim().is_empty() && !l.trim().starts_with("{{#quiz"));
                out.quizzes.push(super::sources::lexical(&base.join(found.args.trim())));
                Some(String::new())
            }
            name => {
                if !code.iter().any(|r| r.contains(&found.range.start)) {
                    let message = format!("`{{{{#{name} ...}}}}` belongs to a preprocessor learn does not run");
                    note(
                        report,
                        message,
                        "it is left as written: replace it with what the preprocessor made, or delete it",
                    );
                }
                None
            }
        };
        let Some(new) = new else { continue };
        let mut end = found.range.end;
        // A directive that leaves nothing takes its line with it.
        let line_start = text[..found.range.start].rfind('\n').map_or(0, |i| i + 1);
        if new.is_empty() && text[line_start..found.range.start].trim().is_empty() && text[end..].starts_with('\n') {
            end += 1;
        }
        replaced.push_str(&text[last..found.range.start]);
        // Every line of an include gets the text before the directive on its line (a list's indent).
        let prefix = replaced.rsplit('\n').next().unwrap_or("").to_string();
        replaced.push_str(&new.lines().collect::<Vec<_>>().join(&format!("\n{prefix}")));
        last = end;
        at = end;
    }
    replaced.push_str(&text[last..]);
    replaced
}

/// Reads and cuts the file of an include-like directive, expanding its own directives.
fn include(
    ctx: &Ctx<'_>,
    base: &Path,
    found: &Found<'_>,
    depth: usize,
    out: &mut Expansion,
    report: &mut Report,
) -> Option<String> {
    let (path, selector, attrs) = parse_args(found.args)?;
    let target = base.join(&path);
    let contents = std::fs::read_to_string(&target).ok()?;
    let contents = crate::content::load::normalise_text(contents);
    out.included.push(super::sources::lexical(&target));
    let selected = match found.name {
        "playground" | "playpen" => {
            let mut code = contents;
            if !code.ends_with('\n') {
                code.push('\n');
            }
            let info = if attrs.is_empty() { "rust".to_string() } else { format!("rust,{}", attrs.join(",")) };
            return Some(format!("```{info}\n{code}```\n"));
        }
        _ => select(&contents, &selector),
    };
    Some(replace_all(ctx, &target, &selected, depth + 1, out, report))
}

/// The file, the line selector (`2:10`, `anchor`, empty) and, for playground, attributes.
fn parse_args(args: &str) -> Option<(PathBuf, String, Vec<String>)> {
    let args = args.trim();
    if let Some(quoted) = args.strip_prefix('"') {
        let mut path = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => path.extend(chars.next().map(|(_, c)| c)),
                '"' => {
                    let after = quoted[i + 1..].trim_start();
                    let selector = after.strip_prefix(':').unwrap_or("").to_string();
                    let attrs = after.split_whitespace().map(str::to_string).collect();
                    return Some((PathBuf::from(path), selector, attrs));
                }
                c => path.push(c),
            }
        }
        return None;
    }
    let mut words = args.split_whitespace();
    let first = words.next()?;
    let (path, selector) = first.split_once(':').unwrap_or((first, ""));
    Some((PathBuf::from(path), selector.to_string(), words.map(str::to_string).collect()))
}

/// The lines a selector picks, as mdBook's `take_lines` and `take_anchored_lines` do.
pub fn select(text: &str, selector: &str) -> String {
    let mut parts = selector.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let start = match first.parse::<usize>() {
        Ok(n) => Some(n.saturating_sub(1)),
        Err(_) if first.is_empty() => None,
        Err(_) => return anchored(text, first),
    };
    let end = parts.next().map(str::parse::<usize>);
    let lines = text.lines();
    let picked: Vec<&str> = match (start, end) {
        (Some(s), Some(Ok(e))) => lines.skip(s).take(e.saturating_sub(s)).collect(),
        (Some(s), Some(Err(_))) => lines.skip(s).collect(),
        (Some(s), None) => lines.skip(s).take(1).collect(),
        (None, Some(Ok(e))) => lines.take(e).collect(),
        (None, _) => lines.collect(),
    };
    picked.join("\n")
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without other anchor lines.
fn anchored(text: &str, name: &str) -> String {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if inside {
            match anchor_name(line, "ANCHOR_END:") {
                Some(n) if n == name => break,
                Some(_) => {}
                None if anchor_name(line, "ANCHOR:").is_none() => kept.push(line),
                None => {}
            }
        } else if anchor_name(line, "ANCHOR:").is_some_and(|n| n == name) {
            inside = true;
        }
    }
    kept.join("\n")
}

/// The name after `marker` (`ANCHOR:` or `ANCHOR_END:`) on a line, if the line has one.
fn anchor_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let mut rest = line;
    while let Some(i) = rest.find(marker) {
        // `ANCHOR:` also matches inside `ANCHOR_END:`'s text only if preceded by `_END`; skip that case.
        let is_end_marker = marker == "ANCHOR:" && rest[..i].ends_with('_');
        let after = rest[i + marker.len()..].trim_start();
        let len = after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(after.len());
        if !is_end_marker && len > 0 {
            return Some(&after[..len]);
        }
        rest = &rest[i + marker.len()..];
    }
    None
}

/// Byte ranges of code blocks and code spans: an unknown directive there is an example, not a use.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut ranges = Vec::new();
    let mut start = None;
    for (e, r) in Parser::new(text).into_offset_iter() {
        match e {
            Event::Start(Tag::CodeBlock(_)) => start = Some(r.start),
            Event::End(TagEnd::CodeBlock) => ranges.extend(start.take().map(|s| s..r.end)),
            Event::Code(_) => ranges.push(r),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "/* ANCHOR: all */\n// ANCHOR: one\nfn one() {}\n// ANCHOR_END: one\nfn two() {}\n/* ANCHOR_END: all */";

    #[test]
    fn line_ranges_follow_mdbook() {
        let s = "a\nb\nc\nd\ne";
        assert_eq!(select(s, "2"), "b");
        assert_eq!(select(s, "2:4"), "b\nc\nd");
        assert_eq!(select(s, ":2"), "a\nb");
        assert_eq!(select(s, "4:"), "d\ne");
        assert_eq!(select(s, ""), s);
        assert_eq!(select(s, "4:3"), "");
    }

    #[test]
    fn anchors_select_their_lines_without_nested_markers() {
        assert_eq!(select(FILE, "one"), "fn one() {}");
        assert_eq!(select(FILE, "all"), "fn one() {}\nfn two() {}");
        assert_eq!(select(FILE, "missing"), "");
    }

    #[test]
    fn directives_are_found_like_mdbooks_pattern() {
        let text = "x {{#include a.rs:2}} {{#toc}} {{ #title  T }} {{#quiz q.toml}}";
        let mut at = 0;
        let mut found = Vec::new();
        while let Some(f) = next_directive(text, at) {
            found.push((f.name.to_string(), f.args.to_string()));
            at = f.range.end;
        }
        assert_eq!(
            found,
            [("include".into(), "a.rs:2".into()), ("title".into(), "T ".into()), ("quiz".into(), "q.toml".into())]
        );
    }

    fn expand_in(dir: &Path, text: &str) -> (Expansion, Report) {
        let mut report = Report::default();
        let ctx = Ctx { book: dir };
        let e = expand(&ctx, &dir.join("src/ch.md"), text, &mut report);
        (e, report)
    }

    #[test]
    fn includes_nest_keep_the_line_prefix_and_report_what_fails() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/inc")).unwrap();
        std::fs::write(dir.path().join("src/inc/a.md"), "A1\n{{#include b.md}}\n").unwrap();
        std::fs::write(dir.path().join("src/inc/b.md"), "B1\nB2\n").unwrap();
        std::fs::write(dir.path().join("src/code.rs"), FILE).unwrap();
        let text = "{{#title Short}}\n  {{#include inc/a.md}}\n\\{{#include x}}\n{{#rustdoc_include code.rs:one}}\n{{#include nope.md}}\n{{#ferris hi}}\n`{{#ferris x}}`\n";
        let (e, report) = expand_in(dir.path(), text);
        assert_eq!(e.title.as_deref(), Some("Short"));
        assert_eq!(
            e.text,
            "  A1\n  B1\n  B2\n{{#include x}}\nfn one() {}\n{{#include nope.md}}\n{{#ferris hi}}\n`{{#ferris x}}`\n"
        );
        let lines: Vec<_> = report.entries.iter().map(|e| e.diagnostic.pos.unwrap().line).collect();
        assert_eq!(lines, [5, 6], "{report:?}");
        assert_eq!(e.included.len(), 3);
    }

    #[test]
    fn playground_makes_a_rust_block_and_quiz_is_taken_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/ex.rs"), "fn main() {}").unwrap();
        let (e, _) = expand_in(dir.path(), "{{#playground ex.rs editable}}\n\n{{#quiz ../q.toml}}\n");
        assert_eq!(e.text, "```rust,editable\nfn main() {}\n```\n\n");
        assert_eq!(e.quizzes, [dir.path().join("q.toml")]);
    }
}
