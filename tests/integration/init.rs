//! `learn init` and the GitHub Pages workflows.

use std::path::Path;
use std::process::Command;

fn learn(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_learn")).args(args).current_dir(dir).output().unwrap()
}

fn yaml(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

/// The `uses:` and `run:` of every step of a job, in order.
fn steps(workflow: &serde_json::Value, job: &str) -> Vec<String> {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["uses"].as_str().or(s["run"].as_str()).unwrap_or("").to_string())
        .collect()
}

fn assert_pages_workflow(path: &Path) {
    let w = yaml(path);
    assert_eq!(w["permissions"]["pages"], "write");
    assert_eq!(w["permissions"]["id-token"], "write");
    assert_eq!(w["permissions"]["contents"], "read");
    assert_eq!(w["concurrency"]["group"], "pages");
    assert_eq!(w["concurrency"]["cancel-in-progress"], false);
    let build = steps(&w, "build");
    let at = |needle: &str| {
        build.iter().position(|s| s.contains(needle)).unwrap_or_else(|| panic!("no step {needle}: {build:?}"))
    };
    assert!(at("actions/checkout") < at("actions/configure-pages"));
    assert!(at("learn check") < at("learn build"), "check runs before the build");
    assert!(
        build[at("learn build")].contains("steps.pages.outputs.base_url"),
        "the base URL comes from configure-pages"
    );
    assert!(at("learn build") < at("actions/upload-pages-artifact"));
    let cache = build_cache_step(&w);
    let paths = cache["with"]["path"].as_str().unwrap();
    assert!(paths.lines().any(|l| l.trim() == ".learn-cache"), "{paths}");
    assert!(paths.lines().any(|l| l.trim() == "public"), "the output the cache describes: {paths}");
    let position = w["jobs"]["build"]["steps"].as_array().unwrap().iter().position(|s| s == &cache).unwrap();
    assert!(position < at("learn build"), "restored before the build");
    assert!(steps(&w, "deploy").iter().any(|s| s.starts_with("actions/deploy-pages")));
    assert_eq!(w["jobs"]["deploy"]["environment"]["name"], "github-pages");
    assert_eq!(w["jobs"]["deploy"]["needs"], "build");
}

/// The step that restores and saves `learn build`'s cache.
fn build_cache_step(w: &serde_json::Value) -> serde_json::Value {
    let steps = w["jobs"]["build"]["steps"].as_array().unwrap();
    let found = steps.iter().find(|s| s["with"]["path"].as_str().is_some_and(|p| p.contains(".learn-cache")));
    found.expect("a step caches .learn-cache").clone()
}

/// The cache key and its restore prefix: the prefix names learn, the key adds the commit.
fn build_cache_keys(w: &serde_json::Value) -> (String, String) {
    let cache = build_cache_step(w);
    let key = cache["with"]["key"].as_str().unwrap().to_string();
    let restore = cache["with"]["restore-keys"].as_str().unwrap().trim().to_string();
    assert!(key.starts_with(&restore) && key.ends_with("${{ github.sha }}"), "{key} / {restore}");
    (key, restore)
}

#[test]
fn init_creates_a_site_that_builds_with_no_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("course");
    let out = learn(&["init", site.to_str().unwrap()], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in ["site.toml", ".gitignore", "content/_index.md", "content/faq.md", ".github/workflows/pages.yml"] {
        assert!(site.join(f).exists(), "missing {f}");
    }
    let check = learn(&["check"], &site);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(String::from_utf8_lossy(&check.stdout).contains("no errors, 0 warnings"));
    let build = learn(&["build"], &site);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(String::from_utf8_lossy(&build.stdout).contains("5 questions"), "one question of each type");
    let lesson = std::fs::read_to_string(site.join("public/getting-started/first-lesson/index.html")).unwrap();
    for feature in ["hl-code", "<table>", "alert-tip", "../../faq/", "data-type=\"number\"", "data-type=\"text\""] {
        assert!(lesson.contains(feature), "the example lesson shows {feature}");
    }
}

#[test]
fn init_fills_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = learn(&["init", "."], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("site.toml").exists());
}

#[test]
fn init_refuses_a_non_empty_folder_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.md"), "mine").unwrap();
    let out = learn(&["init", "."], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder is not empty"));
    let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.md")]);
}

#[test]
fn generated_workflow_installs_learn_from_the_repository_and_publishes() {
    let tmp = tempfile::tempdir().unwrap();
    learn(&["init", "."], tmp.path());
    let path = tmp.path().join(".github/workflows/pages.yml");
    assert_pages_workflow(&path);
    let w = yaml(&path);
    let install = steps(&w, "build").into_iter().find(|s| s.contains("cargo install")).expect("installs learn");
    assert!(install.contains(&format!("--locked --git {}", env!("CARGO_PKG_REPOSITORY"))), "{install}");
    let (_, restore) = build_cache_keys(&w);
    assert!(restore.contains(env!("CARGO_PKG_VERSION")), "a new learn starts clean: {restore}");
}

#[test]
fn this_repository_workflow_publishes_the_curriculum() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml");
    assert_pages_workflow(&path);
    let w = yaml(&path);
    let build = steps(&w, "build");
    assert!(build.iter().any(|s| s == "actions/cache@v4"), "cargo cache");
    assert!(build.iter().any(|s| s.contains("cargo build --release --locked")));
    let (_, restore) = build_cache_keys(&w);
    assert!(restore.contains("hashFiles('Cargo.lock', 'src/**', 'themes/**')"), "learn's sources: {restore}");
}
