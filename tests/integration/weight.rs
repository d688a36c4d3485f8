//! Page weight at scale: home, area and progress pages carry counts and the
//! URL of each area's progress data, never question ids, so they do not grow
//! with the number of questions, and an area page grows by a lesson card per
//! lesson only. Each area's data lists exactly its lessons and their ids.

use crate::harness::{Run, SiteTest};
use serde_json::{json, Value};

const AREAS: usize = 3;

/// A built site of three areas of `lessons` lessons, each lesson with
/// `questions` true/false questions and one practice task, and a standalone
/// page with one question.
fn site(lessons: usize, questions: usize) -> Run {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Weight\"\ndescription = \"A big site.\"\nbase_url = \"https://example.org/course/\"\n",
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    site.write(
        "content/faq.md",
        &format!("---\ntitle: FAQ\nquiz:\n{}---\nText.\n", truefalse("faq-q", "Is this the FAQ?")),
    );
    for a in 1..=AREAS {
        site.write(
            &format!("content/0{a}-area-{a}/_index.md"),
            &format!("---\ntitle: Area {a}\nsummary: Area {a}.\n---\nAn area.\n"),
        );
        for l in 1..=lessons {
            let mut quiz: String = (1..=questions)
                .map(|q| truefalse(&format!("a{a}-l{l}-q{q}"), &format!("Is {a}.{l}.{q} so?")))
                .collect();
            quiz.push_str(&format!(
                "  - id: a{a}-l{l}-p\n    type: open\n    prompt: Write plan {a}.{l}.\n    model_answer: A plan.\n    rubric: [Has a goal, Has a date]\n"
            ));
            site.write(
                &format!("content/0{a}-area-{a}/lesson-{l:03}.md"),
                &format!("---\ntitle: Lesson {a}.{l:03}\nsummary: Lesson {l} of area {a}.\nminutes: 3\nquiz:\n{quiz}---\nText.\n"),
            );
        }
    }
    site.build().success()
}

fn truefalse(id: &str, prompt: &str) -> String {
    format!(
        "  - id: {id}\n    type: truefalse\n    prompt: \"{prompt}\"\n    answer: true\n    explanation: Because.\n"
    )
}

/// The three pages that show progress across lessons.
fn pages(run: &Run) -> [(&'static str, String); 3] {
    ["index.html", "progress/index.html", "area-1/index.html"].map(|p| (p, run.page(p)))
}

#[test]
fn pages_that_show_progress_carry_no_question_ids_and_do_not_grow_with_questions() {
    let few = site(150, 2);
    let many = site(150, 9);
    for (path, html) in pages(&many) {
        for a in 1..=AREAS {
            for id in [format!("a{a}-l1-q1"), format!("a{a}-l150-q9"), format!("a{a}-l7-p")] {
                assert!(!html.contains(&id), "{path} names question {id}");
            }
        }
    }
    // Same lessons, four times as many questions: "2 questions" and "9
    // questions" are as long, so the pages weigh the same but for counts
    // (home and progress show 300 and 1350 per area).
    for ((path, a), (_, b)) in pages(&few).iter().zip(pages(&many).iter()) {
        assert!(
            a.len().abs_diff(b.len()) <= 12,
            "{path}: {} bytes with 2 questions a lesson, {} with 9",
            a.len(),
            b.len()
        );
    }
    // The progress page still lists the questions of standalone pages.
    assert!(many.page("progress/index.html").contains(r#""id":"faq-q""#));
}

#[test]
fn home_and_progress_stay_the_same_size_and_an_area_page_grows_by_its_cards() {
    let small = site(15, 3);
    let big = site(150, 3);
    let size = |run: &Run, path: &str| run.page(path).len();
    for path in ["index.html", "progress/index.html"] {
        let (s, b) = (size(&small, path), size(&big, path));
        assert!(b.abs_diff(s) <= 24, "{path}: {s} bytes at 45 lessons, {b} at 450");
    }
    let per_lesson = (size(&big, "area-1/index.html") - size(&small, "area-1/index.html")) / 135;
    // A card here is about 290 bytes; its question ids would add some 75.
    assert!(per_lesson <= 320, "an area page grows by {per_lesson} bytes a lesson");
}

#[test]
fn each_areas_progress_data_lists_exactly_its_lessons_and_ids() {
    let run = site(40, 3);
    for a in 1..=AREAS {
        let lessons: Value = serde_json::from_str(&run.page(&format!("progress/area-{a}/lessons.json"))).unwrap();
        let expected: Vec<Value> = (1..=40)
            .map(|l| {
                let ids: Vec<String> = (1..=3).map(|q| format!("a{a}-l{l}-q{q}")).collect();
                json!([
                    format!("area-{a}/lesson-{l:03}/"),
                    format!("Lesson {a}.{l:03}"),
                    3,
                    ids.join(" "),
                    format!("a{a}-l{l}-p")
                ])
            })
            .collect();
        assert_eq!(lessons, json!({ "title": format!("Area {a}"), "url": format!("area-{a}/"), "lessons": expected }));

        let questions: Value = serde_json::from_str(&run.page(&format!("progress/area-{a}/questions.json"))).unwrap();
        let expected: Vec<Value> = (1..=40)
            .flat_map(|l| {
                let page = format!("area-{a}/lesson-{l:03}/");
                let title = format!("Lesson {a}.{l:03}");
                let mut qs: Vec<Value> = (1..=3)
                    .map(|q| json!({ "id": format!("a{a}-l{l}-q{q}"), "page": page, "title": title, "prompt": format!("Is {a}.{l}.{q} so?") }))
                    .collect();
                qs.push(json!({ "id": format!("a{a}-l{l}-p"), "page": page, "title": title, "prompt": format!("Write plan {a}.{l}.") }));
                qs
            })
            .collect();
        assert_eq!(questions, Value::Array(expected), "area {a}");
        let home = run.page("index.html");
        assert!(
            home.contains(&format!(r#"data-src="./progress/area-{a}/lessons.json" data-counts="40 120 40""#)),
            "{home}"
        );
    }
    // Offline reading keeps them, so progress shows without a network.
    let list: Value = serde_json::from_str(&run.page("offline.json")).unwrap();
    let urls: Vec<&str> = list["files"].as_array().unwrap().iter().map(|f| f[0].as_str().unwrap()).collect();
    for path in ["progress/area-2/lessons.json", "progress/area-2/questions.json"] {
        assert!(urls.contains(&path), "offline.json lists {path}");
    }
}
