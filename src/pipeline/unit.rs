//! The names of the things a build makes: the keys of the dependency record
//! and of the catalogue ([`super::catalogue`]) that lists and makes them.

use std::path::PathBuf;

/// One thing a build makes: a page, a page with no source, a copied file, an
/// area's progress data, or the search index (a set of files made together).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Unit {
    /// A markdown page, by its path under `content/`.
    Page(PathBuf),
    /// A page with no markdown source.
    Special(Special),
    /// A static file of the theme, by output path.
    Static(String),
    /// The code-highlighting stylesheet.
    SyntaxCss,
    /// A file copied from `content/`, by its path under `content/`.
    Asset(PathBuf),
    /// The search index.
    SearchIndex,
    /// An area's progress data, by the area's URL: its lessons with their
    /// question ids, and its questions' prompts, fetched by the pages that
    /// show progress ([`crate::render::area_data_paths`]).
    AreaData(String),
    /// The offline worker and its list, made last from every other file.
    Offline,
}

/// The pages with no markdown source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Special {
    Search,
    Progress,
    /// The questions due for spaced review, from any lesson.
    Review,
    NotFound,
    Sitemap,
    Robots,
    NoJekyll,
}

impl Special {
    /// Every page with no markdown source.
    pub const ALL: [Special; 7] = [
        Special::Search,
        Special::Progress,
        Special::Review,
        Special::NotFound,
        Special::Sitemap,
        Special::Robots,
        Special::NoJekyll,
    ];

    /// Where the page is written, relative to the output folder.
    pub fn path(self) -> &'static str {
        match self {
            Special::Search => "search/index.html",
            Special::Progress => "progress/index.html",
            Special::Review => "review/index.html",
            Special::NotFound => "404.html",
            Special::Sitemap => "sitemap.xml",
            Special::Robots => "robots.txt",
            Special::NoJekyll => ".nojekyll",
        }
    }

    /// The template it is rendered with, if any.
    pub fn template(self) -> Option<&'static str> {
        match self {
            Special::Search => Some("search.html"),
            Special::Progress => Some("progress.html"),
            Special::Review => Some("review.html"),
            Special::NotFound => Some("404.html"),
            Special::Sitemap => Some("sitemap.xml"),
            Special::Robots | Special::NoJekyll => None,
        }
    }
}

impl Unit {
    /// Whether making the unit reads the pages' question index entries
    /// (`Renderer::question_index`), which a driver fills in only when needed.
    pub fn reads_question_index(&self) -> bool {
        matches!(self, Unit::Special(Special::Progress) | Unit::AreaData(_))
    }
}
