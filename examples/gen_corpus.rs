//! The benchmark corpus: a synthetic learning site of N lessons spread over six
//! areas, written in the layout of `learn`, Hugo or mdBook, so that each tool
//! builds the same lessons in one benchmark run. The scripts under `scripts/`
//! (`bench`, `bench-serve`, `bench-search`) use it.
//!
//! Usage: cargo run --release --example gen_corpus -- --n 10000 --layout learn|hugo|mdbook --out DIR
//!        [--seed 42] [--stats]
//!
//! Same arguments, same bytes: the text comes from a small PRNG of its own,
//! seeded per lesson, so lesson i depends only on the seed and i, and on N only
//! through the two lessons it links to.
//!
//! Each lesson has front matter (title, weight, summary, tags and a
//! three-question quiz in the `learn` format), about 750 words of markdown with
//! h2 and h3 headings, two lists, a table, two links to other lessons and two
//! fenced code blocks (python, sql, rust, json, yaml or bash). The code mixes
//! lines every lesson shares (imports, closing braces, the same loop) with
//! lines that vary, so syntax highlighting meets repeated lines about as often
//! as in a real course. The `learn` layout has `content/` only: pair it with a
//! `site.toml` (the benchmarks copy the repository's own). `--stats` prints the
//! words a lesson has and the share of code lines that repeat an earlier one.
//!
//! DIR must be missing, empty, or a corpus this program wrote (it leaves a
//! `.gen_corpus` file there); it is replaced.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::exit;

const AREAS: [(&str, &str); 6] = [
    ("foundations", "Computing Foundations"),
    ("programming", "Programming Practice"),
    ("data", "Data and Databases"),
    ("systems", "Systems and Infrastructure"),
    ("delivery", "Delivery and Operations"),
    ("security", "Security and Reliability"),
];

const LANGS: [&str; 6] = ["python", "sql", "rust", "json", "yaml", "bash"];

/// Subjects of lessons, tags and identifiers in code. The search benchmark's
/// queries use some of them (checkpoint, replica, rollback, scheduler...).
#[rustfmt::skip]
const TOPICS: [&str; 70] = [
    "allocator", "alert", "backup", "benchmark", "branch", "buffer", "cache", "certificate", "checkpoint",
    "closure", "cluster", "commit", "compiler", "consensus", "container", "cursor", "daemon", "deployment",
    "encoding", "endpoint", "failover", "feature", "fixture", "generator", "graph", "handler", "hash", "heap",
    "incident", "index", "interface", "iterator", "journal", "kernel", "latency", "lease", "lexer", "lock",
    "metric", "middleware", "migration", "module", "mutex", "namespace", "packet", "parser", "partition",
    "payload", "pipeline", "policy", "pool", "protocol", "queue", "quota", "release", "replica", "retry",
    "rollback", "route", "runtime", "schema", "scheduler", "session", "shard", "snapshot", "socket", "stream",
    "thread", "token", "transaction",
];

#[rustfmt::skip]
const NOUNS: [&str; 46] = [
    "system", "service", "team", "request", "response", "value", "record", "table", "file", "function",
    "variable", "option", "result", "error", "boundary", "resource", "client", "server", "user", "operator",
    "engineer", "design", "change", "failure", "budget", "limit", "example", "exercise", "reader", "student",
    "course", "lesson", "concept", "tool", "workflow", "decision", "constraint", "signal", "version", "format",
    "structure", "layer", "component", "dependency", "owner", "deadline",
];

#[rustfmt::skip]
const VERBS: [&str; 32] = [
    "handles", "stores", "returns", "checks", "reads", "writes", "splits", "joins", "tracks", "shrinks",
    "grows", "guards", "exposes", "hides", "measures", "names", "controls", "plans", "repeats", "keeps",
    "encodes", "parses", "compares", "settles", "refuses", "accepts", "records", "simplifies", "tangles",
    "replaces", "extends", "bounds",
];

