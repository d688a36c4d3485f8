//! Output safety: refusals, the staging swap, and untouched output on failure.

use crate::harness::SiteTest;

#[test]
fn refuses_the_site_root_as_output() {
    let site = SiteTest::fixture("minimal");
    let run = site.run(&["build", "--output", "."]).failure();
    assert!(run.stderr().contains("it is the site's root folder"), "{}", run.stderr());
}

#[test]
fn refuses_a_folder_holding_content() {
    let site = SiteTest::fixture("minimal");
    let outer = site.root().join("outer");
    std::fs::create_dir_all(outer.join("content")).unwrap();
    let run = site.run(&["build", "--output", outer.to_str().unwrap()]).failure();
    assert!(run.stderr().contains("contains a `content/` folder"), "{}", run.stderr());
}

#[test]
fn refuses_a_parent_of_the_site() {
    let site = SiteTest::fixture("minimal");
    let run = site.run(&["build", "--output", ".."]).failure();
    assert!(run.stderr().contains("contains the site's root folder"), "{}", run.stderr());
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let site = SiteTest::fixture("minimal");
    site.write("public/notes.txt", "mine");
    let run = site.build().failure();
    assert!(run.stderr().contains("non-empty folder that learn did not create"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(site.root().join("public/notes.txt")).unwrap(), "mine");
}

#[test]
fn an_empty_folder_is_fine_and_a_second_build_replaces_the_first() {
    let site = SiteTest::fixture("minimal");
    std::fs::create_dir_all(site.root().join("public")).unwrap();
    site.build().success();
    site.write("public/stale.html", "old");
    site.build().success();
    assert!(!site.root().join("public/stale.html").exists(), "the new build replaces the whole folder");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::fixture("minimal");
    let first = site.build().success();
    let before = first.page("basics/first/index.html");
    site.write("content/01-basics/01-first.md", "---\ntitle: [broken\n---\n");
    site.build().failure();
    assert_eq!(first.page("basics/first/index.html"), before);
    assert!(first.has("index.html"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("learn-"))
        .filter(|e| e.file_name() != ".learn-cache")
        .collect();
    assert!(leftovers.is_empty(), "no staging folders are left behind");
}

#[test]
fn staging_folders_of_killed_builds_are_cleared_and_live_ones_kept() {
    let site = SiteTest::fixture("minimal");
    // A pid no process has (above Linux's pid_max), and one that is alive: this test's.
    let dead = site.root().join(".public.learn-staging-4294967294");
    let live = site.root().join(format!(".public.learn-staging-{}", std::process::id()));
    let unrelated = site.root().join(".public.learn-staging-notes");
    for dir in [&dead, &live, &unrelated] {
        std::fs::create_dir_all(dir.join("half")).unwrap();
    }
    site.build().success();
    assert!(!dead.exists(), "a killed build's staging folder is removed");
    assert!(live.exists(), "a running build's is kept");
    assert!(unrelated.exists(), "a folder that only looks similar is kept");
}

#[test]
fn writes_only_inside_the_output_folder() {
    let site = SiteTest::fixture("minimal");
    let before: Vec<_> = walk(site.root());
    site.build().success();
    let after: Vec<_> = walk(site.root());
    // The build cache is the one thing kept beside the output (see README).
    let outside = |p: &&std::path::PathBuf| !p.starts_with("public") && !p.starts_with(".learn-cache");
    let added: Vec<_> = after.iter().filter(|p| !before.contains(p)).filter(outside).collect();
    assert!(added.is_empty(), "files written outside public/: {added:?}");
}

fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect()
}

#[test]
fn the_previous_site_is_removed_in_the_background_after_a_clean_build() {
    let site = SiteTest::fixture("minimal");
    site.run(&["build", "--no-cache"]).success();
    site.write("public/stale.html", "old");
    site.run(&["build", "--no-cache"]).success();
    assert!(!site.root().join("public/stale.html").exists(), "the new site replaces the old one at once");
    assert!(site.root().join("public/index.html").exists());
    // The old site goes shortly after, without the build waiting for it.
    let leftovers = || {
        std::fs::read_dir(site.root())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".learn-"))
            .collect::<Vec<_>>()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !leftovers().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(leftovers().is_empty(), "left behind: {:?}", leftovers());
}

#[test]
fn the_background_remover_removes_only_folders_a_build_set_aside() {
    let site = SiteTest::fixture("minimal");
    let mine = site.root().join("notes");
    std::fs::create_dir_all(&mine).unwrap();
    let remove = |folder: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_learn")).arg("remove-set-aside").arg(folder).output();
        assert!(out.unwrap().status.success());
    };
    remove(&mine);
    assert!(mine.exists(), "a folder of the user's is never removed");
    let aside = site.root().join(".public.learn-old-12345");
    std::fs::create_dir_all(aside.join("basics")).unwrap();
    remove(&aside);
    assert!(!aside.exists());
}
