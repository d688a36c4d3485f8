//! A fluent harness: `SiteTest::fixture("minimal").build().success().page("...")`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

/// A fixture copied into a temporary folder, so builds never touch the repository.
pub struct SiteTest {
    pub dir: Arc<tempfile::TempDir>,
}

/// The result of running `learn` on a fixture.
pub struct Run {
    pub root: PathBuf,
    /// Keeps the site's folder alive while the run's output is inspected.
    _dir: Arc<tempfile::TempDir>,
    pub output: Output,
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Self {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, dir.path());
        Self { dir: Arc::new(dir) }
    }

    /// An empty site folder, for tests that write every file themselves.
    pub fn empty() -> Self {
        Self { dir: Arc::new(tempfile::tempdir().expect("temp dir")) }
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (or replaces) a file in the site.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Runs `learn <args…> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_learn"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .current_dir(self.root())
            .output()
            .expect("run learn");
        Run { root: self.root().to_path_buf(), _dir: self.dir.clone(), output }
    }

    /// Runs `learn build`.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Runs `learn check`.
    pub fn check(&self) -> Run {
        self.run(&["check"])
    }
}

impl Run {
    /// Asserts exit code 0 and returns self.
    pub fn success(self) -> Self {
        assert_eq!(self.output.status.code(), Some(0), "expected success\n{}", self.stderr());
        self
    }

    /// Asserts exit code 1 (content errors) and returns self.
    pub fn failure(self) -> Self {
        assert_eq!(
            self.output.status.code(),
            Some(1),
            "expected exit 1\nstdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Stderr with the temporary folder replaced by `<site>`, for snapshots.
    pub fn stderr(&self) -> String {
        let text = String::from_utf8_lossy(&self.output.stderr).into_owned();
        text.replace(&self.root.display().to_string(), "<site>")
    }

    /// Reads an output file of the default output folder.
    pub fn page(&self, rel: &str) -> String {
        let p = self.root.join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}\nstdout: {}", p.display(), self.stdout()))
    }

    /// True if the output file exists.
    pub fn has(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }
}

/// The `<main>` element of a page, the part snapshots care about.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
    &html[start..end]
}

/// The rendered markdown of a lesson: from its prose up to its quiz.
pub fn prose_of(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">").expect("page has prose");
    let end = html[start..].find("<section class=\"quiz\"").map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}
