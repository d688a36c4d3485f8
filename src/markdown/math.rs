//! Math: pulldown-cmark's `$...$` and `$$...$$` events become MathML at build
//! time (math-core, which writes MathML Core), so a page needs no script and no
//! font of its own: browsers lay MathML out with the system's math font. A
//! formula math-core cannot read is reported and shown as its TeX source.

use super::Spanned;
use crate::diag::{Code, Diagnostic};
use math_core::{LatexError, LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;
use std::sync::OnceLock;

mod mstyle;
mod tables;

/// A formula that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Malformed {
    /// The formula as written, `$` signs included: a byte range of the source.
    pub range: Range<usize>,
    /// The byte of the source where the problem is (the formula's start when
    /// its TeX does not appear in the source as it was parsed).
    pub at: usize,
    pub message: String,
}

impl Malformed {
    /// The diagnostic, without its place (the caller knows the file).
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(Code::ContentMalformedMath, format!("malformed math: {}", self.message)).with_hint(
            "the page shows the formula as its TeX source until it is fixed; \
             a `$` that is not math is written `\\$`",
        )
    }
}

/// One converter for every page: it keeps no state between formulas.
fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    CONVERTER.get_or_init(|| LatexToMathML::new(MathCoreConfig::default()).expect("there are no macros to parse"))
}

/// Replaces every math event with MathML (`<math display="block">` for `$$`)
/// and returns the formulas that could not be read, which become their TeX
/// source as code. `source` is the text the events were parsed from.
///
/// As in Pandoc, a closing `$` followed by a digit does not close: `$5-$10`
/// is money, not the formula `5-` followed by `10`. (pulldown-cmark already
/// refuses a `$` followed by a space as an opening, and one after a space as a
/// closing, so `$5 and $10` is text.)
pub(super) fn render(events: &mut [Spanned<'_>], source: &str) -> Vec<Malformed> {
    let mut malformed = Vec::new();
    for (event, range) in events.iter_mut() {
        let (tex, display) = match &*event {
            Event::InlineMath(tex) => (tex, MathDisplay::Inline),
            Event::DisplayMath(tex) => (tex, MathDisplay::Block),
            _ => continue,
        };
        let written = source.get(range.clone()).unwrap_or_default();
        if display == MathDisplay::Inline
            && source.get(range.end..).unwrap_or_default().starts_with(|c: char| c.is_ascii_digit())
        {
            *event = Event::Text(CowStr::from(written.to_string()));
            continue;
        }
        let html = match convert(tex, display) {
            Ok(mathml) => mathml,
            Err((offset, message)) => {
                let at = written
                    .find(tex.as_ref())
                    .map_or(range.start, |tex_start| range.start + tex_start + offset.min(tex.len()));
                malformed.push(Malformed { range: range.clone(), at, message });
                format!("<code class=\"math-source\">{}</code>", crate::html::escape(written))
            }
        };
        *event = match display {
            MathDisplay::Inline => Event::InlineHtml(html.into()),
            MathDisplay::Block => Event::Html(display_block(&html).into()),
        };
    }
    malformed
}

/// MathML for `tex`, or where in it the problem is and what it is.
fn convert(tex: &str, display: MathDisplay) -> Result<String, (usize, String)> {
    if let Some(offset) = too_deep(tex) {
        let message = format!("the formula nests more than {} groups deep", MAX_DEPTH / 2);
        return Err((offset, message));
    }
    if let Some(misplaced) = tables::misplaced_break(tex) {
        return Err(misplaced);
    }
    match converter().convert_with_local_state(tex, display) {
        Ok(converted) => Ok(mstyle::valid_for_mathml3(&converted.mathml)),
        Err(error) => Err((error.0.start, message(&error))),
    }
}

/// How deep a formula may nest, in the units of `too_deep`: 24 groups.
/// math-core parses by recursion, and a rayon thread's stack (2 MiB) runs
/// out at about 84 units in a debug build (42 nested `\sqrt{`), 15 times that
/// in a release build; real formulas nest a handful of levels.
const MAX_DEPTH: usize = 48;

/// Where a formula nests deeper than `MAX_DEPTH`, as a byte offset, if it does.
/// Each open group (`{`, `[`, `\left`, `\begin`) counts 2, and each command in
/// a run of commands with nothing between them but spaces counts 1, since
/// `\sqrt\sqrt x` nests too. An overestimate, so the parser is never reached
/// with a formula that could overflow its stack.
fn too_deep(tex: &str) -> Option<usize> {
    let (mut groups, mut run) = (0usize, 0usize);
    let mut chars = tex.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&(_, l)) = chars.peek().filter(|(_, l)| l.is_ascii_alphabetic()) {
                    name.push(l);
                    chars.next();
                }
                match name.as_str() {
                    "" => {
                        chars.next();
                        run = 0;
                    }
                    "left" | "begin" => groups += 1,
                    "right" | "end" => groups = groups.saturating_sub(1),
                    _ => run += 1,
                }
            }
            '{' | '[' => (groups, run) = (groups + 1, 0),
            '}' | ']' => (groups, run) = (groups.saturating_sub(1), 0),
            c if c.is_whitespace() => {}
            _ => run = 0,
        }
        if 2 * groups + run > MAX_DEPTH {
            return Some(i);
        }
    }
    None
}

