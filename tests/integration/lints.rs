//! The item-writing lints, through the binary: one fixture per lint that
//! trips it exactly once, a clean one that trips none, and the levels
//! (`[quiz.lints]`, a question's `allow:`) that turn them off or into errors.

use crate::harness::{Run, SiteTest};

const LINTS: [&str; 8] = [
    "quiz-truefalse-balance",
    "quiz-longest-correct",
    "quiz-position-balance",
    "quiz-absolute-cue",
    "quiz-all-of-the-above",
    "quiz-duplicate-choice",
    "quiz-missing-feedback",
    "quiz-missing-explanation",
];

const LESSON: &str = "content/01-metrics/01-retention.md";

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout()))
}

/// `learn check --format json` on a site.
fn check_json(site: &SiteTest) -> (Run, serde_json::Value) {
    let run = site.run(&["check", "--format", "json"]);
    let report = json(&run);
    (run, report)
}

fn codes(report: &serde_json::Value) -> Vec<&str> {
    report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect()
}

#[test]
fn each_lint_fixture_trips_its_lint_once() {
    for code in LINTS {
        let (run, report) = check_json(&SiteTest::fixture(&format!("lint-{code}")));
        assert_eq!(run.output.status.code(), Some(0), "{code}: a lint warns, it does not fail");
        assert_eq!(codes(&report), [code], "{code}");
        let d = &report["diagnostics"][0];
        assert_eq!(d["severity"], "warning", "{code}");
        assert_eq!(d["path"], LESSON, "{code}");
        assert!(d["pos"]["line"].as_u64().unwrap() > 1, "{code}: points at the question");
        assert!(d["hint"].as_str().is_some_and(|h| !h.is_empty()), "{code}: says how to fix it");
    }
}

#[test]
fn the_clean_fixture_trips_none_and_reports_its_figures() {
    let (run, report) = check_json(&SiteTest::fixture("lint-clean"));
    assert_eq!(run.output.status.code(), Some(0));
    assert_eq!(codes(&report), Vec::<&str>::new());
    let quiz = &report["quiz"];
    assert_eq!(quiz["questions"], 14);
    assert_eq!((&quiz["single"], &quiz["multiple"], &quiz["truefalse"]), (&5.into(), &1.into(), &6.into()));
    assert_eq!((&quiz["text"], &quiz["number"]), (&1.into(), &1.into()));
    assert_eq!((&quiz["truefalse_true"], &quiz["true_share"]), (&3.into(), &0.5.into()));
    assert_eq!((&quiz["longest_correct"], &quiz["without_explanation"]), (&0.into(), &0.into()));
}

#[test]
fn check_prints_the_quiz_report_after_the_diagnostics() {
    let run = SiteTest::fixture("lint-quiz-truefalse-balance").check().success();
    let out = run.stdout().replace('\n', " ");
    assert!(
        out.contains("Quizzes: 14 questions (5 single choice, 1 multiple choice, 6 true/false, 1 text, 1 number)."),
        "{out}"
    );
    assert!(out.contains("1 of 6 true/false statements are true (17%)."), "{out}");
    assert!(out.contains("uniquely longest in 0 of 5 single-choice questions (0%)."), "{out}");
    assert!(out.contains("Every question has an explanation."), "{out}");
    assert!(out.contains("no errors, 1 warning"), "{out}");
}

/// A site-wide lint, rustc-style: where, the questions it counted, how to fix it.
#[test]
fn a_site_wide_lint_reads_like_rustc() {
    let run = SiteTest::fixture("lint-quiz-truefalse-balance").check().success();
    insta::assert_snapshot!(run.stderr());
}

#[test]
fn warnings_do_not_stop_a_build() {
    let run = SiteTest::fixture("lint-quiz-longest-correct").build().success();
    assert!(run.stderr().contains("warning[quiz-longest-correct]"), "{}", run.stderr());
    assert!(run.has("metrics/retention/index.html"));
}

