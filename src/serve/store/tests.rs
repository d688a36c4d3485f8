//! The store against a real session: what it keeps, names, removes and offers again.
use super::*;
use crate::highlight::Highlighter;
use crate::pipeline::{BuildOptions, Changes, Session};

fn fixture() -> tempfile::TempDir {
    crate::test_support::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"))
}

fn session(root: &Path, store: &Arc<DiskStore>) -> Session {
    let opts = BuildOptions { root: root.to_path_buf(), live_reload: true, ..BuildOptions::default() };
    Session::new(opts, Highlighter::default()).with_store(store.clone())
}

/// The bytes a snapshot serves for each path, read back from the store.
fn served(store: &DiskStore, files: &Files) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, c)| match &**c {
            Contents::Stored(s) => (p.to_string(), store.read(*s).expect("a named file is kept")),
            Contents::Copy(source) => (p.to_string(), std::fs::read(source).unwrap()),
            other => panic!("{p} left in memory: {other:?}"),
        })
        .collect();
    out.sort();
    out
}

/// A fixture site, its store, and a session that built it once.
fn started() -> (tempfile::TempDir, Arc<DiskStore>, Session) {
    let dir = fixture();
    let store = DiskStore::open(dir.path()).unwrap();
    let mut s = session(dir.path(), &store);
    s.update(&Changes::everything()).unwrap();
    (dir, store, s)
}

/// The second lesson, its text before, and the changes that saving it makes.
fn second_lesson(dir: &Path) -> (PathBuf, String, Changes) {
    let lesson = dir.join("content/01-basics/02-second.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    let changes = Changes { content: [PathBuf::from("01-basics/02-second.md")].into(), ..Changes::default() };
    (lesson, text, changes)
}

#[test]
fn the_kept_files_are_a_fresh_builds_after_a_save() {
    let (dir, store, mut s) = started();
    let (lesson, text, changes) = second_lesson(dir.path());
    std::fs::write(&lesson, format!("{text}\nKept on disk.\n")).unwrap();
    s.update(&changes).unwrap();
    let opts = BuildOptions { root: dir.path().to_path_buf(), live_reload: true, ..BuildOptions::default() };
    let fresh = crate::pipeline::build_in_memory(&opts, &Highlighter::default()).unwrap();
    let fresh: Vec<(String, Vec<u8>)> = fresh
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.bytes().map_or_else(|| served_copy(&f.contents), <[u8]>::to_vec)))
        .collect();
    assert_eq!(served(&store, s.files()), fresh);
}

fn served_copy(c: &Contents) -> Vec<u8> {
    match c {
        Contents::Copy(source) => std::fs::read(source).unwrap(),
        _ => unreachable!(),
    }
}

#[test]
fn a_failed_update_names_nothing_and_its_files_go_at_the_next_install() {
    let (dir, store, mut s) = started();
    let good = s.files().clone();
    store.written();
    store.installed(&Files::new(), &good, &[], true, true);
    let before = served(&store, &good);
    // A save that renders (a new sentence) but fails a check (a link to a missing page).
    let (lesson, text, changes) = second_lesson(dir.path());
    std::fs::write(&lesson, format!("{text}\nNew words, [broken](missing.md).\n")).unwrap();
    assert!(s.update(&changes).is_err());
    assert!(Arc::ptr_eq(&good, s.files()), "a failed update publishes nothing");
    assert_eq!(served(&store, &good), before, "the served bytes are as they were");
    // What an update that fails while making its files (a template error) has kept by then.
    let orphan = store.keep(&Contents::Bytes(b"made by a failed update".to_vec())).unwrap().unwrap();
    store.written();
    assert!(store.path_of(orphan).is_file());
    // The next good build is installed: nothing but what it names is left.
    std::fs::write(&lesson, &text).unwrap();
    let update = s.update(&changes).unwrap();
    let paths: Vec<String> = update.changed.iter().chain(&update.removed).cloned().collect();
    store.written();
    store.installed(&good, s.files(), &paths, false, true);
    let named: HashSet<PathBuf> = s
        .files()
        .values()
        .filter_map(|c| match &**c {
            Contents::Stored(st) => Some(store.path_of(*st)),
            _ => None,
        })
        .collect();
    let on_disk: HashSet<PathBuf> = walkdir::WalkDir::new(store.dir.join("files"))
        .min_depth(2)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .collect();
    assert_eq!(on_disk, named);
    assert!(!store.path_of(orphan).exists());
}

