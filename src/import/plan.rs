//! Where each chapter goes. Parts become areas, their chapters (sub-chapters
//! included, in order) lessons; outside parts, a top-level chapter with
//! sub-chapters becomes an area (its own page the area's page) and a run of
//! top-level chapters without any becomes one area. Prefix and suffix
//! chapters, and pages no chapter lists, become standalone pages. Folders
//! and files are numbered in SUMMARY order, so learn keeps that order.

use super::report::{Kind, Place, Report};
use super::summary::{Chapter, Numbered, Summary};
use crate::content::PageKind;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A chapter's new place.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The chapter file, relative to `src/`.
    pub src: PathBuf,
    /// Its new file, relative to `content/`.
    pub content: PathBuf,
    pub kind: PageKind,
    /// The title SUMMARY.md gives it, used when the page has no heading.
    pub title: String,
}

/// An area; its `_index.md` is a chapter's page or, for a part, written by the import.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedArea {
    /// `01-user-guide`.
    pub folder: String,
    pub title: String,
    /// The titles of its lessons, for the summary of an area written by the import.
    pub lessons: Vec<String>,
    /// True when a chapter's page is the area's `_index.md`.
    pub has_page: bool,
}

/// The new site's layout.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub areas: Vec<PlannedArea>,
    pub pages: Vec<Planned>,
    /// Top-level names taken (areas, standalone pages, built-in pages).
    taken: HashSet<String>,
    standalone: usize,
    placed: HashSet<PathBuf>,
    /// Every file SUMMARY.md lists.
    listed: HashSet<PathBuf>,
}

/// What the plan needs to know about a chapter file.
pub trait Probe {
    /// The file exists under `src/`.
    fn exists(&self, src: &Path) -> bool;
    /// The file has an mdbook-quiz quiz (area pages show no quiz, so such a chapter stays a lesson).
    fn has_quiz(&self, src: &Path) -> bool;
}

/// A top-level group of SUMMARY.md being turned into an area.
enum Group<'s> {
    Part { title: &'s str, chapters: Vec<&'s Chapter> },
    Run(Vec<&'s Chapter>),
}

/// Plans the site for `summary`; `book_title` names an area made of a whole flat book.
pub fn plan(summary: &Summary, book_title: &str, probe: &dyn Probe, report: &mut Report) -> Plan {
    let mut p = Plan { taken: ["search", "progress", "assets", "page"].map(String::from).into(), ..Plan::default() };
    let mut all = Vec::new();
    for c in summary.prefix.iter().chain(&summary.suffix) {
        flatten(c, &mut all);
    }
    for n in &summary.numbered {
        if let Numbered::Chapter(c) = n {
            flatten(c, &mut all);
        }
    }
    p.listed = all.iter().filter_map(|c| c.path.as_deref()).map(clean).collect();
    let groups = groups(summary);
    let only_run = groups.len() == 1 && matches!(groups[0], Group::Run(_));
    for c in &summary.prefix {
        p.standalone_chapter(c, probe, report);
    }
    for g in groups {
        match g {
            Group::Part { title, chapters, .. } => p.part(title, &chapters, probe, report),
            Group::Run(chapters) if chapters.len() == 1 && !chapters[0].children.is_empty() => {
                p.chapter_area(chapters[0], probe, report);
            }
            Group::Run(chapters) => {
                let title = if only_run { book_title.to_string() } else { run_title(&chapters) };
                let line = chapters[0].line;
                p.run(&title, line, &chapters, probe, report);
            }
        }
    }
    for c in &summary.suffix {
        p.standalone_chapter(c, probe, report);
    }
    p
}

fn run_title(chapters: &[&Chapter]) -> String {
    match chapters {
        [one] => one.title.clone(),
        [first, .., last] => format!("{} to {}", first.title, last.title),
        [] => "Chapters".into(),
    }
}

/// Parts with their chapters; outside parts, each chapter with sub-chapters
/// alone and runs of chapters without.
fn groups(summary: &Summary) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    for n in &summary.numbered {
        match (n, out.last_mut()) {
            (Numbered::Part { title, .. }, _) => out.push(Group::Part { title, chapters: Vec::new() }),
            (Numbered::Chapter(c), Some(Group::Part { chapters, .. })) => chapters.push(c),
            (Numbered::Chapter(c), Some(Group::Run(run)))
                if c.children.is_empty() && run.iter().all(|r| r.children.is_empty()) =>
            {
                run.push(c)
            }
            (Numbered::Chapter(c), _) => out.push(Group::Run(vec![c])),
        }
    }
    out
}

