//! `learn import mdbook BOOK DEST`: an mdBook (with mdbook-quiz quizzes) to a
//! learn site. `book.toml` becomes `site.toml`, `SUMMARY.md` the areas,
//! lessons and pages (`plan`), each chapter a page with its directives
//! expanded, links rewritten and quizzes in its front matter (`chapter`), and
//! the files beside the chapters are copied. What cannot be converted stays
//! readable and is listed in the returned `Report` (also written to
//! `DEST/IMPORT-REPORT.md`). Nothing here prints.

mod anchors;
mod book;
mod chapter;
mod hidden;
mod html_tags;
mod includes;
mod links;
mod plan;
mod quiz;
mod report;
mod sources;
mod summary;
mod write;
mod yaml;

pub use report::{Entry, Kind, Outside, Report};

use crate::content::PageKind;
use crate::diag::{Code, Diagnostic};
use chapter::Prepared;
use plan::{Plan, Planned};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why an import did not run.
#[derive(Debug)]
pub enum Failure {
    /// The command was asked something it cannot do (exit code 2): no book, a non-empty DEST.
    Usage(Diagnostic),
    /// The book or the disk failed it (exit code 1): a malformed book.toml, a write error.
    Content(Diagnostic),
}

/// How much the import made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub areas: usize,
    pub lessons: usize,
    pub pages: usize,
    pub questions: usize,
    /// Files copied from beside the chapters.
    pub files: usize,
}

/// What an import made.
#[derive(Debug)]
pub struct Imported {
    /// The book's title.
    pub title: String,
    pub counts: Counts,
    /// Every file written, relative to DEST.
    pub written: Vec<PathBuf>,
    pub report: Report,
}

/// The name of the report in DEST.
pub const REPORT_FILE: &str = "IMPORT-REPORT.md";

/// Imports the mdBook in `book_dir` into `dest`, which must be missing or empty.
pub fn mdbook(book_dir: &Path, dest: &Path) -> Result<Imported, Failure> {
    write::check_dest(dest)?;
    let mut report = Report::default();
    let book = book::read(book_dir, &mut report)?;
    let summary_path = book.src.join("SUMMARY.md");
    let summary_text = std::fs::read_to_string(&summary_path).map_err(|e| {
        Failure::Usage(
            Diagnostic::error(Code::ImportNotABook, format!("cannot read {} ({e})", summary_path.display())).with_hint(
                "an mdBook lists its chapters in SUMMARY.md in its source folder (`book.src`, default `src`)",
            ),
        )
    })?;
    let summary = summary::parse(&crate::content::load::normalise_text(summary_text));
    let mut plan = plan::plan(&summary, &book.title, &Probe { src: &book.src }, &mut report);
    let ctx = chapter::Book { dir: book_dir, src: &book.src, hidelines: &book.hidelines };
    let mut ids = HashSet::new();
    let mut prepared: Vec<Prepared> =
        plan.pages.iter().map(|p| chapter::prepare(&ctx, &p.src, &p.title, &mut ids, &mut report)).collect();
    let found = sources::walk(&book.src);
    add_unlisted(&ctx, &found.markdown, &mut plan, &mut prepared, &mut ids, &mut report);
    // Quiz files are converted; everything else beside the chapters is copied, as mdBook does.
    let used: HashSet<PathBuf> = prepared.iter().flat_map(|p| p.quiz_files.iter().cloned()).collect();
    let area_folders = plan.areas.iter().map(|a| a.folder.clone()).collect();
    let assets = sources::asset_places(&found.other, &book.src, &used, &area_folders);
    let targets = targets(&plan, &prepared, &assets);
    let mut files = pages(&book, &plan, &prepared, &targets, &mut report);
    files.push((PathBuf::from("site.toml"), book::site_toml(&book, &link_policy(&mut report))));
    let counts = Counts {
        areas: plan.areas.len(),
        lessons: plan.pages.iter().filter(|p| p.kind == PageKind::Lesson).count(),
        pages: plan.pages.iter().filter(|p| p.kind == PageKind::Standalone).count(),
        questions: prepared.iter().map(|p| p.quiz.len()).sum(),
        files: assets.len(),
    };
    files.push((PathBuf::from(REPORT_FILE), report.to_markdown(&book.title, &counts_line(&counts))));
    let mut writer = write::Writer::new(dest);
    for (rel, text) in &files {
        writer.write(rel, text)?;
    }
    for (from, to) in &assets {
        writer.copy(&Path::new("content").join(to), &book.src.join(from))?;
    }
    Ok(Imported { title: book.title, counts, written: writer.written, report })
}

/// The counts as a sentence, for the report and the command's summary line.
pub fn counts_line(c: &Counts) -> String {
    let n = |count: usize, what: &str| format!("{count} {what}{}", if count == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}, {} and {} copied",
        n(c.areas, "area"),
        n(c.lessons, "lesson"),
        n(c.pages, "standalone page"),
        n(c.questions, "question"),
        n(c.files, "file")
    )
}

