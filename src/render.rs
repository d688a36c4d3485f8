//! Pages to HTML: typed template contexts filled from the content model and the
//! rendered markdown, then tera. Each page depends only on its own source, the
//! site-wide navigation (`SiteView`) and the theme, so one page can be rebuilt
//! alone. Rendering never touches the disk.

use crate::config::SiteConfig;
use crate::content::{AreaId, PageId, PageKind, Site};
use crate::diag::{Code, Diagnostic};
use crate::markdown::{Heading, Rendered};
use crate::quiz::{kind_name, AnswerKey, Question};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;

/// The parts of every page that come from the whole site: title, navigation, areas.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_path: String,
    pub base_url: String,
    /// `localStorage` key for progress, scoped to the site's base URL and versioned.
    pub storage_key: String,
    /// Converted for templates one by one ([`Templates::set_areas`]).
    #[serde(skip)]
    pub areas: Vec<AreaCard>,
    pub pages: Vec<NavLink>,
    pub search: bool,
    /// `[offline] enabled`: pages register the offline worker and home offers to save the course.
    pub offline: bool,
    /// `[quiz] answers_without_js`: each question's answer readable in a `<details>` without JavaScript.
    pub answers_without_js: bool,
    /// `[quiz] shuffle`: choices may be shown in a random order (questions can still pin theirs).
    pub shuffle: bool,
    pub total_questions: usize,
    /// Lesson page indices in curriculum order, for previous/next links.
    #[serde(skip)]
    pub lesson_order: Vec<PageId>,
}

/// A link with its URL relative to the site root (templates prefix `root`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

/// An area as listed on the home and progress pages.
#[derive(Debug, Clone, Serialize)]
pub struct AreaCard {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub number: usize,
    pub lessons: Vec<LessonCard>,
    pub question_ids: Vec<String>,
    /// How many questions a browser checks, and how many `open` ones (practice,
    /// self-scored): pages show the counts and fetch the ids only when a
    /// learner's progress needs them ([`area_data_paths`]).
    pub question_count: usize,
    pub practice_count: usize,
    /// Where the area's lessons and question ids are, relative to the site root
    /// (see [`area_lessons_json`]).
    pub lessons_json: String,
    /// Where the prompts of the area's questions are, relative to the site root
    /// (the progress page's lists of missed questions and practice answers).
    pub questions_json: String,
}

/// A lesson as listed on its area page and in progress summaries.
#[derive(Debug, Clone, Serialize)]
pub struct LessonCard {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub minutes: u32,
    pub question_ids: Vec<String>,
    /// How many questions there are: an area page lists thousands of lessons,
    /// and template filters cost per call.
    pub question_count: usize,
    /// The ids of the lesson's `open` questions, and how many there are;
    /// `question_ids` holds only the questions a browser checks.
    pub practice_ids: Vec<String>,
    pub practice_count: usize,
}

/// Where the progress data of the area at `url` (`basics/`) is written,
/// relative to the site root: its lessons with their question ids, and its
/// questions' prompts. Under `progress/`, which the progress page already
/// owns, so no content can take the names.
pub fn area_data_paths(url: &str) -> (String, String) {
    (format!("progress/{url}lessons.json"), format!("progress/{url}questions.json"))
}

/// The lessons file of an area: `{"title", "url", "lessons": [[url, title,
/// minutes, question ids joined by spaces, practice ids joined by spaces],
/// ...]}`. progress.js reads it to count a learner's progress in the area
/// and to find the next lesson to continue with; arrays and joined ids keep
/// it small (some 300 bytes a lesson before compression).
pub fn area_lessons_json(card: &AreaCard) -> String {
    let lessons: Vec<_> = card
        .lessons
        .iter()
        .map(|l| (&l.url, &l.title, l.minutes, l.question_ids.join(" "), l.practice_ids.join(" ")))
        .collect();
    serde_json::json!({ "title": card.title, "url": card.url, "lessons": lessons }).to_string()
}