impl Plan {
    /// Adds a page no chapter lists as a standalone page.
    pub fn add_standalone(&mut self, src: &Path, title: &str) {
        let name = self.top_name(&file_slug(src, title));
        self.standalone += 1;
        let content = PathBuf::from(format!("{:02}-{name}.md", self.standalone));
        self.placed.insert(src.to_path_buf());
        self.pages.push(Planned { src: src.to_path_buf(), content, kind: PageKind::Standalone, title: title.into() });
    }

    /// True when the chapter file already has a place.
    pub fn is_placed(&self, src: &Path) -> bool {
        self.placed.contains(src)
    }

    fn standalone_chapter(&mut self, c: &Chapter, probe: &dyn Probe, report: &mut Report) {
        if let Some(src) = self.usable(c, probe, report) {
            self.add_standalone(&src, &c.title);
        }
    }

    /// The chapter's file if it can be placed; drafts, missing files and repeats are reported.
    fn usable(&self, c: &Chapter, probe: &dyn Probe, report: &mut Report) -> Option<PathBuf> {
        let summary = Path::new("src/SUMMARY.md");
        let at = Place { file: Some(summary), line: Some(c.line), text: None };
        let Some(path) = &c.path else {
            report.add(
                Kind::Draft,
                at,
                format!("draft chapter `{}` has no file", c.title),
                "write it as a page of the new site when it is ready",
            );
            return None;
        };
        let src = clean(path);
        if !probe.exists(&src) {
            let message =
                format!("chapter `{}` has no file `{}` (mdBook would create it empty)", c.title, src.display());
            report.add(Kind::Structure, at, message, "it was not imported");
            return None;
        }
        if self.placed.contains(&src) {
            report.add(
                Kind::Structure,
                at,
                format!("`{}` is listed twice", src.display()),
                "only its first place was kept",
            );
            return None;
        }
        Some(src)
    }

    /// A name for a top-level folder or page that no other takes.
    fn top_name(&mut self, base: &str) -> String {
        let name = unique(base, &self.taken);
        self.taken.insert(name.clone());
        name
    }

    fn new_area(&mut self, title: &str) -> String {
        let name = self.top_name(&slug(title));
        format!("{:02}-{name}", self.areas.len() + 1)
    }

    fn part(&mut self, title: &str, chapters: &[&Chapter], probe: &dyn Probe, report: &mut Report) {
        let folder = self.new_area(title);
        let mut lessons = Vec::new();
        for c in chapters {
            flatten(c, &mut lessons);
        }
        let page = self.part_page(&lessons, probe);
        if let Some(src) = &page {
            let content = Path::new(&folder).join("_index.md");
            self.placed.insert(src.clone());
            self.pages.push(Planned { src: src.clone(), content, kind: PageKind::Area, title: title.into() });
            let shown = Path::new("src").join(src);
            let message = format!("`{}` is not in SUMMARY.md; it became the page of area `{folder}`", src.display());
            report.add(
                Kind::Structure,
                Place::file(&shown),
                message,
                "its part's chapters all sit beside it; check that it reads well as the area's introduction",
            );
        }
        self.areas.push(PlannedArea {
            folder: folder.clone(),
            title: title.into(),
            lessons: Vec::new(),
            has_page: page.is_some(),
        });
        self.lessons(&folder, &lessons, probe, report);
    }

    /// A part whose chapters all sit in one folder takes that folder's
    /// unlisted `README.md` (or `index.md`) as its page, as mdBook's own guide
    /// is laid out; a page with a quiz stays out (area pages show none).
    fn part_page(&self, lessons: &[&Chapter], probe: &dyn Probe) -> Option<PathBuf> {
        let top = |c: &&Chapter| {
            let path = clean(c.path.as_deref()?);
            (path.components().count() > 1).then(|| path.iter().next().map(PathBuf::from)).flatten()
        };
        let mut dirs = lessons.iter().map(top);
        let dir = dirs.next()??;
        if !dirs.all(|d| d.as_ref() == Some(&dir)) {
            return None;
        }
        ["README.md", "index.md"].iter().map(|name| dir.join(name)).find(|page| {
            probe.exists(page) && !self.listed.contains(page) && !self.placed.contains(page) && !probe.has_quiz(page)
        })
    }