/// Looks at chapter files for the plan.
struct Probe<'a> {
    src: &'a Path,
}

impl plan::Probe for Probe<'_> {
    fn exists(&self, src: &Path) -> bool {
        self.src.join(src).is_file()
    }

    fn has_quiz(&self, src: &Path) -> bool {
        std::fs::read_to_string(self.src.join(src)).is_ok_and(|t| t.contains("{{#quiz"))
    }
}

/// Markdown files SUMMARY.md does not list and no chapter includes become
/// standalone pages; mdBook's `404.md` is left out (learn makes its own).
fn add_unlisted(
    ctx: &chapter::Book<'_>,
    markdown: &[PathBuf],
    plan: &mut Plan,
    prepared: &mut Vec<Prepared>,
    ids: &mut HashSet<String>,
    report: &mut Report,
) {
    let used: HashSet<PathBuf> = prepared.iter().flat_map(|p| p.used.iter().cloned()).collect();
    for rel in markdown {
        let shown = Path::new("src").join(rel);
        let in_use = used.contains(&sources::lexical(&ctx.src.join(rel)));
        if rel == Path::new("SUMMARY.md") || plan.is_placed(rel) || in_use {
            continue;
        }
        if rel == Path::new("404.md") {
            report.add(
                Kind::Structure,
                report::Place::file(&shown),
                "mdBook's 404 page was not imported",
                "learn makes its own 404 page; a theme's `404.html` can say more",
            );
            continue;
        }
        let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        plan.add_standalone(rel, &stem);
        let page = plan.pages.last().expect("a page was just added");
        let message = format!(
            "`{}` is not in SUMMARY.md; it became the standalone page `content/{}`",
            rel.display(),
            page.content.display()
        );
        report.add(
            Kind::Structure,
            report::Place::file(&shown),
            message,
            "delete it if it was not meant to be published",
        );
        prepared.push(chapter::prepare(ctx, rel, &stem, ids, report));
    }
}

/// What links can reach: every page with its anchors, every copied file.
fn targets(plan: &Plan, prepared: &[Prepared], assets: &[(PathBuf, PathBuf)]) -> links::Targets {
    let mut t = links::Targets::default();
    for (planned, p) in plan.pages.iter().zip(prepared) {
        let anchors = anchors::anchors(&p.body, &p.title, p.title_was_h1, &p.moved_ids);
        t.pages.insert(planned.src.clone(), links::PageTarget { content: planned.content.clone(), anchors });
    }
    t.assets = assets.iter().cloned().collect::<HashMap<_, _>>();
    t
}

/// Every page file of the new site: chapters, home, and the pages of areas made for parts.
fn pages(
    book: &book::Book,
    plan: &Plan,
    prepared: &[Prepared],
    targets: &links::Targets,
    report: &mut Report,
) -> Vec<(PathBuf, String)> {
    let content = Path::new("content");
    let mut files = Vec::new();
    for (planned, p) in plan.pages.iter().zip(prepared) {
        let needs_summary = planned.kind != PageKind::Standalone;
        files.push((
            content.join(&planned.content),
            chapter::finish(p, &planned.content, needs_summary, targets, report),
        ));
    }
    files.push((content.join("_index.md"), home(book, plan.pages.first())));
    for area in plan.areas.iter().filter(|a| !a.has_page) {
        let summary = crate::text::shorten(&format!("{}.", join_titles(&area.lessons)), 160);
        let front = yaml::front_matter(&yaml::Front { title: &area.title, summary: Some(&summary), quiz: &[] });
        files.push((content.join(&area.folder).join("_index.md"), front));
    }
    files
}

/// `a`, `a and b`, `a, b and c`.
fn join_titles(titles: &[String]) -> String {
    match titles {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The home page: the book's title and description, and where to start reading.
fn home(book: &book::Book, first: Option<&Planned>) -> String {
    let mut text = yaml::front_matter(&yaml::Front { title: &book.title, summary: None, quiz: &[] });
    text.push('\n');
    if !book.description.trim().is_empty() {
        text.push_str(&format!("{}\n\n", book.description.trim()));
    }
    if let Some(first) = first {
        text.push_str(&format!(
            "Start reading: [{}]({}).\n",
            first.title.replace(['[', ']'], ""),
            first.content.display()
        ));
    }
    text
}

/// `[links]` for `site.toml`: known documents beside the book are rewritten to
/// their address, other places are left as written, and links to missing
/// targets are warnings when the import found some.
fn link_policy(report: &mut Report) -> book::LinkPolicy {
    let mut policy = book::LinkPolicy::default();
    for (prefix, group) in &mut report.outside {
        match book::known_home(prefix) {
            Some(home) => {
                group.rewrite = Some(home.clone());
                policy.rewrite.insert(prefix.clone(), home);
            }
            None => policy.ignore.push(format!("{prefix}**")),
        }
    }
    policy.warn_missing = report.entries.iter().any(|e| e.kind == Kind::Link);
    policy
}