#[rustfmt::skip]
const ADJS: [&str; 34] = [
    "small", "large", "fast", "slow", "stable", "fragile", "simple", "complex", "explicit", "implicit",
    "shared", "private", "remote", "local", "durable", "temporary", "consistent", "eventual", "strict",
    "lenient", "careful", "naive", "robust", "predictable", "costly", "cheap", "common", "rare", "concurrent",
    "sequential", "nested", "flat", "typed", "dynamic",
];

#[rustfmt::skip]
const ADVERBS: [&str; 10] = [
    "usually", "often", "rarely", "always", "sometimes", "carefully", "quickly", "eventually", "openly",
    "quietly",
];

#[rustfmt::skip]
const LINKERS: [&str; 10] = [
    "because", "when", "although", "unless", "while", "so that", "before", "after", "until", "since",
];

#[rustfmt::skip]
const OPENERS: [&str; 10] = [
    "In practice,", "For example,", "As a rule,", "In most cases,", "At first,", "Later on,", "By contrast,",
    "In this lesson,", "Over time,", "Most of the time,",
];

#[rustfmt::skip]
const TITLE_ENDS: [&str; 10] = [
    "Fundamentals", "in Practice", "Deep Dive", "Essentials", "Patterns", "Pitfalls", "Walkthrough", "Basics",
    "Trade-offs", "Workshop",
];

/// SplitMix64, seeded from an FNV-1a hash of a label: small, fast and the same
/// on every platform, which is all a corpus needs.
struct Rng(u64);