/// True when rendered HTML holds block elements (a snippet of one paragraph
/// is unwrapped to its inline content).
fn has_blocks(html: &str) -> bool {
    [
        "<p>",
        "<div",
        "<blockquote",
        "<table",
        "<ul",
        "<ol",
        "<pre",
        "<h",
        "<aside",
        "<dl",
        "<hr",
        "<span class=\"math-display\"",
    ]
    .iter()
    .any(|tag| html.contains(tag))
}

/// One question ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub kind: &'static str,
    pub number: usize,
    pub prompt: String,
    /// The prompt has blocks (paragraphs, a table, a quote): a `<legend>` holds
    /// only phrasing content, so the template puts it after the legend.
    pub prompt_is_block: bool,
    pub hint: Option<String>,
    pub explanation: Option<String>,
    pub choices: Vec<ChoiceView>,
    /// The quiz script may show the choices in a random order (unless `site.shuffle` is off).
    pub shuffle: bool,
    /// The right answer in words, for the no-JavaScript `<details>` (empty for `open`).
    pub answer: String,
    /// `open`: the answer box's starting text, as written (the template escapes it).
    pub template: Option<String>,
    /// `open`: the model answer, rendered from markdown.
    pub model_answer: Option<String>,
    /// `open`: each criterion of the rubric, rendered from markdown.
    pub rubric: Vec<String>,
    /// The page the question lives on, for links from the progress page.
    pub page_url: String,
    pub page_title: String,
}

/// One choice ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    pub index: usize,
    pub text: String,
    pub correct: bool,
    pub feedback: Option<String>,
}

/// What the browser needs to check answers, per question.
#[derive(Debug, Clone, Serialize)]
pub struct QuizData<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub key: &'a AnswerKey,
}

/// A breadcrumb trail entry.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// An FAQ entry ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct FaqView {
    pub id: String,
    /// Plain text, as written: the template escapes it.
    pub question: String,
    /// HTML rendered from the answer's markdown.
    pub answer: String,
}

/// Everything a page template can use besides `site` and `area`, which
/// `Templates` adds from values converted once per build: every page shows the
/// site's navigation, and converting it per page would make a build quadratic.
/// Fields a kind of page does not use stay empty.
#[derive(Debug, Serialize)]
pub struct PageContext {
    /// Prefix from this page to the site root: `./`, `../`, `../../`, or the base path on 404.
    pub root: String,
    pub kind: &'static str,
    pub url: String,
    pub canonical: String,
    pub title: String,
    /// The id of the title heading (empty for pages without markdown).
    pub title_id: String,
    pub summary: Option<String>,
    pub objectives: Vec<String>,
    pub minutes: u32,
    pub tags: Vec<String>,
    pub breadcrumbs: Vec<Crumb>,
    pub toc: Vec<Heading>,
    pub content: String,
    pub quiz: Vec<QuestionView>,
    /// JSON for the quiz script (escaped for a `<script>` element).
    pub quiz_json: String,
    pub faq: Vec<FaqView>,
    pub prev: Option<NavLink>,
    pub next: Option<NavLink>,
    /// Index of the page's area; the template sees the area's `AreaCard` as `area`.
    #[serde(skip)]
    pub area: Option<AreaId>,
    /// Set by `learn serve`: the page gets the live-reload script.
    pub live_reload: bool,
}

/// Builds the site-wide view shared by every page. `minutes` is each page's
/// reading time ([`page_minutes`]), computed once per page by the caller:
/// counting every lesson's words again on each rebuild would cost `learn serve`
/// more than re-rendering the page that changed.
pub fn site_view(config: &SiteConfig, site: &Site, facts: &(impl PageFacts + ?Sized)) -> SiteView {
    let areas = site.area_ids().map(|n| area_card(site, facts, n)).collect();
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_path: config.base_path(),
        base_url: config.base_url.clone(),
        storage_key: format!("learn:v1:{}", config.base_path()),
        areas,
        pages: site
            .standalone
            .iter()
            .map(|&i| NavLink { title: site.pages[i].title.clone(), url: site.pages[i].url.0.clone() })
            .collect(),
        search: config.search.enabled,
        offline: config.offline.enabled,
        answers_without_js: config.quiz.answers_without_js,
        shuffle: config.quiz.shuffle,
        total_questions: site.page_ids().map(|i| facts.questions(i).len()).sum(),
        lesson_order: site.lesson_order(),
    }
}