#[test]
fn a_denied_lint_fails_check_and_build_like_an_error() {
    let site = SiteTest::fixture("lint-quiz-missing-explanation");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}[quiz.lints]\nquiz-missing-explanation = \"deny\"\n"));
    let build = site.build().failure();
    assert!(
        build.stderr().contains("error[quiz-missing-explanation]: question has no explanation"),
        "{}",
        build.stderr()
    );
    assert!(!build.has("index.html"), "a failed build writes nothing");
    let check = site.check().failure();
    assert!(check.stdout().contains("Quizzes: 14 questions"), "the report is still there: {}", check.stdout());
    let (_, report) = check_json(&site);
    assert_eq!((&report["ok"], &report["errors"]), (&false.into(), &1.into()));
    assert_eq!(report["diagnostics"][0]["severity"], "error");
}

#[test]
fn site_toml_allows_a_lint() {
    let site = SiteTest::fixture("lint-quiz-missing-feedback");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}[quiz.lints]\nquiz-missing-feedback = \"allow\"\n"));
    let (run, report) = check_json(&site);
    assert_eq!(run.output.status.code(), Some(0));
    assert_eq!(codes(&report), Vec::<&str>::new());
}

#[test]
fn a_question_allows_a_lint_for_itself() {
    let site = SiteTest::fixture("lint-quiz-missing-explanation");
    let text = std::fs::read_to_string(site.root().join(LESSON)).unwrap();
    let allowed = text.replace("  - id: s-2\n", "  - id: s-2\n    allow: [quiz-missing-explanation]\n");
    assert_ne!(allowed, text);
    site.write(LESSON, &allowed);
    let (run, report) = check_json(&site);
    assert_eq!(run.output.status.code(), Some(0));
    assert_eq!(codes(&report), Vec::<&str>::new());
}

#[test]
fn unknown_lints_are_errors_where_they_are_written() {
    let site = SiteTest::fixture("lint-clean");
    let text = std::fs::read_to_string(site.root().join(LESSON)).unwrap();
    site.write(LESSON, &text.replace("  - id: s-2\n", "  - id: s-2\n    allow: [quiz-longest-corect]\n"));
    let out = site.check().failure().stderr();
    assert!(
        out.contains("error[front-matter-unknown-lint]: `quiz-longest-corect` in `allow` is not an item-writing lint"),
        "{out}"
    );
    assert!(out.contains(&format!("{LESSON}:47:13")), "{out}");
    assert!(out.contains("help: did you mean `quiz-longest-correct`?"), "{out}");

    let site = SiteTest::fixture("lint-clean");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}[quiz.lints]\nquiz-all-the-above = \"deny\"\n"));
    let out = site.check().failure().stderr();
    assert!(out.contains("error[config-unknown-lint]: `quiz-all-the-above` is not an item-writing lint"), "{out}");
    assert!(out.contains("site.toml:5:1"), "{out}");
    assert!(out.contains("help: did you mean `quiz-all-of-the-above`?"), "{out}");
}

/// Shuffled options have no position to give away: the same quiz, with the
/// site's lists shuffled again, trips nothing.
#[test]
fn positions_count_only_where_options_keep_their_order() {
    let site = SiteTest::fixture("lint-quiz-position-balance");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &toml.replace("shuffle = false", "shuffle = true"));
    let (_, report) = check_json(&site);
    assert_eq!(codes(&report), Vec::<&str>::new());
}

#[test]
fn a_build_shows_a_few_warnings_of_a_kind_and_counts_the_rest() {
    let site = SiteTest::fixture("lint-clean");
    let questions: String = (1..=8)
        .map(|n| {
            format!("  - id: extra-{n}\n    type: number\n    prompt: What is {n} plus one?\n    answer: {}\n", n + 1)
        })
        .collect();
    site.write(
        "content/01-metrics/09-sums.md",
        &format!("---\ntitle: Sums\nsummary: Adding one.\nquiz:\n{questions}---\nText.\n"),
    );
    let build = site.build().success();
    let stderr = build.stderr();
    assert_eq!(
        stderr.matches("warning[quiz-missing-explanation]: ").count(),
        6,
        "5 shown and the count line: {stderr}"
    );
    assert!(
        stderr.contains("warning[quiz-missing-explanation]: 3 more warnings like these; `learn check` lists them all"),
        "{stderr}"
    );
    let (_, report) = check_json(&site);
    let all = report["diagnostics"].as_array().unwrap();
    assert_eq!(all.iter().filter(|d| d["code"] == "quiz-missing-explanation").count(), 8);
}