#[test]
fn a_saved_site_is_offered_only_while_every_source_is_as_read() {
    let (dir, store, s) = started();
    store.remember(s.files(), false, "/course/", &s.sources_read().unwrap()).unwrap();
    let saved = store.saved(dir.path(), false).expect("an unchanged site is offered");
    assert_eq!(served(&store, &saved.files), served(&store, s.files()));
    assert_eq!(saved.base, "/course/");
    assert!(store.saved(dir.path(), true).is_none(), "not to a serve with other options");

    // A file touched, even to the same bytes, or a new one, and the site is not offered.
    let lesson = dir.path().join("content/02-later/zeta.md");
    let text = std::fs::read(&lesson).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&lesson, &text).unwrap();
    assert!(store.saved(dir.path(), false).is_none(), "a touched source");
    let mut s = session(dir.path(), &store);
    s.update(&Changes::everything()).unwrap();
    store.remember(s.files(), false, "/course/", &s.sources_read().unwrap()).unwrap();
    assert!(store.saved(dir.path(), false).is_some());
    std::fs::write(dir.path().join("content/02-later/new.md"), "---\ntitle: New\nsummary: N.\n---\n").unwrap();
    assert!(store.saved(dir.path(), false).is_none(), "a new source");
    std::fs::remove_file(dir.path().join("content/02-later/new.md")).unwrap();
    std::fs::write(dir.path().join("themes-note"), "not a source").unwrap();
    assert!(store.saved(dir.path(), false).is_some(), "files outside the sources do not count");
    store.forget();
    assert!(store.saved(dir.path(), false).is_none(), "a forgotten site is not offered");
}

#[test]
fn one_serve_at_a_time_holds_the_folder() {
    let dir = fixture();
    let first = DiskStore::open(dir.path()).unwrap();
    assert!(DiskStore::open(dir.path()).is_err());
    drop(first);
    assert!(DiskStore::open(dir.path()).is_ok());
}

#[test]
fn a_kept_file_is_served_at_once_and_on_disk_once_written() {
    let dir = fixture();
    let store = DiskStore::open(dir.path()).unwrap();
    let bytes = b"a page made by a save".to_vec();
    let stored = store.keep(&Contents::Bytes(bytes.clone())).unwrap().unwrap();
    assert_eq!(store.read(stored).unwrap(), bytes, "served before the writer got to it");
    store.written();
    assert_eq!(std::fs::read(store.path_of(stored)).unwrap(), bytes);
    assert!(store.pending().files.is_empty(), "its bytes are let go of once on disk");
    assert_eq!(store.pending().bytes, 0);
}

#[test]
fn the_first_sweep_removes_what_a_killed_serve_was_writing_but_not_what_this_one_is() {
    let dir = fixture();
    let store = DiskStore::open(dir.path()).unwrap();
    let theirs = store.dir.join("files/00/.tmp-4000000000-7");
    let ours = store.dir.join(format!("files/00/.tmp-{}-7", std::process::id()));
    std::fs::write(&theirs, "half a file").unwrap();
    std::fs::write(&ours, "being written").unwrap();
    let mut s = session(dir.path(), &store);
    s.update(&Changes::everything()).unwrap();
    store.written();
    store.installed(&Files::new(), s.files(), &[], true, true);
    assert!(!theirs.exists(), "a killed serve's temporary file is swept");
    assert!(ours.exists(), "a file this serve is writing is left to its writer");
}