impl Rng {
    fn new(label: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n below 2^32).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `k` different items, in the order drawn.
    fn several<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::with_capacity(k);
        while out.len() < k {
            let item = self.pick(items);
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Emphasis, strong emphasis or code on a word now and then.
fn marked(rng: &mut Rng, word: &str, plain: bool) -> String {
    if plain {
        return word.to_string();
    }
    match rng.below(100) {
        0..=3 => format!("*{word}*"),
        4..=5 => format!("**{word}**"),
        6..=7 => format!("`{word}`"),
        _ => word.to_string(),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn sentence(rng: &mut Rng, plain: bool) -> String {
    let mut w: Vec<String> = Vec::new();
    if rng.chance(30) {
        w.extend(rng.pick(&OPENERS).split(' ').map(str::to_string));
    }
    let (adj, noun, verb, object) = (rng.pick(&ADJS), rng.pick(&NOUNS), rng.pick(&VERBS), rng.pick(&TOPICS));
    match rng.below(4) {
        0 => w.extend(["the".into(), marked(rng, adj, plain), marked(rng, noun, plain), verb.into(), "the".into()]),
        1 => w.extend([
            article(adj).into(),
            marked(rng, adj, plain),
            marked(rng, noun, plain),
            verb.into(),
            "each".into(),
        ]),
        2 => w.extend(["every".into(), marked(rng, noun, plain), verb.into(), "the".into(), adj.into()]),
        _ => w.extend(["the".into(), marked(rng, noun, plain), verb.into(), article(adj).into(), adj.into()]),
    }
    w.push(marked(rng, object, plain));
    if rng.chance(60) {
        w.extend(rng.pick(&LINKERS).split(' ').map(str::to_string));
        let (adj, noun) = (rng.pick(&ADJS), rng.pick(&NOUNS));
        w.extend([
            article(adj).into(),
            adj.into(),
            marked(rng, noun, plain),
            rng.pick(&ADVERBS).into(),
            rng.pick(&VERBS).into(),
        ]);
        w.push("it".into());
    }
    if rng.chance(40) {
        let (verb, adj, topic) = (rng.pick(&VERBS), rng.pick(&ADJS), rng.pick(&TOPICS));
        w.extend(["and".into(), verb.into(), "the".into(), adj.into(), marked(rng, topic, plain)]);
    }
    // The first word starts with a capital, inside any markup.
    let first = &mut w[0];
    *first = match first.find(|c: char| c.is_alphabetic()) {
        Some(at) => format!("{}{}", &first[..at], capitalise(&first[at..])),
        None => first.clone(),
    };
    w.join(" ") + "."
}

fn paragraph(rng: &mut Rng, target: usize, plain: bool) -> String {
    let mut out = String::new();
    while words(&out) < target {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence(rng, plain));
    }
    out
}

// ------------------------------------------------------------------ code

/// A code block of about `lines` lines: the head and the tail always, and as
/// many of the middle groups (each kept whole, so the code stays well formed)
/// as fit.
fn assemble(lines: usize, head: Vec<String>, middle: Vec<Vec<String>>, tail: Vec<String>) -> Vec<String> {
    let mut out = head;
    for group in middle {
        if out.len() + group.len() + tail.len() > lines {
            break;
        }
        out.extend(group);
    }
    out.extend(tail);
    out
}

macro_rules! lines {
    ($($line:expr),* $(,)?) => { vec![$($line.to_string()),*] };
}

fn code_python(rng: &mut Rng, n: usize) -> Vec<String> {
    let (adj, topic, noun) = (rng.pick(&ADJS), rng.pick(&TOPICS), rng.pick(&NOUNS));
    let name = format!("{adj}_{topic}s");
    let limit = rng.between(3, 99);
    let modulo = rng.between(2, 7);
    let doc = sentence(rng, true);
    let comment = sentence(rng, true);
    let head = lines![
        "import json",
        "from pathlib import Path",
        "",
        "",
        format!("def {name}({topic}s, limit={limit}):"),
        format!("    \"\"\"{doc}\"\"\""),
        "    counts = {}",
    ];
    let middle = vec![
        lines![
            format!("    for {topic} in {topic}s:"),
            format!("        key = {topic}.get(\"{noun}\", 0)"),
            "        if key > limit:",
            "            continue",
            "        counts[key] = counts.get(key, 0) + 1",
        ],
        lines![format!("    kept = [k for k, v in counts.items() if v % {modulo} == 0]")],
        lines![format!("    print(f\"{name}: {{len(counts)}} keys\")")],
        lines!["    if not counts:", format!("        raise ValueError(\"no {topic} passed\")")],
        lines![format!("    path = Path(\"{topic}s.json\")"), "    path.write_text(json.dumps(counts))"],
        lines![format!("    # {comment}")],
    ];
    assemble(n, head, middle, lines!["    return counts"])
}

fn code_sql(rng: &mut Rng, n: usize) -> Vec<String> {
    let (topic, noun, adj) = (rng.pick(&TOPICS), rng.pick(&NOUNS), rng.pick(&ADJS));
    let month = rng.between(1, 12);
    let (least, limit) = (rng.between(1, 50), rng.between(5, 100));
    let comment = sentence(rng, true);
    let head = lines![
        format!("-- {comment}"),
        format!("CREATE TABLE {topic}s ("),
        "    id INTEGER PRIMARY KEY,",
        "    name TEXT NOT NULL,",
        format!("    {noun}_id INTEGER REFERENCES {noun}s (id),"),
        "    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP",
        ");",
        "",
        "SELECT t.name, COUNT(*) AS total",
        format!("FROM {topic}s AS t"),
    ];
    let middle = vec![
        lines![format!("JOIN {noun}s AS n ON n.id = t.{noun}_id")],
        lines![format!("WHERE t.created_at >= DATE '2024-{month:02}-01'")],
        lines![format!("  AND n.name LIKE '%{adj}%'")],
        lines!["GROUP BY t.name"],
        lines![format!("HAVING COUNT(*) > {least}")],
        lines!["ORDER BY total DESC"],
        lines![format!("LIMIT {limit}")],
    ];
    let mut out = assemble(n - 3, head, middle, vec![]);
    if let Some(last) = out.last_mut() {
        last.push(';');
    }
    out.extend(lines!["", format!("CREATE INDEX {topic}s_by_name ON {topic}s (name);")]);
    if out.len() < n {
        out.push(format!("DELETE FROM {topic}s WHERE id < {};", rng.between(10, 999)));
    }
    out
}

fn code_rust(rng: &mut Rng, n: usize) -> Vec<String> {
    let (adj, topic) = (rng.pick(&ADJS), rng.pick(&TOPICS));
    let ty = capitalise(topic);
    let floor = rng.between(0, 9);
    let comment = sentence(rng, true);
    let head = lines![
        "use std::collections::BTreeMap;",
        "",
        "#[derive(Debug, Clone, PartialEq)]",
        format!("pub struct {ty} {{"),
        "    pub name: String,",
        "    pub weight: u32,",
        "}",
        "",
        format!("pub fn {adj}_{topic}s(items: &[{ty}]) -> BTreeMap<&str, u32> {{"),
        "    let mut totals = BTreeMap::new();",
    ];
    let middle = vec![
        lines![
            format!("    for item in items.iter().filter(|i| i.weight >= {floor}) {{"),
            "        *totals.entry(item.name.as_str()).or_insert(0) += item.weight;",
            "    }",
        ],
        lines!["    if totals.is_empty() {", format!("        eprintln!(\"no {topic} above {floor}\");"), "    }"],
        lines![format!("    // {comment}")],
    ];
    assemble(n, head, middle, lines!["    totals", "}"])
}

fn code_json(rng: &mut Rng, n: usize) -> Vec<String> {
    let (adj, topic, noun) = (rng.pick(&ADJS), rng.pick(&TOPICS), rng.pick(&NOUNS));
    let version = format!("{}.{}.{}", rng.between(0, 3), rng.between(0, 20), rng.between(0, 9));
    let private = if rng.chance(50) { "true" } else { "false" };
    let mut out = lines![
        "{",
        format!("  \"name\": \"{adj}-{topic}\","),
        format!("  \"version\": \"{version}\","),
        format!("  \"private\": {private},"),
        format!("  \"{noun}\": {{ \"retries\": {}, \"mode\": \"{}\" }},", rng.between(0, 5), rng.pick(&ADJS)),
        "  \"owners\": [",
    ];
    let owners = n.saturating_sub(out.len() + 3).max(2);
    for k in 0..owners {
        let (team, id, on_call) =
            (rng.pick(&NOUNS), rng.between(1, 999), if rng.chance(50) { "true" } else { "false" });
        let comma = if k + 1 < owners { "," } else { "" };
        out.push(format!("    {{ \"team\": \"{team}\", \"id\": {id}, \"on_call\": {on_call} }}{comma}"));
    }
    out.extend(lines!["  ],", "  \"archived\": null", "}"]);
    out
}

fn code_yaml(rng: &mut Rng, n: usize) -> Vec<String> {
    let (adj, topic, noun) = (rng.pick(&ADJS), rng.pick(&TOPICS), rng.pick(&NOUNS));
    let minutes = rng.between(5, 60);
    let comment = sentence(rng, true);
    let mut out = lines![
        format!("# {comment}"),
        format!("name: {adj}-{topic}"),
        "on:",
        "  push:",
        "    branches: [main]",
        "jobs:",
        format!("  {topic}:"),
        "    runs-on: ubuntu-latest",
        format!("    timeout-minutes: {minutes}"),
        "    env:",
    ];
    for _ in 0..n.saturating_sub(out.len() + 3).max(2) {
        let (adj, topic) = (rng.pick(&ADJS), rng.pick(&TOPICS));
        out.push(format!("      {}_{}: \"{}\"", adj.to_uppercase(), topic.to_uppercase(), rng.pick(&ADJS)));
    }
    out.extend(lines!["    steps:", "      - uses: actions/checkout@v4", format!("      - run: make {noun}")]);
    out
}

fn code_bash(rng: &mut Rng, n: usize) -> Vec<String> {
    let (topic, noun) = (rng.pick(&TOPICS), rng.pick(&NOUNS));
    let most = rng.between(1, 50);
    let comment = sentence(rng, true);
    let head = lines![
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        format!("# {comment}"),
        format!("dir=${{1:-/var/lib/{topic}}}"),
        "count=0",
        format!("for f in \"$dir\"/*.{topic}; do"),
        "  [ -e \"$f\" ] || continue",
        "  count=$((count + 1))",
    ];
    let middle = vec![
        lines![format!("  grep -c \"{noun}\" \"$f\" || true")],
        lines!["  wc -l < \"$f\""],
        lines!["done", "echo \"checked $count files in $dir\""],
        lines![format!("if [ \"$count\" -gt {most} ]; then"), format!("  tar czf \"/tmp/{topic}.tgz\" \"$dir\""), "fi"],
        lines!["exit 0"],
    ];
    let mut out = assemble(n, head, middle, vec![]);
    if !out.iter().any(|l| l == "done") {
        out.push("done".into());
    }
    out
}

fn code_block(rng: &mut Rng, lang: &str) -> String {
    let n = rng.between(10, 20);
    let lines = match lang {
        "python" => code_python(rng, n),
        "sql" => code_sql(rng, n),
        "rust" => code_rust(rng, n),
        "json" => code_json(rng, n),
        "yaml" => code_yaml(rng, n),
        _ => code_bash(rng, n),
    };
    format!("```{lang}\n{}\n```", lines.join("\n"))
}

// ------------------------------------------------------------------ lessons

struct Lesson {
    area: usize,
    slug: String,
    title: String,
    weight: usize,
    summary: String,
    tags: Vec<String>,
    quiz: Vec<Question>,
    links: Vec<usize>,
}

struct Question {
    prompt: String,
    choices: Vec<String>,
    answer: usize,
    explanation: String,
}

fn lessons(n: usize, seed: &str) -> Vec<Lesson> {
    let mut per_area = [0; AREAS.len()];
    (0..n)
        .map(|i| {
            let mut rng = Rng::new(&format!("{seed}:lesson:{i}"));
            let area = i % AREAS.len();
            per_area[area] += 1;
            let pair = rng.several(&TOPICS, 2);
            let title = format!("{} {} {}", capitalise(pair[0]), capitalise(pair[1]), rng.pick(&TITLE_ENDS));
            let summary = paragraph(&mut rng, 18, true);
            let mut tags: Vec<String> = rng.several(&TOPICS, 3).into_iter().map(str::to_string).collect();
            tags.push(AREAS[area].0.to_string());
            tags.sort();
            tags.dedup();
            let quiz = (0..3)
                .map(|_| {
                    let prompt = format!("Which {} {} the {}?", rng.pick(&NOUNS), rng.pick(&VERBS), pair[0]);
                    let mut choices: Vec<String> = Vec::new();
                    while choices.len() < 4 {
                        let choice = format!("The {} {}", rng.pick(&ADJS), rng.pick(&NOUNS));
                        if !choices.contains(&choice) {
                            choices.push(choice);
                        }
                    }
                    Question { prompt, choices, answer: rng.below(4), explanation: paragraph(&mut rng, 14, true) }
                })
                .collect();
            // The links depend on n: a stream of their own keeps the rest of the lesson from depending on it.
            let mut pick = Rng::new(&format!("{seed}:links:{i}"));
            let mut links = Vec::new();
            while links.len() < 2.min(n - 1) {
                let j = pick.below(n);
                if j != i && !links.contains(&j) {
                    links.push(j);
                }
            }
            links.sort();
            Lesson {
                area,
                slug: format!("l{:05}-{}-{}", i + 1, pair[0], pair[1]),
                title,
                weight: per_area[area],
                summary,
                tags,
                quiz,
                links,
            }
        })
        .collect()
}

/// The lesson's markdown after its front matter (and its h1, for mdBook).
fn body(seed: &str, index: usize, all: &[Lesson], link: &dyn Fn(&Lesson) -> String) -> String {
    let lesson = &all[index];
    let mut rng = Rng::new(&format!("{seed}:body:{index}"));
    let target = rng.between(650, 800);
    let first = LANGS[index % LANGS.len()];
    let second = LANGS[(index + 1 + index / LANGS.len() % (LANGS.len() - 1)) % LANGS.len()];
    let subject = lesson.title.split(' ').next().unwrap_or_default().to_lowercase();

    let ideas: Vec<String> = (0..rng.between(4, 6)).map(|_| format!("- {}", sentence(&mut rng, false))).collect();
    let mut table = vec!["| Concept | When to use | Cost | Notes |".to_string(), "|---|---|--:|---|".to_string()];
    for _ in 0..rng.between(4, 6) {
        let (topic, adj, noun) = (rng.pick(&TOPICS), rng.pick(&ADJS), rng.pick(&NOUNS));
        let cost = rng.between(1, 500);
        let (adj2, noun2) = (rng.pick(&ADJS), rng.pick(&NOUNS));
        table.push(format!("| {topic} | {adj} {noun} | {cost} | {adj2} {noun2} |"));
    }
    let checks: Vec<String> = (0..rng.between(3, 5))
        .enumerate()
        .map(|(k, _)| format!("{}. **{}**: {}", k + 1, rng.pick(&TOPICS), sentence(&mut rng, false)))
        .collect();
    let links: Vec<String> = lesson.links.iter().map(|&j| format!("[{}]({})", all[j].title, link(&all[j]))).collect();
    let related = match links.as_slice() {
        [] => String::new(),
        [one] => format!("Before going further, read {one} again; it uses the *same* {} differently.", rng.pick(&NOUNS)),
        [one, two, ..] => format!(
            "Before going further, read {one} again and compare it with {two}: both use the *same* {} in different ways.",
            rng.pick(&NOUNS)
        ),
    };
    let fixed: usize =
        ideas.iter().chain(&table).chain(&checks).map(|l| words(l)).sum::<usize>() + words(&related) + 30;
    let per = target.saturating_sub(fixed).max(280) / 7;

    let parts = [
        paragraph(&mut rng, per, false),
        format!("## Why {subject} matters"),
        paragraph(&mut rng, per, false),
        "### Key ideas".into(),
        ideas.join("\n"),
        paragraph(&mut rng, per, false),
        "## A worked example".into(),
        paragraph(&mut rng, per / 2, false),
        code_block(&mut rng, first),
        paragraph(&mut rng, per / 2, false),
        "### Weighing the options".into(),
        table.join("\n"),
        paragraph(&mut rng, per, false),
        "## Related lessons".into(),
        related,
        paragraph(&mut rng, per / 2, false),
        "## Try it yourself".into(),
        paragraph(&mut rng, per / 2, false),
        code_block(&mut rng, second),
        "### Before you move on".into(),
        checks.join("\n"),
        "## In short".into(),
        paragraph(&mut rng, per, false),
    ];
    let mut out = parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n");
    out.push('\n');
    out
}

/// A double-quoted scalar, the same in YAML and TOML.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// YAML front matter in the `learn` format (Hugo keeps it as page parameters).
fn front_matter(lesson: &Lesson) -> String {
    let mut out = String::from("---\n");
    let tags: Vec<String> = lesson.tags.iter().map(|t| quoted(t)).collect();
    let _ = writeln!(out, "title: {}", quoted(&lesson.title));
    let _ = writeln!(out, "weight: {}", lesson.weight);
    let _ = writeln!(out, "summary: {}", quoted(&lesson.summary));
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    out.push_str("quiz:\n");
    for (k, q) in lesson.quiz.iter().enumerate() {
        let _ = writeln!(out, "  - id: {}", quoted(&format!("{}-q{}", lesson.slug, k + 1)));
        out.push_str("    type: single\n");
        let _ = writeln!(out, "    prompt: {}", quoted(&q.prompt));
        out.push_str("    choices:\n");
        for (j, choice) in q.choices.iter().enumerate() {
            let _ = writeln!(out, "      - text: {}", quoted(choice));
            if j == q.answer {
                out.push_str("        correct: true\n");
            }
        }
        let _ = writeln!(out, "    explanation: {}", quoted(&q.explanation));
    }
    out.push_str("---\n\n");
    out
}

fn area_intro(seed: &str, area: usize) -> String {
    paragraph(&mut Rng::new(&format!("{seed}:area:{area}")), 60, false) + "\n"
}

fn area_front(area: usize) -> String {
    let (_, title) = AREAS[area];
    format!(
        "---\ntitle: {}\nweight: {}\nsummary: {}\n---\n\n",
        quoted(title),
        area + 1,
        quoted(&format!("Lessons in {title}."))
    )
}

// ------------------------------------------------------------------ layouts

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
title = "Learn"
languageCode = "en"
disableKinds = ["taxonomy", "term"]

[markup.highlight]
codeFences = true
noClasses = false
guessSyntax = false
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="/syntax.css"></head>
<body>{{ block "main" . }}{{ end }}</body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages.ByWeight }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Params.summary }}</li>{{ end }}</ul>
{{ end }}
"#;

