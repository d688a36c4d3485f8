//! Raw watcher events become a few kinds of change the build engine
//! understands. Pure: it looks at event kinds and paths only, never at the
//! disk. Whether a changed path is a new file, a rename or a deletion is left
//! to the engine, which compares with what it read before; events say too
//! little, and differ between platforms and editors, to decide that here.

use crate::content::load::is_ignored;
use notify::event::{CreateKind, EventKind, MetadataKind, ModifyKind, RemoveKind};
use notify::Event;
use std::path::{Path, PathBuf};

/// What a file-system event means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.toml` changed: everything is rebuilt.
    Config,
    /// A template or static file of the theme in use changed.
    Theme,
    /// A path under `content/`, relative to it, was created, changed, renamed or removed.
    Content(PathBuf),
    /// Walk `content/` again: a folder appeared or vanished, or the watcher lost events.
    Rescan,
}

/// Where the site's parts are, as absolute paths in the form the watcher reports them.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    /// The theme in use; other themes' files are not watched for.
    pub theme: String,
    /// The output folder of `learn watch`, whose own writes must not trigger rebuilds.
    pub output: Option<PathBuf>,
}

impl Layout {
    pub fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn themes(&self) -> PathBuf {
        self.root.join("themes")
    }

    pub fn config(&self) -> PathBuf {
        self.root.join("site.toml")
    }
}

/// Classifies one event. Access events (opening, reading, closing a file) and
/// changes to permissions, owners or access times say nothing about contents
/// and are dropped. A new modification time is kept: it is all the polling
/// watcher reports of a save.
pub fn classify(event: &Event, layout: &Layout) -> Vec<ChangeKind> {
    if event.need_rescan() {
        return vec![ChangeKind::Rescan];
    }
    let folder = matches!(event.kind, EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder));
    match event.kind {
        EventKind::Access(_)
        | EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime | MetadataKind::Permissions | MetadataKind::Ownership | MetadataKind::Extended,
        )) => return Vec::new(),
        _ => {}
    }
    let mut out: Vec<ChangeKind> = event.paths.iter().filter_map(|p| classify_path(p, folder, layout)).collect();
    out.sort();
    out.dedup();
    out
}

/// True for events that create, remove or rename a path (so a folder's watch may be gone).
pub fn replaces_folder(event: &Event) -> bool {
    matches!(event.kind, EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)))
}

fn classify_path(path: &Path, folder: bool, layout: &Layout) -> Option<ChangeKind> {
    if layout.output.as_ref().is_some_and(|o| path.starts_with(o)) {
        return None;
    }
    if path == layout.config() {
        return Some(ChangeKind::Config);
    }
    if let Ok(rel) = path.strip_prefix(layout.content()) {
        if rel.as_os_str().is_empty() {
            // `content/` itself appeared, vanished or was renamed.
            return Some(ChangeKind::Rescan);
        }
        if has_ignored_part(rel) {
            return None;
        }
        return Some(if folder { ChangeKind::Rescan } else { ChangeKind::Content(rel.to_path_buf()) });
    }
    if let Ok(rel) = path.strip_prefix(layout.themes()) {
        let mut parts = rel.iter();
        return match parts.next() {
            // `themes/` itself: whatever is in it may have changed.
            None => Some(ChangeKind::Theme),
            Some(name) if name == layout.theme.as_str() && !has_ignored_part(rel) => Some(ChangeKind::Theme),
            Some(_) => None,
        };
    }
    None
}

