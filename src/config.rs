//! `site.toml`: one serde struct per table, unknown keys rejected, and every
//! error reported with its line and column. Nothing else reads the file.

use crate::diag::{Code, Diagnostic, Pos};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header and the `<title>` of every page.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Full URL the site is published at; its path is the sub-path the site lives under.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub highlight: HighlightConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub quiz: QuizConfig,
    #[serde(default)]
    pub links: LinksConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub offline: OfflineConfig,
}

/// `[links]`: what a link to a missing target is, and which links are
/// treated before they are checked (after Zola's link checker).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksConfig {
    /// A link to a missing file or anchor: an error (the default) or a warning.
    #[serde(default)]
    pub missing: Missing,
    /// Glob patterns (`*` within a path segment, `**` across them) of link
    /// targets left as written and not checked.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Prefix → replacement, applied to a link as written before it is checked;
    /// the longest matching prefix wins.
    #[serde(default)]
    pub rewrite: std::collections::BTreeMap<String, String>,
}

/// What a link to a missing target is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    #[default]
    Error,
    Warn,
}

/// `[markdown]`: pulldown-cmark extensions that are a matter of taste.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Straight quotes to curly ones, `--` and `---` to dashes, `...` to an ellipsis.
    #[serde(default)]
    pub smart_punctuation: bool,
    /// `Term` followed by `: definition` lines becomes a `<dl>`.
    #[serde(default = "yes")]
    pub definition_lists: bool,
    /// `[^1]` references and `[^1]: text` definitions become numbered footnotes.
    #[serde(default = "yes")]
    pub footnotes: bool,
    /// `$...$` and `$$...$$` become MathML at build time.
    #[serde(default = "yes")]
    pub math: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        Self { smart_punctuation: false, definition_lists: true, footnotes: true, math: true }
    }
}

/// `[highlight]`: syntect theme names for the light and dark code styles.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    #[serde(default = "default_light")]
    pub light: String,
    #[serde(default = "default_dark")]
    pub dark: String,
}

/// `[search]`: whether to build the search index and what goes in it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Quiz prompts are searchable (answers never are).
    #[serde(default = "yes")]
    pub include_quiz_prompts: bool,
}

/// `[quiz]`: how quizzes behave in the browser.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizConfig {
    /// Show each question's answer in a `<details>` so it reads well without JavaScript.
    #[serde(default = "yes")]
    pub answers_without_js: bool,
    /// Show the choices of `single` and `multiple` questions in a random order
    /// per learner and attempt (a question can pin its order with `shuffle: false`).
    #[serde(default = "yes")]
    pub shuffle: bool,
    /// `[quiz.lints]`: the level of each item-writing lint, by code.
    #[serde(default)]
    pub lints: LintLevels,
}

/// What an item-writing lint does when it finds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not checked.
    Allow,
    /// A warning (the default).
    Warn,
    /// An error: `check` and `build` fail.
    Deny,
}

/// `[quiz.lints]`: lint code → level. Keys keep their place in the file so
/// that an unknown code is reported where it is written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct LintLevels(BTreeMap<toml::Spanned<String>, Level>);

impl LintLevels {
    /// The level set for `code`, else `warn`.
    pub fn level(&self, code: Code) -> Level {
        self.0.get(code.as_str()).copied().unwrap_or(Level::Warn)
    }

    /// The first key that names no lint, as an error at its place in `text`.
    fn check(&self, text: &str, path: &Path) -> Result<(), Diagnostic> {
        let Some(key) = self.0.keys().find(|k| Code::lint(k.get_ref()).is_none()) else {
            return Ok(());
        };
        Err(Diagnostic::error(Code::ConfigUnknownLint, format!("`{}` is not an item-writing lint", key.get_ref()))
            .in_file(path)
            .at_offset(text, key.span().start)
            .with_hint(Code::lint_hint(key.get_ref())))
    }
}

/// `[offline]`: the service worker that keeps the site readable without a connection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineConfig {
    /// Make `sw.js` and `offline.json`, register the worker and offer "Save the course".
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        Self { enabled: true }
    }
}

fn yes() -> bool {
    true
}
fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_output_dir() -> String {
    "public".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_light() -> String {
    "InspiredGitHub".into()
}
fn default_dark() -> String {
    "base16-ocean.dark".into()
}

impl Default for HighlightConfig {
    fn default() -> Self {
        Self { light: default_light(), dark: default_dark() }
    }
}
impl Default for SearchConfig {
    fn default() -> Self {
        Self { enabled: true, include_quiz_prompts: true }
    }
}
impl Default for QuizConfig {
    fn default() -> Self {
        Self { answers_without_js: true, shuffle: true, lints: LintLevels::default() }
    }
}

impl SiteConfig {
    /// Parses `site.toml` text; `path` is only used to label diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Self, Diagnostic> {
        let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim();
            let d = Diagnostic::error(code_of(message), message).in_file(path).with_known_name_hint();
            match e.span() {
                Some(span) => d.at_offset(text, span.start),
                None => d,
            }
        })?;
        config.quiz.lints.check(text, path)?;
        config.base_url = normalise_base_url(&config.base_url);
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }

    /// Overrides the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalise_base_url(url);
    }
}

