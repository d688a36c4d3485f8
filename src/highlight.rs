//! Code highlighting at build time: syntect turns code into spans with CSS
//! classes, and the light and dark stylesheets are generated from the themes
//! named in `site.toml`. Token colours are nudged until they meet WCAG AA
//! contrast against the theme's background, so any theme passes an audit.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};
use syntect::highlighting::Theme;
use syntect::html::{css_for_theme_with_class_style, ClassStyle};
use syntect::parsing::SyntaxSet;

mod lines;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntect's defaults plus TOML, TypeScript, Dockerfile and more, from two-face.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Highlights code blocks, caching each by a hash of its language and text,
/// so a rebuild re-highlights only code that changed. The cache is bounded:
/// a full build of a large site would otherwise keep every block twice (here
/// and in the rendered page), and `serve` re-renders only the pages it must, so
/// it needs only the recent blocks.
#[derive(Clone)]
pub struct Highlighter {
    cache: Arc<RwLock<Cache>>,
}

/// Cached blocks and their total size; emptied when it would pass its budget.
#[derive(Default)]
struct Cache {
    blocks: HashMap<u64, Arc<str>>,
    bytes: usize,
    budget: usize,
}

/// Bytes of highlighted HTML the default cache holds before it starts afresh.
const DEFAULT_BUDGET: usize = 16 << 20;

impl Default for Highlighter {
    fn default() -> Self {
        Self::with_budget(DEFAULT_BUDGET)
    }
}

impl Highlighter {
    /// A highlighter whose cache holds at most `budget` bytes of HTML.
    pub fn with_budget(budget: usize) -> Self {
        Self { cache: Arc::new(RwLock::new(Cache { budget, ..Cache::default() })) }
    }

    /// Returns `<pre>` HTML for a code block. Unknown languages come back as escaped plain code.
    pub fn block(&self, lang: &str, code: &str) -> Arc<str> {
        let key = xxhash_rust::xxh3::xxh3_64(format!("{lang}\u{0}{code}").as_bytes());
        if let Some(hit) = self.cache.read().expect("cache lock").blocks.get(&key) {
            return hit.clone();
        }
        let html: Arc<str> = render_block(lang, code).into();
        let mut cache = self.cache.write().expect("cache lock");
        if cache.bytes + html.len() > cache.budget {
            cache.blocks.clear();
            cache.bytes = 0;
        }
        if html.len() <= cache.budget && cache.blocks.insert(key, html.clone()).is_none() {
            cache.bytes += html.len();
        }
        html
    }

    /// Number of distinct blocks held in the cache.
    pub fn cached(&self) -> usize {
        self.cache.read().expect("cache lock").blocks.len()
    }
}

fn render_block(lang: &str, code: &str) -> String {
    let lang_attr = crate::html::escape(lang);
    let syntax = if lang.is_empty() { None } else { SYNTAXES.find_syntax_by_token(lang) };
    let Some(syntax) = syntax else {
        let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{lang_attr}\"") };
        return format!("<pre class=\"code\" tabindex=\"0\"><code{class}>{}</code></pre>\n", crate::html::escape(code));
    };
    let Ok(spans) = lines::classed_html(code, syntax, &SYNTAXES, CLASS_STYLE) else {
        return format!("<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n", crate::html::escape(code));
    };
    format!(
        "<pre class=\"code hl-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{spans}</code></pre>\n"
    )
}

/// Names of the highlight themes a site may choose.
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names().iter().map(|n| n.as_name()).collect()
}

fn find_theme(name: &str) -> Option<&'static Theme> {
    static THEMES: LazyLock<two_face::theme::EmbeddedLazyThemeSet> = LazyLock::new(two_face::theme::extra);
    two_face::theme::EmbeddedLazyThemeSet::theme_names().iter().find(|n| n.as_name() == name).map(|n| THEMES.get(*n))
}

/// The stylesheet for code: light by default, dark under the system preference
/// (unless the reader chose light) and when the reader chose dark.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let unknown = |n: &str| format!("unknown highlight theme `{n}`; available: {}", theme_names().join(", "));
    let light_theme = find_theme(light).ok_or_else(|| unknown(light))?;
    let dark_theme = find_theme(dark).ok_or_else(|| unknown(dark))?;
    let light_css = theme_css(light_theme)?;
    let dark_css = theme_css(dark_theme)?;
    Ok(format!(
        "/* {light} */\n{}\n/* {dark} */\n@media (prefers-color-scheme: dark) {{\n{}}}\n{}",
        light_css,
        scope_rules(&dark_css, ":root:not([data-theme=light])"),
        scope_rules(&dark_css, ":root[data-theme=dark]"),
    ))
}

