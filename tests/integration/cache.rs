//! `learn build`'s cache: a rebuild makes only what changed and its output is
//! byte for byte a clean build's, after every kind of edit; a cache that
//! cannot be trusted gives a clean build with a note; failed and killed
//! builds leave output and cache usable.

use crate::harness::SiteTest;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

/// Every file of a folder: its bytes and modification time, by relative path.
type Snapshot = BTreeMap<String, (Vec<u8>, SystemTime)>;

/// Every file under `dir`.
fn files(dir: &Path) -> Snapshot {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, (std::fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap()))
        })
        .collect()
}

/// Asserts `public/` is what a clean build of the site gives, file for file:
/// a build with no cache of a copy of its sources (`--no-cache` here would
/// remove the cache under test).
fn assert_same_as_clean(site: &SiteTest) {
    let copy = tempfile::tempdir().unwrap();
    for part in ["site.toml", "content", "themes"] {
        let from = site.root().join(part);
        for entry in walkdir::WalkDir::new(&from).into_iter().filter_map(Result::ok) {
            let to = copy.path().join(entry.path().strip_prefix(site.root()).unwrap());
            match entry.file_type().is_dir() {
                true => std::fs::create_dir_all(&to).unwrap(),
                false => drop(std::fs::copy(entry.path(), &to).unwrap()),
            }
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_learn"))
        .args(["build", "--no-cache", "--root"])
        .arg(copy.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let clean = copy.path().join("public");
    let (ours, theirs) = (files(&site.root().join("public")), files(&clean));
    let names = |m: &BTreeMap<String, _>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs), "the same files");
    for (path, (bytes, _)) in &ours {
        assert!(bytes == &theirs[path].0, "{path} differs from a clean build's");
    }
}

/// Builds, lets the clock move on so a rewrite would show, and returns the files.
fn built(site: &SiteTest) -> Snapshot {
    site.build().success();
    std::thread::sleep(std::time::Duration::from_millis(20));
    files(&site.root().join("public"))
}

/// The files whose modification time changed between two snapshots.
fn rewritten(
    before: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    after: &BTreeMap<String, (Vec<u8>, SystemTime)>,
) -> Vec<String> {
    after.iter().filter(|(p, (_, t))| before.get(*p).is_none_or(|(_, was)| was != t)).map(|(p, _)| p.clone()).collect()
}

#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let site = SiteTest::fixture("minimal");
    let before = built(&site);
    assert!(site.root().join(".learn-cache/build.bin").is_file(), "the build keeps a cache");
    let run = site.build().success();
    assert!(run.stdout().contains("(up to date)"), "{}", run.stdout());
    let after = files(&site.root().join("public"));
    assert!(rewritten(&before, &after).is_empty(), "rewrote {:?}", rewritten(&before, &after));
}