/// The code of a message of the TOML crate: serde's wording says which kind
/// of mistake it is; anything else is TOML that does not parse.
fn code_of(message: &str) -> Code {
    if message.starts_with("unknown field") {
        Code::ConfigUnknownKey
    } else if message.starts_with("missing field") {
        Code::ConfigMissingKey
    } else if ["invalid type", "invalid value", "invalid length", "unknown variant"]
        .iter()
        .any(|p| message.starts_with(p))
    {
        Code::ConfigWrongType
    } else {
        Code::ConfigSyntax
    }
}

fn normalise_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// `https://org.github.io/repo/` → `/repo/`; `/` → `/`.
pub fn base_path_of(url: &str) -> String {
    let after_scheme = match url.find("://") {
        Some(i) => &url[i + 3..],
        None => return ensure_slashes(url),
    };
    match after_scheme.find('/') {
        Some(i) => ensure_slashes(&after_scheme[i..]),
        None => "/".into(),
    }
}

fn ensure_slashes(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Where a position of a diagnostic points when the config has no location.
pub const NO_POS: Pos = Pos { line: 1, col: 1 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_url_path() {
        assert_eq!(base_path_of("https://org.github.io/curriculum/"), "/curriculum/");
        assert_eq!(base_path_of("https://org.github.io/curriculum"), "/curriculum/");
        assert_eq!(base_path_of("https://example.com"), "/");
        assert_eq!(base_path_of("/"), "/");
        assert_eq!(base_path_of("/a/b"), "/a/b/");
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let text = "title = \"x\"\ntitel = \"y\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.pos, Some(Pos { line: 2, col: 1 }));
        assert!(d.message.contains("titel"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"), "{d}");
    }

    #[test]
    fn a_near_key_is_suggested_in_any_table() {
        let text = "title = \"x\"\nbase-url = \"/\"\n[highlight]\nligth = \"x\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `base_url`?"), "{d}");
        let text = "title = \"x\"\n[highlight]\nligth = \"x\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `light`?"), "{d}");
        let text = "title = \"x\"\nauthor = \"me\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.hint, None, "{d}");
    }

    #[test]
    fn lint_levels_are_read_and_unknown_lints_rejected_where_written() {
        let text = "title = \"x\"\n[quiz.lints]\nquiz-missing-feedback = \"allow\"\nquiz-longest-correct = \"deny\"\n";
        let config = SiteConfig::parse(text, Path::new("site.toml")).unwrap();
        assert_eq!(config.quiz.lints.level(Code::QuizMissingFeedback), Level::Allow);
        assert_eq!(config.quiz.lints.level(Code::QuizLongestCorrect), Level::Deny);
        assert_eq!(config.quiz.lints.level(Code::QuizAbsoluteCue), Level::Warn);
        let text = "title = \"x\"\n[quiz.lints]\nquiz-longest-corect = \"deny\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!((d.code, d.pos), (Code::ConfigUnknownLint, Some(Pos { line: 3, col: 1 })), "{d}");
        assert_eq!(d.hint.as_deref(), Some("did you mean `quiz-longest-correct`?"), "{d}");
        let text = "title = \"x\"\n[quiz.lints]\nquiz-duplicate-id = \"allow\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.code, Code::ConfigUnknownLint, "an error cannot be allowed: {d}");
        let text = "title = \"x\"\n[quiz.lints]\nquiz-absolute-cue = \"forbid\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!((d.code, d.pos.map(|p| p.line)), (Code::ConfigWrongType, Some(3)), "{d}");
    }

    #[test]
    fn quiz_shuffle_is_on_unless_turned_off() {
        let parse = |text: &str| SiteConfig::parse(text, Path::new("site.toml"));
        assert!(parse("title = \"x\"\n").unwrap().quiz.shuffle);
        assert!(!parse("title = \"x\"\n[quiz]\nshuffle = false\n").unwrap().quiz.shuffle);
        let d = parse("title = \"x\"\n[quiz]\nshufle = false\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `shuffle`?"), "{d}");
    }

    #[test]
    fn offline_is_on_unless_turned_off() {
        let parse = |text: &str| SiteConfig::parse(text, Path::new("site.toml"));
        assert!(parse("title = \"x\"\n").unwrap().offline.enabled);
        assert!(!parse("title = \"x\"\n[offline]\nenabled = false\n").unwrap().offline.enabled);
        let d = parse("title = \"x\"\n[offline]\nenable = false\n").unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `enabled`?"), "{d}");
    }

    #[test]
    fn wrong_type_has_line_and_column() {
        let text = "title = \"x\"\n[search]\nenabled = \"yes\"\n";
        let d = SiteConfig::parse(text, Path::new("site.toml")).unwrap_err();
        assert_eq!(d.pos.map(|p| p.line), Some(3));
    }
}
