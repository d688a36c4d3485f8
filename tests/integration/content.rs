//! What a build produces from a small but complete site.

use crate::harness::{main_of, prose_of, SiteTest};

#[test]
fn builds_every_page_and_file() {
    let run = SiteTest::fixture("minimal").build().success();
    assert!(run.stdout().contains("Built 8 pages, 5 questions in"), "{}", run.stdout());
    for f in [
        "index.html",
        "basics/index.html",
        "basics/first/index.html",
        "basics/second/index.html",
        "later/index.html",
        "later/zeta/index.html",
        "faq/index.html",
        "search/index.html",
        "progress/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "favicon.svg",
        "assets/style.css",
        "assets/syntax.css",
        "basics/img/funnel.svg",
    ] {
        assert!(run.has(f), "missing {f}");
    }
    assert!(!run.has("later/draft/index.html"), "drafts are not built");
}

#[test]
fn a_site_with_search_off_has_no_index_and_no_search_page() {
    let site = SiteTest::fixture("minimal");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{config}\n[search]\nenabled = false\n"));
    let run = site.build().success();
    assert!(run.has("index.html"));
    assert!(!run.has("search-index/manifest.json"), "no index");
    assert!(!run.has("search/index.html"), "no search page");
}

#[test]
fn drafts_build_with_the_flag() {
    let site = SiteTest::fixture("minimal");
    let run = site.run(&["build", "--drafts"]).success();
    assert!(run.has("later/draft/index.html"));
}

#[test]
fn lesson_markdown_html() {
    let run = SiteTest::fixture("minimal").build().success();
    insta::assert_snapshot!(prose_of(&run.page("basics/first/index.html")));
}

