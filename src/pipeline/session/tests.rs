//! The rebuild plan on a small site: each edit makes exactly the outputs it
//! should, and the files always equal a fresh build of the same content.
use super::*;
use crate::diag::Code;
use crate::files::Contents;
use crate::pipeline::deps::Reason;

struct Site {
    dir: tempfile::TempDir,
    session: Session,
}

fn fixture() -> Site {
    let dir = crate::test_support::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"));
    let mut session = Session::new(options(dir.path()), Highlighter::default());
    session.update(&Changes::everything()).expect("the fixture builds");
    Site { dir, session }
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() }
}

impl Site {
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::create_dir_all(self.path(rel).parent().unwrap()).unwrap();
        std::fs::write(self.path(rel), text).unwrap();
    }

    fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        self.write(rel, &f(text));
    }

    /// Updates after changes to these files under `content/`.
    fn saved(&mut self, content: &[&str]) -> Result<Update, Diagnostics> {
        let changes = Changes { content: content.iter().map(PathBuf::from).collect(), ..Changes::default() };
        self.session.update(&changes)
    }

    /// Asserts the published files are byte for byte those of a fresh
    /// `learn build`, which takes the other road through the pipeline.
    fn assert_fresh(&self) {
        assert!(self.session.record_is_whole(), "the published record misses a change");
        assert_same_files(self.session.files(), self.dir.path());
    }
}

fn assert_same_files(session: &Files, root: &Path) {
    let fresh = crate::pipeline::build_in_memory(&options(root), &Highlighter::default()).expect("a fresh build");
    let mut session: Vec<(&str, &Contents)> = session.iter().map(|(p, c)| (&**p, &**c)).collect();
    session.sort_by_key(|f| f.0);
    let built: Vec<(&str, &Contents)> = fresh.files.iter().map(|f| (f.path.as_str(), &f.contents)).collect();
    let paths = |files: &[(&str, &Contents)]| files.iter().map(|f| f.0.to_string()).collect::<Vec<_>>();
    assert_eq!(paths(&session), paths(&built), "same files");
    for ((path, a), (_, b)) in session.iter().zip(&built) {
        assert!(a == b, "{path} differs from a fresh build");
    }
}

#[test]
fn a_session_makes_the_same_files_as_learn_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut session = Session::new(options(root), Highlighter::default());
    session.update(&Changes::everything()).expect("the curriculum builds");
    assert_same_files(session.files(), root);
}

/// The units made, as short names: page sources, special paths, `search`.
fn made(u: &Update) -> BTreeSet<String> {
    u.made
        .iter()
        .map(|(unit, _)| match unit {
            Unit::Page(p) => p.to_string_lossy().into_owned(),
            Unit::Special(s) => s.path().to_string(),
            Unit::Static(p) => p.clone(),
            Unit::SyntaxCss => "syntax.css".into(),
            Unit::Asset(p) => p.to_string_lossy().into_owned(),
            Unit::SearchIndex => "search".into(),
            Unit::AreaData(url) => format!("progress data {url}"),
            Unit::Offline => "offline".into(),
        })
        .collect()
}

