//! `book.toml`: what the import needs from it (title, authors, language, the
//! source folder, the published URL, markdown switches, hidden-line prefixes),
//! the settings it cannot carry over, and the `site.toml` it becomes.

use super::report::{toml_str, Kind, Place, Report};
use crate::diag::{Code, Diagnostic};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// What the import takes from `book.toml`.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub title: String,
    pub description: String,
    pub authors: Vec<String>,
    pub language: Option<String>,
    /// The chapters' folder (`book.src`, default `src`), resolved against the book folder.
    pub src: PathBuf,
    /// From `output.html.cname` and `site-url`.
    pub base_url: Option<String>,
    /// `output.html.smart-punctuation` (or the older `curly-quotes`) when given.
    pub smart_punctuation: Option<bool>,
    /// `output.html.definition-lists` when given.
    pub definition_lists: Option<bool>,
    /// `output.html.code.hidelines`: language → the prefix that hides a line.
    pub hidelines: BTreeMap<String, String>,
}

/// How `site.toml`'s `[links]` treats links the import could not point inside the site.
#[derive(Debug, Clone, Default)]
pub struct LinkPolicy {
    /// Prefix → replacement for links that leave the book to known documents.
    pub rewrite: BTreeMap<String, String>,
    /// Globs of links that leave the book for unknown places, left as written.
    pub ignore: Vec<String>,
    /// Some links point at files or anchors the book does not have.
    pub warn_missing: bool,
}

/// Reads `BOOK/book.toml`; a missing file is a usage error, a malformed one a content error.
pub fn read(book_dir: &Path, report: &mut Report) -> Result<Book, super::Failure> {
    let path = book_dir.join("book.toml");
    if !book_dir.is_dir() {
        return Err(super::Failure::Usage(Diagnostic::error(
            Code::ImportNotABook,
            format!("no folder at {}", book_dir.display()),
        )));
    }
    // mdBook itself builds a book without book.toml, from src/SUMMARY.md and defaults.
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if book_dir.join("src/SUMMARY.md").is_file() => String::new(),
        Err(e) => {
            return Err(super::Failure::Usage(
                Diagnostic::error(
                    Code::ImportNotABook,
                    format!("{} is not an mdBook: cannot read book.toml ({e})", book_dir.display()),
                )
                .with_hint("give the folder that holds book.toml and src/SUMMARY.md"),
            ))
        }
    };
    let table: Table = toml::from_str(&text).map_err(|e| {
        let d = Diagnostic::error(Code::ImportBookToml, format!("invalid book.toml: {}", e.message().trim()))
            .in_file(&path);
        super::Failure::Content(match e.span() {
            Some(span) => d.at_offset(&text, span.start),
            None => d,
        })
    })?;
    let book = from_table(book_dir, &table);
    unmapped_settings(&table, &text, report);
    if book_dir.join("theme").is_dir() {
        let message = "the book's own `theme/` folder is not carried over";
        report.add(
            Kind::Setting,
            Place::file(Path::new("theme")),
            message,
            "learn's look comes from its theme: put overrides in `themes/<name>/` (see README)",
        );
    }
    Ok(book)
}

fn from_table(book_dir: &Path, table: &Table) -> Book {
    let get = |path: &[&str]| lookup(table, path);
    let string = |path: &[&str]| get(path).and_then(Value::as_str).map(str::to_string);
    let html = |key: &str| get(&["output", "html", key]);
    let title = string(&["book", "title"]).filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
        book_dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Book".into())
    });
    let authors = get(&["book", "authors"])
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    let hidelines = get(&["output", "html", "code", "hidelines"])
        .and_then(Value::as_table)
        .map(|t| t.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default();
    Book {
        title,
        description: string(&["book", "description"]).unwrap_or_default(),
        authors,
        language: string(&["book", "language"]),
        src: book_dir.join(string(&["book", "src"]).unwrap_or_else(|| "src".into())),
        base_url: base_url(html("cname").and_then(Value::as_str), html("site-url").and_then(Value::as_str)),
        smart_punctuation: html("smart-punctuation").or_else(|| html("curly-quotes")).and_then(Value::as_bool),
        definition_lists: html("definition-lists").and_then(Value::as_bool),
        hidelines,
    }
}

fn lookup<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (last, head) = path.split_last()?;
    let mut t = table;
    for key in head {
        t = t.get(*key)?.as_table()?;
    }
    t.get(*last)
}

/// `cname` gives the host and `site-url` the path; either alone is kept as it is.
fn base_url(cname: Option<&str>, site_url: Option<&str>) -> Option<String> {
    let path = site_url.map(|p| format!("/{}/", p.trim_matches('/')).replace("//", "/"));
    match (cname, path) {
        (Some(host), path) => Some(format!("https://{}{}", host.trim_matches('/'), path.unwrap_or_else(|| "/".into()))),
        (None, Some(path)) => Some(path),
        (None, None) => None,
    }
}