#[test]
fn a_body_edit_rewrites_only_the_files_whose_bytes_change() {
    let site = SiteTest::fixture("minimal");
    let before = built(&site);
    let lesson = site.root().join("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    site.write("content/01-basics/02-second.md", &format!("{text}\nA sentence about onboarding funnels.\n"));
    let run = site.build().success();
    assert!(run.stdout().contains("written"), "an incremental build says what it wrote: {}", run.stdout());
    let after = files(&site.root().join("public"));
    let changed = rewritten(&before, &after);
    assert!(changed.contains(&"basics/second/index.html".to_string()), "{changed:?}");
    for untouched in ["basics/first/index.html", "assets/style.css", "faq/index.html", "later/alpha/index.html"] {
        assert!(!changed.contains(&untouched.to_string()), "{untouched} was rewritten: {changed:?}");
    }
    for path in &changed {
        assert!(before.get(path).is_none_or(|(b, _)| b != &after[path].0), "{path} was rewritten with the same bytes");
    }
    assert_same_as_clean(&site);
    // Again, and then a front matter edit: each rebuild reads what the last one kept.
    site.write("content/01-basics/02-second.md", &format!("{text}\nAnother sentence, about churn.\n"));
    assert!(site.build().success().stdout().contains("written"));
    assert_same_as_clean(&site);
    site.write("content/01-basics/02-second.md", &text.replacen("title: Second", "title: Second, retitled", 1));
    assert!(site.build().success().stdout().contains("written"));
    assert_same_as_clean(&site);
}

/// Builds, applies one edit, builds again, and compares with a clean build.
fn edit_then_compare(edit: impl FnOnce(&SiteTest)) {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    edit(&site);
    let run = site.build().success();
    assert!(!run.stderr().contains("note:"), "a usable cache: {}", run.stderr());
    assert_same_as_clean(&site);
}

#[test]
fn a_title_edit_gives_a_clean_builds_files() {
    edit_then_compare(|site| {
        let path = site.root().join("content/01-basics/01-first.md");
        let text = std::fs::read_to_string(&path).unwrap().replacen("title:", "title: Renamed and", 1);
        std::fs::write(path, text).unwrap();
    });
}

#[test]
fn a_new_lesson_gives_a_clean_builds_files() {
    edit_then_compare(|site| {
        site.write(
            "content/01-basics/03-third.md",
            "---\ntitle: Third\nsummary: One more.\n---\nSee [the first](01-first.md).\n",
        );
    });
}

#[test]
fn a_removed_lesson_gives_a_clean_builds_files() {
    edit_then_compare(|site| std::fs::remove_file(site.root().join("content/02-later/zeta.md")).unwrap());
}

#[test]
fn a_renamed_lesson_gives_a_clean_builds_files() {
    edit_then_compare(|site| {
        let from = site.root().join("content/02-later/zeta.md");
        std::fs::rename(from, site.root().join("content/02-later/omega.md")).unwrap();
    });
}

#[test]
fn a_template_edit_gives_a_clean_builds_files() {
    let site = SiteTest::fixture("minimal");
    let theme = site.root().join("themes/mine/templates");
    std::fs::create_dir_all(&theme).unwrap();
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/base.html")).unwrap();
    std::fs::write(theme.join("base.html"), &base).unwrap();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("theme = \"mine\"\n{config}"));
    site.build().success();
    std::fs::write(theme.join("base.html"), base.replacen("<body", "<body data-edited=\"yes\"", 1)).unwrap();
    site.build().success();
    assert!(site.run(&["build"]).success().stdout().contains("up to date"));
    assert!(std::fs::read_to_string(site.root().join("public/index.html")).unwrap().contains("data-edited"));
    assert_same_as_clean(&site);
}

#[test]
fn a_site_toml_edit_gives_a_clean_builds_files() {
    edit_then_compare(|site| {
        let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
        site.write("site.toml", &config.replace("A test site.", "A test site, described again."));
    });
}

#[test]
fn an_asset_edit_gives_a_clean_builds_files() {
    edit_then_compare(|site| {
        let svg = site.root().join("content/01-basics/img/funnel.svg");
        let text = std::fs::read_to_string(&svg).unwrap();
        std::fs::write(svg, text.replace("</svg>", "<!-- redrawn --></svg>")).unwrap();
    });
}

#[test]
fn a_hand_edited_or_deleted_output_file_is_made_again_and_a_stray_one_removed() {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    site.write("public/basics/first/index.html", "edited by hand");
    std::fs::remove_file(site.root().join("public/faq/index.html")).unwrap();
    site.write("public/stray.html", "not the build's");
    let run = site.build().success();
    assert!(!run.stdout().contains("up to date"), "{}", run.stdout());
    assert!(!site.root().join("public/stray.html").exists());
    assert_same_as_clean(&site);
}