/// What the site view shows of each page besides its source, by page index:
/// its validated questions and its reading time.
pub trait PageFacts {
    fn questions(&self, page: PageId) -> &[Question];
    fn minutes(&self, page: PageId) -> u32;
}

/// Page facts kept in two lists, one entry per page.
pub struct FactLists<'a> {
    pub questions: &'a [Vec<Question>],
    pub minutes: &'a [u32],
}

impl PageFacts for FactLists<'_> {
    fn questions(&self, page: PageId) -> &[Question] {
        &self.questions[page.0]
    }

    fn minutes(&self, page: PageId) -> u32 {
        self.minutes[page.0]
    }
}

/// Area `n` as the site view lists it.
pub fn area_card(site: &Site, facts: &(impl PageFacts + ?Sized), n: AreaId) -> AreaCard {
    let a = &site.areas[n];
    let page = &site.pages[a.page];
    let lessons: Vec<LessonCard> = a
        .lessons
        .iter()
        .map(|&l| {
            let p = &site.pages[l];
            let (practice, checked): (Vec<&Question>, Vec<&Question>) =
                facts.questions(l).iter().partition(|q| q.practice.is_some());
            LessonCard {
                title: p.title.clone(),
                summary: p.front.summary.clone().unwrap_or_default(),
                url: p.url.0.clone(),
                minutes: facts.minutes(l),
                question_count: checked.len(),
                question_ids: checked.iter().map(|q| q.id.0.clone()).collect(),
                practice_count: practice.len(),
                practice_ids: practice.iter().map(|q| q.id.0.clone()).collect(),
            }
        })
        .collect();
    let question_ids: Vec<String> = lessons.iter().flat_map(|l| l.question_ids.iter().cloned()).collect();
    let (lessons_json, questions_json) = area_data_paths(&page.url.0);
    AreaCard {
        title: page.title.clone(),
        summary: page.front.summary.clone().unwrap_or_default(),
        url: page.url.0.clone(),
        number: n.0 + 1,
        question_count: question_ids.len(),
        practice_count: lessons.iter().map(|l| l.practice_count).sum(),
        question_ids,
        lessons,
        lessons_json,
        questions_json,
    }
}

/// A page's reading time: `minutes` from its front matter, else estimated from its words.
pub fn page_minutes(page: &crate::content::Page) -> u32 {
    page.front.minutes.unwrap_or_else(|| reading_minutes(page.body()))
}

/// About 220 words a minute, at least one minute.
pub fn reading_minutes(body: &str) -> u32 {
    ((word_count(body) as f64 / 220.0).ceil() as u32).max(1)
}

/// What `split_whitespace().count()` gives, counted byte by byte: every
/// build counts the words of every page, and decoding every character made
/// that a tenth of a rebuild. Only a character's first byte is judged (ASCII
/// by a table, anything else decoded), so the count is exactly the same.
fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let word = match b {
            // A continuation byte: its character was judged at its first byte.
            0x80..=0xBF => continue,
            // The ASCII characters Unicode calls white space: tab to carriage return, and space.
            0..=0x7F => !matches!(b, b'\t'..=b'\r' | b' '),
            _ => !text[i..].chars().next().is_some_and(char::is_whitespace),
        };
        count += usize::from(word && !in_word);
        in_word = word;
    }
    count
}

/// The prefix from a URL to the site root.
pub fn root_prefix(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".into()
    } else {
        "../".repeat(depth)
    }
}

