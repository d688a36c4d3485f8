//! Hostile content (issue 8): broken YAML of many shapes, huge files, deep
//! folders, unicode and space-containing names, markup and script in every
//! field. The build reports diagnostics and never panics, and no author text
//! reaches the output as markup, except raw HTML in markdown bodies, which
//! authors may use on purpose.

use crate::harness::{Run, SiteTest};
use std::path::Path;

fn no_panic(run: &Run) {
    let stderr = run.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(run.output.status.code(), Some(0 | 1)), "exit {:?}\n{stderr}", run.output.status);
}

/// Every HTML file of the default output folder, with its path.
fn html_files(run: &Run) -> Vec<(String, String)> {
    let public = run.root.join("public");
    walkdir::WalkDir::new(&public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The page with each `<script type="application/json">` element's content
/// removed, after checking that content cannot end the element early: inside
/// it, text such as `<script>` is data, not markup.
fn without_json_scripts(page: &str, name: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(i) = rest.find("<script type=\"application/json\"") {
        let open_end = i + rest[i..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</script>").unwrap();
        let json = &rest[open_end..close];
        assert!(!json.contains("</") && !json.contains("<!--"), "{name}: JSON can close its script: {json}");
        out.push_str(&rest[..open_end]);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[test]
fn markup_in_every_field_is_escaped_except_in_bodies() {
    let run = SiteTest::fixture("hostile-html").build().success();
    no_panic(&run);
    let pages = html_files(&run);
    assert!(pages.len() >= 6, "{pages:?}");
    // What would run or render if it reached the output unescaped.
    let forbidden = [
        "<script>alert('xss",
        "<img src=x",
        "<iframe",
        "<style>body",
        "<b>Area</b>",
        "<b>this</b>",
        "onmouseover=\"alert",
        "</label><script",
        "<code>` too",
    ];
    for (name, page) in &pages {
        let page = without_json_scripts(page, name);
        for bad in forbidden {
            assert!(!page.contains(bad), "{name} contains unescaped `{bad}`");
        }
        // Escaping twice shows the reader `&lt;` instead of `<`.
        for twice in ["&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;quot;", "&amp;#39;"] {
            assert!(!page.contains(twice), "{name} escapes twice: `{twice}`");
        }
    }
    let lesson = run.page("area/lesson/index.html");
    // Raw HTML in a body is the author's choice and stays.
    assert!(lesson.contains("<script>alert('body-heading-raw-html-allowed')</script>"));
    assert!(lesson.contains("<span class=\"author-raw\">raw HTML</span>"));
    // Front-matter markdown still renders; only its markup is shown as text.
    assert!(
        lesson.contains("Which is &lt;script&gt;alert('xss-prompt')&lt;/script&gt; <strong>bold</strong>?"),
        "{lesson}"
    );
    // The heading named "Quiz" does not take the quiz section's id.
    assert_eq!(lesson.matches("id=\"quiz\"").count(), 1, "{lesson}");
    let faq = run.page("faq/index.html");
    assert!(faq.contains("<summary>Is &lt;b&gt;this&lt;/b&gt; bold?</summary>"), "{faq}");
    let home = run.page("index.html");
    assert!(home.contains("&lt;script&gt;alert("), "the site title is shown as text");
}

#[test]
fn broken_yaml_of_many_shapes_gets_one_diagnostic_per_file() {
    let site = SiteTest::fixture("hostile-yaml");
    let expected = std::fs::read_to_string(site.root().join("expected.txt")).unwrap();
    let run = site.build().failure();
    no_panic(&run);
    assert!(!run.has("index.html"), "a failed build writes nothing");
    let stderr = run.stderr();
    let mut count = 0;
    for line in expected.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let (file, message) = line.split_once('\t').unwrap();
        count += 1;
        let at = format!("--> content/01-broken/{file}:");
        let found: Vec<usize> = stderr.match_indices(&at).map(|(i, _)| i).collect();
        assert!(!found.is_empty(), "no diagnostic for {file}\n{stderr}");
        // The message is on the line above the location; the location has a line and column.
        let messages: Vec<&str> = found.iter().map(|&i| stderr[..i].trim_end().lines().last().unwrap()).collect();
        assert!(messages.iter().any(|m| m.contains(message)), "{file}: expected `{message}`, got {messages:?}");
        for &i in &found {
            let loc = stderr[i + at.len()..].lines().next().unwrap();
            assert!(loc.split(':').all(|n| n.parse::<usize>().is_ok_and(|n| n > 0)), "{file}: location `{loc}`");
        }
    }
    assert!(count >= 30, "{count}");
    // The accepted shapes are not reported, and the link from the home page to a
    // broken lesson adds no second error.
    for fine in ["custom-tags", "document-end", "yes-is-a-string", "content/_index.md"] {
        assert!(!stderr.contains(fine), "{fine} reported\n{stderr}");
    }
    // No diagnostic prints a whole 20 000-character line.
    assert!(stderr.lines().all(|l| l.chars().count() < 400), "{stderr}");
    // `learn check` reports the same without writing anything, and so does
    // `learn check --format json`, as JSON tools can read.
    let human = site.check().failure();
    no_panic(&human);
    assert_eq!(human.stderr().matches("\nerror: ").count(), stderr.matches("\nerror: ").count(), "{}", human.stderr());
    let check = site.run(&["check", "--format", "json"]);
    no_panic(&check);
    let json: serde_json::Value = serde_json::from_str(&check.stdout()).expect("check prints JSON");
    let errors = json["errors"].as_u64().unwrap() as usize;
    assert!(errors >= count, "{errors} < {count}");
}

#[test]
fn unicode_and_space_names_become_urls_that_resolve() {
    let run = SiteTest::fixture("hostile-names").build().success();
    no_panic(&run);
    for page in [
        "getting-started/first-steps/index.html",
        "getting-started/c-100/index.html",
        "ünïcødé-日本/ça-va-oui/index.html",
        "ünïcødé-日本/launch/index.html",
        "ελληνικά/άλφα/index.html",
        "עברית/שלום/index.html",
        "getting-started/img/My Chart.svg",
        "getting-started/img/50% off #1?.svg",
        "getting-started/img/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep.svg",
    ] {
        assert!(run.has(page), "missing {page}");
    }
    let first = run.page("getting-started/first-steps/index.html");
    assert!(first.contains("src=\"../../getting-started/img/My%20Chart.svg\""), "{first}");
    assert!(first.contains("src=\"../../getting-started/img/50%25%20off%20%231%3F.svg\""), "{first}");
    assert!(first.contains("href=\"../../getting-started/c-100/#section-two\""), "{first}");
    every_relative_link_resolves(&run);
}

/// A small link check over the output files: every relative `href` and `src`
/// names a file (or a folder with an `index.html`) that exists.
fn every_relative_link_resolves(run: &Run) {
    let public = run.root.join("public");
    let mut checked = 0;
    for (name, page) in html_files(run) {
        let dir = Path::new(&name).parent().unwrap_or(Path::new("")).to_path_buf();
        for attr in [" href=\"", " src=\""] {
            for part in page.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                let path = url.split(['#', '?']).next().unwrap();
                if path.is_empty() || url.contains("://") || url.starts_with("mailto:") || url.starts_with('/') {
                    continue;
                }
                let decoded = percent_decode(&path.replace("&amp;", "&"));
                let target = public.join(&dir).join(&decoded);
                let exists = target.is_file() || target.join("index.html").is_file();
                assert!(exists, "{name}: {url} -> {}", target.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked}");
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

#[test]
fn huge_and_deeply_nested_files_build() {
    let site = SiteTest::fixture("hostile-names");
    let mut huge = String::from("---\ntitle: Huge\nsummary: A 4 MB lesson.\ntags: [");
    huge.push_str(&(0..20_000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(", "));
    huge.push_str("]\n---\n");
    for i in 0..1500 {
        huge.push_str(&format!("## Section {i}\n\n"));
        huge.push_str(&"the product manager ships a roadmap with metrics ".repeat(40));
        huge.push_str("\n\n");
        if i % 100 == 0 {
            huge.push_str("| a | b |\n|---|---|\n");
            huge.push_str(&"| x | y |\n".repeat(50));
            huge.push_str("\n```rust\n");
            huge.push_str(&"fn main() { let x = 1; }\n".repeat(20));
            huge.push_str("```\n\n");
        }
    }
    huge.push_str(&"x".repeat(1_000_000));
    huge.push_str("\n\n");
    site.write("content/01-Getting Started/03-huge.md", &huge);
    let mut deep = String::from("---\ntitle: Deep\nsummary: Nesting that recursive code would not survive.\n---\n");
    deep.push_str(&">".repeat(100_000));
    deep.push_str(" quote\n\n");
    deep.push_str(&"- ".repeat(20_000));
    deep.push_str("list\n\n");
    deep.push_str(&"[".repeat(50_000));
    deep.push_str("\n\n");
    deep.push_str(&"**".repeat(30_000));
    deep.push_str("\n\n");
    site.write("content/01-Getting Started/04-deep.md", &deep);
    let started = std::time::Instant::now();
    let run = site.build().success();
    no_panic(&run);
    assert!(started.elapsed().as_secs() < 120, "took {:?}", started.elapsed());
    let page = run.page("getting-started/huge/index.html");
    assert!(page.contains("id=\"section-1499\""));
    assert!(run.has("getting-started/deep/index.html"));
}

#[test]
fn a_lesson_in_a_deep_folder_is_an_error_not_a_crash() {
    let site = SiteTest::fixture("hostile-names");
    let deep: String = (0..40).map(|i| format!("level {i}/")).collect();
    site.write(&format!("content/01-Getting Started/{deep}lesson.md"), "---\ntitle: Deep\nsummary: S\n---\n");
    let run = site.build().failure();
    no_panic(&run);
    let stderr = run.stderr();
    assert!(stderr.contains("a lesson must sit directly inside an area folder"), "{stderr}");
    assert!(stderr.contains("level 39/lesson.md"), "{stderr}");
}

#[test]
fn names_that_become_the_same_url_are_reported() {
    let site = SiteTest::fixture("hostile-names");
    site.write("content/01-Getting Started/03-first steps.md", "---\ntitle: Again\nsummary: S\n---\n");
    let run = site.build().failure();
    no_panic(&run);
    let stderr = run.stderr();
    assert!(stderr.contains("both become /getting-started/first-steps/"), "{stderr}");
}

/// Found by fuzzing (markdown_render): two headings with the same `{#id}` gave
/// a page two elements with one id, so links could reach only the first.
#[test]
fn duplicate_heading_ids_are_errors() {
    let site = SiteTest::fixture("hostile-names");
    site.write(
        "content/03-Ελληνικά/01-άλφα.md",
        "---\ntitle: Άλφα\nsummary: S\n---\n## One {#plan}\n\n## Two {#plan}\n\n## Three {#main}\n",
    );
    let run = site.build().failure();
    no_panic(&run);
    let stderr = run.stderr();
    assert!(stderr.contains("heading id `plan` is already used on this page"), "{stderr}");
    assert!(stderr.contains("content/03-Ελληνικά/01-άλφα.md:7:1"), "{stderr}");
    assert!(stderr.contains("heading id `main` is used by the page layout"), "{stderr}");
}
