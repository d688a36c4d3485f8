//! Content: discovery, front matter and the model of the site.

pub mod front_matter;
pub mod load;
pub mod model;

pub use load::{load, LoadOptions};
pub use model::{Area, AreaId, Asset, Page, PageId, PageKind, Site, Target, UrlPath};
