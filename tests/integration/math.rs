//! Math: `$...$` and `$$...$$` in lessons and quizzes become MathML at build
//! time; malformed TeX fails the build at its `path:line:col`.

use crate::harness::{prose_of, SiteTest};

const LESSON: &str = r#"---
title: Formulas
summary: Scores and sample sizes.
quiz:
  - id: formulas-rice
    type: number
    prompt: "Reach 2000, impact 2, confidence 0.8, effort 4: what is $\\text{RICE}$?"
    answer: 800
    explanation: $\frac{2000 \times 2 \times 0.8}{4} = 800$
  - id: formulas-root
    type: single
    prompt: Which grows the sample size?
    choices:
      - text: A smaller effect $\delta$
        correct: true
        feedback: $n$ grows with $1/\delta^2$.
      - text: A larger effect
---
A RICE score is $\frac{R \times I \times C}{E}$, where $E$ is the effort.

## Sample size

Each group needs

$$
n = \frac{2 (z_{1-\alpha/2} + z_{1-\beta})^2 \sigma^2}{\delta^2}
$$

visitors. A plan that costs $5 to $10 a visitor, or $5-$10, is not math.
"#;

fn site() -> SiteTest {
    let site = SiteTest::fixture("minimal");
    site.write("content/01-basics/03-formulas.md", LESSON);
    site.write("content/faq.md", "---\ntitle: FAQ\nfaq:\n  - q: How is RICE computed?\n    a: As $\\frac{R \\times I \\times C}{E}$, in points, not $5-$10.\n---\nQuestions.\n");
    site
}

#[test]
fn lessons_prompts_feedback_and_explanations_have_mathml() {
    let run = site().build().success();
    let html = run.page("basics/formulas/index.html");
    let prose = prose_of(&html);
    assert!(prose.contains("A RICE score is <math><mfrac><mrow><mi>R</mi>"), "{prose}");
    assert!(prose.contains("where <math><mi>E</mi></math> is the effort"), "{prose}");
    assert!(
        prose.contains("<span class=\"math-display\" tabindex=\"0\" role=\"group\" aria-label=\"Formula\"><math display=\"block\"><mi>n</mi>"),
        "{prose}"
    );
    assert!(prose.contains("costs $5 to $10 a visitor, or $5-$10, is not math"), "{prose}");
    // The prompt, a choice, its feedback and the explanation.
    assert!(html.contains("what is <math><mtext>RICE</mtext></math>?"), "{html}");
    assert!(html.contains("A smaller effect <math><mi>δ</mi></math>"), "{html}");
    assert!(html.contains("<math><mi>n</mi></math> grows with"), "{html}");
    assert!(html.contains("<math><mfrac><mrow><mn>2000</mn>"), "{html}");
    assert!(!html.contains("math-source"), "no formula is malformed");
    let faq = run.page("faq/index.html");
    assert!(faq.contains("As <math><mfrac><mrow><mi>R</mi>"), "{faq}");
    assert!(faq.contains("in points, not $5-$10."), "{faq}");
}

#[test]
fn search_keeps_inline_tex_and_leaves_display_math_out() {
    let run = site().build().success();
    let index = run.root.join("public/search-index");
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(&index).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    assert!(text.contains(r"A RICE score is \\frac{R \\times I \\times C}{E}, where E is the effort."), "{text}");
    assert!(text.contains("Each group needs visitors."), "display math is left out: {text}");
    assert!(!text.contains("<math") && !text.contains("mfrac") && !text.contains("sigma"), "{text}");
}

#[test]
fn malformed_math_is_an_error_at_its_line_and_column() {
    let site = site();
    let broken =
        LESSON.replace(r"where $E$ is", r"where $\effort$ is").replace(r"2 \times 0.8}{4}", r"2 \tims 0.8}{4}");
    site.write("content/01-basics/03-formulas.md", &broken);
    let run = site.build().failure();
    let stderr = run.stderr();
    assert!(stderr.contains("error[content-malformed-math]: malformed math: unknown command \"\\effort\""), "{stderr}");
    assert!(stderr.contains("content/01-basics/03-formulas.md:19:57"), "{stderr}");
    // The explanation: a plain YAML scalar, so the formula is found where it is written.
    assert!(stderr.contains("content/01-basics/03-formulas.md:9:39"), "{stderr}");
    assert!(stderr.contains("a `$` that is not math is written `\\$`"), "{stderr}");
    assert!(!run.has("index.html"), "a failed build writes nothing");
}

#[test]
fn math_can_be_turned_off() {
    let site = site();
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", &format!("{toml}\n[markdown]\nmath = false\n"));
    let run = site.build().success();
    let html = run.page("basics/formulas/index.html");
    assert!(!html.contains("<math"), "{html}");
    assert!(html.contains(r"A RICE score is $\frac{R \times I \times C}{E}$"), "{html}");
}

/// math-core parses by recursion: formulas as deep as the limit allows build
/// on the pipeline's threads (in this debug build, whose frames are largest),
/// and deeper ones are errors, not a stack overflow that aborts the process.
#[test]
fn deeply_nested_formulas_are_errors_not_crashes() {
    let site = SiteTest::fixture("minimal");
    let mut deepest = String::from("---\ntitle: Deep\nsummary: Nesting at the limit.\n---\n");
    for (open, close, times) in
        [(r"\left(\sqrt{", r"}\right)", 12), (r"\frac{", "}{2}", 24), ("{", "}", 24), (r"\sqrt ", "", 48)]
    {
        deepest.push_str(&format!("$${}x{}$$\n\n", open.repeat(times), close.repeat(times)));
    }
    site.write("content/01-basics/03-deepest.md", &deepest);
    let run = site.build().success();
    assert_eq!(run.page("basics/deepest/index.html").matches("<math display=\"block\">").count(), 4);

    let too_deep =
        format!("---\ntitle: Deeper\nsummary: Past it.\n---\n$${}x{}$$\n", r"\sqrt{".repeat(5000), "}".repeat(5000));
    site.write("content/01-basics/04-deeper.md", &too_deep);
    let run = site.build().failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("error[content-malformed-math]: malformed math: the formula nests more than 24 groups deep"),
        "{stderr}"
    );
    assert!(stderr.contains("content/01-basics/04-deeper.md:5:147"), "{stderr}");
}
