//! Proof that `search.js` cuts and stems words exactly as this crate does: every
//! line and every word of the curriculum, and every word of Debian's
//! `wamerican` list (`/usr/share/dict/american-english`, about 100,000 words
//! with accents and possessives), go through both; the stems of the raw
//! lowercased word (rust-stemmers against the JavaScript port) and the terms of
//! the whole pipeline (tokenise, fold, spelling, stem) must be identical.
//!
//! Needs `node` on the PATH (or `NODE=...`) and the `wamerican` package. A
//! plain `cargo test` on a machine without them prints that these tests were
//! skipped and passes them; with `LEARN_REQUIRE_ALL_TESTS=1` (set by
//! `scripts/test`, so CI never skips them) a missing tool fails them.

use super::stem::{stem, term};
use super::tokenise::tokens;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const WORD_LIST: &str = "/usr/share/dict/american-english";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every line, every whitespace-separated piece and every word (as the
/// tokeniser cuts it) of the curriculum's markdown.
fn curriculum_samples() -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content")).sort_by_file_name() {
        let entry = entry.expect("content/ is readable");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("markdown is UTF-8");
            for line in text.lines() {
                out.push(line.to_string());
                out.extend(line.split_whitespace().map(str::to_string));
                out.extend(tokens(line, true).into_iter().map(|t| t.word));
            }
        }
    }
    out
}

/// Whether a test that needs `tool` can run. When the tool is missing it
/// prints that `test` was skipped and why, and answers false, unless
/// `LEARN_REQUIRE_ALL_TESTS=1` is set: then the test fails here.
fn needs(test: &str, tool: &str, present: bool, install: &str) -> bool {
    if present {
        return true;
    }
    let required = std::env::var("LEARN_REQUIRE_ALL_TESTS").is_ok_and(|v| v == "1");
    assert!(!required, "{test}: {tool} not found, and LEARN_REQUIRE_ALL_TESTS=1 forbids skipping: {install}");
    // Written to stderr itself, not through `eprintln!`, which the test harness
    // captures and shows only for failing tests: a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} ({tool} not found; {install}, or set LEARN_REQUIRE_ALL_TESTS=1 to make this a failure)"
    );
    false
}

fn node() -> String {
    std::env::var("NODE").unwrap_or_else(|_| "node".into())
}

fn has_node(test: &str) -> bool {
    let found = Command::new(node()).arg("--version").output().is_ok_and(|out| out.status.success());
    needs(test, "node", found, "install Node.js or point NODE at it")
}

fn has_word_list(test: &str) -> bool {
    let found = Path::new(WORD_LIST).is_file();
    needs(test, WORD_LIST, found, "install Debian's word list with `apt-get install wamerican`")
}

fn word_list() -> Vec<String> {
    let text = std::fs::read_to_string(WORD_LIST).unwrap_or_else(|e| {
        panic!("cannot read {WORD_LIST} ({e}): install Debian's word list with `apt-get install wamerican`")
    });
    text.lines().map(str::to_string).collect()
}

fn rust_line(line: &str) -> String {
    let terms: Vec<String> = tokens(line, true).iter().map(|t| term(&t.word)).collect();
    format!("{}\t{}", stem(&line.to_lowercase()), terms.join(" "))
}

fn js_lines(input: &Path) -> Vec<String> {
    let node = node();
    let out = Command::new(&node)
        .arg(repo().join("tests/search/js-terms.mjs"))
        .arg(input)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{node}` ({e}): the parity test needs Node.js"));
    assert!(out.status.success(), "js-terms.mjs failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("node prints UTF-8").lines().map(str::to_string).collect()
}

fn assert_same(name: &str, samples: Vec<String>) {
    // Tabs and line breaks separate the helper's output, so they become spaces.
    let samples: Vec<String> = samples.into_iter().map(|s| s.replace(['\t', '\r'], " ")).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("samples.txt");
    std::fs::write(&input, samples.join("\n") + "\n").expect("write samples");
    let js = js_lines(&input);
    assert_eq!(js.len(), samples.len(), "{name}: node answered {} lines for {}", js.len(), samples.len());
    let mismatches: Vec<String> = samples
        .iter()
        .zip(&js)
        .filter_map(|(s, j)| {
            let r = rust_line(s);
            (r != *j).then(|| format!("  {s:?}\n    rust: {r:?}\n    js:   {j:?}"))
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{name}: {} of {} samples differ between Rust and search.js:\n{}",
        mismatches.len(),
        samples.len(),
        mismatches.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn js_matches_rust_on_the_curriculum() {
    if !has_node("js_matches_rust_on_the_curriculum") {
        return;
    }
    let samples = curriculum_samples();
    assert!(samples.len() > 10_000, "the curriculum has {} samples", samples.len());
    assert_same("curriculum", samples);
}

#[test]
fn js_matches_rust_on_wamerican() {
    // Both checks run, so that one run names everything missing.
    let (node, words) = (has_node("js_matches_rust_on_wamerican"), has_word_list("js_matches_rust_on_wamerican"));
    if !(node && words) {
        return;
    }
    let words = word_list();
    assert!(words.len() > 90_000, "{WORD_LIST} has only {} words", words.len());
    assert_same("wamerican", words);
}

#[test]
fn js_matches_rust_on_tricky_text() {
    if !has_node("js_matches_rust_on_tricky_text") {
        return;
    }
    let samples = [
        "trade-off e-mail state-of-the-art co-op covid-19 2020-2024",
        "don't users’ 'quoted' rock'n'roll O'Brien's",
        "500,000 subscribers at 2.5 % in 1.2.3",
        "CAFÉ naïve straße Œuvre ﬁnance İstanbul ΣΟΦΊΑ ΟΔΟΣ",
        "prioritise prioritising prioritisation prioritize prioritizing prioritization",
        "colour colours coloured behaviour favourite centre centred metres catalogue dialogues",
        "analyse analysing analyze licence programme judgement ageing",
        "yes yellow sayyid ''s 's a' y ys yyy",
        "𝒜𝓁𝓅𝒽𝒶 beta 𝟙𝟚 x² ½",
        "generously communicate arsenal generate",
        "inning outing canning herring earring proceed exceed succeed skis skies dying lying tying",
        "idly gently ugly early only singly sky news howe atlas cosmos bias andes",
        "",
    ]
    .map(str::to_string)
    .to_vec();
    assert_same("tricky text", samples);
}