/// The HTML pages among output paths (search index files are named by their content).
fn pages(paths: &[String]) -> Vec<&str> {
    paths.iter().map(String::as_str).filter(|p| p.ends_with(".html")).collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn saving_a_lesson_body_remakes_that_lesson_and_the_search_index() {
    let mut site = fixture();
    site.edit("content/01-basics/02-second.md", |t| t + "\nA new sentence.\n");
    let u = site.saved(&["01-basics/02-second.md"]).unwrap();
    assert_eq!(made(&u), set(&["01-basics/02-second.md", "search"]));
    assert!(u.changed.contains(&"basics/second/index.html".to_string()), "{:?}", u.changed);
    assert!(u.made.iter().all(|(_, r)| *r == Reason::Source), "{:?}", u.made);
    site.assert_fresh();
}

#[test]
fn a_new_title_reaches_the_neighbours_the_area_page_and_home() {
    let mut site = fixture();
    site.edit("content/01-basics/02-second.md", |t| t.replace("title: Second", "title: Second, renamed"));
    let u = site.saved(&["01-basics/02-second.md"]).unwrap();
    assert_eq!(
        made(&u),
        set(&[
            "01-basics/02-second.md",
            // Previous and next lessons link to it by title.
            "01-basics/01-first.md",
            "02-later/zeta.md",
            // Its area lists it; home and progress list every area's lessons.
            "01-basics/_index.md",
            "_index.md",
            "progress/index.html",
            // Its area's progress data names it.
            "progress data basics/",
            "search",
        ])
    );
    let reason = |p: &str| u.made.iter().find(|(unit, _)| *unit == Unit::Page(p.into())).map(|(_, r)| *r);
    assert_eq!(reason("01-basics/01-first.md"), Some(Reason::Navigation));
    assert_eq!(reason("01-basics/_index.md"), Some(Reason::SiteData));
    let steps: Vec<&str> = u.timings.iter().map(|(step, _)| *step).collect();
    assert!(steps.contains(&"site view (areas changed)"), "only its area is made again: {steps:?}");
    assert!(steps.contains(&"record and plan (some pages)"), "only pages it can reach are looked at: {steps:?}");
    site.assert_fresh();
}

#[test]
fn a_new_area_title_reaches_its_lessons_breadcrumbs() {
    let mut site = fixture();
    site.edit("content/02-later/_index.md", |t| t.replace("title: Later", "title: Much later"));
    let u = site.saved(&["02-later/_index.md"]).unwrap();
    let made = made(&u);
    assert!(made.contains("02-later/zeta.md") && made.contains("02-later/alpha.md"), "{made:?}");
    assert!(!made.contains("01-basics/02-second.md"), "{made:?}");
    site.assert_fresh();
}

#[test]
fn a_new_weight_that_reorders_lessons_relinks_them() {
    let mut site = fixture();
    // Alpha (no weight) moves before Zeta (weight 1).
    site.edit("content/02-later/alpha.md", |t| t.replace("title: Alpha\n", "title: Alpha\nweight: 0\n"));
    let u = site.saved(&["02-later/alpha.md"]).unwrap();
    assert!(made(&u).contains("01-basics/02-second.md"), "second's next lesson is now alpha: {:?}", made(&u));
    site.assert_fresh();
}

#[test]
fn a_title_in_a_quiz_lesson_also_remakes_its_areas_progress_data() {
    let mut site = fixture();
    site.edit("content/01-basics/01-first.md", |t| t.replace("title: First lesson", "title: The first lesson"));
    let u = site.saved(&["01-basics/01-first.md"]).unwrap();
    // The area's questions file lists each question with its lesson's title,
    // and its lessons file the title itself; the other area's files stay.
    assert!(made(&u).contains("progress data basics/"), "{:?}", made(&u));
    assert!(!made(&u).contains("progress data later/"), "{:?}", made(&u));
    for path in ["progress/basics/lessons.json", "progress/basics/questions.json"] {
        assert!(u.changed.iter().any(|c| c == path), "{path} changed: {:?}", u.changed);
    }
    site.assert_fresh();
}

#[test]
fn a_new_question_remakes_only_its_areas_progress_data_among_them() {
    let mut site = fixture();
    let quiz = "quiz:\n  - id: added-q\n    type: truefalse\n    prompt: Is this new?\n    answer: true\n";
    site.edit("content/02-later/zeta.md", |t| t.replacen("---\n", &format!("---\n{quiz}"), 1));
    let u = site.saved(&["02-later/zeta.md"]).unwrap();
    assert!(made(&u).contains("progress data later/") && !made(&u).contains("progress data basics/"), "{:?}", made(&u));
    let files = site.session.files();
    let lessons = std::str::from_utf8(files["progress/later/lessons.json"].bytes().unwrap()).unwrap();
    assert!(lessons.contains("added-q"), "{lessons}");
    site.assert_fresh();
}

#[test]
fn a_template_change_remakes_every_page_but_changes_only_those_it_shows_in() {
    let mut site = fixture();
    let page = crate::theme::load(site.dir.path(), "default").unwrap().templates["page.html"].clone();
    site.write("themes/default/templates/page.html", &page.replace("{% block main %}", "{% block main %}<p>New</p>"));
    let u = site.session.update(&Changes { theme: true, ..Changes::default() }).unwrap();
    assert!(u.made.iter().filter(|(unit, _)| matches!(unit, Unit::Page(_))).all(|(_, r)| *r == Reason::Theme));
    assert_eq!(u.made.iter().filter(|(unit, _)| matches!(unit, Unit::Page(_))).count(), 8);
    // The offline worker's version follows every file.
    assert_eq!(u.changed, ["faq/index.html", "offline.json", "sw.js"]);
    site.assert_fresh();
}

#[test]
fn a_stylesheet_change_makes_only_the_stylesheet() {
    let mut site = fixture();
    site.write("themes/default/static/assets/style.css", "body { color: red }\n");
    let u = site.session.update(&Changes { theme: true, ..Changes::default() }).unwrap();
    assert_eq!(made(&u), set(&["assets/style.css"]));
    assert_eq!(u.changed, ["assets/style.css", "offline.json", "sw.js"]);
    site.assert_fresh();
}

#[test]
fn a_new_lesson_joins_the_curriculum_order() {
    let mut site = fixture();
    site.write("content/01-basics/03-third.md", "---\ntitle: Third\nsummary: A third lesson.\n---\nText.\n");
    let u = site.saved(&["01-basics/03-third.md"]).unwrap();
    assert_eq!(
        made(&u),
        set(&[
            "01-basics/03-third.md",
            "01-basics/02-second.md",
            "02-later/zeta.md",
            "01-basics/_index.md",
            "_index.md",
            "progress/index.html",
            "progress data basics/",
            "sitemap.xml",
            "search",
        ])
    );
    site.assert_fresh();
}

#[test]
fn a_deleted_lesson_is_removed_and_its_neighbour_relinked() {
    let mut site = fixture();
    std::fs::remove_file(site.path("content/02-later/alpha.md")).unwrap();
    let u = site.saved(&["02-later/alpha.md"]).unwrap();
    assert_eq!(pages(&u.removed), vec!["later/alpha/index.html"]);
    assert!(made(&u).contains("02-later/zeta.md"), "zeta loses its next link: {:?}", made(&u));
    site.assert_fresh();
}

#[test]
fn a_renamed_lesson_moves() {
    let mut site = fixture();
    std::fs::rename(site.path("content/02-later/alpha.md"), site.path("content/02-later/beta.md")).unwrap();
    let u = site.saved(&["02-later/alpha.md", "02-later/beta.md"]).unwrap();
    assert_eq!(pages(&u.removed), vec!["later/alpha/index.html"]);
    assert!(u.changed.contains(&"later/beta/index.html".to_string()), "{:?}", u.changed);
    site.assert_fresh();
}

#[test]
fn a_new_folder_is_found_by_walking_it() {
    let mut site = fixture();
    site.write("content/03-new/_index.md", "---\ntitle: New area\nsummary: New.\n---\n");
    site.write("content/03-new/01-one.md", "---\ntitle: One\nsummary: One.\n---\nText.\n");
    // The watcher may report only the folder.
    let u = site.saved(&["03-new"]).unwrap();
    assert!(u.changed.contains(&"new/one/index.html".to_string()), "{:?}", u.changed);
    site.assert_fresh();
}

#[test]
fn a_bad_save_fails_without_touching_the_published_files_and_the_fix_recovers() {
    let mut site = fixture();
    let before = (**site.session.files()).clone();
    site.edit("content/02-later/zeta.md", |t| t.replace("weight: 1", "weight: [1"));
    let err = site.saved(&["02-later/zeta.md"]).unwrap_err();
    assert!(err.0.iter().any(|d| d.path.as_deref() == Some(Path::new("content/02-later/zeta.md"))), "{err:?}");
    assert!(**site.session.files() == before, "a failed update publishes nothing");
    // Another file saved meanwhile: still failing, still the same published files.
    site.edit("content/02-later/alpha.md", |t| t + "More.\n");
    assert!(site.saved(&["02-later/alpha.md"]).is_err());
    assert!(**site.session.files() == before);

    site.edit("content/02-later/zeta.md", |t| t.replace("weight: [1", "weight: 1"));
    let u = site.saved(&["02-later/zeta.md"]).unwrap();
    assert_eq!(made(&u), set(&["02-later/alpha.md", "search"]), "zeta is as it was; alpha changed meanwhile");
    site.assert_fresh();
}

#[test]
fn changes_made_while_the_site_was_broken_are_published_with_the_fix() {
    let mut site = fixture();
    site.edit("content/02-later/zeta.md", |t| t.replace("weight: 1", "weight: [1"));
    assert!(site.saved(&["02-later/zeta.md"]).is_err());
    // Saved while zeta is broken: a new title (reaching neighbours and cards) and a new body.
    site.edit("content/01-basics/02-second.md", |t| t.replace("title: Second", "title: Second, renamed"));
    assert!(site.saved(&["01-basics/02-second.md"]).is_err());
    site.edit("content/02-later/alpha.md", |t| t + "More.\n");
    assert!(site.saved(&["02-later/alpha.md"]).is_err());
    site.edit("content/02-later/zeta.md", |t| t.replace("weight: [1", "weight: 1"));
    let u = site.saved(&["02-later/zeta.md"]).unwrap();
    let made = made(&u);
    for page in ["01-basics/02-second.md", "01-basics/01-first.md", "02-later/alpha.md", "_index.md"] {
        assert!(made.contains(page), "{page} not made: {made:?}");
    }
    site.assert_fresh();
}

#[test]
fn publishing_a_draft_adds_it() {
    let mut site = fixture();
    site.edit("content/02-later/03-draft.md", |t| t.replace("draft: true\n", ""));
    let u = site.saved(&["02-later/03-draft.md"]).unwrap();
    assert!(u.changed.contains(&"later/draft/index.html".to_string()), "{:?}", u.changed);
    site.assert_fresh();
}

#[test]
fn a_broken_site_toml_fails_and_keeps_content_changes_for_later() {
    let mut site = fixture();
    site.edit("site.toml", |t| t + "nonsense = [\n");
    site.edit("content/02-later/alpha.md", |t| t + "More.\n");
    let changes = Changes { config: true, content: [PathBuf::from("02-later/alpha.md")].into(), ..Changes::default() };
    let err = site.session.update(&changes).unwrap_err();
    assert!(err.0[0].path.as_deref() == Some(Path::new("site.toml")), "{err:?}");
    site.edit("site.toml", |t| t.replace("nonsense = [\n", ""));
    site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
    site.assert_fresh();
}

#[test]
fn new_markdown_settings_or_link_policy_render_every_page_again() {
    let mut site = fixture();
    site.edit("content/01-basics/02-second.md", |t| t + "\nDon't [leave](../std/x.html).\n");
    site.edit("site.toml", |t| t + "[links]\nignore = [\"../std/**\"]\n");
    site.session
        .update(&Changes {
            config: true,
            content: [PathBuf::from("01-basics/02-second.md")].into(),
            ..Changes::default()
        })
        .unwrap();
    site.assert_fresh();
    site.edit("site.toml", |t| t + "[markdown]\nsmart_punctuation = true\n");
    let u = site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
    assert!(u.changed.contains(&"basics/second/index.html".to_string()), "{:?}", u.changed);
    site.assert_fresh();
    site.edit("site.toml", |t| t.replace("ignore = [\"../std/**\"]\n", "missing = \"warn\"\n"));
    site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
    let warnings = site.session.warnings();
    assert!(warnings.iter().any(|w| w.message.contains("std/x.html")), "{warnings:?}");
    site.assert_fresh();
}

#[test]
fn a_small_save_brings_the_search_index_up_to_date_before_the_update_returns() {
    let mut site = fixture();
    site.session.defer_search = true;
    site.edit("content/02-later/alpha.md", |t| t.replace("title: Alpha", "title: Alphabet") + "Quokka.\n");
    let u = site.saved(&["02-later/alpha.md"]).unwrap();
    assert!(u.search.is_none(), "no job for a small save");
    assert!(made(&u).contains("search"), "{:?}", made(&u));
    assert!(u.changed.iter().any(|p| p == "search-index/manifest.json"), "{:?}", u.changed);
    site.assert_fresh();
}

#[test]
fn a_big_change_defers_the_search_index_and_a_stale_one_is_dropped() {
    let mut site = fixture();
    site.session.defer_search = true;
    site.write("content/01-basics/03-third.md", "---\ntitle: Third\nsummary: A third.\n---\nText.\n");
    let first = site.saved(&["01-basics/03-third.md"]).unwrap().search.expect("a search job: a page was added");
    site.write("content/01-basics/04-fourth.md", "---\ntitle: Fourth\nsummary: A fourth.\n---\nMore text.\n");
    let second = site.saved(&["01-basics/04-fourth.md"]).unwrap().search.expect("a newer search job");
    assert!(site.session.finish_search(first.run()).is_none(), "an index of an older build is dropped");
    let u = site.session.finish_search(second.run()).expect("the newest index is installed");
    let offline = |p: &String| p == "offline.json" || p == "sw.js";
    assert!(u.changed.iter().all(|p| p.starts_with("search-index/") || offline(p)), "{:?}", u.changed);
    assert!(u.changed.iter().any(offline), "the worker lists the new index: {:?}", u.changed);
    site.assert_fresh();
    // Nothing changed since: no new job; a small save now goes in line again.
    assert!(site.saved(&["01-basics/04-fourth.md"]).unwrap().search.is_none());
    site.edit("content/01-basics/04-fourth.md", |t| t + "Quokka.\n");
    let u = site.saved(&["01-basics/04-fourth.md"]).unwrap();
    assert!(u.search.is_none() && made(&u).contains("search"), "{:?}", made(&u));
    site.assert_fresh();
}

#[test]
fn a_rescan_that_finds_the_same_files_replaces_changed_pages_in_place() {
    let mut site = fixture();
    site.edit("content/02-later/alpha.md", |t| t + "Found by walking.\n");
    let u = site.session.update(&Changes { rescan: true, ..Changes::default() }).unwrap();
    assert_eq!(made(&u), set(&["02-later/alpha.md", "search"]));
    assert!(!u.timings.iter().any(|(step, _)| *step == "assemble"), "no reassembly: {:?}", u.timings);
    site.assert_fresh();
}

#[test]
fn touching_a_file_without_changing_it_makes_nothing() {
    let mut site = fixture();
    site.edit("content/faq.md", |t| t);
    let u = site.saved(&["faq.md"]).unwrap();
    assert!(u.made.is_empty() && u.changed.is_empty(), "{u:?}");
}

#[test]
fn editor_droppings_are_ignored() {
    let mut site = fixture();
    site.write("content/01-basics/.02-second.md.swp", "junk");
    site.write("content/01-basics/02-second.md~", "junk");
    let u = site.saved(&["01-basics/.02-second.md.swp", "01-basics/02-second.md~"]).unwrap();
    assert!(u.made.is_empty(), "{u:?}");
}

/// The item-writing lints count across the site, so a save that touches one
/// question is linted again with the rest, and a lint denied in `site.toml`
/// fails the update as `learn build` would.
#[test]
fn the_quiz_lints_follow_each_save_and_the_config() {
    let mut site = fixture();
    let above = |s: &Session| s.warnings().iter().filter(|d| d.code == Code::QuizAllOfTheAbove).count();
    let page = "content/01-basics/01-first.md";
    site.edit(page, |t| t.replace("- text: Colour", "- text: All of the above"));
    let u = site.saved(&["01-basics/01-first.md"]).unwrap();
    assert!(u.checked);
    assert_eq!(above(&site.session), 1, "{:?}", site.session.warnings());
    site.edit("site.toml", |t| t + "[quiz.lints]\nquiz-all-of-the-above = \"deny\"\n");
    let err = site.session.update(&Changes { config: true, ..Changes::default() }).unwrap_err();
    assert!(err.0.iter().any(|d| d.code == Code::QuizAllOfTheAbove && d.is_error()), "{err:?}");
    site.edit(page, |t| t.replace("- text: All of the above", "- text: Colour"));
    site.saved(&["01-basics/01-first.md"]).unwrap();
    assert_eq!(above(&site.session), 0, "{:?}", site.session.warnings());
    site.assert_fresh();
}

/// A save that leaves a page's front matter as it was does not lint again;
/// its warnings are still those a fresh build gives, at the same places.
#[test]
fn a_body_save_keeps_the_lints_a_fresh_build_gives() {
    let mut site = fixture();
    let page = "content/01-basics/01-first.md";
    site.edit(page, |t| t.replace("- text: Colour", "- text: All of the above"));
    site.saved(&["01-basics/01-first.md"]).unwrap();
    for rel in ["01-basics/01-first.md", "01-basics/02-second.md"] {
        site.edit(&format!("content/{rel}"), |t| t + "\nAnother paragraph.\n");
        site.saved(&[rel]).unwrap();
        let fresh = crate::pipeline::build_in_memory(&options(site.dir.path()), &Highlighter::default()).unwrap();
        let shown = |ds: &[Diagnostic]| ds.iter().map(ToString::to_string).collect::<Vec<_>>();
        let warnings = site.session.warnings();
        assert_eq!(shown(&warnings), shown(&fresh.warnings));
        assert!(warnings.iter().any(|d| d.code == Code::QuizAllOfTheAbove), "{warnings:?}");
    }
    site.assert_fresh();
}

/// A title edit leaves the questions as they were, and the checks across
/// questions find what they found; a line added above the questions moves
/// them, and every warning and error that points at one moves with it.
#[test]
fn the_checks_across_questions_follow_questions_that_move() {
    let mut site = fixture();
    let page = "content/01-basics/01-first.md";
    let shown = |ds: &[Diagnostic]| ds.iter().map(ToString::to_string).collect::<Vec<_>>();
    let fresh = |site: &Site| crate::pipeline::build_in_memory(&options(site.dir.path()), &Highlighter::default());
    site.edit(page, |t| t.replace("- text: Colour", "- text: All of the above"));
    site.saved(&["01-basics/01-first.md"]).unwrap();
    site.edit(page, |t| t.replace("title: First lesson", "title: The first lesson"));
    site.saved(&["01-basics/01-first.md"]).unwrap();
    assert_eq!(shown(&site.session.warnings()), shown(&fresh(&site).unwrap().warnings));
    site.edit(page, |t| t.replace("minutes: 7\n", "minutes: 7\n# A line more, above the questions.\n"));
    site.saved(&["01-basics/01-first.md"]).unwrap();
    let warnings = site.session.warnings();
    assert_eq!(shown(&warnings), shown(&fresh(&site).unwrap().warnings));
    assert!(warnings.iter().any(|d| d.code == Code::QuizAllOfTheAbove), "{warnings:?}");

    // An id used twice: the error points at the second use, wherever it moves.
    let second = "content/01-basics/02-second.md";
    let dup =
        "quiz:\n  - id: first-single\n    type: truefalse\n    prompt: Twice.\n    answer: true\n    explanation: E.\n";
    site.edit(second, |t| t.replacen("---\n## Details", &format!("{dup}---\n## Details"), 1));
    let errors = |d: Diagnostics| shown(&d.0.into_iter().filter(Diagnostic::is_error).collect::<Vec<_>>());
    let first = errors(site.saved(&["01-basics/02-second.md"]).unwrap_err());
    assert!(first.iter().any(|e| e.contains("02-second.md:5:5")), "{first:#?}");
    assert_eq!(first, errors(fresh(&site).unwrap_err()));
    site.edit(second, |t| t.replace("summary: The second lesson.\n", "summary: The second lesson.\nminutes: 3\n"));
    let err = site.saved(&["01-basics/02-second.md"]).unwrap_err();
    let moved = errors(err);
    assert!(moved.iter().any(|e| e.contains("02-second.md:6:5")), "{moved:#?}");
    assert_eq!(moved, errors(fresh(&site).unwrap_err()));
}

#[test]
fn the_offline_worker_follows_every_change_and_goes_when_turned_off() {
    let mut site = fixture();
    let worker = |site: &Site| site.session.files()["sw.js"].clone();
    let before = worker(&site);
    site.edit("content/02-later/alpha.md", |t| t + "One more line.\n");
    let u = site.saved(&["02-later/alpha.md"]).unwrap();
    assert!(u.changed.contains(&"sw.js".to_string()) && u.changed.contains(&"offline.json".to_string()), "{u:?}");
    assert!(worker(&site) != before, "a new version");
    site.assert_fresh();
    site.edit("site.toml", |t| t + "[offline]\nenabled = false\n");
    let u = site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
    assert_eq!(u.removed, ["offline.json", "sw.js"]);
    site.assert_fresh();
    site.edit("site.toml", |t| t.replace("enabled = false", "enabled = true"));
    let u = site.session.update(&Changes { config: true, ..Changes::default() }).unwrap();
    assert!(u.changed.contains(&"sw.js".to_string()), "{u:?}");
    site.assert_fresh();
}
