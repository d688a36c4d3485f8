//! `learn import mdbook`: fixture books under `tests/fixtures/mdbook-*` are
//! imported, then the new site is built and checked with the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A book imported into a fresh temporary folder.
struct Imported {
    _dir: tempfile::TempDir,
    dest: PathBuf,
    output: Output,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn learn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_learn")).args(args).output().expect("run learn")
}

fn import(book: &str) -> Imported {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let output = learn(&["import", "mdbook", fixture(book).to_str().unwrap(), dest.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "import failed:\n{}", String::from_utf8_lossy(&output.stderr));
    Imported { _dir: dir, dest, output }
}

impl Imported {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dest.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The front matter of a page, as JSON.
    fn front(&self, rel: &str) -> serde_json::Value {
        let text = self.read(rel);
        let yaml =
            text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(y, _)| y).expect("front matter");
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: {e}\n{yaml}"))
    }

    /// Builds the new site and returns the built file at `rel`.
    fn build(&self) -> &Self {
        let out = learn(&["build", "--root", self.dest.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "build failed:\n{}", String::from_utf8_lossy(&out.stderr));
        self
    }

    fn built(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }

    fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(&self.dest)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&self.dest).unwrap().display().to_string())
            .filter(|p| !p.starts_with("public"))
            .collect();
        files.sort();
        files
    }
}