/// Turns validated questions into template views, rendering their markdown.
pub fn question_views(
    ctx: &crate::markdown::RenderCtx<'_>,
    questions: &[Question],
    rendered: &mut Rendered,
) -> Vec<QuestionView> {
    let page = &ctx.site.pages[ctx.page];
    let offset_of = |q: &Question| line_offset(&page.text, q.pos.line);
    let md = |text: &str, offset: usize, r: &mut Rendered| crate::markdown::render_snippet(ctx, text, offset, r);
    questions
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let off = offset_of(q);
            let choices: Vec<ChoiceView> = q
                .choices
                .iter()
                .enumerate()
                .map(|(index, c)| ChoiceView {
                    index,
                    text: md(&c.text, off, rendered),
                    correct: c.correct,
                    feedback: c.feedback.as_deref().map(|f| md(f, off, rendered)),
                })
                .collect();
            let practice = q.practice.as_ref();
            let answer = answer_in_words(&q.key, &choices);
            let prompt = md(&q.prompt, off, rendered);
            QuestionView {
                id: q.id.0.clone(),
                kind: kind_name(q.kind),
                number: n + 1,
                prompt_is_block: has_blocks(&prompt),
                prompt,
                hint: q.hint.as_deref().map(|h| md(h, off, rendered)),
                explanation: q.explanation.as_deref().map(|e| md(e, off, rendered)),
                choices,
                shuffle: q.shuffle,
                answer,
                template: practice.and_then(|p| p.template.clone()),
                model_answer: practice.map(|p| md(&p.model_answer, off, rendered)),
                rubric: practice.map_or_else(Vec::new, |p| p.rubric.iter().map(|c| md(c, off, rendered)).collect()),
                page_url: page.url.0.clone(),
                page_title: page.title.clone(),
            }
        })
        .collect()
}

/// The right answer in words, as HTML, for the no-JavaScript `<details>`.
fn answer_in_words(key: &AnswerKey, choices: &[ChoiceView]) -> String {
    match key {
        AnswerKey::Choices { correct } => {
            correct.iter().map(|&i| choices[i].text.clone()).collect::<Vec<_>>().join("; ")
        }
        AnswerKey::Bool { value } => if *value { "True" } else { "False" }.into(),
        AnswerKey::Text { accept } => crate::html::escape(&accept.join(" / ")),
        AnswerKey::Number { value, tolerance } if *tolerance > 0.0 => format!("{value} (± {tolerance})"),
        AnswerKey::Number { value, .. } => format!("{value}"),
        AnswerKey::Open { .. } => String::new(),
    }
}

/// One entry of the progress page's question index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexedQuestion<'a> {
    pub id: &'a str,
    /// URL of the page the question is on, relative to the site root.
    pub page: &'a str,
    pub title: &'a str,
    /// The prompt as plain text, shortened, for the list of missed questions.
    pub prompt: &'a str,
}

/// One page's entries in the progress page's question index, as JSON without
/// the enclosing brackets: made with the page, and joined by
/// [`question_index_json`], so a title edit does not serialise every question.
pub fn question_index_entries(page: &crate::content::Page, questions: &[Question]) -> String {
    let prompts: Vec<String> = questions.iter().map(Question::prompt_line).collect();
    let entries: Vec<IndexedQuestion<'_>> = questions
        .iter()
        .zip(&prompts)
        .map(|(q, prompt)| IndexedQuestion { id: &q.id.0, page: &page.url.0, title: &page.title, prompt })
        .collect();
    let json = script_safe_json(&entries);
    json[1..json.len() - 1].to_string()
}

/// A question index: the progress page's own (its standalone pages'
/// questions) or an area's questions file, a few dozen bytes per question;
/// review mode fetches the questions themselves from their lessons.
pub fn question_index_json<'a>(pages: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for entries in pages.filter(|e| !e.is_empty()) {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(entries);
    }
    out.push(']');
    out
}

/// Quiz data as JSON safe to embed in a `<script type="application/json">`.
pub fn quiz_json(questions: &[Question]) -> String {
    let data: Vec<QuizData<'_>> =
        questions.iter().map(|q| QuizData { id: &q.id.0, kind: kind_name(q.kind), key: &q.key }).collect();
    script_safe_json(&data)
}

/// Serialises to JSON that cannot close a `<script>` element early.
pub fn script_safe_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises").replace("</", "<\\/").replace("<!--", "<\\!--")
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum()
}

