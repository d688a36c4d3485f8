use super::*;

fn targets() -> Targets {
    let mut t = Targets::default();
    let page = |content: &str, body: &str, title: &str| PageTarget {
        content: PathBuf::from(content),
        anchors: super::super::anchors::anchors(body, title, true, &[]),
    };
    t.pages.insert("ch01.md".into(), page("01-basics/01-ch01.md", "## Quiz\n", "Getting started"));
    t.pages.insert("guide/README.md".into(), page("01-basics/_index.md", "", "Guide"));
    t.pages.insert("guide/data-types.md".into(), page("02-more/03-data-types.md", "## Integers\n", "Data Types"));
    t.pages.insert("misc/thanks.md".into(), page("05-thanks.md", "", "Thanks"));
    t.assets.insert("img/logo one.svg".into(), "img/logo one.svg".into());
    t
}

fn run(text: &str) -> (String, Report) {
    let t = targets();
    let mut report = Report::default();
    let from = From {
        src: Path::new("ch01.md"),
        content: Path::new("01-basics/01-ch01.md"),
        shown: Path::new("src/ch01.md"),
        original: text,
    };
    (rewrite(text, &from, &t, &mut report), report)
}

#[test]
fn chapter_links_md_and_html_with_anchors() {
    let (out, report) = run(concat!(
        "[a](guide/data-types.md#data-types) [b](guide/data-types.html#integers) ",
        "[c](guide/index.html) [d](guide/) [e](./misc/thanks.md) [f](#quiz) [g](ch01.md#getting-started)\n"
    ));
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(
        out,
        concat!(
            "[a](../02-more/03-data-types.md#data-types) [b](../02-more/03-data-types.md#integers) ",
            "[c](_index.md) [d](_index.md) [e](../05-thanks.md) [f](#quiz-1) [g](01-ch01.md#getting-started)\n"
        )
    );
}

#[test]
fn references_images_and_raw_html() {
    let text = "![logo](img/logo%20one.svg)\n\n[ref]: guide/data-types.md \"title\"\n\n<img src=\"img/logo one.svg\"> <a href='misc/thanks.html'>x</a>\n";
    let (out, report) = run(text);
    assert!(report.is_empty(), "{report:?}");
    assert!(out.contains("![logo](../img/logo%20one.svg)"), "{out}");
    assert!(out.contains("[ref]: ../02-more/03-data-types.md \"title\""), "{out}");
    // Raw HTML is relative to the page's URL, /basics/ch01/.
    assert!(out.contains("<img src=\"../../img/logo%20one.svg\">"), "{out}");
    assert!(out.contains("<a href='../../thanks/'>"), "{out}");
}

#[test]
fn links_leaving_the_book_are_grouped_by_prefix() {
    let (out, report) =
        run("[std](../std/fmt/index.html#x) [ex](../examples/a.rs) <a href=\"../std/index.html\">s</a>\n");
    assert_eq!(out, "[std](../std/fmt/index.html#x) [ex](../examples/a.rs) <a href=\"https://doc.rust-lang.org/std/index.html\">s</a>\n");
    assert_eq!(report.outside.keys().collect::<Vec<_>>(), ["../examples/", "../std/"]);
    assert_eq!(report.outside["../std/"].places, [("src/ch01.md".to_string(), 1)]);
}

#[test]
fn missing_files_and_anchors_are_reported_and_left() {
    let text = "[x](nope.md)\n[y](guide/data-types.md#nope)\n[z](#nope)\n[ok](https://example.org/a.md)\n";
    let (out, report) = run(text);
    assert_eq!(out, text.replace("guide/data-types.md#nope", "../02-more/03-data-types.md#nope"));
    let lines: Vec<_> = report.entries.iter().map(|e| e.diagnostic.pos.unwrap().line).collect();
    assert_eq!(lines, [1, 2, 3]);
}

#[test]
fn urls_follow_learns_rule() {
    assert_eq!(url_of(Path::new("_index.md"), true), "");
    assert_eq!(url_of(Path::new("01-a/_index.md"), true), "a/");
    assert_eq!(url_of(Path::new("01-a/02-b.md"), true), "a/b/");
    assert_eq!(url_of(Path::new("03-faq.md"), true), "faq/");
    assert_eq!(url_of(Path::new("For_Dev/img/x.png"), false), "for_dev/img/x.png");
    assert_eq!(relative(Path::new("01-a"), Path::new("02-b/c.md")), "../02-b/c.md");
    assert_eq!(relative(Path::new(""), Path::new("02-b/c.md")), "02-b/c.md");
}
