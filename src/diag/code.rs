//! The stable code of every diagnostic (`error[front-matter-unknown-key]`),
//! named by area in kebab-case. Tools match on these names, and
//! `[quiz.lints]` and a question's `allow:` name lints by them, so a name,
//! once released, is never changed or reused for something else.

use serde::Serialize;

/// Declares the codes once: the enum, its names and the list of all of them.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What kind of problem a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as shown and as written in `site.toml`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// The front matter has no closing `---`.
    FrontMatterUnclosed = "front-matter-unclosed",
    /// The YAML does not parse.
    FrontMatterSyntax = "front-matter-syntax",
    /// A tab is used to indent YAML.
    FrontMatterTabIndent = "front-matter-tab-indent",
    /// A key the page or question does not take.
    FrontMatterUnknownKey = "front-matter-unknown-key",
    /// A required key (`title`, `summary`, a question's `prompt`) is missing.
    FrontMatterMissingKey = "front-matter-missing-key",
    /// A value of the wrong type or outside the allowed set.
    FrontMatterWrongType = "front-matter-wrong-type",
    /// A question's `allow:` names a code that is not an item-writing lint.
    FrontMatterUnknownLint = "front-matter-unknown-lint",
    /// `site.toml` does not parse.
    ConfigSyntax = "config-syntax",
    /// A key `site.toml` does not take.
    ConfigUnknownKey = "config-unknown-key",
    /// A required key of `site.toml` is missing.
    ConfigMissingKey = "config-missing-key",
    /// A `site.toml` value of the wrong type or outside the allowed set.
    ConfigWrongType = "config-wrong-type",
    /// `[quiz.lints]` names a code that is not an item-writing lint.
    ConfigUnknownLint = "config-unknown-lint",
    /// A `[highlight]` theme that does not exist.
    ConfigHighlightTheme = "config-highlight-theme",
    /// There is no `content/` folder.
    ContentNoFolder = "content-no-folder",
    /// There is no `content/_index.md`.
    ContentNoHome = "content-no-home",
    /// A markdown file that is not UTF-8.
    ContentNotUtf8 = "content-not-utf8",
    /// A `$...$` or `$$...$$` formula whose TeX does not parse.
    ContentMalformedMath = "content-malformed-math",
    /// A symbolic link to something that is not a file.
    ContentSymlinkSkipped = "content-symlink-skipped",
    /// A markdown file deeper than an area folder.
    ContentNestedLesson = "content-nested-lesson",
    /// An area folder without `_index.md`.
    ContentAreaWithoutIndex = "content-area-without-index",
    /// Two files, or a file and a built-in page, that would have the same URL.
    ContentUrlClash = "content-url-clash",
    /// A page that opens with a heading repeating its title.
    ContentDuplicateTitle = "content-duplicate-title",
    /// A heading id used twice on a page, or by the page layout.
    ContentDuplicateHeadingId = "content-duplicate-heading-id",
    /// A link to a file that is missing, a draft, or outside `content/`.
    LinkBroken = "link-broken",
    /// A link to a heading or id that is not there.
    LinkMissingAnchor = "link-missing-anchor",
    /// A question with an empty prompt.
    QuizEmptyPrompt = "quiz-empty-prompt",
    /// A question id with characters other than letters, digits, `-` and `_`.
    QuizInvalidId = "quiz-invalid-id",
    /// A question id used twice in the site.
    QuizDuplicateId = "quiz-duplicate-id",
    /// A choice question with fewer than two choices.
    QuizChoiceCount = "quiz-choice-count",
    /// A `single` question without exactly one correct choice, or a `multiple` one without any.
    QuizCorrectCount = "quiz-correct-count",
    /// Two choices of a question with the same text.
    QuizIdenticalChoices = "quiz-identical-choices",
    /// A choice with empty text.
    QuizEmptyChoice = "quiz-empty-choice",
    /// A key for another question type (`answer` on a `single` question).
    QuizMisplacedKey = "quiz-misplaced-key",
    /// A question without the answer its type needs.
    QuizMissingAnswer = "quiz-missing-answer",
    /// A negative or infinite `tolerance`.
    QuizInvalidTolerance = "quiz-invalid-tolerance",
    /// Lint: the site's true/false statements are mostly true or mostly false.
    QuizTruefalseBalance = "quiz-truefalse-balance",
    /// Lint: the correct option is often the uniquely longest.
    QuizLongestCorrect = "quiz-longest-correct",
    /// Lint: one position holds most correct answers among pinned questions.
    QuizPositionBalance = "quiz-position-balance",
    /// Lint: a false statement or wrong option hinges on an absolute word.
    QuizAbsoluteCue = "quiz-absolute-cue",
    /// Lint: an option "all of the above" or "none of the above".
    QuizAllOfTheAbove = "quiz-all-of-the-above",
    /// Lint: two options equal after answer normalisation.
    QuizDuplicateChoice = "quiz-duplicate-choice",
    /// Lint: a wrong option without feedback.
    QuizMissingFeedback = "quiz-missing-feedback",
    /// Lint: a question without an explanation.
    QuizMissingExplanation = "quiz-missing-explanation",
    /// The theme named in `site.toml` does not exist.
    ThemeNotFound = "theme-not-found",
    /// A theme file that is not UTF-8.
    ThemeNotUtf8 = "theme-not-utf8",
    /// A template that does not compile.
    ThemeTemplate = "theme-template",
    /// A template that fails while rendering a page.
    ThemeRender = "theme-render",
    /// An output folder learn refuses to write to.
    OutputDirRefused = "output-dir-refused",
    /// A symbolic link inside the output folder.
    OutputSymlink = "output-symlink",
    /// A file or folder that cannot be read.
    IoRead = "io-read",
    /// A file or folder that cannot be written, moved or removed.
    IoWrite = "io-write",
    /// `learn init` into a file or a folder that is not empty.
    InitTargetTaken = "init-target-taken",
    /// `learn import`: the folder is not an mdBook (no folder, no `book.toml` or `SUMMARY.md`).
    ImportNotABook = "import-not-a-book",
    /// `learn import`: `book.toml` does not parse.
    ImportBookToml = "import-book-toml",
    /// `learn import` into a file or a folder that is not empty.
    ImportTargetTaken = "import-target-taken",
    /// `learn import`: two files of the book would become one file of the site.
    ImportPathClash = "import-path-clash",
    /// Import report: a chapter with no file yet, left out.
    ImportDraft = "import-draft",
    /// Import report: how the book's structure was mapped where it had to choose.
    ImportStructure = "import-structure",
    /// Import report: a preprocessor directive left as written, or an include that failed.
    ImportDirective = "import-directive",
    /// Import report: raw HTML a preprocessor or theme gave meaning to.
    ImportHtml = "import-html",
    /// Import report: an mdbook-quiz question not converted, or converted with a change.
    ImportQuiz = "import-quiz",
    /// Import report: a link to a file or anchor the book does not have.
    ImportLink = "import-link",
    /// Import report: a `book.toml` setting with no `site.toml` equivalent.
    ImportSetting = "import-setting",
    /// A bug in learn: a panic while building.
    InternalPanic = "internal-panic",
    /// A bug in learn: an output path outside the output folder.
    InternalOutputPath = "internal-output-path",
    /// A bug in learn: a template context that cannot be serialised.
    InternalTemplateContext = "internal-template-context",
}