#[test]
fn a_stray_file_in_a_folder_the_cache_trusts_or_in_a_new_folder_is_removed() {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    // Old enough to be trusted by their times once a rebuild stamps them again.
    std::thread::sleep(std::time::Duration::from_millis(250));
    let lesson = site.root().join("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, format!("{text}\nNew words.\n")).unwrap();
    site.build().success();
    site.write("public/faq/stray.html", "not the build's");
    site.write("public/new/deep/stray.html", "not the build's either");
    let run = site.build().success();
    assert!(!run.stdout().contains("up to date"), "{}", run.stdout());
    assert!(!site.root().join("public/faq/stray.html").exists());
    assert!(!site.root().join("public/new/deep/stray.html").exists());
    assert_same_as_clean(&site);
}

#[test]
fn a_cache_for_other_options_is_not_used() {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    let run = site.run(&["build", "--drafts"]).success();
    assert!(run.stderr().contains("note: the build cache was written for other options"), "{}", run.stderr());
    assert!(run.has("later/draft/index.html"), "the draft is built");
    let run = site.run(&["build", "--base-url", "https://example.net/other/"]).success();
    assert!(run.stderr().contains("other options"), "{}", run.stderr());
    assert!(run.page("sitemap.xml").contains("https://example.net/other/"));
    assert!(!run.has("later/draft/index.html"), "drafts are gone again");
}

#[test]
fn a_truncated_corrupt_or_foreign_cache_gives_a_clean_build_with_a_note() {
    type Damage = fn(&mut Vec<u8>);
    let cases: [(&str, Damage); 5] = [
        ("build.bin", |b| b.truncate(b.len() / 2)),
        ("fronts.bin", |b| b[40] ^= 0x55),
        ("pages.bin", |b| b.truncate(b.len() - 1)),
        ("pages.bin", |b| *b.last_mut().unwrap() ^= 0xff),
        ("build.bin", |b| b[..5].copy_from_slice(b"LEARN")),
    ];
    for (file, damage) in cases {
        let site = SiteTest::fixture("minimal");
        site.build().success();
        let lesson = site.root().join("content/01-basics/02-second.md");
        let text = std::fs::read_to_string(&lesson).unwrap();
        std::fs::write(&lesson, format!("{text}\nNew words.\n")).unwrap();
        let path = site.root().join(".learn-cache").join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        damage(&mut bytes);
        std::fs::write(&path, bytes).unwrap();
        let run = site.build().success();
        let stderr = run.stderr();
        let notes: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note:")).collect();
        assert_eq!(notes.len(), 1, "one line says why: {}", run.stderr());
        assert!(notes[0].contains("building everything"), "{}", notes[0]);
        assert!(run.page("basics/second/index.html").contains("New words."));
        assert_same_as_clean(&site);
        assert!(site.build().success().stdout().contains("up to date"), "a good cache is written again");
    }
}

#[test]
fn a_failed_build_leaves_output_and_cache_as_they_were() {
    let site = SiteTest::fixture("minimal");
    let before = built(&site);
    let cache = |name: &str| std::fs::read(site.root().join(".learn-cache").join(name)).unwrap();
    let (outputs, pages) = (cache("build.bin"), cache("pages.bin"));
    let good = std::fs::read_to_string(site.root().join("content/01-basics/02-second.md")).unwrap();
    site.write("content/01-basics/02-second.md", "---\ntitle: [broken\n---\n");
    site.build().failure();
    assert_eq!(files(&site.root().join("public")), before, "the output is untouched");
    assert!(cache("build.bin") == outputs && cache("pages.bin") == pages, "the cache is untouched");
    site.write("content/01-basics/02-second.md", &good.replace("title:", "title: Mended"));
    let run = site.build().success();
    assert!(run.stdout().contains("written"), "the cache is still used: {}", run.stdout());
    assert_same_as_clean(&site);
}

#[test]
fn a_build_killed_before_or_while_moving_files_leaves_a_usable_site() {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    // Killed while building: its staging folder is left, the cache and output are as they were.
    std::fs::create_dir_all(site.root().join(".public.learn-staging-4294967294/basics")).unwrap();
    site.write(".public.learn-staging-4294967294/basics/half.html", "half");
    site.write("content/01-basics/01-first.md", "---\ntitle: First again\nsummary: Once more.\n---\nBody.\n");
    let run = site.build().success();
    assert!(run.stdout().contains("written"), "{}", run.stdout());
    assert!(!site.root().join(".public.learn-staging-4294967294").exists());
    assert_same_as_clean(&site);
    // Killed while moving files into place: the cache was removed first, so
    // the next build is a clean one over an output that is part old, part new.
    std::fs::remove_dir_all(site.root().join(".learn-cache")).unwrap();
    site.write("public/basics/first/index.html", "an older page");
    site.build().success();
    assert_same_as_clean(&site);
}

#[test]
fn no_cache_builds_clean_and_leaves_no_cache() {
    let site = SiteTest::fixture("minimal");
    site.build().success();
    assert!(site.root().join(".learn-cache").is_dir());
    let run = site.run(&["build", "--no-cache"]).success();
    assert!(!run.stdout().contains("written") && !run.stdout().contains("up to date"), "{}", run.stdout());
    assert!(!site.root().join(".learn-cache").exists(), "no cache is left");
    assert_same_as_clean(&site);
}

#[test]
fn learn_init_ignores_the_cache_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("course");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_learn")).arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "/.learn-cache/"), "{ignore}");
}
