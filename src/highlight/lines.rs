//! Highlighting a block a line at a time, remembering how each line parsed.
//!
//! syntect spends nearly all its time in `ParseState::parse_line`, a pure
//! function of the parser's state and the line. Code repeats itself across a
//! course (blank lines, imports, closing braces, the same loop in lesson after
//! lesson), so each thread keeps the lines it parsed, keyed by the state they
//! were parsed in and their text, and replays a line's scope operations instead
//! of parsing it again. The parser states are few, so each is kept once and
//! named by a number. The HTML is made from the scope operations exactly as
//! syntect's `ClassedHTMLGenerator` makes it, so the output is byte for byte
//! the same (the tests compare them).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use xxhash_rust::xxh3::xxh3_64;

/// Parsed lines a thread keeps before it starts afresh: about 10 MB, and at
/// 10,000 lessons a bigger memo saves little more time.
const CAPACITY: usize = 10_000;

/// Lines longer than this are parsed every time and never kept: long lines
/// (minified code, data) rarely repeat, and keeping them would let a few
/// thousand of them take hundreds of megabytes.
const LONGEST_KEPT: usize = 400;

/// A line's scope operations, by byte offset in the line.
type Ops = Rc<[(usize, ScopeStackOp)]>;

/// A line's scope operations and the state it leaves the parser in.
struct Parsed {
    line: Box<str>,
    ops: Ops,
    after: u32,
}

/// One thread's parser states and parsed lines.
#[derive(Default)]
struct Memo {
    /// The syntax set the states belong to (by address): states of another
    /// set would name other contexts, so a new set starts a new memo.
    set: usize,
    /// Every parser state met, each once; lines name them by index.
    states: Vec<ParseState>,
    /// State indexes by a hash of the state's debug form (states are not `Hash`).
    by_hash: HashMap<u64, Vec<u32>>,
    /// Each syntax's starting state, by the syntax's address in the static set.
    starts: HashMap<usize, u32>,
    /// Parsed lines by the state they start in and a hash of their text.
    lines: HashMap<(u32, u64), Parsed>,
    /// Lines parsed rather than replayed.
    parses: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Why a block could not be highlighted; the caller shows it as plain code.
#[derive(Debug)]
pub struct Failed;

/// The classed `<span>` HTML of `code`, the same as `ClassedHTMLGenerator` makes.
pub fn classed_html(
    code: &str,
    syntax: &SyntaxReference,
    syntaxes: &SyntaxSet,
    style: ClassStyle,
) -> Result<String, Failed> {
    MEMO.with_borrow_mut(|memo| {
        let set = syntaxes as *const SyntaxSet as usize;
        if memo.lines.len() >= CAPACITY || memo.set != set {
            *memo = Memo { set, ..Memo::default() };
        }
        let mut state = memo.start(syntax);
        let mut scopes = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 4);
        let mut open_spans = 0;
        for line in LinesWithEndings::from(code) {
            let ops;
            (ops, state) = memo.parse(state, line, syntaxes)?;
            let (spans, delta) = line_tokens_to_classed_spans(line, &ops, style, &mut scopes).map_err(|_| Failed)?;
            open_spans += delta;
            html.push_str(&spans);
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Ok(html)
    })
}

impl Memo {
    /// The number of `syntax`'s starting state.
    fn start(&mut self, syntax: &SyntaxReference) -> u32 {
        let address = syntax as *const SyntaxReference as usize;
        if let Some(&id) = self.starts.get(&address) {
            return id;
        }
        let id = self.intern(ParseState::new(syntax));
        self.starts.insert(address, id);
        id
    }

    /// The number of `state`, adding it if it is new.
    fn intern(&mut self, state: ParseState) -> u32 {
        let hash = xxh3_64(format!("{state:?}").as_bytes());
        let same = self.by_hash.entry(hash).or_default();
        if let Some(&id) = same.iter().find(|&&id| self.states[id as usize] == state) {
            return id;
        }
        let id = self.states.len() as u32;
        same.push(id);
        self.states.push(state);
        id
    }

    /// Parses `line` from state `from`: its scope operations and the state after it.
    fn parse(&mut self, from: u32, line: &str, syntaxes: &SyntaxSet) -> Result<(Ops, u32), Failed> {
        let key = (from, xxh3_64(line.as_bytes()));
        if let Some(seen) = self.lines.get(&key).filter(|p| *p.line == *line) {
            return Ok((seen.ops.clone(), seen.after));
        }
        self.parses += 1;
        let mut state = self.states[from as usize].clone();
        let ops: Ops = state.parse_line(line, syntaxes).map_err(|_| Failed)?.into();
        let after = self.intern(state);
        if line.len() <= LONGEST_KEPT {
            self.lines.insert(key, Parsed { line: line.into(), ops: ops.clone(), after });
        }
        Ok((ops, after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::html::ClassedHTMLGenerator;

    fn syntect_html(code: &str, lang: &str) -> String {
        let syntaxes = &*super::super::SYNTAXES;
        let syntax = syntaxes.find_syntax_by_token(lang).unwrap();
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, super::super::CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        gen.finalize()
    }

    fn ours(code: &str, lang: &str) -> String {
        let syntaxes = &*super::super::SYNTAXES;
        let syntax = syntaxes.find_syntax_by_token(lang).unwrap();
        classed_html(code, syntax, syntaxes, super::super::CLASS_STYLE).unwrap()
    }

    #[test]
    fn replayed_lines_give_syntects_html() {
        // The same lines meet different states: inside and outside a string
        // that spans lines, a comment, and a heredoc.
        let blocks = [
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\ndef f():\n    return x\n"),
            ("python", "def f():\n    return x\nx = 1\n"),
            ("rust", "fn main() {\n    let x = 1; /*\n    let x = 1;\n    */ let x = 1;\n}\n"),
            ("rust", "fn main() {\n    let x = 1;\n}\n"),
            ("bash", "cat <<EOF\nx = 1\nEOF\nx=1\n"),
            ("sql", "SELECT 'a\nx = 1\n' FROM t;\nx = 1\n"),
            ("json", "{\n  \"a\": [1, 2],\n  \"b\": \"x = 1\"\n}\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(ours(code, lang), syntect_html(code, lang), "{lang}: {code}");
            }
        }
    }

    #[test]
    fn a_line_is_parsed_once_per_state() {
        let code = "let a = 1;\n".repeat(50);
        ours(&code, "rust");
        let parses = MEMO.with_borrow(|m| m.parses);
        ours(&code, "rust");
        assert_eq!(MEMO.with_borrow(|m| m.parses), parses, "a second pass parses nothing new");
    }

    #[test]
    fn long_lines_are_parsed_each_time_and_not_kept() {
        let code = format!("let s = \"{}\";\n", "x".repeat(LONGEST_KEPT));
        assert_eq!(ours(&code, "rust"), syntect_html(&code, "rust"));
        let (parses, kept) = MEMO.with_borrow(|m| (m.parses, m.lines.len()));
        assert_eq!(ours(&code, "rust"), syntect_html(&code, "rust"));
        assert_eq!(MEMO.with_borrow(|m| (m.parses, m.lines.len())), (parses + 1, kept));
    }
}
