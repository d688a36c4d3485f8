//! `open` questions (practice that produces something, scored by the learner
//! against a rubric): their rules, their page, and what search must not see.

use crate::harness::SiteTest;

#[test]
fn open_question_rules_each_reported_where_they_are_broken() {
    let run = SiteTest::fixture("diag-quiz-open").build().failure();
    assert!(!run.has("index.html"), "a failed build must not write output");
    let out = run.stderr();
    for needle in [
        "error[quiz-open-missing-model-answer]: an `open` question needs a `model_answer`",
        "01-first.md:5:5",
        "error[quiz-open-rubric-size]: an `open` question needs a `rubric` of 2 to 8 criteria, found 1",
        "01-first.md:14:9",
        "error[quiz-open-rubric-size]: an `open` question's `rubric` has 9 criteria",
        "01-first.md:28:9",
        "error[quiz-open-empty-criterion]: rubric criterion is empty",
        "error[quiz-misplaced-key]: `rubric` is only for `open` questions, not `text`",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn an_open_question_is_a_labelled_answer_box_with_its_model_answer_and_rubric_in_details() {
    let run = SiteTest::fixture("browser-review").build().success();
    let html = run.page("experiments/briefs/index.html");
    let form = &html[html.find("id=\"q-ab-brief\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains("data-type=\"open\""), "{form}");
    assert!(form.contains("<label class=\"answer-label\" for=\"ab-brief-input\">Your answer</label>"), "{form}");
    // The template pre-fills the box; the newline after the tag is one the HTML parser drops.
    assert!(
        form.contains(">\nHypothesis:\nPrimary metric:\nSample size:</textarea>"),
        "the template fills the box: {form}"
    );
    assert!(form.contains("<details class=\"q-answer\">"), "readable without JavaScript: {form}");
    assert!(form.contains("<div class=\"model-answer\"><p>Hypothesis: personalised artwork"), "{form}");
    assert_eq!(form.matches("type=\"checkbox\"").count(), 3, "one box per criterion: {form}");
    assert!(form.contains("<label for=\"ab-brief-r1\">Names exactly one primary metric</label>"), "{form}");
    assert!(form.contains("Copy my answer") && form.contains("Show the model answer"), "{form}");
    assert!(html.contains(r#"{"id":"ab-brief","type":"open","key":{"kind":"open","criteria":3}}"#), "{html}");

    // Practice counts toward a lesson's completion, never toward questions right.
    let area = run.page("experiments/index.html");
    assert!(area.contains("2 questions · 2 practice tasks"), "{area}");
    assert!(area.contains(r#"data-counts="1 2 2""#), "one lesson, 2 questions, 2 practice tasks: {area}");
    let data: serde_json::Value = serde_json::from_str(&run.page("progress/experiments/lessons.json")).unwrap();
    assert_eq!(data["lessons"][0][3], "rv-single rv-truefalse", "{data}");
    assert_eq!(data["lessons"][0][4], "ab-brief risk-list", "{data}");
}

#[test]
fn the_model_answer_and_rubric_never_reach_the_search_index() {
    let run = SiteTest::fixture("browser-review").build().success();
    let mut index = String::new();
    for entry in walkdir::WalkDir::new(run.root.join("public/search-index")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            index.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    assert!(index.contains("artwork"), "the prompt is searchable");
    for answer in ["personalised", "falsifiable", "novelty", "Sample size", "Hypothesis"] {
        assert!(!index.to_lowercase().contains(&answer.to_lowercase()), "{answer} is in the search index");
    }
}

#[test]
fn an_open_question_needs_no_explanation_beside_its_model_answer() {
    let run = SiteTest::fixture("browser-review").run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "no lint applies");
    assert_eq!((&report["quiz"]["open"], &report["quiz"]["without_explanation"]), (&2.into(), &0.into()));
}

#[test]
fn the_review_page_is_built_and_its_address_is_reserved() {
    let site = SiteTest::fixture("browser-review");
    let run = site.build().success();
    let html = run.page("review/index.html");
    assert!(html.contains("<h1>Review</h1>"), "{html}");
    assert!(html.contains("assets/review.js"), "{html}");
    site.write("content/review.md", "---\ntitle: Review\n---\nMine.\n");
    let out = site.build().failure().stderr();
    assert!(out.contains("error[content-url-clash]"), "{out}");
}

/// A model answer often repeats a table of the lesson (same headers): both
/// are scrolling regions of one page, and landmarks of a page need names of
/// their own, so the second is numbered.
#[test]
fn a_model_answer_table_like_one_in_the_lesson_gets_a_name_of_its_own() {
    let site = SiteTest::fixture("minimal");
    let table = "| Feature | Score |\n|---|---|\n| A | 1 |\n";
    let model = table.lines().map(|l| format!("      {l}\n")).collect::<String>();
    site.write(
        "content/01-basics/03-tables.md",
        &format!(
            "---\ntitle: Tables\nsummary: Two alike.\nquiz:\n  - id: tables-practice\n    type: open\n    prompt: Make the table.\n    model_answer: |\n{model}    rubric: [Has a header, Has a row]\n---\n{table}"
        ),
    );
    let html = site.build().success().page("basics/tables/index.html");
    assert!(html.contains("aria-label=\"Table: Feature, Score\""), "{html}");
    assert!(html.contains("aria-label=\"Table: Feature, Score (2)\""), "{html}");
}

/// A prompt of several paragraphs cannot sit in a `<legend>` (phrasing
/// content only): it follows the legend, and a one-line prompt stays in it.
#[test]
fn a_prompt_of_several_blocks_follows_the_legend() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/01-basics/03-long.md",
        "---\ntitle: Long\nsummary: A long prompt.\nquiz:\n  - id: long-practice\n    type: open\n    prompt: |\n      The setting.\n\n      > A quoted brief.\n    model_answer: An answer.\n    rubric: [One, Two]\n  - id: long-short\n    type: truefalse\n    prompt: A short claim.\n    answer: true\n    explanation: Because.\n---\nBody.\n",
    );
    let html = site.build().success().page("basics/long/index.html");
    assert!(html.contains("</legend>\n      <div class=\"q-prompt\"><p>The setting.</p>"), "{html}");
    assert!(html.contains("<span class=\"q-prompt\">A short claim.</span></legend>"), "{html}");
}