/// The breadcrumbs of a page: Home › Area › Lesson.
pub fn breadcrumbs(site: &Site, page: PageId) -> Vec<Crumb> {
    let p = &site.pages[page];
    let mut crumbs = vec![Crumb { title: "Home".into(), url: String::new() }];
    if p.kind == PageKind::Lesson {
        if let Some(a) = p.area {
            let area = &site.pages[site.areas[a].page];
            crumbs.push(Crumb { title: area.title.clone(), url: area.url.0.clone() });
        }
    }
    if p.kind != PageKind::Home {
        crumbs.push(Crumb { title: p.title.clone(), url: p.url.0.clone() });
    }
    crumbs
}

/// Compiled templates, plus the site-wide values every page context shares.
pub struct Templates {
    tera: tera::Tera,
    site: tera::Value,
    /// `site` without its areas.
    head: tera::Value,
    areas: Vec<tera::Value>,
}

impl Templates {
    /// Compiles every template of the theme; a template error names the file.
    pub fn new(theme: &Theme) -> Result<Self, Diagnostic> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::html::escape_into);
        tera.add_raw_templates(theme.templates.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| {
            Diagnostic::error(Code::ThemeTemplate, format!("template error: {}", error_chain(&e))).in_file("themes")
        })?;
        Ok(Self { tera, site: tera::Value::none(), head: tera::Value::none(), areas: Vec::new() })
    }

    /// Converts the site view once; tera values share their data, so each page gets it cheaply.
    pub fn set_site(&mut self, view: &SiteView) {
        self.areas = view.areas.par_iter().map(tera::Value::from_serializable).collect();
        self.set_head(view);
    }

    /// Converts again only the areas `changed` of a view whose shape is as it
    /// was: a lesson's new title converts its area, not 10,000 lessons.
    pub fn set_areas(&mut self, view: &SiteView, changed: &[AreaId]) {
        for &a in changed {
            self.areas[a.0] = tera::Value::from_serializable(&view.areas[a.0]);
        }
        self.set_head(view);
    }

    fn set_head(&mut self, view: &SiteView) {
        self.head = tera::Value::from_serializable(view);
        let mut site = self.head.clone().into_map().unwrap_or_default();
        site.insert("areas".into(), tera::Value::from(self.areas.clone()));
        self.site = tera::Value::from(site);
    }

    /// Renders a page template with its context plus `site` and `area`.
    pub fn render_page(&self, name: &str, ctx: &PageContext) -> Result<String, Diagnostic> {
        let mut context = tera::Context::from_serialize(ctx).map_err(|e| {
            Diagnostic::error(Code::InternalTemplateContext, format!("template context: {}", error_chain(&e)))
        })?;
        context.insert_value("site", self.site.clone());
        let area = ctx.area.and_then(|a| self.areas.get(a.0)).cloned().unwrap_or_else(tera::Value::none);
        context.insert_value("area", area);
        self.render_context(name, &context)
    }

    /// Renders a template with a serialisable context.
    pub fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, Diagnostic> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| {
            Diagnostic::error(Code::InternalTemplateContext, format!("template context: {}", error_chain(&e)))
        })?;
        self.render_context(name, &ctx)
    }

    fn render_context(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            Diagnostic::error(Code::ThemeRender, format!("cannot render `{name}`: {}", error_chain(&e)))
                .in_file(format!("themes/{name}"))
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let texts = [
            "",
            " ",
            "one",
            " two  words ",
            "a\tb\nc\x0bd\x0ce\rf",
            "x\u{a0}y\u{2003}z\u{3000}w\u{85}v",
            "naïve café — “quoted” 日本語",
            "end\n",
        ];
        for text in texts {
            assert_eq!(word_count(text), text.split_whitespace().count(), "{text:?}");
        }
    }
    use super::*;

    #[test]
    fn roots_climb_to_the_site_root() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("faq/"), "../");
        assert_eq!(root_prefix("a/b/"), "../../");
    }

    #[test]
    fn json_cannot_close_the_script() {
        assert_eq!(script_safe_json(&"</script>"), "\"<\\/script>\"");
    }
}
