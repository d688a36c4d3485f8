//! Raw HTML tags no browser knows (`<Listing>`, `<ferris-says>`): a
//! preprocessor or a theme gave them meaning. They are left as written, where
//! a browser shows what is inside them, and reported once per page and tag.

use super::anchors::options;
use super::report::{Kind, Place, Report};
use pulldown_cmark::{Event, Parser};
use std::collections::BTreeSet;
use std::path::Path;

/// The elements of HTML (and of SVG and MathML that appear inline in markdown).
const KNOWN: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "svg",
    "path",
    "g",
    "circle",
    "rect",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "text",
    "tspan",
    "defs",
    "use",
    "symbol",
    "marker",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "image",
    "foreignobject",
    "desc",
    "math",
    "mi",
    "mn",
    "mo",
    "mrow",
    "msup",
    "msub",
    "mfrac",
    "msqrt",
    "mtext",
    "semantics",
    "annotation",
];

/// Reports the unknown tags of a chapter body; `original` is the chapter file, for lines.
pub fn report_unknown(body: &str, shown: &Path, original: &str, report: &mut Report) {
    let mut seen = BTreeSet::new();
    for event in Parser::new_ext(body, options()) {
        let (Event::Html(h) | Event::InlineHtml(h)) = event else { continue };
        for name in tag_names(&h) {
            if KNOWN.contains(&name.to_ascii_lowercase().as_str()) || !seen.insert(name.clone()) {
                continue;
            }
            let at = match original.find(&format!("<{name}")) {
                Some(i) => Place::offset(shown, original, i),
                None => Place::file(shown),
            };
            report.add(
                Kind::Html,
                at,
                format!("`<{name}>` is not HTML: a preprocessor or theme gave it meaning"),
                "it is left as written and browsers show what is inside it; replace it with markdown or plain HTML",
            );
        }
    }
}

/// The names of the tags opened in a piece of HTML (comments skipped).
fn tag_names(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e..]);
            continue;
        }
        let len =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')).unwrap_or(rest.len());
        if len > 0 && rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push(rest[..len].to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tags_are_reported_once_with_their_line() {
        let body = "<Listing number=\"1\">\n\ncode\n\n</Listing>\n\n<div>ok</div> <ferris-says>hi</ferris-says> <Listing>\n\n<!-- <nope> -->\n";
        let mut report = Report::default();
        report_unknown(body, Path::new("src/a.md"), body, &mut report);
        let found: Vec<_> =
            report.entries.iter().map(|e| (e.diagnostic.message.clone(), e.diagnostic.pos.unwrap().line)).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].0.contains("`<Listing>`") && found[0].1 == 1);
        assert!(found[1].0.contains("`<ferris-says>`") && found[1].1 == 7);
    }
}