/// Display math in a box that scrolls sideways when the formula is wider than
/// the screen. A `<span>` (shown as a block), since `$$` sits in a paragraph;
/// focusable, so keyboard users can scroll it, and so a group with a name.
fn display_block(html: &str) -> String {
    format!("<span class=\"math-display\" tabindex=\"0\" role=\"group\" aria-label=\"Formula\">{html}</span>")
}

/// math-core's message in the style of the others: `Unknown command "\foo".`
/// becomes `unknown command "\foo"`.
fn message(error: &LatexError) -> String {
    let text = error.to_string();
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text[first.len_utf8()..].chars()).collect()
        }
        _ => text.to_string(),
    }
}

/// Where a formula written in a front-matter string is in the file: the first
/// place at or after `from` (the snippet's own line) and before the body where
/// it appears as written. `None` when YAML escapes changed it (`\\frac` in a
/// double-quoted string), so the caller points at the snippet instead.
pub(super) fn find_in_front_matter(front_matter: &str, from: usize, written: &str) -> Option<usize> {
    let rest = front_matter.get(from..)?;
    rest.find(written).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    /// The HTML of `md` after the pass, and what it reported.
    fn render_md(md: &str) -> (String, Vec<Malformed>) {
        let mut events: Vec<Spanned<'_>> = Parser::new_ext(md, Options::ENABLE_MATH).into_offset_iter().collect();
        let malformed = render(&mut events, md);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        (html, malformed)
    }

    #[test]
    fn inline_math_becomes_mathml() {
        let (html, malformed) = render_md("where $n = \\frac{a}{b}$ is the size");
        assert!(malformed.is_empty());
        assert_eq!(
            html,
            "<p>where <math><mi>n</mi><mo>=</mo><mfrac><mi>a</mi><mi>b</mi></mfrac></math> is the size</p>\n"
        );
    }

    #[test]
    fn display_math_is_a_block() {
        let (html, malformed) = render_md("$$\n\\text{RICE} = \\frac{R \\times I \\times C}{E}\n$$\n");
        assert!(malformed.is_empty());
        let open = "<p><span class=\"math-display\" tabindex=\"0\" role=\"group\" aria-label=\"Formula\">";
        assert!(
            html.starts_with(&format!("{open}<math display=\"block\"><mtext>RICE</mtext><mo>=</mo><mfrac>")),
            "{html}"
        );
        assert!(html.ends_with("</math></span></p>\n"), "{html}");
        assert!(html.contains("<mo lspace=\"0.2222em\" rspace=\"0.2222em\">×</mo>"), "{html}");
    }

    #[test]
    fn money_is_not_math() {
        for md in ["It costs $5 and $10.", "From $5 to $10 a month", "Between $10,000 and $20,000", "Pay $5-$10 now"] {
            let (html, malformed) = render_md(md);
            assert!(!html.contains("<math"), "{md} gave {html}");
            assert!(html.contains("$10"), "{md} gave {html}");
            assert!(malformed.is_empty());
        }
        let (html, _) = render_md("Escaped \\$5 and \\$10$ too");
        assert_eq!(html, "<p>Escaped $5 and $10$ too</p>\n");
    }

    #[test]
    fn malformed_math_is_reported_where_it_is_and_shown_as_source() {
        let md = "Text.\n\nThe score $x = \\frac{1}{\\foo}$ here.\n";
        let (html, malformed) = render_md(md);
        assert_eq!(
            html,
            "<p>Text.</p>\n<p>The score <code class=\"math-source\">$x = \\frac{1}{\\foo}$</code> here.</p>\n"
        );
        assert_eq!(malformed.len(), 1);
        let bad = &malformed[0];
        assert_eq!(&md[bad.range.clone()], "$x = \\frac{1}{\\foo}$");
        assert!(md[bad.at..].starts_with("\\foo}$"), "points at {:?}", &md[bad.at..]);
        assert_eq!(bad.message, "unknown command \"\\foo\"");
        let d = bad.diagnostic();
        assert!(d.is_error());
        assert_eq!(d.message, "malformed math: unknown command \"\\foo\"");
    }

    #[test]
    fn an_unclosed_display_formula_points_into_it() {
        let md = "$$\n\\left( x\n$$\n";
        let (html, malformed) = render_md(md);
        assert!(html.contains("<code class=\"math-source\">$$\n\\left( x\n$$</code>"), "{html}");
        assert_eq!(malformed.len(), 1);
        assert!(malformed[0].message.contains("\\right"), "{}", malformed[0].message);
        assert!(malformed[0].at > 2 && malformed[0].at <= md.len());
    }

    /// A one-lesson site whose lesson has math in its body and its quiz.
    const LESSON: &str = "---\ntitle: Formulas\nsummary: Sums.\nquiz:\n  - type: truefalse\n    \
        prompt: Is $x^2$ a square?\n    answer: true\n    explanation: Yes, $x \\cdot x$ is $\\foo$.\n---\n\
        Size $n$ first.\n\n$$\nn = \\frac{1}{\\bar}\n$$\n";

    /// Renders the lesson's body and its explanation as the pipeline does.
    fn render_lesson(settings: &crate::markdown::Settings) -> (crate::markdown::Rendered, String, String) {
        use crate::markdown::{render_body, render_snippet, RenderCtx};
        let dir = tempfile::tempdir().expect("a temporary folder");
        let content = dir.path().join("content/01-a");
        std::fs::create_dir_all(&content).expect("a folder");
        std::fs::write(dir.path().join("content/_index.md"), "---\ntitle: Home\n---\n").expect("home");
        std::fs::write(content.join("_index.md"), "---\ntitle: A\nsummary: An area.\n---\n").expect("area");
        std::fs::write(content.join("01-formulas.md"), LESSON).expect("lesson");
        let (site, diags) = crate::content::load(dir.path(), crate::content::load::LoadOptions::default());
        assert!(!diags.has_errors(), "{diags:?}");
        let page = site.pages.iter().position(|p| p.title == "Formulas").expect("the lesson");
        let highlighter = crate::highlight::Highlighter::default();
        let ctx = RenderCtx {
            site: &site,
            settings,
            page: crate::content::PageId(page),
            highlighter: &highlighter,
            root: "../../",
        };
        let file = &site.pages[ctx.page];
        let mut rendered = render_body(&ctx, file.body(), file.body_start);
        let prompt = render_snippet(&ctx, "Is $x^2$ a square?", 0, &mut rendered);
        let question_line = file.text.find("  - type").expect("the question");
        let explanation = render_snippet(&ctx, "Yes, $x \\cdot x$ is $\\foo$.", question_line, &mut rendered);
        (rendered, prompt, explanation)
    }

    #[test]
    fn math_in_a_body_and_a_quiz_is_rendered_and_reported_at_its_line_and_column() {
        let (rendered, prompt, explanation) = render_lesson(&crate::markdown::Settings::default());
        assert_eq!(prompt, "Is <math><msup><mi>x</mi><mn>2</mn></msup></math> a square?");
        assert!(explanation.starts_with("Yes, <math><mi>x</mi>"), "{explanation}");
        assert!(explanation.ends_with(" is <code class=\"math-source\">$\\foo$</code>."), "{explanation}");
        assert!(rendered.html.starts_with("<p>Size <math><mi>n</mi></math> first.</p>"), "{}", rendered.html);
        assert!(rendered.html.contains("<code class=\"math-source\">$$\nn = \\frac{1}{\\bar}\n$$</code>"));
        let places: Vec<_> =
            rendered.diagnostics.iter().map(|d| (d.pos.map(|p| (p.line, p.col)), d.message.as_str())).collect();
        assert_eq!(
            places,
            [
                // `\bar` has no argument: the `}` after it, line 13 column 18.
                (Some((13, 18)), "malformed math: expected argument but got closing token (`}`, `\\end`, `\\right`)"),
                // `\foo` in the explanation, found in the front matter.
                (Some((8, 39)), "malformed math: unknown command \"\\foo\""),
            ],
            "{:?}",
            rendered.diagnostics
        );
        assert_eq!(rendered.sections[0].text, "Size n first.");
    }

    #[test]
    fn math_can_be_turned_off() {
        let toml = "title = \"T\"\n[markdown]\nmath = false\n";
        let config = crate::config::SiteConfig::parse(toml, std::path::Path::new("site.toml")).expect("a config");
        let (rendered, prompt, _) = render_lesson(&crate::markdown::Settings::of(&config));
        assert_eq!(prompt, "Is $x^2$ a square?");
        assert!(rendered.diagnostics.is_empty());
    }

    /// math-core parses by recursion: 50 nested `\sqrt{` overflowed a rayon
    /// thread's stack in a debug build and aborted the whole process.
    #[test]
    fn formulas_nested_too_deep_are_refused_before_parsing() {
        let deep = format!("${}x{}$", "\\sqrt{".repeat(1000), "}".repeat(1000));
        let (html, malformed) = render_md(&deep);
        assert!(html.contains("math-source"));
        assert_eq!(malformed[0].message, "the formula nests more than 24 groups deep");
        assert_eq!(malformed[0].at, 1 + "\\sqrt{".len() * 24, "the 25th `\\sqrt`");
        for tex in ["\\sqrt".repeat(60) + "x", "\\left(".repeat(30), "\\begin{matrix}".repeat(30), "x^{".repeat(30)] {
            assert!(too_deep(&tex).is_some(), "{tex}");
        }
        // What real formulas do stays well under the limit.
        let greek = "\\alpha \\beta \\gamma \\delta \\epsilon \\zeta \\eta \\theta \\iota \\kappa \\lambda \\mu";
        let ok = ["\\sqrt{".repeat(20) + &"}".repeat(20), format!("{{{{{greek} {greek}}}}}"), "\\{\\{\\{".repeat(30)];
        for tex in ok {
            assert_eq!(too_deep(&tex), None, "{tex}");
        }
        let (html, malformed) = render_md("$\\left\\{ x^{\\frac{1}{\\sqrt{2}}} \\right\\}$");
        assert!(malformed.is_empty() && html.contains("<msqrt>"), "{html}");
    }

    /// Found by fuzzing (markdown_render): a `&` or `\\` that math-core does
    /// not read as a cell or row break (here as a superscript) tripped a debug
    /// assertion in math-core's renderer and panicked; release builds dropped
    /// it. Such breaks are reported before math-core sees them (`tables.rs`).
    #[test]
    fn misplaced_cell_breaks_are_reported_not_a_panic() {
        let (html, malformed) = render_md("$$\\begin{aligned} a &= [^\\\\ c &= d \\end{aligned}$$");
        assert!(html.contains("math-source"), "{html}");
        assert!(malformed[0].message.starts_with("misplaced `\\\\`: it stands where an argument is expected"));
        assert_eq!(malformed[0].at, "$$\\begin{aligned} a &= [^".len());
    }

    #[test]
    fn formulas_are_found_in_front_matter_as_written() {
        let fm = "---\nquiz:\n  - prompt: Is $\\foo$ right?\n    explanation: \"$\\\\foo$\"\n---\n";
        assert_eq!(find_in_front_matter(fm, 4, "$\\foo$"), Some(fm.find("$\\foo$").unwrap()));
        assert_eq!(find_in_front_matter(fm, 30, "$\\foo$"), None);
    }
}
