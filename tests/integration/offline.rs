//! Offline reading: the worker and its list are made unless `[offline] enabled = false`.

use crate::harness::SiteTest;

fn list(run: &crate::harness::Run) -> serde_json::Value {
    serde_json::from_str(&run.page("offline.json")).expect("offline.json is JSON")
}

#[test]
fn the_worker_and_its_list_are_made_by_default() {
    let run = SiteTest::fixture("minimal").build().success();
    let list = list(&run);
    let version = list["version"].as_str().unwrap();
    assert!(run.page("sw.js").contains(&format!("const VERSION = \"{version}\";")));
    let files = list["files"].as_array().unwrap();
    let entry = |url: &str| files.iter().find(|f| f[0] == url).unwrap_or_else(|| panic!("{url} not listed: {files:?}"));
    let funnel = std::fs::metadata(run.root.join("public/basics/img/funnel.svg")).unwrap().len();
    assert_eq!(entry("basics/img/funnel.svg")[1], funnel);
    assert_eq!(entry("")[1], run.page("index.html").len());
    entry("basics/first/");
    entry("assets/style.css");
    entry("search-index/manifest.json");
    for gone in ["sw.js", "offline.json", "404.html", "sitemap.xml", "robots.txt", ".nojekyll"] {
        assert!(files.iter().all(|f| f[0] != gone), "{gone} is not for saving");
    }
    let sum: u64 = files.iter().map(|f| f[1].as_u64().unwrap()).sum();
    assert_eq!(list["bytes"], sum);
    let home = run.page("index.html");
    assert!(home.contains("data-offline=\"on\""));
    assert!(home.contains("id=\"home-offline\"") && home.contains("assets/offline.js"));
    assert!(run.page("basics/first/index.html").contains("data-offline=\"on\""));
}

#[test]
fn turned_off_there_is_no_worker_and_no_button() {
    let site = SiteTest::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{config}\n[offline]\nenabled = false\n"));
    let run = site.build().success();
    assert!(run.has("index.html"));
    assert!(!run.has("sw.js") && !run.has("offline.json"));
    let home = run.page("index.html");
    assert!(!home.contains("home-offline") && !home.contains("offline.js"), "no Save button");
    // Pages let go of a worker registered while it was on.
    assert!(home.contains("data-offline=\"off\""));
    assert!(run.page("basics/first/index.html").contains("data-offline=\"off\""));
}

#[test]
fn the_version_changes_when_a_file_does_and_only_then() {
    let site = SiteTest::fixture("minimal");
    let first = site.build().success().page("sw.js");
    assert_eq!(site.build().success().page("sw.js"), first, "the same site, the same worker");
    let lesson = site.root().join("content/01-basics/01-first.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    site.write("content/01-basics/01-first.md", &format!("{text}\nA new sentence.\n"));
    assert_ne!(site.build().success().page("sw.js"), first, "a new version");
}
