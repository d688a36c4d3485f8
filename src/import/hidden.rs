//! Hidden code lines: mdBook hides `# `-prefixed lines of Rust code blocks
//! (rustdoc's rule; `##` stands for a literal `#`) and lines starting with a
//! prefix set per language in `output.html.code.hidelines`. learn has no
//! toggle to show them, so they are dropped, leaving what a reader saw.

use std::collections::BTreeMap;

/// Drops hidden lines from the code blocks of `text`.
pub fn drop_hidden(text: &str, hidelines: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize, Option<Rule<'_>>)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let run = |c: char| trimmed.chars().take_while(|x| *x == c).count();
        match &fence {
            None => {
                let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
                if let Some(c) = c.filter(|&c| run(c) >= 3) {
                    let info = trimmed[run(c)..].trim();
                    fence = Some((c, run(c), rule_for(info, hidelines)));
                }
            }
            Some((c, len, rule)) => {
                if run(*c) >= *len && trimmed[run(*c)..].trim().is_empty() {
                    fence = None;
                } else if let Some(rule) = rule {
                    match rule.apply(line) {
                        Shown::Hidden => continue,
                        Shown::Unescaped(l) => {
                            out.push_str(&l);
                            continue;
                        }
                        Shown::AsIs => {}
                    }
                }
            }
        }
        out.push_str(line);
    }
    out
}

/// How a code block's lines are hidden.
#[derive(Debug, Clone, Copy)]
enum Rule<'a> {
    Rust,
    Prefix(&'a str),
}

enum Shown {
    Hidden,
    Unescaped(String),
    AsIs,
}

fn rule_for<'a>(info: &str, hidelines: &'a BTreeMap<String, String>) -> Option<Rule<'a>> {
    let lang = info.split(|c: char| c == ',' || c.is_whitespace()).next().unwrap_or("");
    match hidelines.get(lang) {
        Some(prefix) => Some(Rule::Prefix(prefix)),
        None if lang == "rust" => Some(Rule::Rust),
        None => None,
    }
}

impl Rule<'_> {
    fn apply(self, line: &str) -> Shown {
        let body = line.trim_start();
        let bare = body.trim_end_matches(['\n', '\r']);
        match self {
            Rule::Rust if body.starts_with("##") => {
                let indent = &line[..line.len() - body.len()];
                Shown::Unescaped(format!("{indent}{}", &body[1..]))
            }
            Rule::Rust if body.starts_with("# ") || bare == "#" => Shown::Hidden,
            Rule::Prefix(p) if body.starts_with(p) => Shown::Hidden,
            _ => Shown::AsIs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_blocks_lose_hidden_lines_others_keep_them() {
        let text = "# Title\n```rust,ignore\n# fn main() {\n    let x = 1;\n    ## not hidden\n#\n#[derive(Debug)]\n# }\n```\n\n```bash\n# comment\n```\n";
        let expected = "# Title\n```rust,ignore\n    let x = 1;\n    # not hidden\n#[derive(Debug)]\n```\n\n```bash\n# comment\n```\n";
        assert_eq!(drop_hidden(text, &BTreeMap::new()), expected);
    }

    #[test]
    fn configured_prefixes_hide_lines_of_their_language() {
        let mut rules = BTreeMap::new();
        rules.insert("python".to_string(), "~".to_string());
        let text = "~~~~python\n~hidden\nshown\n~~~~\n";
        assert_eq!(drop_hidden(text, &rules), "~~~~python\nshown\n~~~~\n");
    }
}
