//! Per-page fragments: what a result needs to show (title, link, area,
//! summary and section texts for snippets), one small JSON file per page,
//! fetched only for the results on screen. The page tables map page numbers
//! (as the postings use them) to fragment file names, [`BLOCK`] pages a file,
//! so the browser needs no list of every page up front.

use super::document::{Doc, Section};
use crate::content::PageKind;
use serde::Serialize;

/// Pages per page table.
pub const BLOCK: usize = 64;

#[derive(Serialize)]
struct Fragment<'a> {
    #[serde(rename = "t")]
    title: &'a str,
    #[serde(rename = "u")]
    url: &'a str,
    #[serde(rename = "a")]
    area: Option<&'a str>,
    #[serde(rename = "k")]
    kind: PageKind,
    #[serde(rename = "d")]
    summary: Option<&'a str>,
    #[serde(rename = "s")]
    sections: &'a [Section],
}

/// A page's fragment as JSON.
pub fn fragment(doc: &Doc) -> Vec<u8> {
    let f = Fragment {
        title: &doc.title,
        url: &doc.url,
        area: doc.area.as_deref(),
        kind: doc.kind,
        summary: doc.summary.as_deref(),
        sections: &doc.sections,
    };
    serde_json::to_vec(&f).expect("strings always serialise")
}

/// The page tables: for each block of [`BLOCK`] pages, the JSON list of their fragment names.
pub fn page_tables<S: serde::Serialize>(names: &[S]) -> Vec<Vec<u8>> {
    names.chunks(BLOCK).map(|block| serde_json::to_vec(block).expect("strings always serialise")).collect()
}

#[cfg(test)]
mod tests {
    use super::super::document::SectionKind;
    use super::*;

    #[test]
    fn fragment_holds_what_a_result_shows() {
        let doc = Doc {
            title: "A <b>bold</b> title".into(),
            url: "area/lesson/".into(),
            area: Some("Area".into()),
            kind: PageKind::Lesson,
            summary: Some("Sum.".into()),
            extra_lead: vec!["objective that is not shown".into()],
            sections: vec![Section {
                id: Some("h".into()),
                heading: "H".into(),
                text: "T".into(),
                kind: SectionKind::Text,
            }],
        };
        let json = String::from_utf8(fragment(&doc)).unwrap();
        assert_eq!(
            json,
            r#"{"t":"A <b>bold</b> title","u":"area/lesson/","a":"Area","k":"lesson","d":"Sum.","s":[["h","H","T",0]]}"#
        );
    }

    #[test]
    fn page_tables_cover_every_page_in_blocks() {
        let names: Vec<String> = (0..300).map(|i| format!("{i:012x}")).collect();
        let tables = page_tables(&names);
        assert_eq!(tables.len(), 300_usize.div_ceil(BLOCK));
        let last: Vec<String> = serde_json::from_slice(tables.last().unwrap()).unwrap();
        assert_eq!(last.len(), 300 - (tables.len() - 1) * BLOCK);
    }
}