    fn run(&mut self, title: &str, line: usize, chapters: &[&Chapter], probe: &dyn Probe, report: &mut Report) {
        let folder = self.new_area(title);
        self.areas.push(PlannedArea {
            folder: folder.clone(),
            title: title.into(),
            lessons: Vec::new(),
            has_page: false,
        });
        self.lessons(&folder, chapters, probe, report);
        let n = self.areas.last().filter(|a| a.folder == folder).map_or(0, |a| a.lessons.len());
        if n > 0 {
            let at = Place { file: Some(Path::new("src/SUMMARY.md")), line: Some(line), text: None };
            let s = if n == 1 { "" } else { "s" };
            let message =
                format!("{n} top-level chapter{s} without sub-chapters became the lessons of area `{folder}`");
            report.add(
                Kind::Structure,
                at,
                message,
                "rename the area in its `_index.md`, or move the lessons, as you like",
            );
        }
    }

    fn chapter_area(&mut self, c: &Chapter, probe: &dyn Probe, report: &mut Report) {
        let folder = self.new_area(&c.title);
        let own = self.usable(c, probe, report);
        let mut lessons = Vec::new();
        for child in &c.children {
            flatten(child, &mut lessons);
        }
        // Area pages show no quiz: a chapter with one stays its area's first lesson.
        let has_page = own.as_ref().is_some_and(|src| !probe.has_quiz(src));
        if let (Some(src), true) = (&own, has_page) {
            let content = Path::new(&folder).join("_index.md");
            self.placed.insert(src.clone());
            self.pages.push(Planned { src: src.clone(), content, kind: PageKind::Area, title: c.title.clone() });
        } else if own.is_some() {
            lessons.insert(0, c);
        }
        self.areas.push(PlannedArea { folder: folder.clone(), title: c.title.clone(), lessons: Vec::new(), has_page });
        self.lessons(&folder, &lessons, probe, report);
    }

    fn lessons(&mut self, folder: &str, chapters: &[&Chapter], probe: &dyn Probe, report: &mut Report) {
        let mut names = HashSet::from(["_index".to_string()]);
        let width = if chapters.len() >= 100 { 3 } else { 2 };
        let mut n = 0;
        for c in chapters {
            let Some(src) = self.usable(c, probe, report) else { continue };
            n += 1;
            let mut base = file_slug(&src, &c.title);
            if names.contains(&base) {
                base = slug(&format!("{} {base}", parent_name(&src)));
            }
            let name = unique(&base, &names);
            names.insert(name.clone());
            let content = Path::new(folder).join(format!("{n:0width$}-{name}.md"));
            self.placed.insert(src.clone());
            self.pages.push(Planned { src, content, kind: PageKind::Lesson, title: c.title.clone() });
            if let Some(area) = self.areas.last_mut() {
                area.lessons.push(c.title.clone());
            }
        }
        // An area left with neither lessons nor a page of its own is not made.
        if self.areas.last().is_some_and(|a| a.lessons.is_empty() && !a.has_page) {
            self.areas.pop();
        }
    }
}

/// A chapter and its sub-chapters, depth first.
fn flatten<'s>(c: &'s Chapter, out: &mut Vec<&'s Chapter>) {
    out.push(c);
    for child in &c.children {
        flatten(child, out);
    }
}

/// A SUMMARY link as a path relative to `src/`: `./a/b.md` → `a/b.md`, `%20` decoded.
pub fn clean(link: &str) -> PathBuf {
    let path = link.split('#').next().unwrap_or(link);
    let decoded = crate::html::decode(path);
    Path::new(decoded.as_ref()).components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

fn parent_name(src: &Path) -> String {
    src.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A page's file name from its chapter file (`ch03-02-data-types`); a folder's
/// `README.md` or `index.md` takes the folder's name, and at the root the title's.
fn file_slug(src: &Path, title: &str) -> String {
    let stem = src.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let base = match stem.to_lowercase().as_str() {
        "readme" | "index" if !parent_name(src).is_empty() => parent_name(src),
        "readme" | "index" => title.to_string(),
        _ => stem,
    };
    slug(&base)
}

/// Lowercase letters and digits of any script, words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "page".into()
    } else {
        out
    }
}

