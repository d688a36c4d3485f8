//! Markdown from other tools: title anchors, a heading that repeats the title,
//! a title taken from the first heading, the `[links]` policy, footnote ids and
//! the `[markdown]` switches. Each test writes its pages into a copy of the
//! minimal fixture and builds it with the real binary.

use crate::harness::SiteTest;

const SITE: &str = "title = \"Fixture\"\nbase_url = \"https://example.org/course/\"\n";

fn lesson(front: &str, body: &str) -> String {
    format!("---\n{front}summary: A lesson.\n---\n{body}")
}

#[test]
fn title_headings_have_ids_that_links_can_name() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/01-basics/03-types.md",
        &lesson(
            "title: Data types\n",
            "# Data types\n\nSee [self](#data-types) and [first](01-first.md#first-lesson).\n",
        ),
    )
    .write(
        "content/01-basics/04-untitled.md",
        "---\nsummary: No title here.\n---\n# The fourth one\n\nLink to [types](03-types.md#data-types).\n",
    );
    let run = site.build().success();
    let types = run.page("basics/types/index.html");
    assert!(types.contains("<h1 id=\"data-types\">Data types</h1>"), "{types}");
    assert_eq!(types.matches("<h1").count(), 1, "the repeated title is left out of the body");
    assert!(types.contains("href=\"#data-types\""));
    assert!(types.contains("href=\"../../basics/first/#first-lesson\""), "{types}");
    let stderr = run.stderr();
    assert!(
        stderr.contains("warning[content-duplicate-title]: the page opens with a heading that repeats its title"),
        "{stderr}"
    );
    assert!(stderr.contains("content/01-basics/03-types.md:5:1"), "{stderr}");
    let untitled = run.page("basics/untitled/index.html");
    assert!(untitled.contains("<h1 id=\"the-fourth-one\">The fourth one</h1>"), "{untitled}");
    assert_eq!(untitled.matches("<h1").count(), 1);
    assert_eq!(stderr.matches("repeats its title").count(), 1, "a title taken from the heading is no repeat: {stderr}");
    assert!(untitled.contains("href=\"../../basics/types/#data-types\""), "{untitled}");
}

#[test]
fn a_heading_that_repeats_the_title_slug_gets_another_id() {
    let site = SiteTest::fixture("minimal");
    site.write("content/01-basics/03-types.md", &lesson("title: Types\n", "Intro.\n\n## Types\n\nMore.\n"));
    let run = site.build().success();
    let html = run.page("basics/types/index.html");
    assert!(html.contains("<h1 id=\"types\">"), "{html}");
    assert!(html.contains("<h2 id=\"types-1\">"), "{html}");
}

#[test]
fn links_policy_rewrites_ignores_and_warns() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "site.toml",
        &format!(
            "{SITE}[links]\nmissing = \"warn\"\nignore = [\"../outside/**\"]\nrewrite = {{ \"../std/\" = \"https://doc.rust-lang.org/std/\" }}\n"
        ),
    )
    .write(
        "content/01-basics/03-links.md",
        &lesson(
            "title: Links\n",
            "[vec](../std/vec/struct.Vec.html), [out](../outside/a/b.md), [gone](gone.md), [anchor](01-first.md#nope).\n",
        ),
    );
    let run = site.build().success();
    let html = run.page("basics/links/index.html");
    assert!(html.contains("href=\"https://doc.rust-lang.org/std/vec/struct.Vec.html\""), "{html}");
    assert!(html.contains("href=\"../outside/a/b.md\""), "{html}");
    let stderr = run.stderr();
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("link to missing file `content/01-basics/gone.md`"), "{stderr}");
    assert!(stderr.contains("missing anchor `#nope`"), "{stderr}");
    assert_eq!(stderr.matches("[links] missing = \"warn\"").count(), 2, "{stderr}");
    // Rewritten and ignored links are not checked: only the two missing targets are reported.
    assert_eq!(stderr.matches("link to missing file").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("points at a missing anchor").count(), 1, "{stderr}");
}

#[test]
fn a_missing_link_after_a_rewrite_names_the_rule() {
    let site = SiteTest::fixture("minimal");
    site.write("site.toml", &format!("{SITE}[links]\nrewrite = {{ \"old/\" = \"new/\" }}\n"))
        .write("content/01-basics/03-links.md", &lesson("title: Links\n", "[moved](old/page.md)\n"));
    let run = site.build().failure();
    let stderr = run.stderr();
    assert!(stderr.contains("error"), "{stderr}");
    assert!(
        stderr.contains("link to missing file `content/01-basics/new/page.md` (`old/page.md` became `new/page.md` by the `[links] rewrite` rule for `old/`)"),
        "{stderr}"
    );
    assert!(stderr.contains("content/01-basics/03-links.md:5:"), "{stderr}");
}

#[test]
fn footnote_ids_cannot_collide_with_headings() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/01-basics/03-notes.md",
        &lesson(
            "title: Notes\n",
            "## Note\n\nA claim[^note], again[^note], and [to the note](#fn-1).\n\n[^note]: The note.\n",
        ),
    );
    let run = site.build().success();
    let html = run.page("basics/notes/index.html");
    assert!(html.contains("<h2 id=\"note\">"), "{html}");
    assert!(html.contains("<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"), "{html}");
    assert!(html.contains("id=\"fnref-1-2\""), "{html}");
    assert!(html.contains("<div class=\"footnote-definition\" id=\"fn-1\">"), "{html}");
    assert!(html.contains("<a href=\"#fnref-1\" class=\"footnote-backref\""), "{html}");
}

#[test]
fn markdown_switches_in_site_toml() {
    let body = "Don't -- stop...\n\nTerm\n: Its definition.\n";
    let site = SiteTest::fixture("minimal");
    site.write("content/01-basics/03-style.md", &lesson("title: Style\n", body));
    let plain = site.build().success().page("basics/style/index.html");
    assert!(plain.contains("Don't -- stop..."), "{plain}");
    assert!(plain.contains("<dl>"), "definition lists are on by default: {plain}");
    site.write("site.toml", &format!("{SITE}[markdown]\nsmart_punctuation = true\ndefinition_lists = false\n"));
    let smart = site.build().success().page("basics/style/index.html");
    assert!(smart.contains("Don’t – stop…"), "{smart}");
    assert!(!smart.contains("<dl>"), "{smart}");
}