#[test]
fn links_are_rewritten_relative_so_any_base_path_works() {
    let run = SiteTest::fixture("minimal").build().success();
    let first = run.page("basics/first/index.html");
    assert!(first.contains(r#"href="../../basics/second/#details""#), "cross-page link with fragment");
    assert!(first.contains(r##"href="#a-table""##), "same-page fragment");
    assert!(first.contains(r#"src="../../basics/img/funnel.svg""#), "co-located image");
    let second = run.page("basics/second/index.html");
    assert!(second.contains(r#"href="../../""#), "link to the home page");
    assert!(second.contains(r#"href="../../basics/""#), "link to the area");
    assert!(second.contains(r#"href="../../search/""#), "root-relative link to a built-in page");
    assert!(!first.contains("href=\"/"), "no root-relative links in output");
}

#[test]
fn previous_and_next_cross_areas() {
    let run = SiteTest::fixture("minimal").build().success();
    let second = run.page("basics/second/index.html");
    assert!(second.contains(r#"rel="prev" href="../../basics/first/""#), "{}", main_of(&second));
    assert!(second.contains(r#"rel="next" href="../../later/zeta/""#), "weight orders zeta before alpha");
    let zeta = run.page("later/zeta/index.html");
    assert!(zeta.contains(r#"rel="next" href="../../later/alpha/""#));
}

#[test]
fn headings_get_unique_ids_and_a_table_of_contents() {
    let run = SiteTest::fixture("minimal").build().success();
    let html = run.page("basics/first/index.html");
    assert!(html.contains(r#"<h2 id="same-name">"#));
    assert!(html.contains(r#"<h2 id="same-name-1">"#));
    assert!(html.contains(r##"<a href="#a-table">A table</a>"##), "toc entry");
}

#[test]
fn code_is_highlighted_to_classes_and_unknown_languages_are_escaped() {
    let run = SiteTest::fixture("minimal").build().success();
    let html = run.page("basics/first/index.html");
    assert!(html.contains(r#"data-lang="rust""#), "rust,ignore is Rust");
    assert!(html.contains("hl-"), "classes, not inline styles");
    assert!(!html.contains("style=\"color"), "no inline colours");
    assert!(html.contains("&lt;b&gt;escaped&lt;/b&gt;"));
    let css = run.page("assets/syntax.css");
    assert!(css.contains("prefers-color-scheme: dark"));
}

#[test]
fn quiz_answers_sit_in_details_for_readers_without_javascript() {
    let run = SiteTest::fixture("minimal").build().success();
    let html = run.page("basics/first/index.html");
    assert_eq!(html.matches("<details class=\"q-answer\">").count(), 5);
    assert!(html.contains("<legend>"));
    assert!(html.contains("type=\"radio\""));
    assert!(html.contains("type=\"checkbox\""));
}

/// Authors may write a number answer as people write numbers; one that is not
/// a number is refused with the reason, as the learner would be told it.
#[test]
fn number_answers_may_be_written_as_text() {
    let site = SiteTest::fixture("minimal");
    let lesson = |answer: &str| {
        format!("---\ntitle: Budget\nsummary: s\nquiz:\n  - type: number\n    prompt: Budget?\n    answer: {answer}\n---\nBody\n")
    };
    site.write("content/01-basics/03-budget.md", &lesson("£350k"));
    let html = site.build().success().page("basics/budget/index.html");
    assert!(html.contains(r#""value":350000.0"#), "{html}");
    assert!(html.contains("<strong>Answer:</strong> 350000</p>"), "{html}");
    site.write("content/01-basics/03-budget.md", &lesson("12 apples"));
    let out = site.build().failure().stderr();
    assert!(out.contains("a `number` question needs a numeric `answer`: “apples” is not part of a number."), "{out}");
    assert!(out.contains("03-budget.md:5:5"), "{out}");
}

/// Choice lists carry `data-shuffle` for the quiz script unless the question
/// (`shuffle: false`) or the site (`[quiz] shuffle = false`) pins them; a
/// question without choices has nothing to shuffle.
#[test]
fn choice_lists_shuffle_unless_pinned() {
    let site = SiteTest::fixture("minimal");
    let lesson = |tf_extra: &str| {
        format!(
            "---\ntitle: Orders\nsummary: s\nquiz:\n  - id: free\n    type: multiple\n    prompt: P\n    \
             choices: [{{text: a, correct: true}}, {{text: b}}]\n  - id: pinned\n    type: single\n    prompt: Q\n    \
             shuffle: false\n    choices: [{{text: a, correct: true}}, {{text: b}}]\n  - id: tf\n    type: truefalse\n    \
             prompt: R\n    answer: true\n{tf_extra}---\nBody\n"
        )
    };
    let form_tag = |html: &str, id: &str| -> String {
        let start = html.find(&format!("<form class=\"question\" id=\"q-{id}\"")).expect("question form");
        html[start..start + html[start..].find('>').unwrap()].to_string()
    };
    site.write("content/01-basics/03-orders.md", &lesson(""));
    let html = site.build().success().page("basics/orders/index.html");
    assert!(form_tag(&html, "free").contains(" data-shuffle"), "{}", form_tag(&html, "free"));
    assert!(!form_tag(&html, "pinned").contains("data-shuffle"));
    assert!(!form_tag(&html, "tf").contains("data-shuffle"));

    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[quiz]\nshuffle = false\n"));
    let html = site.build().success().page("basics/orders/index.html");
    assert!(!html.contains("data-shuffle"), "the site pins every list");

    site.write("content/01-basics/03-orders.md", &lesson("    shuffle: true\n"));
    let out = site.build().failure().stderr();
    assert!(out.contains("`shuffle` is only for `single` and `multiple` questions, not `truefalse`"), "{out}");
}

#[test]
fn bom_and_crlf_input_builds() {
    let run = SiteTest::fixture("bom-crlf").build().success();
    let html = run.page("basics/first/index.html");
    assert!(html.contains("<h1 id=\"crlf-lesson\">CRLF lesson</h1>"), "{}", main_of(&html));
    assert!(!html.contains('\r'));
}

#[test]
fn sitemap_and_robots_use_the_base_url() {
    let run = SiteTest::fixture("minimal").build().success();
    let sitemap = run.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/course/basics/first/</loc>"), "{sitemap}");
    assert!(run.page("robots.txt").contains("Sitemap: https://example.org/course/sitemap.xml"));
}

#[test]
fn not_found_page_links_from_the_base_path() {
    let run = SiteTest::fixture("minimal").build().success();
    let html = run.page("404.html");
    assert!(html.contains(r#"href="/course/assets/style.css""#), "404 is served at any depth");
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = SiteTest::fixture("minimal");
    let run = site.run(&["build", "--base-url", "https://org.github.io/repo"]).success();
    assert!(run.page("404.html").contains(r#"href="/repo/assets/style.css""#));
}

#[test]
fn no_live_reload_script_in_build_output() {
    let run = SiteTest::fixture("minimal").build().success();
    assert!(!run.page("basics/first/index.html").contains("__learn"));
}

#[test]
fn faq_entries_render_with_ids() {
    let run = SiteTest::fixture("minimal").build().success();
    let html = run.page("faq/index.html");
    assert!(html.contains(r#"id="faq-is-this-a-question""#), "{}", main_of(&html));
    assert!(html.contains(r#"href="../basics/first/""#), "links in answers are rewritten");
}

/// The curriculum has no errors; until its quizzes are rewritten, the
/// item-writing lints may warn about them, and nothing else may.
#[test]
fn the_bundled_curriculum_checks_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_learn"))
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    for d in report["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap();
        assert!(d["severity"] == "warning" && code.starts_with("quiz-"), "not a lint warning: {d}");
    }
}

#[test]
fn root_relative_links_are_rewritten_for_the_sub_path_or_reported() {
    let site = SiteTest::fixture("minimal");
    site.write("content/images/x.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write(
        "content/01-basics/02-second.md",
        "---\ntitle: Second\nsummary: s\n---\n## Details {#details}\n\n![x](/images/x.svg) [faq](/faq.md)\n",
    );
    let run = site.build().success();
    let html = run.page("basics/second/index.html");
    assert!(html.contains(r#"src="../../images/x.svg""#), "{}", prose_of(&html));
    assert!(html.contains(r#"href="../../faq/""#));
    site.write(
        "content/01-basics/02-second.md",
        "---\ntitle: Second\nsummary: s\n---\n## Details {#details}\n\n![x](/images/missing.png)\n",
    );
    let out = site.build().failure().stderr();
    assert!(out.contains("link to missing file `content/images/missing.png`"), "{out}");
    assert!(out.contains("02-second.md:7:6"), "{out}");
}

/// On a terminal, `learn build` draws a progress bar on stderr and clears it
/// before the summary; anywhere else (as in every other test here) it draws
/// nothing. `script` gives the build a terminal; the bar's one-second delay is
/// set to zero so that a small site shows it.
#[test]
fn a_terminal_sees_a_progress_bar_that_clears_itself() {
    let site = SiteTest::fixture("minimal");
    let command = format!("'{}' build --root '{}'", env!("CARGO_BIN_EXE_learn"), site.root().display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("LEARN_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let bar = text.find("Rendering pages [").expect("a progress bar");
    let cleared = text[bar..].find("\r\x1b[2K").expect("the bar is cleared");
    assert!(text[bar + cleared..].contains("Built 8 pages"), "the summary follows the bar: {text:?}");

    let plain = site.build().success();
    assert!(!plain.stderr().contains("Rendering pages"), "no bar without a terminal");
}
