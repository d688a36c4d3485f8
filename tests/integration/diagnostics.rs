//! One fixture per kind of diagnostic: each must exit 1, point at the right
//! `path:line:col`, show the line with a caret, and leave no output behind.

use crate::harness::SiteTest;

fn failing(fixture: &str) -> String {
    let site = SiteTest::fixture(fixture);
    let run = site.build().failure();
    assert!(!run.has("index.html"), "a failed build must not write output");
    let stderr = run.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_yaml() {
    insta::assert_snapshot!(failing("diag-bad-yaml"));
}

#[test]
fn unknown_key() {
    let out = failing("diag-unknown-key");
    assert!(out.contains("content/01-basics/01-first.md:4:1"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn missing_title() {
    insta::assert_snapshot!(failing("diag-missing-title"));
}

#[test]
fn wrong_type() {
    let out = failing("diag-wrong-type");
    assert!(out.contains("01-first.md:4:10"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn broken_link() {
    let out = failing("diag-broken-link");
    assert!(out.contains("01-first.md:5:15"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn missing_anchor() {
    let out = failing("diag-missing-anchor");
    // Both the same-page and the cross-page fragment are reported.
    assert!(out.contains("#not-a-heading"), "{out}");
    assert!(out.contains("#nowhere"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn missing_encoded_anchor() {
    let out = failing("diag-missing-encoded-anchor");
    // `#caf%C3%A9` names `## Café`; `#th%C3%A9` names nothing and is shown decoded.
    assert!(!out.contains("caf%C3%A9`"), "{out}");
    assert!(out.contains("content/01-basics/01-first.md:7:49"), "{out}");
    assert!(out.contains("points at a missing anchor `#thé`"), "{out}");
    // `#cafe` is close enough to `#café` to be offered.
    assert!(out.contains("content/01-basics/01-first.md:8:15"), "{out}");
    assert!(out.contains("help: did you mean `#café`?"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn unterminated_front_matter() {
    insta::assert_snapshot!(failing("diag-unterminated"));
}

#[test]
fn tab_indentation() {
    let out = failing("diag-tab-indent");
    assert!(out.contains("01-first.md:5:1"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn site_toml_wrong_type() {
    let out = failing("diag-site-toml");
    assert!(out.contains("site.toml:4:11"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn quiz_rules_each_reported() {
    let out = failing("diag-quiz-rules");
    for needle in [
        "exactly one correct choice, found 0",
        "duplicate choice `a`",
        "needs at least one answer in `accept`",
        "needs a numeric `answer`",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_error_of_a_build_is_reported() {
    let out = failing("diag-many");
    assert!(out.contains("link to missing file"), "{out}");
    assert!(out.contains("missing `summary`"), "{out}");
    assert!(out.contains("has no `_index.md`"), "{out}");
    assert!(out.contains("failed with 3 errors"), "{out}");
}

#[test]
fn bom_and_crlf_positions_are_right() {
    let out = failing("bom-crlf-error");
    assert!(out.contains("content/_index.md:3:1"), "{out}");
}

#[test]
fn check_reports_json_for_tools() {
    let site = SiteTest::fixture("diag-unknown-key");
    let run = site.run(&["check", "--format", "json"]).failure();
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).expect("valid JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "content/01-basics/01-first.md");
    assert_eq!(d["pos"]["line"], 4);
    assert_eq!(d["pos"]["col"], 1);
    assert!(!site.root().join("public").exists(), "check writes nothing");
}

#[test]
fn a_file_that_is_not_utf8_is_reported() {
    let site = SiteTest::fixture("minimal");
    std::fs::write(site.root().join("content/01-basics/01-first.md"), b"---\ntitle: \xff\n---\n").unwrap();
    let out = site.build().failure().stderr();
    assert!(out.contains("not valid UTF-8"), "{out}");
    assert!(out.contains("01-first.md:2:8"), "{out}");
}

#[test]
fn check_reports_what_build_reports_and_writes_nothing() {
    let site = SiteTest::fixture("diag-broken-link");
    let check = site.check().failure();
    assert!(check.stderr().contains("link to missing file `content/02-nope/01-missing.md`"), "{}", check.stderr());
    assert!(!site.root().join("public").exists());
}

/// The codes `learn check --format json` reports for a fixture, in order, deduplicated.
fn json_codes(fixture: &str) -> Vec<String> {
    let run = SiteTest::fixture(fixture).run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).expect("valid JSON");
    let mut codes: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_else(|| panic!("{fixture}: a diagnostic without a code: {d}")).into())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Every diagnostic carries its stable code in JSON, the name tools match on.
#[test]
fn every_diagnostic_has_its_code() {
    let cases: &[(&str, &[&str])] = &[
        ("diag-bad-yaml", &["front-matter-syntax"]),
        ("diag-broken-link", &["link-broken"]),
        ("diag-missing-anchor", &["link-missing-anchor"]),
        ("diag-missing-title", &["front-matter-missing-key"]),
        ("diag-quiz-rules", &["quiz-correct-count", "quiz-identical-choices", "quiz-missing-answer"]),
        ("diag-site-toml", &["config-wrong-type"]),
        ("diag-tab-indent", &["front-matter-tab-indent"]),
        ("diag-unknown-key", &["front-matter-unknown-key"]),
        ("diag-unterminated", &["front-matter-unclosed"]),
        ("diag-wrong-type", &["front-matter-wrong-type"]),
        ("diag-many", &["content-area-without-index", "front-matter-missing-key", "link-broken"]),
    ];
    for (fixture, expected) in cases {
        assert_eq!(json_codes(fixture), *expected, "{fixture}");
    }
}

#[test]
fn the_code_is_shown_rustc_style() {
    let out = failing("diag-unknown-key");
    assert!(out.starts_with("error[front-matter-unknown-key]: invalid front matter: unknown field `titel`"), "{out}");
}