/// Keys of `book.toml` the import reads itself: they need no report entry.
const MAPPED: [&str; 16] = [
    "book.title",
    "book.description",
    "book.authors",
    "book.language",
    "book.src",
    "book.multilingual",
    "output.html.site-url",
    "output.html.cname",
    "output.html.smart-punctuation",
    "output.html.curly-quotes",
    "output.html.definition-lists",
    "output.html.admonitions",
    "output.html.code",
    "preprocessor.links",
    "preprocessor.index",
    "preprocessor.quiz",
];

/// Lists every setting the import does not carry over, with its line and what to do instead.
fn unmapped_settings(table: &Table, text: &str, report: &mut Report) {
    let file = Path::new("book.toml");
    let mut keys = Vec::new();
    for (top, value) in table {
        let Some(inner) = value.as_table() else {
            keys.push(top.clone());
            continue;
        };
        for (key, value) in inner {
            let dotted = format!("{top}.{key}");
            match (top.as_str(), value.as_table()) {
                ("output", Some(html)) if key == "html" => keys.extend(html.keys().map(|k| format!("{dotted}.{k}"))),
                _ => keys.push(dotted),
            }
        }
    }
    for key in keys.into_iter().filter(|k| !MAPPED.contains(&k.as_str())) {
        let line = line_of(text, &key);
        let at = match line {
            Some(l) => Place::line(file, text, l),
            None => Place::file(file),
        };
        report.add(Kind::Setting, at, format!("`{key}` is not carried over"), todo_for(&key));
    }
}

/// What to do about a setting learn has no equivalent for.
fn todo_for(key: &str) -> String {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    let text = match leaf {
        _ if key.starts_with("preprocessor.") => {
            "learn does not run this preprocessor; what it would have added is listed under the directives and HTML it left"
        }
        _ if key.starts_with("output.") && !key.starts_with("output.html") => "learn does not run other renderers",
        "mathjax-support" => "learn does not load MathJax: `\\\\( \\\\)` and `\\\\[ \\\\]` math shows as written",
        "additional-css" | "additional-js" | "theme" => {
            "learn's look comes from its theme: put overrides in `themes/<name>/` (see README, `theme` in site.toml)"
        }
        "default-theme" | "preferred-dark-theme" => "learn follows the reader's light or dark setting, with a toggle",
        "git-repository-url" | "git-repository-icon" | "edit-url-template" => {
            "learn's default theme has no repository or edit link; a theme's templates can add one"
        }
        "playground" => "code blocks are highlighted at build time, not runnable or editable",
        "search" => "learn always builds its own search index; `[search]` in site.toml turns it off",
        "redirect" => "learn makes no redirect pages; keep old URLs working on your host if you need them",
        "edition" => "code blocks are highlighted, not compiled, so the edition does not matter",
        _ if key.starts_with("build.") => "learn builds from `content/`; the setting is not needed",
        _ => "a setting of mdBook's HTML renderer with no equivalent in learn",
    };
    text.to_string()
}

/// The line of `book.toml` that sets the dotted `key`: the key inside its
/// table, else the line of a table header with that name.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let (table, leaf) = key.rsplit_once('.').unwrap_or(("", key));
    let header = format!("[{key}]");
    let mut in_table = table.is_empty();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t == header {
            return Some(i + 1);
        }
        if t.starts_with('[') {
            in_table = t == format!("[{table}]");
            continue;
        }
        let written = t.split('=').next().unwrap_or("").trim().trim_matches('"');
        if in_table && written == leaf {
            return Some(i + 1);
        }
    }
    None
}