const MDBOOK_CONFIG: &str = r#"[book]
title = "Learn"
authors = ["gen_corpus"]
language = "en"
src = "src"

[output.html]

[output.html.search]
enable = true
"#;

/// The files of the corpus in `layout`, as (path under DIR, text).
fn files(layout: &str, n: usize, seed: &str) -> Vec<(PathBuf, String)> {
    let all = lessons(n, seed);
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    let learn_dir = |area: usize| format!("{:02}-{}", area + 1, AREAS[area].0);
    match layout {
        "learn" => {
            let home = format!("---\ntitle: {}\n---\n\n{}", quoted("Benchmark curriculum"), area_intro(seed, 99));
            out.push(("content/_index.md".into(), home));
            for area in 0..AREAS.len() {
                out.push((
                    format!("content/{}/_index.md", learn_dir(area)).into(),
                    area_front(area) + &area_intro(seed, area),
                ));
            }
            let link = |to: &Lesson| format!("../{}/{}.md", learn_dir(to.area), to.slug);
            for (i, l) in all.iter().enumerate() {
                let text = front_matter(l) + &body(seed, i, &all, &link);
                out.push((format!("content/{}/{}.md", learn_dir(l.area), l.slug).into(), text));
            }
        }
        "hugo" => {
            out.push(("hugo.toml".into(), HUGO_CONFIG.into()));
            out.push(("layouts/_default/baseof.html".into(), HUGO_BASEOF.into()));
            out.push(("layouts/_default/single.html".into(), HUGO_SINGLE.into()));
            out.push(("layouts/_default/list.html".into(), HUGO_LIST.into()));
            out.push(("content/_index.md".into(), format!("---\ntitle: {}\n---\n", quoted("Learn"))));
            for (area, (dir, _)) in AREAS.iter().enumerate() {
                out.push((format!("content/{dir}/_index.md").into(), area_front(area) + &area_intro(seed, area)));
            }
            let link = |to: &Lesson| format!("{{{{< relref \"/{}/{}.md\" >}}}}", AREAS[to.area].0, to.slug);
            for (i, l) in all.iter().enumerate() {
                let text = front_matter(l) + &body(seed, i, &all, &link);
                out.push((format!("content/{}/{}.md", AREAS[l.area].0, l.slug).into(), text));
            }
        }
        _ => {
            out.push(("book.toml".into(), MDBOOK_CONFIG.into()));
            out.push(("src/README.md".into(), format!("# Learn\n\n{}", area_intro(seed, 99))));
            let mut summary = String::from("# Summary\n\n[Introduction](README.md)\n\n");
            for (area, (dir, title)) in AREAS.iter().enumerate() {
                out.push((format!("src/{dir}/README.md").into(), format!("# {title}\n\n{}", area_intro(seed, area))));
                let _ = writeln!(summary, "- [{title}]({dir}/README.md)");
                for l in all.iter().filter(|l| l.area == area) {
                    let _ = writeln!(summary, "  - [{}]({dir}/{}.md)", l.title, l.slug);
                }
            }
            out.push(("src/SUMMARY.md".into(), summary));
            let link = |to: &Lesson| format!("../{}/{}.md", AREAS[to.area].0, to.slug);
            for (i, l) in all.iter().enumerate() {
                let text = format!("# {}\n\n{}", l.title, body(seed, i, &all, &link));
                out.push((format!("src/{}/{}.md", AREAS[l.area].0, l.slug).into(), text));
            }
        }
    }
    out
}

