//! The checks that look across pages.

use crate::config::LinksConfig;
use crate::content::{PageId, Site};
use crate::diag::{Code, Diagnostic};
use crate::markdown::{missing_target, LinkRef};
use std::collections::HashSet;

/// Reports links of page `i` whose `#fragment` names no heading or id on the
/// target page; `anchors(j)` gives the ids of page `j`.
pub(super) fn check_fragments<'a>(
    site: &Site,
    i: PageId,
    policy: &LinksConfig,
    links: &[LinkRef],
    anchors: impl Fn(PageId) -> &'a HashSet<String>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let page = &site.pages[i];
    for link in links {
        let Some(fragment) = &link.fragment else { continue };
        let decoded = crate::html::decode(fragment);
        let anchors = anchors(link.target);
        if !anchors.contains(fragment) && !anchors.contains(decoded.as_ref()) {
            let target = &site.pages[link.target];
            let mut known: Vec<&String> = anchors.iter().collect();
            known.sort();
            let hint = match crate::diag::closest(&decoded, known.iter().map(|a| a.as_str())) {
                Some(close) => format!("did you mean `#{close}`?"),
                None if known.is_empty() => format!("{} has no headings or ids", target.source.display()),
                None => format!(
                    "{} has: {}",
                    target.source.display(),
                    known.iter().take(8).map(|s| format!("#{s}")).collect::<Vec<_>>().join(", ")
                ),
            };
            let message = format!("link `{}` points at a missing anchor `#{decoded}`", link.written);
            diags.push(
                missing_target(policy, Code::LinkMissingAnchor, message, &hint)
                    .in_file(&page.source)
                    .at_offset(&page.text, link.file_offset),
            );
        }
    }
    diags
}

/// The error for a site without `content/_index.md`.
pub(super) fn no_home_page() -> Diagnostic {
    Diagnostic::error(Code::ContentNoHome, "no home page")
        .in_file("content/_index.md")
        .with_hint("create `content/_index.md` with a title")
}