/// The new site's `site.toml`.
pub fn site_toml(book: &Book, links: &LinkPolicy) -> String {
    let mut out = String::from("# Made from book.toml by `learn import mdbook`; see IMPORT-REPORT.md.\n");
    let _ = writeln!(out, "title = {}", toml_str(&book.title));
    let by = match book.authors.as_slice() {
        [] => String::new(),
        [one] => format!("By {one}."),
        [init @ .., last] => format!("By {} and {last}.", init.join(", ")),
    };
    let mut own = book.description.trim().to_string();
    if !own.is_empty() && !by.is_empty() && !own.ends_with(['.', '!', '?']) {
        own.push('.');
    }
    let description = [own.as_str(), by.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
    if !description.is_empty() {
        let _ = writeln!(out, "description = {}", toml_str(&description.join(" ")));
    }
    if let Some(url) = &book.base_url {
        let _ = writeln!(out, "base_url = {}", toml_str(url));
    }
    if let Some(lang) = &book.language {
        let _ = writeln!(out, "language = {}", toml_str(lang));
    }
    if book.smart_punctuation.is_some() || book.definition_lists.is_some() {
        out.push_str("\n[markdown]\n");
        if let Some(on) = book.smart_punctuation {
            let _ = writeln!(out, "smart_punctuation = {on}");
        }
        if let Some(on) = book.definition_lists {
            let _ = writeln!(out, "definition_lists = {on}");
        }
    }
    links_table(&mut out, links);
    out
}

fn links_table(out: &mut String, links: &LinkPolicy) {
    if links.rewrite.is_empty() && links.ignore.is_empty() && !links.warn_missing {
        return;
    }
    out.push_str("\n[links]\n");
    if links.warn_missing {
        out.push_str("# Some links point at files or anchors the book does not have (IMPORT-REPORT.md lists them).\n");
        out.push_str("missing = \"warn\"\n");
    }
    if !links.ignore.is_empty() {
        out.push_str("# Links that leave the book for documents published beside it; see IMPORT-REPORT.md.\n");
        let globs: Vec<String> = links.ignore.iter().map(|g| toml_str(g)).collect();
        let _ = writeln!(out, "ignore = [{}]", globs.join(", "));
    }
    if !links.rewrite.is_empty() {
        out.push_str("# Links that leave the book for documents published beside it on doc.rust-lang.org.\n");
        let pairs: Vec<String> =
            links.rewrite.iter().map(|(k, v)| format!("{} = {}", toml_str(k), toml_str(v))).collect();
        let _ = writeln!(out, "rewrite = {{ {} }}", pairs.join(", "));
    }
}

/// Documents published beside a book on doc.rust-lang.org, which links from
/// the Rust project's books reach with `../<name>/`.
const RUST_DOCS: [&str; 14] = [
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "book",
    "reference",
    "nomicon",
    "cargo",
    "rustc",
    "rustdoc",
    "edition-guide",
    "rust-by-example",
    "unstable-book",
];

/// Where a prefix of links leaving the book points when it is a known document.
pub fn known_home(prefix: &str) -> Option<String> {
    let name = prefix.strip_prefix("../")?.strip_suffix('/')?;
    RUST_DOCS.contains(&name).then(|| format!("https://doc.rust-lang.org/{name}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_comes_from_cname_and_site_url() {
        assert_eq!(base_url(None, Some("/mdBook/")), Some("/mdBook/".into()));
        assert_eq!(base_url(None, Some("mdBook")), Some("/mdBook/".into()));
        assert_eq!(base_url(Some("example.org"), Some("/b/")), Some("https://example.org/b/".into()));
        assert_eq!(base_url(Some("example.org"), None), Some("https://example.org/".into()));
        assert_eq!(base_url(None, None), None);
    }

    #[test]
    fn settings_are_found_by_table_and_key() {
        let text = "[book]\ntitle = \"x\"\n\n[output.html]\nmathjax-support = true\n[output.html.playground]\neditable = true\n";
        assert_eq!(line_of(text, "output.html.mathjax-support"), Some(5));
        assert_eq!(line_of(text, "output.html.playground"), Some(6));
        assert_eq!(line_of(text, "book.nothing"), None);
    }

    #[test]
    fn unmapped_settings_are_reported_with_their_line() {
        let text = "[book]\ntitle = \"T\"\nsrc = \"src\"\n[output.html]\nsite-url = \"/x/\"\nmathjax-support = true\n[preprocessor.quiz]\n[preprocessor.admonish]\ncommand = \"x\"\n";
        let table: Table = toml::from_str(text).unwrap();
        let mut report = Report::default();
        unmapped_settings(&table, text, &mut report);
        let found: Vec<(String, usize)> = report
            .entries
            .iter()
            .map(|e| (e.diagnostic.message.clone(), e.diagnostic.pos.map_or(0, |p| p.line)))
            .collect();
        assert_eq!(
            found,
            vec![
                ("`output.html.mathjax-support` is not carried over".to_string(), 6),
                ("`preprocessor.admonish` is not carried over".to_string(), 8)
            ]
        );
    }

    #[test]
    fn site_toml_carries_title_authors_url_and_links() {
        let book = Book {
            title: "The \"Book\"".into(),
            authors: vec!["A".into(), "B".into(), "C".into()],
            base_url: Some("/b/".into()),
            smart_punctuation: Some(true),
            ..Book::default()
        };
        let described = Book { description: "Short".into(), ..book.clone() };
        assert!(site_toml(&described, &LinkPolicy::default()).contains("description = \"Short. By A, B and C.\""));
        let mut links = LinkPolicy { ignore: vec!["../x/**".into()], ..LinkPolicy::default() };
        links.rewrite.insert("../std/".into(), "https://doc.rust-lang.org/std/".into());
        let text = site_toml(&book, &links);
        let parsed: Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["title"].as_str(), Some("The \"Book\""));
        assert_eq!(parsed["description"].as_str(), Some("By A, B and C."));
        assert_eq!(parsed["base_url"].as_str(), Some("/b/"));
        assert_eq!(parsed["markdown"]["smart_punctuation"].as_bool(), Some(true));
        assert_eq!(parsed["links"]["ignore"][0].as_str(), Some("../x/**"));
        assert_eq!(parsed["links"]["rewrite"]["../std/"].as_str(), Some("https://doc.rust-lang.org/std/"));
    }

    #[test]
    fn rust_documents_have_a_known_home() {
        assert_eq!(known_home("../std/").as_deref(), Some("https://doc.rust-lang.org/std/"));
        assert_eq!(known_home("../../std/"), None);
        assert_eq!(known_home("../examples/"), None);
    }
}