fn theme_css(theme: &Theme) -> Result<String, String> {
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|e| e.to_string())?;
    let bg = theme.settings.background.map_or((255, 255, 255), |c| (c.r, c.g, c.b));
    Ok(fix_contrast(&css, bg))
}

/// Prefixes every selector of a flat stylesheet with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let mut out = String::new();
    for rule in css.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else { continue };
        let selectors = strip_comments(selectors);
        let scoped: Vec<String> =
            selectors.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("{scope} {s}")).collect();
        if !scoped.is_empty() {
            out.push_str(&format!("{} {{{}}}\n", scoped.join(", "), body));
        }
    }
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Rewrites each `color: #rrggbb` so it has at least 4.6:1 contrast with `bg`.
fn fix_contrast(css: &str, bg: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let is_background = rest[..i].ends_with("background-");
        let start = i + "color: #".len();
        out.push_str(&rest[..start]);
        let hex: String = rest[start..].chars().take_while(char::is_ascii_hexdigit).collect();
        let fixed = match (is_background, parse_hex(&hex)) {
            (false, Some(fg)) => {
                let c = ensure_contrast(fg, bg, 4.6);
                format!("{:02x}{:02x}{:02x}", c.0, c.1, c.2)
            }
            _ => hex.clone(),
        };
        out.push_str(&fixed);
        rest = &rest[start + hex.len()..];
    }
    out.push_str(rest);
    out
}

fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = &hex.get(..6)?;
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn luminance(c: (u8, u8, u8)) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Moves `fg` towards black or white (whichever is further from `bg`) until the ratio is met.
fn ensure_contrast(fg: (u8, u8, u8), bg: (u8, u8, u8), ratio: f64) -> (u8, u8, u8) {
    if contrast(fg, bg) >= ratio {
        return fg;
    }
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut c = fg;
    for step in 1..=20 {
        let t = f64::from(step) / 20.0;
        let blend = |v: u8| (f64::from(v) * (1.0 - t) + target * t).round() as u8;
        c = (blend(fg.0), blend(fg.1), blend(fg.2));
        if contrast(c, bg) >= ratio {
            return c;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_language_is_escaped_plain_code() {
        let html = Highlighter::default().block("nosuchlang", "<b>&</b>");
        assert!(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{html}");
        assert!(!html.contains("hl-"), "{html}");
    }

    #[test]
    fn toml_typescript_and_dockerfile_are_known() {
        for lang in ["toml", "typescript", "ts", "dockerfile", "rust", "python", "sql", "yaml", "bash", "json"] {
            let html = Highlighter::default().block(lang, "x = 1\n");
            assert!(html.contains("hl-code"), "{lang}: {html}");
        }
    }

    #[test]
    fn the_cache_stays_within_its_budget() {
        let h = Highlighter::with_budget(4000);
        for i in 0..20 {
            h.block("rust", &format!("fn f{i}() {{}}\n"));
        }
        let cache = h.cache.read().unwrap();
        assert!(cache.bytes <= 4000, "{} bytes cached", cache.bytes);
        assert!(!cache.blocks.is_empty(), "recent blocks stay cached");
    }

    #[test]
    fn blocks_are_cached_by_content() {
        let h = Highlighter::default();
        h.block("rust", "fn main() {}\n");
        h.block("rust", "fn main() {}\n");
        assert_eq!(h.cached(), 1);
    }

    #[test]
    fn every_colour_meets_contrast() {
        let css = theme_css(find_theme("base16-ocean.dark").unwrap()).unwrap();
        assert!(css.contains(".hl-"), "{css}");
        let fixed = fix_contrast("a { color: #777777; }", (255, 255, 255));
        let hex: String = fixed.split('#').nth(1).unwrap().chars().take(6).collect();
        assert!(contrast(parse_hex(&hex).unwrap(), (255, 255, 255)) >= 4.5);
    }

    #[test]
    fn dark_rules_are_scoped() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains(":root[data-theme=dark] .hl-"), "{css}");
        assert!(stylesheet("nope", "base16-ocean.dark").is_err());
    }
}
