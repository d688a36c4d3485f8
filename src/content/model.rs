//! The content model: pages, areas and the curriculum order, built from the
//! files under `content/`. Pure data; loading lives in `load.rs`.

use super::front_matter::{FrontMatter, Split};
use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

/// A page's URL path relative to the site root: `""` for home, else `a/b/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct UrlPath(pub String);

impl UrlPath {
    /// The home page.
    pub fn root() -> Self {
        UrlPath(String::new())
    }

    /// Depth below the root, used to make relative links (`a/b/` is 2).
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The file this URL is written to.
    pub fn output_file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A page's place in [`Site::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PageId(pub usize);

/// An area's place in [`Site::areas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct AreaId(pub usize);

/// Lets a `Vec<$item>` be indexed by the id type `$id` (a newtype over its position).
macro_rules! index_by_id {
    ($id:ty => $item:ty) => {
        impl std::ops::Index<$id> for Vec<$item> {
            type Output = $item;

            fn index(&self, id: $id) -> &$item {
                &self[id.0]
            }
        }

        impl std::ops::IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.0]
            }
        }
    };
}
pub(crate) use index_by_id;

index_by_id!(PageId => Page);
index_by_id!(AreaId => Area);

/// What role a page plays in the curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Home,
    Area,
    Lesson,
    Standalone,
}

/// One markdown file and what was read from it.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    /// Path relative to the site root, e.g. `content/01-a/01-b.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, the key links resolve against.
    pub content_path: PathBuf,
    /// The whole file, BOM removed and line endings normalised to `\n`.
    pub text: String,
    pub body_start: usize,
    pub yaml_first_line: usize,
    /// Shared: a rebuild takes unchanged front matter from the build cache without copying it.
    pub front: std::sync::Arc<FrontMatter>,
    pub title: String,
    /// The title was taken from a `# Heading` at the top of the body (no `title:`).
    pub title_from_body: bool,
    pub url: UrlPath,
    /// The area of an area page or a lesson.
    pub area: Option<AreaId>,
    /// The numeric `NN-` prefix of the file or folder name, if any.
    pub prefix: Option<u32>,
}

impl Page {
    /// The markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The split positions, for converting YAML positions to file positions.
    pub fn split(&self) -> Split<'_> {
        Split { yaml: "", yaml_first_line: self.yaml_first_line, body_start: self.body_start }
    }
}

/// A competency area: a top-level folder with an `_index.md` and lessons.
#[derive(Debug, Clone)]
pub struct Area {
    /// The area's own page.
    pub page: PageId,
    /// Its lessons in order.
    pub lessons: Vec<PageId>,
}

/// A non-markdown file copied into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute path of the source file.
    pub source: PathBuf,
    /// Output path relative to the site root.
    pub url: UrlPath,
    /// Path relative to `content/`.
    pub content_path: PathBuf,
}

/// What a link in markdown can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page(PageId),
    /// An index into `Site::assets`.
    Asset(usize),
}

/// Everything under `content/`, ordered, with URLs assigned.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub pages: Vec<Page>,
    pub areas: Vec<Area>,
    pub home: Option<PageId>,
    /// Standalone pages in order.
    pub standalone: Vec<PageId>,
    pub assets: Vec<Asset>,
    /// `content/`-relative source path → what it became, for link rewriting.
    pub targets: HashMap<PathBuf, Target>,
    /// Pages that exist but are not in this build, so links to them get the right message.
    pub unavailable: HashMap<PathBuf, Unavailable>,
}

/// Why a page that exists on disk is not part of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// `draft: true` and the build is without `--drafts`.
    Draft,
    /// It has errors of its own, already reported.
    Broken,
}

impl Site {
    /// All lessons in curriculum order (area by area), for previous/next links.
    pub fn lesson_order(&self) -> Vec<PageId> {
        self.areas.iter().flat_map(|a| a.lessons.iter().copied()).collect()
    }

    /// Every page's id, in order.
    pub fn page_ids(&self) -> impl ExactSizeIterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    /// Every area's id, in order.
    pub fn area_ids(&self) -> impl ExactSizeIterator<Item = AreaId> + use<> {
        (0..self.areas.len()).map(AreaId)
    }
}
