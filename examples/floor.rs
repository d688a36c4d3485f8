//! The benchmark floor: only pulldown-cmark and syntect over the same lesson
//! files, one HTML file written per lesson, on the rayon pool. `learn build`
//! is measured against this to see what the rest of the pipeline costs.
//!
//! Usage: cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use pulldown_cmark::{html, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use std::path::PathBuf;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::util::LinesWithEndings;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (content, out) = match args.as_slice() {
        [c, o] => (PathBuf::from(c), PathBuf::from(o)),
        _ => {
            eprintln!("usage: floor CONTENT_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    let syntaxes = two_face::syntax::extra_newlines();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    std::fs::create_dir_all(&out).expect("create output");
    files.par_iter().enumerate().for_each(|(i, f)| {
        let text = std::fs::read_to_string(f).expect("read");
        let body = strip_front_matter(&text);
        let html = render(body, &syntaxes);
        std::fs::write(out.join(format!("{i}.html")), html).expect("write");
    });
    println!("{} files", files.len());
}

fn strip_front_matter(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

fn render(body: &str, syntaxes: &syntect::parsing::SyntaxSet) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for e in Parser::new_ext(body, Options::all()) {
        match (&mut code, e) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                code = Some((info.split(',').next().unwrap_or("").to_string(), String::new()))
            }
            (Some((_, buf)), Event::Text(t)) => buf.push_str(&t),
            (Some((lang, buf)), Event::End(TagEnd::CodeBlock)) => {
                events.push(Event::Html(highlight(lang, buf, syntaxes).into()));
                code = None;
            }
            (None, e) => events.push(e),
            _ => {}
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

fn highlight(lang: &str, code: &str, syntaxes: &syntect::parsing::SyntaxSet) -> String {
    let syntax = syntaxes.find_syntax_by_token(lang).unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, ClassStyle::Spaced);
    for line in LinesWithEndings::from(code) {
        let _ = gen.parse_html_for_line_which_includes_newline(line);
    }
    format!("<pre><code>{}</code></pre>", gen.finalize())
}