impl Code {
    /// The item-writing lints, whose level `[quiz.lints]` and `allow:` set.
    pub const LINTS: &'static [Code] = &[
        Code::QuizTruefalseBalance,
        Code::QuizLongestCorrect,
        Code::QuizPositionBalance,
        Code::QuizAbsoluteCue,
        Code::QuizAllOfTheAbove,
        Code::QuizDuplicateChoice,
        Code::QuizMissingFeedback,
        Code::QuizMissingExplanation,
    ];

    /// The lint with this name, if it is one.
    pub fn lint(name: &str) -> Option<Code> {
        Code::LINTS.iter().copied().find(|c| c.as_str() == name)
    }

    /// The hint for a name written where a lint is expected that is none:
    /// the lint it is close to, else the list of them.
    pub fn lint_hint(written: &str) -> String {
        let names = Code::LINTS.iter().map(|c| c.as_str());
        match super::closest(written, names.clone()) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("the lints are {}", names.collect::<Vec<_>>().join(", ")),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes are `area-words` in lower-case kebab-case, and no two are alike.
    #[test]
    fn codes_are_kebab_case_by_area_and_unique() {
        let areas = [
            "front-matter-",
            "config-",
            "content-",
            "link-",
            "quiz-",
            "theme-",
            "output-",
            "io-",
            "init-",
            "import-",
            "internal-",
        ];
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(areas.iter().any(|a| name.starts_with(a)), "{name} has no known area");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
            assert!(!name.ends_with('-') && !name.contains("--"), "{name}");
            assert!(seen.insert(name), "{name} twice");
        }
    }

    #[test]
    fn lints_are_found_by_name() {
        assert_eq!(Code::lint("quiz-longest-correct"), Some(Code::QuizLongestCorrect));
        assert_eq!(Code::lint("quiz-duplicate-id"), None, "an error is not a lint");
        assert!(Code::LINTS.iter().all(|c| c.as_str().starts_with("quiz-")));
    }
}