/// Words of prose a lesson has, and of its code lines, how many repeat a line
/// of the same language met earlier in the corpus (what the highlighter's
/// line memo can replay instead of parsing).
fn stats(n: usize, seed: &str) -> String {
    let all = lessons(n, seed);
    let (mut prose, mut code, mut repeated) = (Vec::new(), 0, 0);
    let mut seen = HashSet::new();
    for i in 0..n {
        let text = body(seed, i, &all, &|_| "x.md".into());
        let (mut lang, mut count) = (None, 0);
        for line in text.lines() {
            if let Some(info) = line.strip_prefix("```") {
                lang = if lang.is_some() { None } else { Some(info.to_string()) };
            } else if let Some(lang) = &lang {
                code += 1;
                if !seen.insert((lang.clone(), line.to_string())) {
                    repeated += 1;
                }
            } else {
                count += words(line);
            }
        }
        prose.push(count);
    }
    let mean = prose.iter().sum::<usize>() as f64 / n.max(1) as f64;
    format!(
        "{n} lessons: prose words a lesson {}..{} (mean {mean:.0}); code lines {code}, {repeated} ({:.1} %) repeat an earlier line",
        prose.iter().min().unwrap_or(&0),
        prose.iter().max().unwrap_or(&0),
        100.0 * repeated as f64 / code.max(1) as f64
    )
}