/// True for hidden files and editor droppings anywhere in the path (`.x.md.swp`, `x.md~`, `.git/`).
fn has_ignored_part(rel: &Path) -> bool {
    rel.iter().any(|c| is_ignored(&c.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, DataChange, Flag, RenameMode};

    fn layout() -> Layout {
        Layout { root: PathBuf::from("/site"), theme: "default".into(), output: Some(PathBuf::from("/site/public")) }
    }

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths.iter().fold(Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
    }

    fn content(p: &str) -> ChangeKind {
        ChangeKind::Content(PathBuf::from(p))
    }

    #[test]
    fn a_saved_lesson_is_a_content_change() {
        let e = event(EventKind::Modify(ModifyKind::Data(DataChange::Content)), &["/site/content/01-a/02-b.md"]);
        assert_eq!(classify(&e, &layout()), vec![content("01-a/02-b.md")]);
    }

    #[test]
    fn access_and_metadata_events_are_dropped() {
        let layout = layout();
        let close = event(EventKind::Access(AccessKind::Close(AccessMode::Write)), &["/site/content/a.md"]);
        let open = event(EventKind::Access(AccessKind::Open(AccessMode::Read)), &["/site/content/a.md"]);
        let chmod = event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)), &["/site/content/a.md"]);
        for e in [close, open, chmod] {
            assert_eq!(classify(&e, &layout), vec![], "{e:?}");
        }
    }

    #[test]
    fn a_new_modification_time_is_a_save() {
        // All `--poll` reports of a save.
        let e = event(EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)), &["/site/content/a.md"]);
        assert_eq!(classify(&e, &layout()), vec![content("a.md")]);
    }

    #[test]
    fn an_atomic_save_names_the_real_file_and_drops_the_temporary_one() {
        // Editors write `.name.swp` or `name~`, then rename it over the file.
        let e = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/site/content/01-a/.02-b.md.swp", "/site/content/01-a/02-b.md"],
        );
        assert_eq!(classify(&e, &layout()), vec![content("01-a/02-b.md")]);
        let backup = event(EventKind::Create(CreateKind::File), &["/site/content/01-a/02-b.md~"]);
        assert_eq!(classify(&backup, &layout()), vec![]);
    }

    #[test]
    fn a_rename_reports_both_ends() {
        let e = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/site/content/01-a/old.md", "/site/content/01-a/new.md"],
        );
        assert_eq!(classify(&e, &layout()), vec![content("01-a/new.md"), content("01-a/old.md")]);
    }

    #[test]
    fn folders_appearing_or_vanishing_rescan() {
        let layout = layout();
        let created = event(EventKind::Create(CreateKind::Folder), &["/site/content/03-new"]);
        let removed = event(EventKind::Remove(RemoveKind::Folder), &["/site/content/03-new"]);
        let content_itself = event(EventKind::Remove(RemoveKind::Any), &["/site/content"]);
        for e in [created, removed, content_itself] {
            assert_eq!(classify(&e, &layout), vec![ChangeKind::Rescan], "{e:?}");
        }
        // A renamed folder looks like any renamed path; the engine sees it is a folder.
        let moved = event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), &["/site/content/03-new"]);
        assert_eq!(classify(&moved, &layout), vec![content("03-new")]);
    }

    #[test]
    fn only_creating_removing_or_renaming_can_replace_a_folder() {
        // Opening `content/` (every walk does) must not look like a new folder: re-watching it would open it again.
        let open = event(EventKind::Access(AccessKind::Open(AccessMode::Read)), &["/site/content"]);
        assert!(!replaces_folder(&open));
        assert!(replaces_folder(&event(EventKind::Create(CreateKind::Folder), &["/site/content"])));
        assert!(replaces_folder(&event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), &["/site/themes"])));
    }

    #[test]
    fn lost_events_rescan() {
        let e = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert_eq!(classify(&e, &layout()), vec![ChangeKind::Rescan]);
    }

    #[test]
    fn config_and_the_theme_in_use_are_recognised() {
        let layout = layout();
        let modify = |p: &str| event(EventKind::Modify(ModifyKind::Any), &[p]);
        assert_eq!(classify(&modify("/site/site.toml"), &layout), vec![ChangeKind::Config]);
        assert_eq!(classify(&modify("/site/themes/default/templates/lesson.html"), &layout), vec![ChangeKind::Theme]);
        assert_eq!(classify(&modify("/site/themes/default/static/assets/style.css"), &layout), vec![ChangeKind::Theme]);
        assert_eq!(classify(&modify("/site/themes"), &layout), vec![ChangeKind::Theme]);
        // Another theme, or an editor's file in this one, changes nothing.
        assert_eq!(classify(&modify("/site/themes/other/templates/lesson.html"), &layout), vec![]);
        assert_eq!(classify(&modify("/site/themes/default/templates/.lesson.html.swp"), &layout), vec![]);
    }

    #[test]
    fn the_output_folder_and_other_files_are_ignored() {
        let layout = layout();
        let modify = |p: &str| event(EventKind::Modify(ModifyKind::Any), &[p]);
        assert_eq!(classify(&modify("/site/public/index.html"), &layout), vec![]);
        assert_eq!(classify(&modify("/site/README.md"), &layout), vec![]);
        assert_eq!(classify(&modify("/site/site.toml.bak"), &layout), vec![]);
        assert_eq!(classify(&modify("/site/content/.git/index"), &layout), vec![]);
    }

    #[test]
    fn the_same_change_twice_is_one_change() {
        let e =
            event(EventKind::Modify(ModifyKind::Any), &["/site/content/a.md", "/site/content/a.md", "/site/site.toml"]);
        assert_eq!(classify(&e, &layout()), vec![ChangeKind::Config, content("a.md")]);
    }
}
