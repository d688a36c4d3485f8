//! The site-wide inputs of a build: `site.toml` and the theme, loaded and compiled.

use super::deps::{self, Fingerprint, Reads};
use super::BuildOptions;
use crate::config::SiteConfig;
use crate::content;
use crate::diag::{Code, Diagnostic};
use crate::markdown;
use crate::render::Templates;
use crate::theme::Theme;
use std::collections::HashMap;
use std::path::Path;

/// Reads `site.toml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig, Diagnostic> {
    read_config(root, base_url).map(|(config, _)| config)
}

/// The config and the text it came from (the text is what a rebuild compares).
fn read_config(root: &Path, base_url: Option<&str>) -> Result<(SiteConfig, String), Diagnostic> {
    let path = root.join("site.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(Code::IoRead, format!("cannot read site.toml: {e}"))
            .in_file(&path)
            .with_hint("run learn in the site's folder, or pass --root DIR")
    })?;
    let text = content::load::normalise_text(text);
    let mut config = SiteConfig::parse(&text, Path::new("site.toml"))?;
    if let Some(url) = base_url {
        config.set_base_url(url);
    }
    Ok((config, text))
}

/// The site-wide inputs: `site.toml` and the theme, loaded and compiled.
pub(super) struct SiteInputs {
    pub(super) config: SiteConfig,
    pub(super) theme: Theme,
    pub(super) templates: Templates,
    pub(super) syntax_css: String,
    /// How markdown is rendered: extensions and the link policy.
    pub(super) markdown: markdown::Settings,
    /// What each template reads of `site` and `area`.
    pub(super) reads: HashMap<String, Reads>,
    /// Fingerprint of the config text, the templates and the build options.
    pub(super) fingerprint: u64,
}

impl SiteInputs {
    pub(super) fn load(opts: &BuildOptions) -> Result<Self, Diagnostic> {
        let (config, text) = read_config(&opts.root, opts.base_url.as_deref())?;
        let theme = crate::theme::load(&opts.root, &config.theme)?;
        let templates = Templates::new(&theme)?;
        let syntax_css = crate::highlight::stylesheet(&config.highlight.light, &config.highlight.dark)
            .map_err(|m| Diagnostic::error(Code::ConfigHighlightTheme, m).in_file("site.toml"))?;
        let reads = deps::scan_templates(&theme.templates);
        let fingerprint = Fingerprint::default()
            .add(&text)
            .add(&opts.base_url)
            .add(&opts.drafts)
            .add(&opts.live_reload)
            .add(&theme.templates)
            .finish();
        Ok(SiteInputs {
            markdown: markdown::Settings::of(&config),
            config,
            theme,
            templates,
            syntax_css,
            reads,
            fingerprint,
        })
    }

    /// What `template` reads; a template this theme does not have reads everything.
    pub(super) fn reads_of(&self, template: &str) -> Reads {
        self.reads.get(template).copied().unwrap_or(Reads::ALL)
    }
}