#[test]
fn the_imported_course_builds_and_checks_clean_of_errors() {
    let site = import("mdbook-course");
    let stdout = String::from_utf8_lossy(&site.output.stdout).into_owned();
    assert!(
        stdout.contains(
            "Imported \"Rust in Small Steps\": 3 areas, 7 lessons, 4 standalone pages, 7 questions and 3 files copied"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Checked: 15 pages, 7 questions"), "{stdout}");
    site.build();
    let check = learn(&["check", "--root", site.dest.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    // The one broken anchor of the book is a warning, by the [links] policy the import wrote.
    assert!(String::from_utf8_lossy(&check.stderr).contains("#unsigned"));
}

#[test]
fn summary_gives_areas_lessons_and_standalone_pages() {
    let site = import("mdbook-course");
    assert_eq!(
        site.files(),
        [
            "IMPORT-REPORT.md",
            "content/01-getting-started/01-install.md",
            "content/01-getting-started/02-first-steps.md",
            "content/01-getting-started/03-deeper.md",
            "content/01-getting-started/_index.md",
            "content/01-introduction.md",
            "content/02-foreword.md",
            "content/02-language/01-variables.md",
            "content/02-language/02-data-types.md",
            "content/02-language/03-integers.md",
            "content/02-language/_index.md",
            "content/03-appendix.md",
            "content/03-tools/01-preprocessors.md",
            "content/03-tools/_index.md",
            "content/04-notes.md",
            "content/_index.md",
            "content/img/diagram.svg",
            "content/listings/full.rs",
            "content/listings/hello.rs",
            "site.toml",
        ]
    );
    // A part's area page is written by the import, unless its folder has an
    // unlisted README.md; a chapter with sub-chapters keeps its own.
    let part = site.front("content/03-tools/_index.md");
    assert_eq!(part["title"], "Tools");
    assert_eq!(part["summary"], "Preprocessors.");
    let language = site.front("content/02-language/_index.md");
    assert_eq!(
        (language["title"].as_str(), language["summary"].as_str()),
        (Some("The language"), Some("What Rust code is made of."))
    );
    assert!(site.read("content/01-getting-started/_index.md").contains("How to begin with Rust."));
    let home = site.read("content/_index.md");
    assert!(
        home.contains("title: \"Rust in Small Steps\"") && home.contains("[Introduction](01-introduction.md)"),
        "{home}"
    );
}

#[test]
fn site_toml_comes_from_book_toml() {
    let site = import("mdbook-course");
    let config: toml::Table = toml::from_str(&site.read("site.toml")).unwrap();
    assert_eq!(config["title"].as_str(), Some("Rust in Small Steps"));
    assert_eq!(
        config["description"].as_str(),
        Some("A tiny course to try the importer. By Ada Lovelace and Alan Turing.")
    );
    assert_eq!(config["base_url"].as_str(), Some("/course/"));
    assert_eq!(config["markdown"]["smart_punctuation"].as_bool(), Some(true));
    let links = &config["links"];
    assert_eq!(links["missing"].as_str(), Some("warn"));
    assert_eq!(links["ignore"].as_array().unwrap()[0].as_str(), Some("../examples/**"));
    assert_eq!(links["rewrite"]["../std/"].as_str(), Some("https://doc.rust-lang.org/std/"));
}

#[test]
fn titles_summaries_includes_and_hidden_lines() {
    let site = import("mdbook-course");
    let vars = site.read("content/02-language/01-variables.md");
    let front = site.front("content/02-language/01-variables.md");
    assert_eq!(front["title"], "Variables");
    assert_eq!(front["summary"], "Variables bind names to values.");
    assert!(!vars.contains("# Variables\n"), "the H1 became the title:\n{vars}");
    // {{#include file:anchor}} and {{#include file:2:3}}.
    assert!(vars.contains("```rust\nfn greet() {\n    println!(\"hello\");\n}\n```"), "{vars}");
    assert!(vars.contains("```rust\nfn greet() {\n    println!(\"hello\");\n```"), "{vars}");
    assert!(vars.contains("> Hello from an included file."), "{vars}");
    // Hidden lines: `# ` in rust blocks, `~` in python blocks (hidelines).
    assert!(vars.contains("```rust\nlet x = 5;\n```") && !vars.contains("# fn main"), "{vars}");
    assert!(vars.contains("```python\nprint(\"hi\")\n```") && !vars.contains("~import"), "{vars}");
    assert!(!vars.contains("{{#"), "{vars}");
    // {{#rustdoc_include file:anchor}} keeps the shown lines only; {{#title}} leaves no trace.
    let types = site.read("content/02-language/02-data-types.md");
    assert!(types.contains("```rust\nfn main() {\n    println!(\"{}\", 1);\n}\n```"), "{types}");
    assert!(!types.contains("use std::fmt") && !types.contains("fn helper") && !types.contains("{{#title"), "{types}");
    // A chapter without a heading takes its SUMMARY.md title.
    assert_eq!(site.front("content/01-getting-started/02-first-steps.md")["title"], "First steps");
    // An escaped directive is shown, unescaped, as written.
    assert!(site.read("content/03-tools/01-preprocessors.md").contains("\n{{#include not-expanded.rs}}\n"));
}

#[test]
fn mdbook_quiz_becomes_quiz_front_matter() {
    let site = import("mdbook-course");
    let front = site.front("content/02-language/01-variables.md");
    let quiz = front["quiz"].as_array().unwrap();
    let summary: Vec<(String, String)> =
        quiz.iter().map(|q| (q["id"].as_str().unwrap().to_string(), q["type"].as_str().unwrap().to_string())).collect();
    let expected = [
        ("var-print", "single"),
        ("var-keywords", "multiple"),
        ("var-mut", "text"),
        ("var-trace-ok", "truefalse"),
        ("var-trace-ok-output", "text"),
        ("var-trace-err", "truefalse"),
        ("var-trace-err-line", "number"),
    ];
    assert_eq!(summary, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    // Markdown survives, code blocks included; context is the explanation, links are rewritten.
    assert!(quiz[0]["prompt"].as_str().unwrap().contains("```rust\nlet x = 5;\nprintln!(\"{x}\");\n```"));
    let correct: Vec<&str> = quiz[0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["correct"] == true)
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(correct, ["`5`"]);
    assert!(quiz[0]["explanation"].as_str().unwrap().contains("[data types](02-data-types.md#data-types)"));
    assert_eq!(quiz[2]["accept"], serde_json::json!(["mut", "`mut`"]));
    assert_eq!(quiz[3]["answer"], true);
    assert_eq!(quiz[4]["accept"], serde_json::json!(["1"]));
    assert_eq!(quiz[6]["answer"], 3);
    // The quiz file is converted, not copied.
    assert!(!site.dest.join("content/lang/quizzes/variables.toml").exists());
}

#[test]
fn links_between_chapters_resolve_in_the_built_site() {
    let site = import("mdbook-course");
    let intro = site.read("content/01-introduction.md");
    assert!(intro.contains("[Data Types](02-language/02-data-types.md#data-types)"), "{intro}");
    assert!(intro.contains("[signed integers](02-language/03-integers.md#signed)"), "{intro}");
    // mdBook's `#quiz` is learn's `#quiz-1`: the page layout has an element with id `quiz`.
    assert!(intro.contains("(02-language/02-data-types.md#quiz-1)"), "{intro}");
    assert!(site.read("content/01-getting-started/02-first-steps.md").contains("[appendix](../03-appendix.md)"));
    // An explicit id learn's layout has moves, and links to it follow.
    assert!(site.read("content/02-language/03-integers.md").contains("## Main things {#main-1}"));
    assert!(site.read("content/03-appendix.md").contains("(02-language/03-integers.md#main-1)"));
    site.build();
    let intro_html = site.built("introduction/index.html");
    assert!(intro_html.contains("href=\"../language/data-types/#data-types\""), "links to the title anchor");
    assert!(intro_html.contains("src=\"../img/diagram.svg\""), "images are copied beside the pages");
    let types = site.built("language/data-types/index.html");
    assert!(types.contains("id=\"data-types\"") && types.contains("id=\"quiz-1\""));
    let tools = site.built("tools/preprocessors/index.html");
    assert!(tools.contains("href=\"https://doc.rust-lang.org/std/vec/struct.Vec.html\""), "[links] rewrite");
    assert!(tools.contains("href=\"https://doc.rust-lang.org/std/index.html\""), "raw HTML gets the full URL");
    assert!(tools.contains("href=\"../examples/demo.rs\""), "[links] ignore leaves it as written");
}

#[test]
fn the_report_lists_what_was_left_with_path_and_line() {
    let site = import("mdbook-course");
    let report = site.read("IMPORT-REPORT.md");
    for expected in [
        "`src/SUMMARY.md:10`: draft chapter `Later` has no file",
        "`src/SUMMARY.md:23`: chapter `Missing` has no file `tools/missing.md`",
        "`src/notes.md`: `notes.md` is not in SUMMARY.md; it became the standalone page `content/04-notes.md`",
        "`src/404.md`: mdBook's 404 page was not imported",
        "`src/lang/README.md`: `lang/README.md` is not in SUMMARY.md; it became the page of area `02-language`",
        "`src/tools/preprocessors.md:5`: `{{#admonish ...}}` belongs to a preprocessor learn does not run",
        "`src/tools/preprocessors.md:7`: `<ferris-says>` is not HTML",
        "`src/lang/quizzes/variables.toml:55`: question 6 was skipped: type `Drawing`",
        "`src/appendix.md:5`: link `lang/integers.md#unsigned` points at `#unsigned`",
        "`book.toml:16`: `output.html.mathjax-support` is not carried over",
        "`book.toml:10`: `preprocessor.admonish` is not carried over",
        "`theme`: the book's own `theme/` folder is not carried over",
        "### `../examples/` (1 link)",
        "rewrite = { \"../examples/\" = \"https://example.org/examples/\" }",
        "### `../std/` (2 links)",
        "- `src/tools/preprocessors.md:9`",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in\n{report}");
    }
    assert!(!report.contains("{{#if"), "directives inside code blocks are examples:\n{report}");
    let stderr = site.stderr();
    assert!(stderr.contains("mdbook-course/src/tools/preprocessors.md:5:1"), "{stderr}");
    assert!(stderr.contains("note: 2 links leave the book through `../std/`"), "{stderr}");
}

#[test]
fn a_flat_book_keeps_its_order_and_quizzes() {
    let site = import("mdbook-flat");
    assert_eq!(
        site.files(),
        [
            "IMPORT-REPORT.md",
            "content/01-one-to-two/01-one.md",
            "content/01-one-to-two/02-two.md",
            "content/01-one-to-two/_index.md",
            "content/02-basics/01-values.md",
            "content/02-basics/_index.md",
            "content/03-checkpoint/01-checkpoint.md",
            "content/03-checkpoint/02-after.md",
            "content/03-checkpoint/_index.md",
            "content/_index.md",
            "site.toml",
        ]
    );
    assert!(site.read("content/01-one-to-two/01-one.md").contains("[basics](../02-basics/_index.md)"));
    assert_eq!(site.front("content/03-checkpoint/01-checkpoint.md")["quiz"][0]["accept"], serde_json::json!(["One"]));
    site.build();
    assert!(site.built("checkpoint/checkpoint/index.html").contains("Name the first chapter."));
}

#[test]
fn a_non_empty_dest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let out = learn(&["import", "mdbook", fixture("mdbook-flat").to_str().unwrap(), dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder is not empty"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing was written");
}

#[test]
fn a_folder_that_is_no_book_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let out = learn(&["import", "mdbook", dir.path().to_str().unwrap(), dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an mdBook"));
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    let out = learn(&["import", "mdbook", dir.path().to_str().unwrap(), dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SUMMARY.md"));
    std::fs::write(dir.path().join("book.toml"), "[book\n").unwrap();
    let out = learn(&["import", "mdbook", dir.path().to_str().unwrap(), dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a malformed book.toml is the book's error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("book.toml:1:"));
    assert!(!dest.exists());
    // Like mdBook, a book without book.toml is read with defaults: the title is the folder's name.
    std::fs::remove_file(dir.path().join("book.toml")).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/SUMMARY.md"), "- [One](one.md)\n").unwrap();
    std::fs::write(dir.path().join("src/one.md"), "# One\n\nText.\n").unwrap();
    let out = learn(&["import", "mdbook", dir.path().to_str().unwrap(), dest.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let name = dir.path().file_name().unwrap().to_string_lossy().into_owned();
    assert!(std::fs::read_to_string(dest.join("site.toml")).unwrap().contains(&format!("title = \"{name}\"")));
}