fn unique(base: &str, taken: &HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::summary::parse;

    struct Files(Vec<&'static str>);
    impl Probe for Files {
        fn exists(&self, src: &Path) -> bool {
            self.0.iter().any(|f| Path::new(f) == src || *f == "*")
        }
        fn has_quiz(&self, src: &Path) -> bool {
            src.to_string_lossy().contains("quiz")
        }
    }

    fn contents(p: &Plan) -> Vec<String> {
        p.pages.iter().map(|p| p.content.display().to_string()).collect()
    }

    #[test]
    fn parts_become_areas_and_nested_chapters_are_flattened() {
        let s = parse("[Intro](README.md)\n\n# User guide\n\n- [Install](guide/install.md)\n    - [Draft]()\n    - [Deep](guide/deep.md)\n\n# Reference\n\n- [CLI](cli/README.md)\n    - [init](cli/init.md)\n- [Other init](other/init.md)\n\n[Thanks](misc/thanks.md)\n");
        let mut report = Report::default();
        let p = plan(&s, "Book", &Files(vec!["*"]), &mut report);
        assert_eq!(
            contents(&p),
            [
                "01-intro.md",
                "01-user-guide/01-install.md",
                "01-user-guide/02-deep.md",
                "02-reference/01-cli.md",
                "02-reference/02-init.md",
                "02-reference/03-other-init.md",
                "02-thanks.md"
            ]
        );
        assert_eq!(report.entries.len(), 1, "the draft: {report:?}");
        assert_eq!(report.entries[0].kind, Kind::Draft);
    }

    #[test]
    fn chapters_with_sub_chapters_become_areas_and_runs_are_grouped() {
        let s = parse("- [One](one.md)\n- [Two](two.md)\n- [Three](three/README.md)\n    - [A](three/a.md)\n- [Quiz](quiz.md)\n    - [B](b.md)\n- [Gone](gone.md)\n");
        let mut report = Report::default();
        let p = plan(
            &s,
            "Book",
            &Files(vec!["one.md", "two.md", "three/README.md", "three/a.md", "quiz.md", "b.md"]),
            &mut report,
        );
        assert_eq!(
            contents(&p),
            [
                "01-one-to-two/01-one.md",
                "01-one-to-two/02-two.md",
                "02-three/_index.md",
                "02-three/01-a.md",
                "03-quiz/01-quiz.md",
                "03-quiz/02-b.md"
            ]
        );
        assert_eq!(p.areas.iter().map(|a| a.has_page).collect::<Vec<_>>(), [false, true, false]);
        let kinds: Vec<_> = report.entries.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Structure, Kind::Structure], "{report:?}");
    }

    #[test]
    fn a_part_in_one_folder_takes_its_unlisted_readme() {
        let s = parse("# Summary\n\n# Guide\n\n- [Install](guide/install.md)\n- [Read](guide/read.md)\n\n# Other\n\n- [A](a/a.md)\n- [B](b/b.md)\n");
        let files =
            Files(vec!["guide/install.md", "guide/read.md", "guide/README.md", "a/a.md", "b/b.md", "a/README.md"]);
        let mut report = Report::default();
        let p = plan(&s, "Book", &files, &mut report);
        assert_eq!(contents(&p)[0], "01-guide/_index.md");
        assert_eq!(p.pages[0].src, PathBuf::from("guide/README.md"));
        assert_eq!(p.areas.iter().map(|a| a.has_page).collect::<Vec<_>>(), [true, false]);
        assert_eq!(report.entries.len(), 1);
    }

    #[test]
    fn a_flat_book_is_one_area_named_after_it() {
        let s = parse("# Summary\n\n- [Chapter 1](./chapter_1.md)\n");
        let mut report = Report::default();
        let p = plan(&s, "example", &Files(vec!["*"]), &mut report);
        assert_eq!(contents(&p), ["01-example/01-chapter-1.md"]);
        assert_eq!(p.areas[0].title, "example");
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("SUMMARY.md"), "summary-md");
        assert_eq!(slug("Über uns!"), "über-uns");
        assert_eq!(slug("!!!"), "page");
        assert_eq!(clean("./a%20b/c.md#x"), PathBuf::from("a b/c.md"));
    }
}
