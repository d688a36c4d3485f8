//! Search index: built at build time, queried in the browser.

use crate::config::SiteConfig;
use crate::content::Site;
use crate::pipeline::{OutputFile, RenderedPage};

/// The files of the search index.
pub fn index_files(_site: &Site, _pages: &[RenderedPage], _config: &SiteConfig) -> Vec<OutputFile> {
    Vec::new()
}