/// Empties `out`, if it is empty or a corpus written here; refuses anything else.
fn prepare(out: &Path) -> Result<(), String> {
    match std::fs::read_dir(out) {
        Err(_) => {}
        Ok(mut entries) => {
            if entries.next().is_some() {
                if !out.join(".gen_corpus").exists() {
                    return Err(format!(
                        "{} is not empty and was not written by gen_corpus; not replacing it",
                        out.display()
                    ));
                }
                std::fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    std::fs::write(out.join(".gen_corpus"), "written by examples/gen_corpus.rs\n").map_err(|e| e.to_string())
}

fn write(out: &Path, files: &[(PathBuf, String)]) -> Result<(), String> {
    let mut made: HashSet<PathBuf> = HashSet::new();
    for (path, text) in files {
        let path = out.join(path);
        if let Some(dir) = path.parent() {
            if made.insert(dir.to_path_buf()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

const USAGE: &str = "usage: gen_corpus --n N --layout learn|hugo|mdbook --out DIR [--seed 42] [--stats]";

fn main() {
    let (mut n, mut layout, mut out, mut seed, mut show_stats) = (None, None, None, "42".to_string(), false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--n" => n = Some(value().parse::<usize>().unwrap_or_else(|_| fail("--n takes a number of lessons"))),
            "--layout" => layout = Some(value()),
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => seed = value(),
            "--stats" => show_stats = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return;
            }
            _ => fail(&format!("unknown argument {arg}")),
        }
    }
    let (Some(n), Some(layout), Some(out)) = (n, layout, out) else { fail("--n, --layout and --out are required") };
    if !["learn", "hugo", "mdbook"].contains(&layout.as_str()) {
        fail("--layout is learn, hugo or mdbook");
    }
    if n == 0 {
        fail("--n must be at least 1");
    }
    let files = files(&layout, n, &seed);
    if let Err(e) = prepare(&out).and_then(|()| write(&out, &files)) {
        eprintln!("gen_corpus: {e}");
        exit(1);
    }
    println!("{n} lessons in the {layout} layout in {}", out.display());
    if show_stats {
        eprintln!("{}", stats(n, &seed));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("gen_corpus: {message}\n{USAGE}");
    exit(2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_a_valid_shape() {
        let a = files("learn", 12, "7");
        let b = files("learn", 12, "7");
        assert_eq!(a, b);
        assert_ne!(a, files("learn", 12, "8"));
        // The home page and six area pages come first, then lesson 1.
        let (path, lesson) = &a[7];
        assert!(path.to_string_lossy().starts_with("content/01-foundations/l00001-"), "{path:?}");
        assert_eq!(lesson.matches("```").count(), 4, "two code blocks");
        assert_eq!(lesson.matches("correct: true").count(), 3, "three questions, one answer each");
        assert!(lesson.contains("\n## ") && lesson.contains("\n### ") && lesson.contains("\n|---|"));
        assert_eq!(lesson.matches("](../").count(), 2, "two links");
    }
}
